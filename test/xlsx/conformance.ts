/**
 * Our .xlsx reader against SheetJS, cell by cell: sheet names, their order and hidden state, merges,
 * every cell's value, whether a number is shown as a date, and every formula. Each difference is one
 * line naming the file, the sheet and the cell, so a list of the known ones can be kept and reviewed.
 */
import type * as SheetJS from '@e965/xlsx';
import { cellAddress, isCellError, type CellValue, type SheetGrid } from '../../src/core/grid';
import { isDateFormat, readXlsx } from '../../src/xlsx';
import { showsCalendarDate } from '../../src/xlsx/formats';

/** One difference between the two readers. */
export interface Difference {
  readonly file: string;
  readonly sheet: string;
  /** A cell address, or what of the sheet or book differs (`names`, `hidden`, `merges`). */
  readonly at: string;
  readonly what: 'book' | 'sheet' | 'value' | 'date' | 'formula';
  readonly ours: string;
  readonly sheetjs: string;
}

/** A difference as one line: `file · sheet · at · what: ours ≠ SheetJS`. */
export function line(d: Difference): string {
  return `${d.file} · ${d.sheet} · ${d.at} · ${d.what}: ${d.ours} ≠ ${d.sheetjs}`;
}

const ERRORS: Readonly<Record<number, string>> = { 0x00: '#NULL!', 0x07: '#DIV/0!', 0x0f: '#VALUE!', 0x17: '#REF!', 0x1d: '#NAME?', 0x24: '#NUM!', 0x2a: '#N/A', 0x2b: '#GETTING_DATA' };

