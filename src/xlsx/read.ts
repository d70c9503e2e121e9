/**
 * Reads an .xlsx file (bytes) into the core's plain grids: each worksheet's values (a formula's
 * cached result), formulas, number formats where they are not General, and merged ranges.
 * Written for files from Excel, WPS and LibreOffice: namespace prefixes, cells and rows without
 * `r` attributes, inline strings, shared formulas. Bad files become one `Issue`, never a throw.
 */
import { inflateSync, unzipSync } from 'fflate';
import type { CellValue, FarCell, MergeRange, SheetGrid, WorkbookGrid } from '../core/grid';
import { cellAddress, parseCellAddress, sheetHasCells, SHEET_COLUMNS, SHEET_ROWS } from '../core/grid';
import { issueOf } from '../core/issues';
import type { Issue, IssueParams } from '../core/types';
import { BUILTIN_NUMBER_FORMATS, isDateFormat, isGeneralFormat, showsCalendarDate } from './formats';
import { shiftFormula } from './formula';
import { farCell, isFar } from './sparse';
import { openZip, ZIP_LIMITS, ZipProblem, type Inflate, type ZipArchive } from './unzip';
import { attributes, findElement, isNameEnd, newTag, nextTag, owned, readText, tagEnd, unescapeOoxml, type Tag } from './xml';

// Characters the fast paths for plain cells, rows and strings look for: `<`, `c`, `v`, `r`, `/`, `>`.
const LT = 60;
const C = 99;
const V = 118;
const R = 114;
const SLASH = 47;
const GT = 62;

/** Options for {@link readXlsx}. */
export interface ReadXlsxOptions {
  /** A faster inflate than fflate's, where the host has one (Node's zlib); fflate reads what it cannot. */
  readonly inflate?: Inflate;
  /** A faster CRC-32 than this module's, where the host has one (Node's zlib). */
  readonly crc32?: (bytes: Uint8Array) => number;
}

/** What reading one file gives: the workbook, or the one issue that stopped it. */
export type ReadXlsxResult = { readonly book: WorkbookGrid } | { readonly issue: Issue };

/** The kinds of file a leading byte signature tells apart (`biff`: an Excel 2.x–4.0 worksheet, a bare BIFF stream). */
export type FileKind = 'zip' | 'cfb' | 'biff' | 'html' | 'xml' | 'pdf' | 'unknown';

/** Tells a file's kind from its first bytes (zip for .xlsx, CFB/OLE for .xls and encrypted .xlsx). */
export function sniffBytes(bytes: Uint8Array): FileKind {
  const b0 = bytes[0];
  const b1 = bytes[1];
  if (b0 === 0x50 && b1 === 0x4b && (bytes[2] === 3 || bytes[2] === 5 || bytes[2] === 7)) return 'zip';
  if (b0 === 0xd0 && b1 === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) return 'cfb';
  if (b0 === 0x25 && b1 === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46) return 'pdf';
  // A BOF record first: 0x0009 (BIFF2), 0x0209 (BIFF3), 0x0409 (BIFF4), 0x0809 (BIFF5/8 outside a compound file), and a short length.
  if (b0 === 0x09 && (b1 === 0 || b1 === 2 || b1 === 4 || b1 === 8) && bytes[3] === 0 && bytes[2]! >= 4 && bytes[2]! <= 20) return 'biff';
  const head = latinHead(bytes, 512).toLowerCase();
  if (/^\s*(<!doctype html|<html|<table|<meta|<head)/.test(head) || head.includes('<html')) return 'html';
  if (/^\s*<\?xml/.test(head)) return 'xml';
  return 'unknown';
}

