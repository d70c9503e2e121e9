/**
 * A1 references as Excel reads them, for the simulator only (kept apart from the adapter's own
 * parser so that a mistake in one is caught by the other).
 */

/** Excel's grid size. */
export const MAX_ROWS = 1_048_576;
export const MAX_COLS = 16_384;

/** A zero-based, inclusive rectangle. */
export interface Rect {
  r0: number;
  c0: number;
  r1: number;
  c1: number;
}

function colIndex(letters: string): number {
  let c = 0;
  for (const ch of letters.toUpperCase()) c = c * 26 + (ch.charCodeAt(0) - 64);
  return c - 1;
}

/** Column letters for a zero-based index. */
export function colLetters(c: number): string {
  let n = c + 1;
  let s = '';
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** `A1` for a zero-based cell. */
export function a1(r: number, c: number): string {
  return `${colLetters(c)}${r + 1}`;
}

/** `A1:B2` (or `A1` for one cell) for a rectangle. */
export function rectAddress(rect: Rect): string {
  const first = a1(rect.r0, rect.c0);
  return rect.r0 === rect.r1 && rect.c0 === rect.c1 ? first : `${first}:${a1(rect.r1, rect.c1)}`;
}

/** A sheet name as Excel prints it in an address: quoted when it holds anything but letters, digits, `_` and `.`. */
export function sheetPrefix(name: string): string {
  return /^[A-Za-z_\u4e00-\u9fff][A-Za-z0-9_.\u4e00-\u9fff]*$/.test(name) && !/^[A-Za-z]{1,3}\d+$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

/** Splits `'My sheet'!A1:B2` into its sheet (unquoted) and the local part. */
export function splitSheet(ref: string): { sheet?: string; local: string } {
  const bang = ref.lastIndexOf('!');
  if (bang < 0) return { local: ref.trim() };
  let sheet = ref.slice(0, bang).trim();
  if (sheet.startsWith("'") && sheet.endsWith("'")) sheet = sheet.slice(1, -1).replace(/''/g, "'");
  return { sheet, local: ref.slice(bang + 1).trim() };
}

/** Parses a local reference: `A1`, `A1:B2`, `C:E`, `3:5`; `null` when it is not one. */
export function parseLocal(local: string): Rect | null {
  const s = local.replace(/\$/g, '').trim();
  let m = /^([A-Za-z]{1,3})(\d{1,7})(?::([A-Za-z]{1,3})(\d{1,7}))?$/.exec(s);
  if (m) {
    const r0 = Number(m[2]) - 1;
    const c0 = colIndex(m[1]!);
    const r1 = m[4] !== undefined ? Number(m[4]) - 1 : r0;
    const c1 = m[3] !== undefined ? colIndex(m[3]) : c0;
    const rect = { r0: Math.min(r0, r1), c0: Math.min(c0, c1), r1: Math.max(r0, r1), c1: Math.max(c0, c1) };
    return valid(rect) ? rect : null;
  }
  m = /^([A-Za-z]{1,3}):([A-Za-z]{1,3})$/.exec(s);
  if (m) {
    const c0 = colIndex(m[1]!);
    const c1 = colIndex(m[2]!);
    const rect = { r0: 0, c0: Math.min(c0, c1), r1: MAX_ROWS - 1, c1: Math.max(c0, c1) };
    return valid(rect) ? rect : null;
  }
  m = /^(\d{1,7}):(\d{1,7})$/.exec(s);
  if (m) {
    const r0 = Number(m[1]) - 1;
    const r1 = Number(m[2]) - 1;
    const rect = { r0: Math.min(r0, r1), c0: 0, r1: Math.max(r0, r1), c1: MAX_COLS - 1 };
    return valid(rect) ? rect : null;
  }
  return null;
}

function valid(r: Rect): boolean {
  return r.r0 >= 0 && r.c0 >= 0 && r.r1 < MAX_ROWS && r.c1 < MAX_COLS;
}

/** Whether two rectangles share a cell. */
export function overlaps(a: Rect, b: Rect): boolean {
  return a.r0 <= b.r1 && b.r0 <= a.r1 && a.c0 <= b.c1 && b.c0 <= a.c1;
}

/** Number of cells. */
export function cellCount(r: Rect): number {
  return (r.r1 - r.r0 + 1) * (r.c1 - r.c0 + 1);
}
