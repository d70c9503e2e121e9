/**
 * Number formats shared by the sheets Huizong writes. Rates are shown as plain numbers with
 * their decimals (95.50 under a "（%）" header), never with Excel's % format, because the core
 * already multiplies by the factor: a % format would show 9550%.
 */
import type { Indicator } from '../core/types';

/** Number format of an indicator's value cell. */
export function indicatorFormat(ind: Indicator): string {
  switch (ind.type) {
    case 'integer':
      return '#,##0';
    case 'decimal':
      return '#,##0.00';
    case 'percent':
      return '0.00';
    case 'fraction':
      return '0.0000';
    case 'text':
    case 'code':
      return '@';
  }
}

/** Number format showing a rate with its decimals: `0`, `0.0`, `0.00`… */
export function decimalsFormat(decimals: number): string {
  const d = Math.max(0, Math.min(10, Math.floor(decimals)));
  return d === 0 ? '0' : `0.${'0'.repeat(d)}`;
}