/** The first bytes as Latin-1 text, skipping a UTF-8 BOM, for signature checks. */
function latinHead(bytes: Uint8Array, max: number): string {
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  let s = '';
  for (let i = start; i < Math.min(bytes.length, start + max); i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

/** True when a CFB (OLE) container holds an `EncryptionInfo` or `EncryptedPackage` stream: a password-protected .xlsx. */
export function isEncryptedPackage(bytes: Uint8Array): boolean {
  // Directory entry names are UTF-16LE; "Encrypt" is common to both streams.
  const pat = [0x45, 0, 0x6e, 0, 0x63, 0, 0x72, 0, 0x79, 0, 0x70, 0, 0x74, 0];
  const last = bytes.length - pat.length;
  outer: for (let i = 0; i <= last; i++) {
    if (bytes[i] !== 0x45) continue;
    for (let k = 1; k < pat.length; k++) if (bytes[i + k] !== pat[k]) continue outer;
    return true;
  }
  return false;
}

/** An issue about a whole file. */
export function fileIssue<C extends FileIssueCode>(code: C, source: string | undefined, params?: IssueParams<C>): Issue {
  return issueOf<C>({
    code,
    severity: 'error',
    ...(source !== undefined ? { file: source } : {}),
    params: { ...params, file: source ?? '' },
  });
}

/** The codes of issues about a whole file. */
type FileIssueCode = 'file.unreadable' | 'file.encrypted' | 'file.unsupported_format' | 'file.empty' | 'file.too_large';

/** The issue for a CFB/OLE file: a password-protected .xlsx, or an old binary workbook (.xls, .et). */
export function cfbIssue(bytes: Uint8Array, source: string | undefined): Issue {
  if (isEncryptedPackage(bytes)) return fileIssue('file.encrypted', source);
  const ext = /\.([a-z0-9]+)$/i.exec(source ?? '')?.[1]?.toLowerCase();
  return fileIssue('file.unsupported_format', source, { format: ext === 'et' ? 'et' : 'xls', saveAs: '.xlsx' });
}

const utf8 = new TextDecoder('utf-8');

/**
 * A part's text: UTF-8 unless it starts with a UTF-16 byte-order mark, its line ends made LF as XML
 * reads them (XML 1.0 §2.11: CR LF and a lone CR are LF; a CR written `&#13;` or `_x000D_` stays).
 */
function decodePart(bytes: Uint8Array): string {
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder('utf-16le').decode(bytes);
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = new TextDecoder('utf-16be').decode(bytes);
  else text = utf8.decode(bytes);
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/**
 * A zip entry's name as a part name is compared (OPC, ECMA-376 Part 2 §6.2.2.3, §9.1.1): `/` between
 * segments (some writers use `\\`), no leading `/`, case ignored.
 */
function normPath(p: string): string {
  let s = p.replace(/\\/g, '/');
  while (s.startsWith('/')) s = s.slice(1);
  return s.toLowerCase();
}

/**
 * Entries the fallback unzip inflates, not knowing the relationships yet: relationships and XML parts
 * other than those no reading needs (drawings, charts, themes, comments, printer settings).
 */
function wanted(name: string): boolean {
  const n = normPath(name);
  if (n.endsWith('.rels')) return true;
  if (!n.endsWith('.xml')) return false;
  return !/^(?:.*\/)?(?:drawings|charts|theme|media|printersettings|pivotcache|pivottables|externallinks|customxml|docprops)\//.test(n) && !/comments\d*\.xml$/.test(n);
}

/** Resolves a relationship target against the folder of the part that owns the .rels. */
export function resolveTarget(baseDir: string, target: string): string {
  const t = target.replace(/\\/g, '/');
  const parts = (t.startsWith('/') ? t.slice(1) : baseDir + t).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.' && p !== '') out.push(p);
  }
  return out.join('/');
}

interface Rel {
  readonly type: string;
  readonly target: string;
  readonly external: boolean;
}

function readRels(xml: string | undefined): ReadonlyMap<string, Rel> {
  const out = new Map<string, Rel>();
  if (xml === undefined) return out;
  const tag = newTag();
  let i = 0;
  while (nextTag(xml, i, tag)) {
    i = tag.end;
    if (tag.close || tag.name !== 'Relationship') continue;
    const a = attributes(xml, tag.attrStart);
    if (a['Id'] === undefined || a['Target'] === undefined) continue;
    out.set(a['Id'], { type: a['Type'] ?? '', target: a['Target'], external: a['TargetMode'] === 'External' });
  }
  return out;
}

/** The relationships part of a part: `xl/_rels/workbook.xml.rels` for `xl/workbook.xml`. */
export function relsPathFor(part: string): string {
  const slash = part.lastIndexOf('/');
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
}

/** The folder of a part, with its trailing slash (empty at the package's root). */
export function dirOf(part: string): string {
  return part.slice(0, part.lastIndexOf('/') + 1);
}

// ───────────────────────────── shared strings ─────────────────────────────

/** The shared-string table: each `<si>` (`<sstItem>` in Excel 2007 beta files) is the concatenation of its `<t>` runs, phonetic runs left out. */
export function readSharedStrings(xml: string): string[] {
  const out: string[] = [];
  const tag = newTag();
  let i = 0;
  let cur = '';
  let inSi = false;
  let phonetic = 0;
  for (;;) {
    // Most strings are `<si><t>text</t></si>` with plain text: taken without the general scanner.
    if (!inSi && xml.charCodeAt(i) === LT && xml.startsWith('<si><t', i)) {
      let from = i + 6;
      if (xml.charCodeAt(from) === GT) from++;
      else if (xml.startsWith(' xml:space="preserve">', from)) from += 22;
      else from = -1;
      const lt = from < 0 ? -1 : xml.indexOf('<', from);
      if (lt >= 0 && xml.startsWith('</t></si>', lt)) {
        const text = xml.slice(from, lt);
        if (text.indexOf('&') < 0 && text.indexOf('_x') < 0) {
          out.push(owned(text));
          i = lt + 9;
          continue;
        }
      }
    }
    if (!nextTag(xml, i, tag)) break;
    i = tag.end;
    const name = tag.name;
    if (name === 't') {
      if (tag.close || tag.empty || !inSi || phonetic > 0) continue;
      const t = readText(xml, i);
      cur += t.text;
      i = t.end;
    } else if (name === 'si' || name === 'sstItem') {
      if (tag.close) {
        out.push(owned(unescapeOoxml(cur)));
        inSi = false;
      } else if (tag.empty) {
        out.push('');
      } else {
        inSi = true;
        cur = '';
      }
    } else if (name === 'rPh') {
      if (tag.empty) continue;
      phonetic += tag.close ? -1 : 1;
    }
  }
  return out;
}

// ───────────────────────────── styles ─────────────────────────────

interface Styles {
  /** Number format code by cellXfs index, null for General. */
  readonly formats: readonly (string | null)[];
  /** Whether the format shows a calendar date (not only a time or a duration): its serial follows the date system. */
  readonly calendar: readonly boolean[];
  readonly any: boolean;
}

const NO_STYLES: Styles = { formats: [], calendar: [], any: false };

/** Number format of each cell style (`cellXfs`), through `numFmtId` to a built-in or custom code. */
function readStyles(xml: string | undefined): Styles {
  if (xml === undefined) return NO_STYLES;
  const custom = new Map<number, string>();
  const tag = newTag();
  const nf = findElement(xml, 'numFmts');
  if (nf >= 0) {
    let i = nf;
    while (nextTag(xml, i, tag)) {
      i = tag.end;
      if (tag.name === 'numFmts' && (tag.close || tag.empty)) break;
      if (tag.name !== 'numFmt' || tag.close) continue;
      const a = attributes(xml, tag.attrStart);
      const id = Number(a['numFmtId']);
      if (Number.isInteger(id) && a['formatCode'] !== undefined) custom.set(id, a['formatCode']);
    }
  }
  const formats: (string | null)[] = [];
  const calendar: boolean[] = [];
  let any = false;
  const xfs = findElement(xml, 'cellXfs');
  if (xfs >= 0) {
    let i = xfs;
    let first = true;
    while (nextTag(xml, i, tag)) {
      i = tag.end;
      if (first) {
        first = false;
        if (tag.empty) break;
        continue;
      }
      if (tag.name === 'cellXfs' && tag.close) break;
      if (tag.name !== 'xf' || tag.close) continue;
      const id = Number(attributes(xml, tag.attrStart)['numFmtId'] ?? 0);
      const code = custom.get(id) ?? BUILTIN_NUMBER_FORMATS[id] ?? null;
      const fmt = code === null || isGeneralFormat(code) ? null : code;
      if (fmt !== null) any = true;
      formats.push(fmt);
      calendar.push(fmt !== null && showsCalendarDate(fmt));
    }
  }
  return { formats, calendar, any };
}

// ───────────────────────────── workbook ─────────────────────────────

interface SheetEntry {
  readonly name: string;
  readonly path: string | undefined;
  readonly hidden: boolean;
}

function readWorkbookXml(xml: string): { readonly sheets: readonly { readonly name: string; readonly rid: string | undefined; readonly sheetId: string | undefined; readonly hidden: boolean }[]; readonly date1904: boolean } {
  const sheets: { name: string; rid: string | undefined; sheetId: string | undefined; hidden: boolean }[] = [];
  let date1904 = false;
  const tag = newTag();
  let i = 0;
  while (nextTag(xml, i, tag)) {
    i = tag.end;
    if (tag.close) continue;
    if (tag.name === 'workbookPr') {
      const v = attributes(xml, tag.attrStart)['date1904'];
      date1904 = v === '1' || v === 'true';
    } else if (tag.name === 'sheet') {
      const a = attributes(xml, tag.attrStart);
      const state = a['state'];
      if (a['name'] !== undefined) sheets.push({ name: unescapeOoxml(a['name']), rid: a['id'], sheetId: a['sheetId'], hidden: state === 'hidden' || state === 'veryHidden' });
    } else if (tag.name === 'definedNames' || tag.name === 'calcPr') {
      // Everything needed comes before these.
      if (sheets.length > 0) break;
    }
  }
  return { sheets, date1904 };
}

// ───────────────────────────── worksheet ─────────────────────────────

/** Where the letters read by the last {@link refCol} ended (the hot loop takes no object per cell). */
let refEnd = 0;

/** Zero-based column of the letters in `s` from `i` (-1 when there are none); sets {@link refEnd}. */
function refCol(s: string, i: number, end: number): number {
  let col = 0;
  let k = i;
  while (k < end) {
    let c = s.charCodeAt(k);
    if (c === 36) {
      k++;
      continue;
    }
    c |= 32;
    if (c < 97 || c > 122) break;
    col = col * 26 + (c - 96);
    k++;
  }
  refEnd = k;
  return col - 1;
}

/** True when `s` has an `&` (an entity to decode) between `i` and `end`. */
function hasAmpersand(s: string, i: number, end: number): boolean {
  for (let k = i; k < end; k++) if (s.charCodeAt(k) === 38) return true;
  return false;
}

/** True when `s` holds only the digits 0–9 from `i` to `end`. */
function digitsOnly(s: string, i: number, end: number): boolean {
  for (let k = i; k < end; k++) {
    const c = s.charCodeAt(k);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function parseIntAt(s: string, i: number, end: number): number {
  let n = 0;
  let seen = false;
  for (let k = i; k < end; k++) {
    const c = s.charCodeAt(k);
    if (c === 36) continue;
    if (c < 48 || c > 57) break;
    n = n * 10 + (c - 48);
    seen = true;
  }
  return seen ? n : -1;
}

const ISO_TIME = /^T?(\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?$/;

/** Excel serial day (1900 system) of an ISO 8601 date-time, as `t="d"` cells hold; a time alone is a fraction of a day. */
function isoToSerial(text: string): number | null {
  const time = ISO_TIME.exec(text.trim());
  if (time !== null) {
    const h = Number(time[1]);
    const m = Number(time[2]);
    const sec = time[3] === undefined ? 0 : Number(time[3]);
    return h <= 24 && m < 60 && sec < 61 ? (h * 3600 + m * 60 + sec) / 86_400 : null;
  }
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) || !text.includes('T') ? text : `${text}Z`);
  if (Number.isNaN(ms)) return null;
  const serial = ms / 86_400_000 + 25_569;
  // Excel's phantom 29 Feb 1900: serials before 1 Mar 1900 are one less.
  return serial < 61 ? serial - 1 : serial;
}

interface SheetContext {
  /** The shared strings; null when the package has no such part. */
  readonly sst: readonly string[] | null;
  /** Where the shared strings were looked for, for the message when a cell names one that is not there. */
  readonly sstPart?: string;
  readonly styles: Styles;
  readonly date1904: boolean;
  /** Cells read so far in this workbook, against {@link MAX_CELLS}. */
  readonly cells?: { count: number };
}

/** Cells with content one school workbook may hold: a form has hundreds; a million is no school sheet. */
export const MAX_CELLS = 1_000_000;

/** One empty row shared by every row a sheet skips, so memory does not grow with the address of the last cell. */
const EMPTY_ROW: CellValue[] = Object.freeze([]) as unknown as CellValue[];

const NULL_ROWS: (string | null)[][] = [];

/** A shared, frozen row of `width` nulls: the formulas or formats of a row that has none. */
function nullRow(width: number): (string | null)[] {
  if (width === 0) return EMPTY_ROW as (string | null)[];
  if (width > 256) return new Array<string | null>(width).fill(null);
  return (NULL_ROWS[width] ??= Object.freeze(new Array<string | null>(width).fill(null)) as (string | null)[]);
}

// The row being read is built here, then stored exactly as long as its cells (a row grown cell by cell
// would keep room for a dozen more, which a kept book carries to the end of the run). Reading is
// synchronous: one set serves every sheet.
const ROW_VALUES: CellValue[] = [];
const ROW_FORMULAS: (string | null)[] = [];
const ROW_FORMATS: (string | null)[] = [];

/**
 * Stores `row` of a grid: rows skipped on the way are the shared empty row, pushed so the array stays
 * dense (an array written at index 1,048,575 first would turn into a dictionary that costs a hundred
 * megabytes to fill).
 */
function storeRow<T>(grid: T[][], row: number, cells: T[]): void {
  while (grid.length < row) grid.push(EMPTY_ROW as unknown as T[]);
  grid[row] = cells;
}

/** A sheet that names a cell beyond Excel's grid, or a workbook with more cells than any school sheet. */
export class SheetLimitError extends Error {
  override readonly name = 'SheetLimitError';
  constructor(
    readonly kind: 'beyond_grid' | 'cells',
    readonly sheet: string,
    readonly cell?: string,
  ) {
    super(`${kind} at ${sheet}${cell !== undefined ? `!${cell}` : ''}`);
  }

  /** The located issue for the file. */
  issue(source: string | undefined): Issue {
    if (this.kind === 'cells') return fileIssue('file.too_large', source, { what: 'cells', limit: MAX_CELLS, sheet: this.sheet });
    return {
      code: 'sheet.beyond_grid',
      severity: 'error',
      ...(source !== undefined ? { file: source } : {}),
      sheet: this.sheet,
      params: { file: source ?? '', sheet: this.sheet, cell: this.cell ?? '' },
    };
  }
}

/**
 * A part the workbook needs is missing or does not hold what a cell refers to (a text cell with no
 * shared-strings part): the file is damaged, and reading it on would show its texts as blanks.
 */
export class DamagedPartError extends Error {
  override readonly name = 'DamagedPartError';
  constructor(
    readonly part: string,
    readonly sheet: string,
    readonly cell: string,
  ) {
    super(`${part} needed at ${sheet}!${cell}`);
  }

  /** The located issue for the file. */
  issue(source: string | undefined): Issue {
    return {
      code: 'file.unreadable',
      severity: 'error',
      ...(source !== undefined ? { file: source } : {}),
      sheet: this.sheet,
      cell: this.cell,
      params: { file: source ?? '', why: 'missing_strings', part: this.part },
    };
  }
}

/** A shared string that is not there: throws {@link DamagedPartError}. */
function missingString(ctx: SheetContext, sheet: string, row: number, col: number): never {
  throw new DamagedPartError(ctx.sstPart ?? 'xl/sharedStrings.xml', sheet, cellAddress(row, col));
}

/** The zero-based row a `<row>` tag starts, its `r` read from `s` between `start` and `end` (-1: none, the row after `last`). */
function startRow(sheet: string, s: string, start: number, end: number, last: number): number {
  const r = start < 0 ? -1 : parseIntAt(s, start, end);
  const row = r > 0 ? r - 1 : last + 1;
  if (row >= SHEET_ROWS) throw new SheetLimitError('beyond_grid', sheet, start < 0 ? `${row + 1}` : s.slice(start, end));
  return row;
}

/** Reads one worksheet part into a grid. */
export function readWorksheet(name: string, xml: string, ctx: SheetContext): SheetGrid {
  const values: CellValue[][] = [];
  let formulas: (string | null)[][] | null = null;
  let formats: (string | null)[][] | null = null;
  const shared = new Map<string, { row: number; col: number; text: string }>();
  const { sst, styles, date1904 } = ctx;
  const fmtByXf = styles.formats;
  const tag: Tag = newTag();
  // The row being built (see ROW_VALUES): its index, width, and whether any cell has a formula or a format.
  let open = -1;
  let width = 0;
  let anyFormula = false;
  let anyFormat = false;
  // The widest row stored, and the cells beyond a gap (see FarCell): a sheet costs its cells, not its extent.
  let sheetWidth = 0;
  const far: FarCell[] = [];
  const closeRow = (): void => {
    if (open < 0) return;
    if (width > sheetWidth) sheetWidth = width;
    storeRow(values, open, ROW_VALUES.slice(0, width));
    if (anyFormula) storeRow((formulas ??= []), open, ROW_FORMULAS.slice(0, width));
    if (anyFormat) storeRow((formats ??= []), open, ROW_FORMATS.slice(0, width));
    open = -1;
  };
  // A cell of a row already stored (cells out of order) is written into that row where it is, in
  // constant time: a sheet written column by column costs no more than one written row by row.
  const writeStored = (row: CellValue[], r: number, c: number, value: CellValue, formula: string | null, fmt: string | null): void => {
    while (row.length < c) row.push(null);
    row[c] = value;
    if (row.length > sheetWidth) sheetWidth = row.length;
    if (formula !== null) {
      formulas ??= [];
      let fr = formulas[r];
      if (fr === undefined || fr === (EMPTY_ROW as unknown)) storeRow(formulas, r, (fr = []));
      while (fr.length < c) fr.push(null);
      fr[c] = owned(formula.charCodeAt(0) === 61 ? formula : `=${formula}`);
    }
    if (fmt !== null) {
      formats ??= [];
      let nr = formats[r];
      if (nr === undefined || nr === (EMPTY_ROW as unknown)) storeRow(formats, r, (nr = []));
      while (nr.length < c) nr.push(null);
      nr[c] = fmt;
    }
  };

  let i = findElement(xml, 'sheetData');
  if (i >= 0) {
    nextTag(xml, i, tag);
    i = tag.end;
    if (!tag.empty) {
      let row = -1;
      let col = -1;
      for (;;) {
        // A cell tag `<c …>` is read in one scan of its attributes; anything else goes through the general scanner.
        // So is a row tag `<row …>` (its `r` taken by the same scan), and `</row>` is stepped over.
        let empty: boolean;
        cellTagEnd = -1;
        if (xml.charCodeAt(i) === LT) {
          const c1 = xml.charCodeAt(i + 1);
          if (c1 === C && isNameEnd(xml.charCodeAt(i + 2))) cellAttrs(xml, i + 2);
          else if (c1 === R && xml.startsWith('row', i + 1) && isNameEnd(xml.charCodeAt(i + 4))) {
            cellAttrs(xml, i + 4);
            if (cellTagEnd >= 0) {
              i = cellTagEnd;
              row = startRow(name, xml, cellRStart, cellREnd, row);
              col = -1;
              continue;
            }
          } else if (c1 === SLASH && xml.startsWith('</row>', i)) {
            i += 6;
            continue;
          }
        }
        if (cellTagEnd >= 0) {
          i = cellTagEnd;
          empty = cellTagEmpty;
        } else {
          if (!nextTag(xml, i, tag)) break;
          i = tag.end;
          const tn = tag.name;
          if (tag.close) {
            if (tn === 'sheetData') break;
            continue;
          }
          if (tn === 'row') {
            const rAttr = attrValue(xml, tag.attrStart, 'r');
            row = rAttr === null ? startRow(name, '', -1, -1, row) : startRow(name, rAttr, 0, rAttr.length, row);
            col = -1;
            continue;
          }
          if (tn !== 'c') continue;
          cellAttrs(xml, tag.attrStart);
          empty = tag.empty;
        }
        // ── one cell ──
        if (cellRStart >= 0) {
          const c = refCol(xml, cellRStart, cellREnd);
          const r = parseIntAt(xml, refEnd, cellREnd);
          if (c >= 0) col = c;
          else col++;
          if (r > 0) row = r - 1;
        } else {
          col++;
        }
        if (row < 0) row = 0;
        if (row >= SHEET_ROWS || col >= SHEET_COLUMNS) throw new SheetLimitError('beyond_grid', name, cellRStart >= 0 ? xml.slice(cellRStart, cellREnd) : `R${row + 1}C${col + 1}`);
        if (empty) continue;
        const type = cellT;
        const styleIndex = cellS;
        let v: string | null = null;
        let inline: string | null = null;
        let formula: string | null = null;
        // A value read straight from the text (a shared string's index, a whole number), without slicing it out.
        let direct: CellValue | undefined;
        // Most cells are `<v>text</v></c>` with plain text: taken without the general scanner.
        let plain = false;
        if (xml.charCodeAt(i) === LT && xml.charCodeAt(i + 1) === V && xml.charCodeAt(i + 2) === GT) {
          const from = i + 3;
          const lt = xml.indexOf('<', from);
          if (lt >= 0 && xml.startsWith('</v></c>', lt) && !hasAmpersand(xml, from, lt)) {
            if (type === 's') {
              const idx = parseIntAt(xml, from, lt);
              direct = idx >= 0 ? (sst?.[idx] ?? missingString(ctx, name, row, col)) : null;
            } else if (type === 'n' && lt > from && lt - from <= 15 && digitsOnly(xml, from, lt)) {
              direct = parseIntAt(xml, from, lt);
            } else {
              v = xml.slice(from, lt);
            }
            i = lt + 8;
            plain = true;
          }
        }
        // children until </c>
        while (!plain && nextTag(xml, i, tag)) {
          i = tag.end;
          const cn = tag.name;
          if (tag.close) {
            if (cn === 'c') break;
            continue;
          }
          if (cn === 'v') {
            if (tag.empty) {
              v = '';
              continue;
            }
            const t = readText(xml, i);
            v = t.text;
            i = t.end;
          } else if (cn === 'f') {
            const fa = attributes(xml, tag.attrStart);
            let text: string | null = null;
            if (!tag.empty) {
              const t = readText(xml, i);
              i = t.end;
              text = t.text;
            }
            const ft = fa['t'];
            if (ft === 'shared' && fa['si'] !== undefined) {
              if (text !== null && text !== '') {
                shared.set(fa['si'], { row, col, text });
                formula = text;
              } else {
                const master = shared.get(fa['si']);
                formula = master ? shiftFormula(master.text, row - master.row, col - master.col) : null;
              }
            } else if (ft !== 'dataTable' && text !== null && text !== '') {
              formula = text;
            }
          } else if (cn === 'is') {
            inline = readInline(xml, i, tag);
            i = tag.end;
          }
        }
        let value: CellValue = direct ?? null;
        if (direct === undefined) switch (type) {
          case 's': {
            if (v !== null) {
              const idx = parseIntAt(v, 0, v.length);
              value = idx >= 0 ? (sst?.[idx] ?? missingString(ctx, name, row, col)) : null;
            }
            break;
          }
          case 'str':
            value = v === null ? null : owned(unescapeOoxml(v));
            break;
          case 'inlineStr':
            value = inline ?? (v === null ? null : unescapeOoxml(v));
            if (value !== null) value = owned(value);
            break;
          case 'b':
            value = v === null || v === '' ? null : v === '1' || v.toLowerCase() === 'true';
            break;
          case 'e':
            value = v === null || v === '' ? null : { error: v };
            break;
          case 'd':
            // An ISO date is absolute: it becomes a 1900-system serial whatever the workbook's date system.
            value = v === null || v === '' ? null : (isoToSerial(v) ?? v);
            break;
          default: {
            if (v !== null && v !== '') {
              const n = +v;
              value = Number.isNaN(n) ? v : n;
            } else if (inline !== null) {
              value = inline;
            }
          }
        }
        if (value === null && formula === null) continue;
        if (ctx.cells !== undefined && ++ctx.cells.count > MAX_CELLS) throw new SheetLimitError('cells', name);
        let fmt: string | null = null;
        if (styles.any && styleIndex > 0) {
          fmt = fmtByXf[styleIndex] ?? null;
          // A 1904 workbook counts its dates from 1904: moved to the 1900 system the core reads. Times and durations are not dates.
          if (fmt !== null && date1904 && typeof value === 'number' && type !== 'd' && styles.calendar[styleIndex]) value += 1462;
        }
        // A `t="d"` cell is a date whatever its style says: it keeps a date format, so the core knows it for one.
        if (type === 'd' && typeof value === 'number' && (fmt === null || !isDateFormat(fmt))) fmt = ISO_TIME.test((v ?? '').trim()) ? 'hh:mm:ss' : 'yyyy-mm-dd';
        if (isFar(row, col, Math.max(values.length, open + 1), Math.max(sheetWidth, row === open ? width : 0))) {
          far.push(farCell(row, col, value, formula, fmt));
          continue;
        }
        if (row !== open) {
          closeRow();
          const stored = values[row];
          if (stored !== undefined && stored !== EMPTY_ROW) {
            writeStored(stored, row, col, value, formula, fmt);
            continue;
          }
          open = row;
          width = 0;
          anyFormula = false;
          anyFormat = false;
        }
        for (; width <= col; width++) {
          ROW_VALUES[width] = null;
          ROW_FORMULAS[width] = null;
          ROW_FORMATS[width] = null;
        }
        ROW_VALUES[col] = value;
        if (formula !== null) {
          ROW_FORMULAS[col] = owned(formula.charCodeAt(0) === 61 ? formula : `=${formula}`);
          anyFormula = true;
        }
        if (fmt !== null) {
          ROW_FORMATS[col] = fmt;
          anyFormat = true;
        }
      }
    }
  }
  closeRow();
  // Far cells read before the rows that bring them near (a sheet written bottom first) join the rows.
  const kept: FarCell[] = [];
  if (far.length > 0) {
    far.sort((a, b) => a.row - b.row || a.col - b.col);
    for (const f of far) {
      if (isFar(f.row, f.col, values.length, sheetWidth)) {
        kept.push(f);
        continue;
      }
      let stored = values[f.row];
      if (stored === undefined || stored === EMPTY_ROW) storeRow(values, f.row, (stored = []));
      writeStored(stored, f.row, f.col, f.value, f.formula ?? null, f.numberFormat ?? null);
    }
  }

  const merges: MergeRange[] = [];
  const m0 = findElement(xml, 'mergeCells', Math.max(0, i));
  if (m0 >= 0 && nextTag(xml, m0, tag) && !tag.empty) {
    let k = tag.end;
    while (nextTag(xml, k, tag)) {
      k = tag.end;
      if (tag.close) {
        if (tag.name === 'mergeCells') break;
        continue;
      }
      if (tag.name !== 'mergeCell') continue;
      const ref = attrValue(xml, tag.attrStart, 'ref');
      if (ref === null) continue;
      const [a, b] = ref.split(':');
      const p = a === undefined ? null : parseCellAddress(a);
      const q = b === undefined ? p : parseCellAddress(b);
      if (p && q) merges.push({ r0: Math.min(p.row, q.row), c0: Math.min(p.col, q.col), r1: Math.max(p.row, q.row), c1: Math.max(p.col, q.col) });
    }
  }

  // Formulas and formats take the shape of the values, a row without any being a shared row of nulls.
  const shape = (grid: (string | null)[][]): (string | null)[][] => {
    const out: (string | null)[][] = new Array(values.length);
    for (let r = 0; r < values.length; r++) {
      const src = grid[r] === (EMPTY_ROW as unknown) ? undefined : grid[r];
      const w = values[r]!.length;
      if (src === undefined) out[r] = nullRow(w);
      else if (src.length === w) out[r] = src;
      else {
        const row: (string | null)[] = new Array(w);
        for (let c = 0; c < w; c++) row[c] = src[c] ?? null;
        out[r] = row;
      }
    }
    return out;
  };
  return {
    name,
    values,
    ...(formats !== null ? { numberFormats: shape(formats) } : {}),
    ...(formulas !== null ? { formulas: shape(formulas) } : {}),
    ...(merges.length > 0 ? { merges } : {}),
    ...(kept.length > 0 ? { far: kept } : {}),
  };
}

/** Text of an inline string `<is>` starting after its start tag; leaves `tag.end` after `</is>`. */
function readInline(xml: string, from: number, tag: Tag): string {
  let i = from;
  let text = '';
  let phonetic = 0;
  while (nextTag(xml, i, tag)) {
    i = tag.end;
    if (tag.name === 'is' && tag.close) break;
    if (tag.name === 'rPh' && !tag.empty) phonetic += tag.close ? -1 : 1;
    else if (tag.name === 't' && !tag.close && !tag.empty && phonetic === 0) {
      const t = readText(xml, i);
      text += t.text;
      i = t.end;
    }
  }
  tag.end = i;
  return unescapeOoxml(text);
}

// The hot path reads a cell's three attributes without building an object, and where its tag ends:
// just after its `>` (-1 when the tag is not one this scan can vouch for), and whether it was `/>`.
let cellRStart = -1;
let cellREnd = -1;
let cellT = '';
let cellS = 0;
let cellTagEnd = -1;
let cellTagEmpty = false;

function cellAttrs(s: string, start: number): void {
  cellRStart = -1;
  cellT = 'n';
  cellS = 0;
  cellTagEnd = -1;
  const n = s.length;
  let i = start;
  for (;;) {
    let c = s.charCodeAt(i);
    while (c === 32 || c === 9 || c === 10 || c === 13) c = s.charCodeAt(++i);
    if (c === 62) {
      cellTagEnd = i + 1;
      cellTagEmpty = false;
      return;
    }
    if (c === 47) {
      if (s.charCodeAt(i + 1) === 62) {
        cellTagEnd = i + 2;
        cellTagEmpty = true;
      }
      return;
    }
    if (i >= n) return;
    let local = i;
    let e = i;
    while (e < n) {
      const d = s.charCodeAt(e);
      if (d === 61 || d === 32 || d === 62 || d === 47 || d === 9 || d === 10 || d === 13) break;
      if (d === 58) local = e + 1;
      e++;
    }
    let q = e;
    while (q < n && s.charCodeAt(q) !== 34 && s.charCodeAt(q) !== 39) {
      if (s.charCodeAt(q) === 62) return;
      q++;
    }
    const quote = s[q] ?? '"';
    const close = s.indexOf(quote, q + 1);
    if (close < 0) return;
    if (e - local === 1) {
      const k = s.charCodeAt(local);
      if (k === 114) {
        cellRStart = q + 1;
        cellREnd = close;
      }
      else if (k === 116) cellT = s.slice(q + 1, close);
      else if (k === 115) cellS = parseIntAt(s, q + 1, close);
    }
    i = close + 1;
  }
}

/** One attribute's raw value by local name, without decoding entities (for `r` and `ref`). */
function attrValue(s: string, start: number, name: string): string | null {
  const end = tagEnd(s, start);
  let i = start;
  for (;;) {
    const at = s.indexOf(name, i);
    if (at < 0 || at >= end) return null;
    const before = s.charCodeAt(at - 1);
    const after = s.charCodeAt(at + name.length);
    if ((before === 32 || before === 9 || before === 10 || before === 13 || before === 58) && (after === 61 || after === 32)) {
      let q = at + name.length;
      while (q < end && s.charCodeAt(q) !== 34 && s.charCodeAt(q) !== 39) q++;
      const close = s.indexOf(s[q] ?? '"', q + 1);
      if (close < 0 || close >= end) return null;
      return s.slice(q + 1, close);
    }
    i = at + name.length;
  }
}

// ───────────────────────────── the package ─────────────────────────────

/**
 * Reads .xlsx (or .xlsm) bytes into a workbook grid. Gives one issue instead when the bytes are not
 * a readable workbook: not a zip (`file.unreadable`), a password-protected package
 * (`file.encrypted`), an .xls / .xlsb / .ods (`file.unsupported_format`), no sheets or no cells (`file.empty`).
 */
export function readXlsx(bytes: Uint8Array, source?: string, options: ReadXlsxOptions = {}): ReadXlsxResult {
  const kind = sniffBytes(bytes);
  if (kind === 'cfb') return { issue: cfbIssue(bytes, source) };
  if (kind !== 'zip') {
    if (bytes.length === 0) return { issue: fileIssue('file.empty', source) };
    return { issue: fileIssue('file.unreadable', source, { why: 'not_zip' }) };
  }
  try {
    const zip = openZip(bytes, options.inflate ?? fflateInflate, ZIP_LIMITS, options.crc32);
    if (zip !== null) return readUnzipped(zip, source);
  } catch (e) {
    if (e instanceof ZipProblem) return { issue: zipIssue(e, source) };
    throw e;
  }
  // An archive the directory reader does not know (ZIP64, encrypted entries): fflate reads it, parts
  // larger than the limit refused before they are inflated.
  let tooLarge: string | undefined;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        if (!wanted(f.name)) return false;
        if (f.originalSize > ZIP_LIMITS.part) tooLarge ??= f.name;
        return f.originalSize <= ZIP_LIMITS.part;
      },
    });
  } catch {
    return { issue: fileIssue('file.unreadable', source, { why: 'corrupt' }) };
  }
  if (tooLarge !== undefined) return { issue: zipIssue(new ZipProblem('part_too_large', tooLarge), source) };
  return readUnzipped({ names: Object.keys(files), read: (name) => files[name] }, source);
}

