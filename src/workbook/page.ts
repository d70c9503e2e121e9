/**
 * How a sheet meets A4 paper: the printable width in column-width units, how many lines a text
 * wraps to in a column, and the row height that shows them whole. Sheets meant to be read on
 * paper are laid out with these so their text prints at its own size, never shrunk to fit.
 *
 * Column widths are in Excel's unit, the width of a digit of the default font (Calibri 11: 7 px
 * at 96 dpi, 5 px of padding per column). CJK characters are about two digits wide.
 */
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
 * A safety margin on the measured width of long prose (notes, signature lines, the corner block): readers
 * other than LibreOffice set CJK in faces a little wider (SimSun, DengXian, PingFang), and a note that
 * wraps one line more than its row holds loses that line in print.
 */
export const WRAP_ALLOWANCE = 1.08;

/** Width of a CJK or full-width character in digit widths: an em of 11 pt (14.7 px at 96 dpi) against Calibri's 7 px digit. */
const WIDE_CHAR = 2.1;

/** Characters a line may not start with (closing brackets and punctuation), which stay with the character before. */
const NO_LINE_START = new Set('，。、；：！？）」』》〉】〕”’%‰)]},.;:!?·…');
/** Characters a line may not end with (opening brackets), which go with the character after. */
const NO_LINE_END = new Set('（「『《〈【〔“‘([{');
/** Latin characters narrower than a digit. */
const NARROW = new Set(' .,:;!|()[]{}\'"`ijlrtf/-');

/** Width of one character, in digit widths of the body font (Calibri 11, or Carlito where it stands in). */
function charWidth(ch: string): number {
  const c = ch.codePointAt(0) ?? 0;
  if (c > 0x2e80) return WIDE_CHAR;
  if (NARROW.has(ch)) return 0.55;
  if (c >= 0x41 && c <= 0x5a) return 1.2;
  return 1;
}

function isWide(ch: string): boolean {
  return (ch.codePointAt(0) ?? 0) > 0x2e80;
}

/** The most lines a row is measured for: Excel caps a row at 409 pt, about 27 lines. */
const MOST_LINES = 30;

/**
 * How wide `text` prints on one line, in column-width units (digit widths), measured character by
 * character: CJK and full-width forms an em of the font, Latin letters and punctuation by their own width.
 * Unlike `shownWidth`, not capped at a fitted column's width.
 */
export function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += charWidth(ch);
  return w;
}

/**
 * Lines `text` wraps to in a column (or merged range) `w` wide (column-width units), as a spreadsheet
 * breaks it: between CJK characters and at spaces, a Latin word kept whole unless it alone is wider than
 * the line, no line starting with closing punctuation or ending with an opening bracket, explicit line
 * breaks kept. `allowance` widens the text for faces wider than the measure.
 */
export function wrappedLines(text: string, w: number, allowance = 1.02): number {
  // The column's pixels less a few of padding, in digit widths; a merged range passed as its widths' sum is a little narrower than it prints.
  const room = Math.max(1, (columnPixels(w) - 6) / 7);
  let lines = 0;
  for (const part of text.split('\n')) {
    lines += paragraphLines(part, room, allowance);
    if (lines >= MOST_LINES) return MOST_LINES;
  }
  return lines;
}

/** Lines one paragraph (no line breaks) takes, laid out greedily into `room`. */
function paragraphLines(text: string, room: number, allowance: number): number {
  let lines = 1;
  let used = 0;
  let unit = 0;
  let unitSpaces = 0;
  let prev = '';
  const place = (): void => {
    if (unit === 0) return;
    const ink = unit - unitSpaces;
    if (used > 0 && used + ink > room) {
      lines++;
      used = 0;
    }
    // A run wider than a whole line is broken wherever it must be.
    if (ink > room) {
      lines += Math.ceil(ink / room) - 1;
      used = ink % room;
    } else used += unit;
    unit = 0;
    unitSpaces = 0;
  };
  for (const ch of text) {
    if (lines >= MOST_LINES) break;
    const breakBefore = prev !== '' && (prev === ' ' || isWide(prev) || isWide(ch)) && !NO_LINE_START.has(ch) && !NO_LINE_END.has(prev) && ch !== ' ';
    if (breakBefore) place();
    const cw = charWidth(ch) * allowance;
    unit += cw;
    // Spaces at the end of a unit take no room at the end of a line.
    unitSpaces = ch === ' ' ? unitSpaces + cw : 0;
    prev = ch;
  }
  place();
  return Math.min(lines, MOST_LINES);
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