/** A value as both sides are shown in a difference. */
function show(v: CellValue | undefined): string {
  if (v === null || v === undefined) return '(blank)';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}…` : v);
  if (isCellError(v)) return v.error;
  return String(v);
}

/** A SheetJS cell as our grid holds it; a 1904 workbook's calendar dates moved to the 1900 system, as ours are. */
function theirValue(c: SheetJS.CellObject | undefined, date1904: boolean): CellValue {
  if (c === undefined) return null;
  switch (c.t) {
    case 'n': {
      const v = c.v as number | undefined;
      if (v === undefined) return null;
      return date1904 && typeof c.z === 'string' && showsCalendarDate(c.z) ? v + 1462 : v;
    }
    case 's':
      return c.v === undefined ? null : String(c.v);
    case 'b':
      return c.v === undefined ? null : c.v === true;
    case 'e':
      return c.v === undefined && c.w === undefined ? null : { error: c.w ?? ERRORS[c.v as number] ?? '#VALUE!' };
    case 'd':
      return c.v instanceof Date ? c.v.getTime() / 86_400_000 + 25_569 : String(c.v);
    default:
      return null;
  }
}

const NOT_WORKSHEETS = new Set(['chart', 'dialog', 'macro']);

let lastSame: readonly [string, string] = ['', ''];

/** Cells with a value or a formula in a SheetJS sheet. */
function cellsIn(ws: SheetJS.WorkSheet | undefined): number {
  let n = 0;
  for (const row of (ws?.['!data'] ?? []) as (SheetJS.CellObject | undefined)[][]) for (const c of row ?? []) if (c !== undefined && (c.t !== 'z' || c.f !== undefined)) n++;
  return n;
}

/**
 * Equal values; numbers within a relative 1e-12, the rounding of two ways to the same serial (SheetJS
 * takes an ISO time through a Date and its epoch, ours divides its seconds by 86,400).
 */
function same(a: CellValue, b: CellValue): boolean {
  // One long shared string in thousands of cells is compared once, not once per cell.
  if (typeof a === 'string' && a.length > 256 && a === lastSame[0] && b === lastSame[1]) return true;
  if (a === b) {
    if (typeof a === 'string' && a.length > 256) lastSame = [a, b as string];
    return true;
  }
  if (a === null || b === null) return (a === null || a === '') && (b === null || b === '');
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a));
  if (isCellError(a) && isCellError(b)) return a.error === b.error;
  return false;
}

/** Every difference between our reading of an .xlsx and SheetJS's. */
export function compare(bytes: Uint8Array, file: string, XLSX: Pick<typeof SheetJS, 'read' | 'utils'>): Difference[] {
  const out: Difference[] = [];
  const ours = readXlsx(bytes, file);
  let wb: SheetJS.WorkBook | null = null;
  let failure = '';
  try {
    // Stubs, so that a formula without a saved result is a cell on both sides; `_xlfn.` kept, as ours keeps it.
    wb = XLSX.read(bytes, { type: 'array', dense: true, cellNF: true, cellFormula: true, cellText: false, cellDates: false, cellStyles: false, sheetStubs: true, xlfn: true });
  } catch (e) {
    failure = e instanceof Error ? e.message : String(e);
  }
  // A workbook without a single cell: ours says it holds no data, SheetJS gives empty sheets.
  if ('issue' in ours && ours.issue.code === 'file.empty' && wb !== null && wb.SheetNames.every((n) => cellsIn(wb!.Sheets[n]) === 0)) return out;
  if ('issue' in ours || wb === null) {
    // A file both refuse is no difference in what they read.
    if ('issue' in ours && wb === null) return out;
    const why = 'issue' in ours && 'why' in ours.issue.params ? ours.issue.params.why : undefined;
    const o = 'issue' in ours ? `${ours.issue.code}${why ? ` (${why})` : ''}` : 'read';
    const t = wb === null ? `error (${failure.slice(0, 60)})` : 'read';
    if (o !== t) out.push({ file, sheet: '', at: 'book', what: 'book', ours: o, sheetjs: t });
    return out;
  }
  const date1904 = wb.Workbook?.WBProps?.date1904 === true;
  // Chart, dialog and macro sheets are no school form: our reader leaves them out.
  const theirs = wb.SheetNames.map((name, k) => ({ name, k, ws: wb!.Sheets[name] })).filter((s) => s.ws !== undefined && !NOT_WORKSHEETS.has((s.ws as { '!type'?: string })['!type'] ?? ''));
  const ourNames = ours.book.sheets.map((s) => s.name);
  const theirNames = theirs.map((s) => s.name);
  if (ourNames.join('\u0000') !== theirNames.join('\u0000')) out.push({ file, sheet: '', at: 'names', what: 'book', ours: JSON.stringify(ourNames), sheetjs: JSON.stringify(theirNames) });
  for (const t of theirs) {
    const sheet = ours.book.sheets.find((s) => s.name === t.name);
    if (sheet === undefined) continue;
    compareSheet(file, sheet, t.ws!, wb.Workbook?.Sheets?.[t.k]?.Hidden, date1904, out);
  }
  return out;
}

function compareSheet(file: string, sheet: SheetGrid, ws: SheetJS.WorkSheet, hidden: number | undefined, date1904: boolean, out: Difference[]): void {
  const at = (what: Difference['what'], where: string, ours: string, sheetjs: string): void => void out.push({ file, sheet: sheet.name, at: where, what, ours, sheetjs });
  const theirHidden = hidden === 1 || hidden === 2;
  if ((sheet.hidden === true) !== theirHidden) at('sheet', 'hidden', String(sheet.hidden === true), String(theirHidden));
  const key = (m: { r0: number; c0: number; r1: number; c1: number }): string => `${cellAddress(m.r0, m.c0)}:${cellAddress(m.r1, m.c1)}`;
  const ourMerges = (sheet.merges ?? []).map(key).sort();
  const theirMerges = ((ws['!merges'] ?? []) as SheetJS.Range[]).map((m) => key({ r0: m.s.r, c0: m.s.c, r1: m.e.r, c1: m.e.c })).sort();
  if (ourMerges.join() !== theirMerges.join()) at('sheet', 'merges', ourMerges.join(' ') || '(none)', theirMerges.join(' ') || '(none)');

  const data = (ws['!data'] ?? []) as (SheetJS.CellObject | undefined)[][];
  // Every cell ours holds, far ones (kept apart from the rows) included.
  const far = new Map((sheet.far ?? []).map((f) => [cellAddress(f.row, f.col), f]));
  const rows = Math.max(sheet.values.length, data.length, ...(sheet.far ?? []).map((f) => f.row + 1));
  for (let r = 0; r < rows; r++) {
    const mine = sheet.values[r] ?? [];
    const theirRow = data[r] ?? [];
    const cols = Math.max(mine.length, theirRow.length, ...(sheet.far ?? []).filter((f) => f.row === r).map((f) => f.col + 1));
    for (let c = 0; c < cols; c++) {
      const cell = theirRow[c];
      const where = cellAddress(r, c);
      const farCell = far.get(where);
      const v = mine[c] ?? farCell?.value ?? null;
      const w = theirValue(cell, date1904);
      if (!same(v, w)) {
        at('value', where, show(v), show(w));
        continue;
      }
      if (typeof v === 'number') {
        const ours = sheet.numberFormats?.[r]?.[c] ?? farCell?.numberFormat ?? 'General';
        const ourDate = isDateFormat(ours);
        const theirDate = typeof cell?.z === 'string' && isDateFormat(cell.z);
        if (ourDate !== theirDate) at('date', where, `${ourDate} (${ours})`, `${theirDate} (${String(cell?.z ?? 'General')})`);
      }
      const f = sheet.formulas?.[r]?.[c] ?? farCell?.formula ?? null;
      const g = typeof cell?.f === 'string' && cell.f !== '' ? `=${cell.f}` : null;
      if (f !== g) at('formula', where, f === null ? '(none)' : JSON.stringify(f), g === null ? '(none)' : JSON.stringify(g));
    }
  }
}