/** fflate's inflate into a buffer of `max` bytes: whatever does not fit is cut, and the caller sees the length. */
const fflateInflate: Inflate = (data, max) => inflateSync(data, { out: new Uint8Array(max) });

/** The issue for an archive the zip reader refused, in words the clerk can act on. */
export function zipIssue(p: ZipProblem, source: string | undefined): Issue {
  if (p.kind === 'part_too_large' || p.kind === 'total_too_large') {
    return fileIssue('file.too_large', source, { what: 'inflated', limit: Math.round((p.kind === 'part_too_large' ? ZIP_LIMITS.part : ZIP_LIMITS.total) / 1024 / 1024), ...(p.entry !== undefined ? { part: p.entry } : {}) });
  }
  return fileIssue('file.unreadable', source, { why: p.kind, ...(p.entry !== undefined ? { part: p.entry } : {}) });
}

function readUnzipped(zip: ZipArchive, source: string | undefined): ReadXlsxResult {
  try {
    return readPackage(zip, source);
  } catch (e) {
    if (e instanceof ZipProblem) return { issue: zipIssue(e, source) };
    if (e instanceof SheetLimitError || e instanceof DamagedPartError) return { issue: e.issue(source) };
    // A malformed part must not stop a batch: the file becomes an issue.
    return { issue: fileIssue('file.unreadable', source, { why: 'malformed', reason: e instanceof Error ? e.message : String(e) }) };
  }
}

