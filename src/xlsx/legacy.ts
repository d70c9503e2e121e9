/**
 * The formats schools send besides .xlsx — Excel 97–2003 `.xls` (BIFF8), WPS's `.et`, LibreOffice's
 * `.ods`, `.xlsb`, and web pages or Excel 2003 XML saved under an `.xls` name — read by SheetJS
 * Community Edition (`@e965/xlsx`, Apache-2.0) into the same grid the .xlsx reader gives: values,
 * cached formula results, formulas, number formats (so a percent, a date or a code typed as a number
 * is recognised the same way), merges and sheet visibility. SheetJS is large and is passed in by the
 * caller, loaded only when such a file appears.
 */
import type * as SheetJS from '@e965/xlsx';
import { sheetHasCells, type CellValue, type MergeRange, type SheetGrid, type WorkbookGrid } from '../core/grid';
import type { Issue } from '../core/types';
import { inflateSync } from 'fflate';
import { csvCell } from './csv';
import { showsCalendarDate } from './formats';
import { fileIssue, MAX_CELLS, sniffBytes } from './read';
import { SheetCells } from './sparse';
import { openZip } from './unzip';

/** The SheetJS module, however the host loaded it. */
export type SheetJSModule = Pick<typeof SheetJS, 'read' | 'utils' | 'CFB'>;

/** What reading a legacy file gives (as the .xlsx reader's result). */
export interface LegacyResult {
  readonly book: WorkbookGrid | null;
  readonly issues: Issue[];
}

const MAX_ROWS = 1_048_576;
const MAX_COLS = 16_384;

/** Excel's error texts by the code SheetJS keeps in `v`. */
const ERROR_TEXT: Readonly<Record<number, string>> = { 0x00: '#NULL!', 0x07: '#DIV/0!', 0x0f: '#VALUE!', 0x17: '#REF!', 0x1d: '#NAME?', 0x24: '#NUM!', 0x2a: '#N/A', 0x2b: '#GETTING_DATA' };

/** One SheetJS cell as the grid's value; undefined for an empty cell. `text`: the cell's text as the file holds it (a web page), read as a CSV field is. */
function cellValue(c: SheetJS.CellObject, date1904: boolean, text: boolean): CellValue | undefined {
  switch (c.t) {
    case 'n': {
      const v = c.v as number;
      // As the .xlsx reader does: a calendar-date serial of a 1904 workbook is moved to the 1900 system; times and durations are not.
      return date1904 && typeof c.z === 'string' && showsCalendarDate(c.z) ? v + 1462 : v;
    }
    case 's':
      if (c.v === undefined || c.v === '') return undefined;
      return text ? csvCell(String(c.v)) : String(c.v);
    case 'b':
      return c.v === true;
    case 'e':
      return { error: c.w ?? ERROR_TEXT[c.v as number] ?? '#VALUE!' };
    case 'd': {
      const d = c.v instanceof Date ? c.v : new Date(String(c.v));
      return Number.isNaN(d.getTime()) ? String(c.v) : d.getTime() / 86_400_000 + 25_569;
    }
    default:
      return undefined;
  }
}

/** The name of the format for messages, by what the bytes are. */
function formatName(name: string, bookType: string | undefined): string {
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  if (ext === 'et' || ext === 'ods' || ext === 'xlsb') return ext;
  return bookType ?? ext ?? 'xls';
}

/** True for an OpenDocument package whose manifest says its content is encrypted (saved with a password). */
function isEncryptedOdf(bytes: Uint8Array): boolean {
  try {
    const zip = openZip(bytes, (data, max) => inflateSync(data, { out: new Uint8Array(max) }), { part: 1 << 20, total: 1 << 20 });
    const entry = zip?.names.find((n) => n.toLowerCase() === 'meta-inf/manifest.xml');
    const manifest = entry === undefined ? undefined : zip!.read(entry);
    return manifest !== undefined && new TextDecoder().decode(manifest).includes('encryption-data');
  } catch {
    return false;
  }
}

/**
 * SheetJS's own words: it writes warnings to the console ("ODS number format may be incorrect"), which
 * in the command reach the clerk's terminal. Reading is synchronous, so silencing the console for the
 * call silences nothing else.
 */
