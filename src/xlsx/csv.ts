/**
 * CSV files (RFC 4180) as a one-sheet workbook. Bytes are decoded from UTF-8 or UTF-16 (by
 * byte-order mark), else from GB18030 — what Chinese Excel writes for "CSV" — when the runtime
 * has that decoder. Numbers are read as Excel would read them, except that text which Excel
 * would damage (codes with leading zeros, 1,234, 88%, full-width digits) stays text for the core.
 */
import { cellAddress, SHEET_COLUMNS, SHEET_ROWS, type CellValue, type WorkbookGrid } from '../core/grid';
import { safeSheetName } from '../workbook/names';
import { MAX_CELLS, SheetLimitError } from './read';
import { SheetCells } from './sparse';

/** Decoded text and the encoding used, or why the bytes could not be decoded. */
export type DecodedText = { readonly text: string; readonly encoding: string } | { readonly error: 'encoding' };

function tryDecode(label: string, bytes: Uint8Array, fatal: boolean): string | null {
  try {
    return new TextDecoder(label, { fatal }).decode(bytes);
  } catch {
    return null;
  }
}

/** Mostly zero bytes at odd (or even) positions: UTF-16 without a byte-order mark. */
function utf16Guess(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length, 2000) & ~1;
  if (n < 4) return null;
  let oddZeros = 0;
  let evenZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const half = n / 2;
  if (oddZeros > half * 0.4 && evenZeros < half * 0.05) return 'utf-16le';
  if (evenZeros > half * 0.4 && oddZeros < half * 0.05) return 'utf-16be';
  return null;
}

/** Decodes text file bytes: BOM first, then strict UTF-8, then GB18030. */
export function decodeTextBytes(bytes: Uint8Array): DecodedText {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: new TextDecoder('utf-8').decode(bytes), encoding: 'utf-8' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes), encoding: 'utf-16be' };
  const wide = utf16Guess(bytes);
  if (wide !== null) {
    const t = tryDecode(wide, bytes, true);
    if (t !== null) return { text: t, encoding: wide };
  }
  const u = tryDecode('utf-8', bytes, true);
  if (u !== null) return { text: u, encoding: 'utf-8' };
  const g = tryDecode('gb18030', bytes, true);
  if (g !== null) return { text: g, encoding: 'gb18030' };
  return { error: 'encoding' };
}

/** The delimiter of the first record: comma, tab or semicolon, whichever occurs most outside quotes. */
function detectDelimiter(text: string): string {
  const counts: Record<string, number> = { ',': 0, '\t': 0, ';': 0 };
  let quoted = false;
  for (let i = 0; i < text.length && i < 10_000; i++) {
    const ch = text[i]!;
    if (ch === '"') quoted = !quoted;
    else if (!quoted) {
      if (ch === '\n' || ch === '\r') break;
      if (ch in counts) counts[ch]!++;
    }
  }
  let best = ',';
  for (const d of ['\t', ';']) if (counts[d]! > counts[best]!) best = d;
  return best;
}

/** The record of an empty line, shared by all of them; never changed. */
const BLANK_LINE: readonly string[] = Object.freeze([]);

/**
 * Splits CSV text into records of fields (RFC 4180: quoted fields, doubled quotes, CRLF, LF or CR).
 * Bounded as a sheet is: a record beyond Excel's last row or a field beyond its last column throws a
 * {@link SheetLimitError} (`beyond_grid`) for `sheet`, more than {@link MAX_CELLS} non-empty fields
 * one of kind `cells`, while reading, before the records are all made.
 */
export function parseCsv(text: string, delimiter = detectDelimiter(text), sheet = 'Sheet1'): (readonly string[])[] {
  const rows: (readonly string[])[] = [];
  let cells = 0;
  const pushField = (): void => {
    if (field !== '' && ++cells > MAX_CELLS) throw new SheetLimitError('cells', sheet);
    if (row.length >= SHEET_COLUMNS) throw new SheetLimitError('beyond_grid', sheet, cellAddress(rows.length, row.length));
    row.push(field);
  };
  const pushRow = (): void => {
    if (rows.length >= SHEET_ROWS) throw new SheetLimitError('beyond_grid', sheet, `A${rows.length + 1}`);
    // Every empty line is the one shared empty record: a file of blank lines costs no array per line.
    rows.push(row.length === 1 && row[0] === '' ? BLANK_LINE : row);
  };
  let row: string[] = [];
  let field = '';
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  const d = delimiter.charCodeAt(0);
  let quoted = false;
  let any = false;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (quoted) {
      if (c === 34) {
        if (text.charCodeAt(i + 1) === 34) {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      const q = text.indexOf('"', i);
      const stop = q < 0 ? n : q;
      field += text.slice(i, stop);
      i = stop;
      continue;
    }
    if (c === 34 && field === '') {
      quoted = true;
      any = true;
      i++;
    } else if (c === d) {
      pushField();
      field = '';
      any = true;
      i++;
    } else if (c === 10 || c === 13) {
      pushField();
      pushRow();
      row = [];
      field = '';
      any = false;
      i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
    } else {
      field += text[i];
      any = true;
      i++;
    }
  }
  if (any || field !== '' || row.length > 0) {
    pushField();
    pushRow();
  }
  return rows;
}

const PLAIN_NUMBER = /^[+-]?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$|^[+-]?0?\.\d+$/;

/** A CSV field as a cell: plain numbers become numbers, empty becomes blank, anything else stays text. */
export function csvCell(field: string): CellValue {
  if (field === '') return null;
  if (PLAIN_NUMBER.test(field)) {
    const n = Number(field);
    if (Number.isFinite(n)) return n;
  }
  return field;
}

/** The sheet name for a file: its base name without extension, made safe for Excel. */
export function sheetNameFor(fileName: string | undefined, fallback = 'Sheet1'): string {
  if (fileName === undefined || fileName === '') return fallback;
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return safeSheetName(dot > 0 ? base.slice(0, dot) : base, [], fallback);
}

/** Reads CSV text into a workbook with one sheet, named after the file when a name is given; throws {@link SheetLimitError} beyond the bounds of {@link parseCsv}. */
export function readCsv(text: string, name?: string): WorkbookGrid {
  const sheet = sheetNameFor(name);
  const records = parseCsv(text, undefined, sheet);
  // Blank lines take no row of their own, and a field far from the rest is kept as a far cell.
  const cells = new SheetCells();
  records.forEach((r, row) => {
    if (r === BLANK_LINE) return;
    r.forEach((field, col) => {
      const v = csvCell(field);
      if (v !== null) cells.add(row, col, v, null, null);
    });
  });
  return { ...(name !== undefined ? { source: name } : {}), sheets: [cells.sheet(sheet)], origin: 'text' };
}