// Copies of one template hold their relationships, workbook and styles parts byte for byte the same: a
// part whose stored (compressed) bytes equal the last file's is neither inflated nor parsed again, its
// reading taken from that file. Equal stored bytes inflate to equal text; the result is never changed.
const lastParts = new Map<string, { readonly method: number; readonly bytes: Uint8Array; readonly value: unknown }>();
const PART_KEPT_BYTES = 1 << 16;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function parsedOnce<T>(zip: ZipArchive, name: string | undefined, kind: string, parse: () => T): T {
  const packed = name === undefined ? undefined : zip.packed?.(name);
  if (packed === undefined || packed.bytes.length > PART_KEPT_BYTES) return parse();
  const last = lastParts.get(kind);
  if (last !== undefined && last.method === packed.method && sameBytes(last.bytes, packed.bytes)) return last.value as T;
  const value = parse();
  lastParts.set(kind, { method: packed.method, bytes: packed.bytes.slice(), value });
  return value;
}

function readPackage(zip: ZipArchive, source: string | undefined): ReadXlsxResult {
  // Every entry by its part name as OPC compares them; a part is inflated only when a relationship names it.
  const parts = new Map<string, string>();
  for (const k of zip.names) {
    const n = normPath(k);
    if (!parts.has(n)) parts.set(n, k);
  }
  const has = (path: string): boolean => parts.has(normPath(path));
  const text = (path: string): string | undefined => {
    const name = parts.get(normPath(path));
    const b = name === undefined ? undefined : zip.read(name);
    return b === undefined ? undefined : decodePart(b);
  };
  const once = <T>(kind: string, path: string, parse: (xml: string | undefined) => T): T => parsedOnce(zip, parts.get(normPath(path)), kind, () => parse(text(path)));

  // The workbook is the package's office document (its root relationship), wherever the producer put it.
  const rootRels = once('rootRels', '_rels/.rels', readRels);
  let wbPath: string | undefined;
  for (const r of rootRels.values()) {
    if (!r.external && r.type.endsWith('/officeDocument') && has(resolveTarget('', r.target))) wbPath = resolveTarget('', r.target);
  }
  if (wbPath === undefined && has('xl/workbook.xml')) wbPath = 'xl/workbook.xml';
  if (wbPath === undefined) {
    const names = [...parts.keys()];
    if (names.some((n) => n.endsWith('workbook.bin'))) return { issue: fileIssue('file.unsupported_format', source, { format: 'xlsb', saveAs: '.xlsx' }) };
    if (names.includes('mimetype') && names.includes('content.xml')) return { issue: fileIssue('file.unsupported_format', source, { format: 'ods', saveAs: '.xlsx' }) };
    return { issue: fileIssue('file.unreadable', source, { why: 'no_workbook' }) };
  }
  const wb = once('workbook', wbPath, (xml) => readWorkbookXml(xml!));
  const wbDir = dirOf(wbPath);
  const wbRels = once('workbookRels', relsPathFor(wbPath), readRels);

  let sstPath: string | undefined;
  let stylesPath: string | undefined;
  for (const r of wbRels.values()) {
    if (r.external) continue;
    if (r.type.endsWith('/sharedStrings')) sstPath = resolveTarget(wbDir, r.target);
    else if (r.type.endsWith('/styles')) stylesPath = resolveTarget(wbDir, r.target);
  }
  sstPath ??= `${wbDir}sharedStrings.xml`;
  const sstXml = text(sstPath);
  const sst = sstXml === undefined ? null : readSharedStrings(sstXml);
  const styles = once('styles', stylesPath ?? `${wbDir}styles.xml`, readStyles);

  const entries: SheetEntry[] = [];
  wb.sheets.forEach((s, index) => {
    const rel = s.rid === undefined ? undefined : wbRels.get(s.rid);
    if (rel && !rel.type.endsWith('/worksheet')) return; // chart sheets, dialog and macro sheets hold no cells
    const path = rel ? resolveTarget(wbDir, rel.target) : `${wbDir}worksheets/sheet${s.sheetId ?? index + 1}.xml`;
    entries.push({ name: s.name, path, hidden: s.hidden });
  });
  if (entries.length === 0) return { issue: fileIssue('file.empty', source) };

  const ctx: SheetContext = { sst, sstPart: sstPath, styles, date1904: wb.date1904, cells: { count: 0 } };
  const sheets: SheetGrid[] = [];
  for (const e of entries) {
    const xml = e.path === undefined ? undefined : text(e.path);
    const grid: SheetGrid = xml === undefined ? { name: e.name, values: [] } : readWorksheet(e.name, xml, ctx);
    sheets.push(e.hidden ? { ...grid, hidden: true } : grid);
  }
  if (!sheets.some(sheetHasCells)) return { issue: fileIssue('file.empty', source) };
  return { book: { ...(source !== undefined ? { source } : {}), sheets } };
}
