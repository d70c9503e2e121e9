/**
 * How a sheet meets A4 paper: the printable width in column-width units, how many lines a text
 * wraps to in a column, and the row height that shows them whole. Sheets meant to be read on
 * paper are laid out with these so their text prints at its own size, never shrunk to fit.
 *
 * Column widths are in Excel's unit, the width of a digit of the default font (Calibri 11: 7 px
 * at 96 dpi, 5 px of padding per column). CJK characters are about two digits wide.
 */
import { shownWidth } from './grid';
import type { PrintPlan } from './plan';

/** Margins of the sheets meant for paper, in inches: half an inch at the sides, room for the footer at the bottom. */
export const PAPER_MARGINS = { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6 } as const;

/** The text size of every cell but the titles, in points (the writer's default font). */
export const BODY_POINTS = 11;

/** The smallest print scale at which body text stays at 9 pt or more. */
export const MIN_READABLE_SCALE = Math.ceil((9 / BODY_POINTS) * 100);

/** Height of one line of wrapped text in points: CJK fonts stand taller than Latin ones. */
const LINE_POINTS = 15;

const A4_INCHES = { short: 8.27, long: 11.69 } as const;

/** Pixels (at 96 dpi) a column of width `w` takes on the page. */
export function columnPixels(w: number): number {
  return Math.trunc(w * 7 + 5);
}

/** Pixels (at 96 dpi) across the printable part of an A4 page. */
export function printablePixels(landscape: boolean, margins: PrintPlan['margins'] = PAPER_MARGINS): number {
  const m = margins ?? PAPER_MARGINS;
  return Math.floor(((landscape ? A4_INCHES.long : A4_INCHES.short) - m.left - m.right) * 96);
}

/** Pixels the columns take side by side. */
export function columnsPixels(widths: readonly number[]): number {
  return widths.reduce((s, w) => s + columnPixels(w), 0);
}

/** True when the columns fit across the printable width at `scale` percent. */
export function fitsAcross(widths: readonly number[], landscape: boolean, scale = 100, margins: PrintPlan['margins'] = PAPER_MARGINS): boolean {
  return (columnsPixels(widths) * scale) / 100 <= printablePixels(landscape, margins);
}

/**
 * The print scale that brings the columns onto one page wide, when it keeps the text readable
 * (at least {@link MIN_READABLE_SCALE}); null when they cannot fit at a readable size.
 */
export function readableScale(widths: readonly number[], landscape: boolean, margins: PrintPlan['margins'] = PAPER_MARGINS): number | null {
  const need = columnsPixels(widths);
  const have = printablePixels(landscape, margins);
  if (need <= have) return 100;
  const scale = Math.floor((have / need) * 100);
  return scale >= MIN_READABLE_SCALE ? scale : null;
}

/**
 * How much wider than `shownWidth` a long run of prose prints: Chinese characters in the Noto CJK face LibreOffice
 * and WPS use are wider than two of Calibri's digits, and a note of mostly Chinese merged under a narrow table
 * overflowed its row when measured like a cell's short text.
 */
export const WRAP_ALLOWANCE = 1.2;

/** Lines a text wraps to in a column of width `w` (explicit line breaks kept); `allowance` widens long prose. */
export function wrappedLines(text: string, w: number, allowance = 1.05): number {
  // A cell keeps about a character of padding; wide characters count two (see `shownWidth`), and a bit more.
  const room = Math.max(1, w - 1);
  let lines = 0;
  for (const part of text.split('\n')) lines += Math.max(1, Math.ceil((shownWidth(part) * allowance) / room));
  return lines;
}

/** The height in points of a row whose cells wrap `texts` in columns of `widths` (same order). */
export function wrappedHeight(texts: readonly (string | null | undefined)[], widths: readonly (number | undefined)[], allowance?: number): number {
  let lines = 1;
  texts.forEach((t, k) => {
    if (t === null || t === undefined || t === '') return;
    lines = Math.max(lines, wrappedLines(t, widths[k] ?? 8.43, allowance));
  });
  return lines * LINE_POINTS + 3;
}

/** The width a column needs so none of its numbers, as formatted, shows `###`: digits, separators and sign, and room to spare. */
export function numberWidth(values: readonly (number | null)[], decimals: number, thousands: boolean): number {
  let most = 1;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    const whole = Math.trunc(Math.abs(v)).toString().length;
    const text = whole + (thousands ? Math.floor((whole - 1) / 3) : 0) + (decimals > 0 ? decimals + 1 : 0) + (v < 0 ? 1 : 0);
    most = Math.max(most, text);
  }
  return most + 2;
}

/** Decimals and thousands separators a number format shows (`#,##0.00` → 2, true). */
export function formatShape(format: string | undefined): { decimals: number; thousands: boolean } {
  if (format === undefined || format === '@') return { decimals: 2, thousands: false };
  const dot = format.indexOf('.');
  let decimals = 0;
  if (dot >= 0) for (let k = dot + 1; k < format.length && format[k] === '0'; k++) decimals++;
  return { decimals, thousands: format.includes(',') };
}

/** Widens each numeric column of the rows to hold its largest number as its format shows it. */
export function widenForNumbers(columns: readonly { readonly width?: number; readonly numberFormat?: string }[], rows: readonly { readonly role: string; readonly cells: readonly { readonly value?: unknown }[] }[]): number[] {
  return columns.map((col, k) => {
    const values: number[] = [];
    for (const row of rows) {
      if (row.role !== 'data' && row.role !== 'subtotal' && row.role !== 'total') continue;
      const v = row.cells[k]?.value;
      if (typeof v === 'number' && Number.isFinite(v)) values.push(v);
    }
    const { decimals, thousands } = formatShape(col.numberFormat);
    const need = values.length === 0 ? 0 : numberWidth(values, decimals, thousands);
    return Math.max(col.width ?? 8.43, need);
  });
}