function quietly<T>(read: () => T): T {
  const c = console as unknown as Record<'log' | 'info' | 'warn' | 'error' | 'debug', (...args: unknown[]) => void>;
  const kept = { log: c.log, info: c.info, warn: c.warn, error: c.error, debug: c.debug };
  const none = (): void => undefined;
  c.log = c.info = c.warn = c.error = c.debug = none;
  try {
    return read();
  } finally {
    Object.assign(c, kept);
  }
}

/** Reads a legacy workbook with SheetJS; a damaged, encrypted or oversized file is one issue, never a throw. */
export function readLegacy(bytes: Uint8Array, name: string, XLSX: SheetJSModule): LegacyResult {
  const fail = (issue: Issue): LegacyResult => ({ book: null, issues: [issue] });
  const kind = sniffBytes(bytes);
  if (kind === 'zip' && isEncryptedOdf(bytes)) return fail(fileIssue('file.encrypted', name));
  // A web page saved as .xls holds text: SheetJS would guess numbers and dates in it ("86.61%" → 0.8661, a code
  // 0012 → 12), and blame the school for both. Its text is kept and read as the CSV reader reads a field.
  const text = kind === 'html';
  let wb: SheetJS.WorkBook;
  try {
    wb = quietly(() =>
      XLSX.read(bytes, { type: 'array', cellFormula: true, cellNF: true, cellDates: false, cellStyles: false, dense: true, WTF: false, bookVBA: false, sheetStubs: false, raw: text }),
    );
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (/password|encrypt/i.test(message)) return fail(fileIssue('file.encrypted', name));
    // Not zip data (that is checked before): the workbook itself is damaged.
    return fail(fileIssue('file.unreadable', name, { why: 'damaged', format: formatName(name, undefined) }));
  }
  const date1904 = wb.Workbook?.WBProps?.date1904 === true;
  const props = wb.Workbook?.Sheets ?? [];
  const sheets: SheetGrid[] = [];
  let cells = 0;
  for (let k = 0; k < wb.SheetNames.length; k++) {
    const sheetName = wb.SheetNames[k]!;
    const ws = wb.Sheets[sheetName] as SheetJS.WorkSheet | undefined;
    const data = (ws?.['!data'] ?? []) as (SheetJS.CellObject | undefined)[][];
    const cellsOf = new SheetCells();
    if (data.length > MAX_ROWS) return fail({ code: 'sheet.beyond_grid', severity: 'error', file: name, sheet: sheetName, params: { file: name, sheet: sheetName, cell: `A${data.length}` } });
    // Rows SheetJS left empty are holes: only the rows that hold cells are visited.
    for (const key in data) {
      const r = Number(key);
      const src = data[r];
      if (!Number.isInteger(r) || src === undefined) continue;
      if (src.length > MAX_COLS) return fail({ code: 'sheet.beyond_grid', severity: 'error', file: name, sheet: sheetName, params: { file: name, sheet: sheetName, cell: XLSX.utils.encode_cell({ r, c: src.length - 1 }) } });
      for (let c = 0; c < src.length; c++) {
        const cell = src[c];
        if (cell === undefined) continue;
        const v = cellValue(cell, date1904, text);
        const f = typeof cell.f === 'string' && cell.f !== '' ? `=${cell.f}` : null;
        if (v === undefined && f === null) continue;
        if (++cells > MAX_CELLS) return fail(fileIssue('file.too_large', name, { what: 'cells', limit: MAX_CELLS, sheet: sheetName }));
        const z = typeof cell.z === 'string' && cell.z !== 'General' ? cell.z : cell.t === 'd' ? 'yyyy-mm-dd' : null;
        cellsOf.add(r, c, v ?? null, f, z);
      }
    }
    const merges: MergeRange[] = ((ws?.['!merges'] ?? []) as SheetJS.Range[]).map((m) => ({ r0: m.s.r, c0: m.s.c, r1: m.e.r, c1: m.e.c }));
    const hidden = props[k]?.Hidden;
    sheets.push({
      ...cellsOf.sheet(sheetName),
      ...(merges.length > 0 ? { merges } : {}),
      ...(hidden === 1 || hidden === 2 ? { hidden: true } : {}),
    });
  }
  // Every workbook has a sheet: none at all is a file SheetJS could not make sense of, not an empty one.
  if (sheets.length === 0) return fail(fileIssue('file.unreadable', name, { why: 'damaged', format: formatName(name, undefined) }));
  if (!sheets.some(sheetHasCells)) return fail(fileIssue('file.empty', name));
  return { book: { source: name, sheets }, issues: [] };
}
