/** How the pane prints rates and targets. */
import type { Comparator, Lang, Target } from '../core/types';
import { formatNumber } from './i18n';

const OP: Record<Comparator, string> = { '==': '=', '!=': '≠', '<': '<', '<=': '≤', '>': '>', '>=': '≥' };

/** A rate's value with its unit: `95.20%` for factor 100, `3.45` otherwise; `—` when undefined. */
export function formatRate(value: number | null, factor: number, decimals: number, lang: Lang): string {
  if (value === null || !Number.isFinite(value)) return '—';
  const unit = factor === 100 ? '%' : factor === 1000 ? '‰' : '';
  return `${formatNumber(value, decimals, lang)}${unit}`;
}

/** A target as `≥ 96%`, its number as the definitions give it (as the chart's title and the text report show it). */
export function formatTarget(target: Target | undefined, factor: number, lang: Lang): string {
  if (target === undefined) return '—';
  const unit = factor === 100 ? '%' : factor === 1000 ? '‰' : '';
  const written = /\.(\d+)$/.exec(String(target.value))?.[1]?.length ?? 0;
  return `${OP[target.op]} ${formatNumber(target.value, Math.min(4, written), lang)}${unit}`;
}
