/**
 * Text helpers shared by the definition reader and the school-sheet reader: how a label typed by a
 * person is compared (full-width folded, spaces and trailing colons removed, case ignored).
 */
import { isCellError, type CellValue } from '../grid';

/** A label as compared: NFKC (full-width → half-width), no whitespace, no trailing colon, lower case. */
export function normalizeLabel(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\s\u00a0\u3000]+/gu, '')
    .replace(/[:：]+$/u, '')
    .toLowerCase();
}

/** The same label with bracketed asides removed: `代码（必填）` → `代码`. */
export function looseLabel(text: string): string {
  return normalizeLabel(text.normalize('NFKC').replace(/\([^)]*\)|\[[^\]]*\]|【[^】]*】/gu, ''));
}

/** A cell as trimmed text: numbers without float noise, booleans as TRUE/FALSE, errors as their code, blanks as ''. */
export function cellText(v: CellValue | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number') return Number.isFinite(v) ? String(Number(v.toPrecision(15))) : '';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (isCellError(v)) return v.error;
  return '';
}

/** True when a cell holds nothing (null, or text that is only whitespace). */
export function isBlankCell(v: CellValue | undefined): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
}

/** A valid definition code: starts with a letter, a CJK character or `_`; then letters, digits, `_`, `.`. */
export const CODE_PATTERN = /^[\p{L}_][\p{L}\p{N}\p{M}_.]*$/u;

/** Splits a list cell: `小学、初中`, `a, b`, `a；b`, `a|b`. */
export function splitList(text: string): string[] {
  return text
    .split(/[、,，;；|\n]+/u)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
