/** A1 addresses as the adapter sends them to Excel and reads them back. */
import { cellAddress, parseCellAddress, type MergeRange } from '../core/grid';
import { quoteSheetName } from '../workbook/names';

/** A zero-based, inclusive rectangle. */
export type Rect = MergeRange;

/** `A1:C3`, or `A1` for a single cell. */
export function rectAddress(r: Rect): string {
  const a = cellAddress(r.r0, r.c0);
  return r.r0 === r.r1 && r.c0 === r.c1 ? a : `${a}:${cellAddress(r.r1, r.c1)}`;
}

/** A cell or range on a named sheet: `'Sheet 1'!A1`. */
export function qualified(sheet: string, local: string): string {
  return `${quoteSheetName(sheet)}!${local}`;
}

/** `D14`, `$D$14`, `d14` → `D14`; null when not a single cell. */
export function normalizeCell(cell: string): string | null {
  const at = parseCellAddress(cell);
  return at === null ? null : cellAddress(at.row, at.col);
}

/** Splits `'My sheet'!A1:B2` into its sheet (unquoted) and local part. */
export function splitAddress(address: string): { sheet?: string; local: string } {
  const bang = address.lastIndexOf('!');
  if (bang < 0) return { local: address.trim() };
  let sheet = address.slice(0, bang).trim();
  if (sheet.startsWith("'") && sheet.endsWith("'")) sheet = sheet.slice(1, -1).replace(/''/g, "'");
  return { sheet, local: address.slice(bang + 1).trim() };
}

/** The rectangle of a local `A1` or `A1:B2` address; null for anything else. */
export function parseRect(local: string): Rect | null {
  const [a, b] = local.split(':');
  const p = a === undefined ? null : parseCellAddress(a);
  const q = b === undefined ? p : parseCellAddress(b);
  if (p === null || q === null) return null;
  return { r0: Math.min(p.row, q.row), c0: Math.min(p.col, q.col), r1: Math.max(p.row, q.row), c1: Math.max(p.col, q.col) };
}

/**
 * The rectangles of an areas address as `RangeAreas.address` gives it: `Sheet1!A1:B2, Sheet1!D4`
 * (sheet names may be quoted and hold commas).
 */
export function parseAreas(address: string): Rect[] {
  const out: Rect[] = [];
  let i = 0;
  while (i < address.length) {
    let part = '';
    let quoted = false;
    for (; i < address.length; i++) {
      const ch = address[i]!;
      if (ch === "'") quoted = !quoted;
      if (ch === ',' && !quoted) break;
      part += ch;
    }
    i++;
    const rect = parseRect(splitAddress(part).local);
    if (rect !== null) out.push(rect);
  }
  return out;
}
