/**
 * What SheetJS is given, checked first with the limits the .xlsx reader keeps: SheetJS reads whatever
 * it is handed, and a damaged or hostile file makes it loop, grow without end or read altered data.
 *
 * - A zip container (.ods, .xlsb) is opened by this adapter's own zip reader: the directory within
 *   the file, each part SheetJS reads inflated within 48 MB (96 MB in all), its length and CRC-32
 *   checked; parts SheetJS does not read are never inflated. SheetJS then gets those checked parts,
 *   packed again without compression, never the damaged original.
 * - Cells are counted before SheetJS makes them: an .ods row or cell repeated a million times, an
 *   .xlsb or .xls sheet of millions of cell records, is refused by the 1,000,000-cell limit.
 * - A binary .xls cell record shorter than its fields is damage, refused before SheetJS reads it.
 */
import { inflateSync, zipSync, type Zippable } from 'fflate';
import type { Issue } from '../core/types';
import { readLegacy, type LegacyResult, type SheetJSModule } from './legacy';
import { fileIssue, MAX_CELLS, sniffBytes, zipIssue, type ReadXlsxOptions } from './read';
import { openZip, ZIP_LIMITS, ZipProblem, type Inflate } from './unzip';

/** fflate's inflate into a buffer of `max` bytes: whatever does not fit is cut, and the zip reader sees the length. */
const fflateInflate: Inflate = (data, max) => inflateSync(data, { out: new Uint8Array(max) });

/** The parts SheetJS reads of an OpenDocument spreadsheet. */
const ODS_PARTS = new Set(['mimetype', 'content.xml', 'styles.xml', 'meta.xml', 'settings.xml', 'manifest.rdf', 'meta-inf/manifest.xml']);

/** Whether SheetJS reads this part of an .xlsb package: its XML, relationships and binary parts, not media, embedded files or macros. */
function xlsbPart(name: string): boolean {
  const n = name.toLowerCase();
  if (!/\.(xml|rels|bin)$/.test(n)) return false;
  return !/(^|\/)(media|embeddings|activex|printersettings)\//.test(n) && !n.endsWith('vbaproject.bin');
}

const tooManyCells = (name: string): Issue => fileIssue('file.too_large', name, { what: 'cells', limit: MAX_CELLS });
const damaged = (name: string): Issue => fileIssue('file.unreadable', name, { why: 'damaged' });
const corruptZip = (name: string): Issue => fileIssue('file.unreadable', name, { why: 'corrupt' });

/**
 * The parts of a zip container SheetJS needs, checked (bounds, lengths, CRC, cells) and packed again
 * uncompressed; or the one issue that says why the file is refused.
 */
export function checkedZip(bytes: Uint8Array, name: string, ods: boolean, options: ReadXlsxOptions = {}): { readonly bytes: Uint8Array } | { readonly issue: Issue } {
  const files: Zippable = {};
  try {
    const zip = openZip(bytes, options.inflate ?? fflateInflate, ZIP_LIMITS, options.crc32);
    // A container the zip reader does not know (ZIP64, zip encryption) is no spreadsheet program's.
    if (zip === null) return { issue: corruptZip(name) };
    let cells = 0;
    for (const part of zip.names) {
      if (part in files || !(ods ? ODS_PARTS.has(part.toLowerCase()) : xlsbPart(part))) continue;
      const data = zip.read(part)!;
      files[part] = [data, { level: 0 }];
      if (ods && part === 'content.xml') cells += odsCells(new TextDecoder('utf-8').decode(data));
      if (!ods && /worksheets\/[^/]+\.bin$/i.test(part)) {
        const n = xlsbCells(data);
        if (n === null) return { issue: damaged(name) };
        cells += n;
      }
      if (cells > MAX_CELLS) return { issue: tooManyCells(name) };
    }
  } catch (e) {
    if (e instanceof ZipProblem) return { issue: zipIssue(e, name) };
    throw e;
  }
  return { bytes: zipSync(files) };
}

const REPEAT = /number-(rows|columns)-repeated\s*=\s*["'](\d+)["']/g;

/**
 * The cells SheetJS would make of an .ods content.xml: every cell with content, times its row's and
 * its own repeats (empty cells, repeated or not, make none). Counted on the text, before any is made.
 */
export function odsCells(xml: string): number {
  const tag = /<(\/?)(?:[\w.-]+:)?(table-row|table-cell)\b([^>]*?)(\/?)>/g;
  let rowRepeat = 1;
  let total = 0;
  for (let m = tag.exec(xml); m !== null; m = tag.exec(xml)) {
    const [, close, kind, attrs, selfClosed] = m;
    if (close === '/') {
      if (kind === 'table-row') rowRepeat = 1;
      continue;
    }
    let rows = 1;
    let cols = 1;
    REPEAT.lastIndex = 0;
    for (let r = REPEAT.exec(attrs!); r !== null; r = REPEAT.exec(attrs!)) {
      if (r[1] === 'rows') rows = Number(r[2]);
      else cols = Number(r[2]);
    }
    if (kind === 'table-row') {
      rowRepeat = selfClosed === '/' ? 1 : Math.max(1, rows);
      continue;
    }
    // A cell closed in its own tag holds nothing SheetJS repeats (a string value is stored once).
    total += selfClosed === '/' ? (/value-type\s*=\s*["']string/.test(attrs!) ? 1 : 0) : rowRepeat * Math.max(1, cols);
    if (total > MAX_CELLS) return total;
  }
  return total;
}

/** The cell records of an .xlsb worksheet part (BIFF12: BrtCell* and BrtShort* records), or null when a record runs past the part's end. */
export function xlsbCells(bin: Uint8Array): number | null {
  let p = 0;
  let cells = 0;
  while (p < bin.length) {
    let type = 0;
    for (let k = 0; k < 2; k++) {
      const b = bin[p++];
      if (b === undefined) return null;
      type |= (b & 0x7f) << (7 * k);
      if ((b & 0x80) === 0) break;
    }
    let size = 0;
    for (let k = 0; k < 4; k++) {
      const b = bin[p++];
      if (b === undefined) return null;
      size += (b & 0x7f) * 2 ** (7 * k);
      if ((b & 0x80) === 0) break;
    }
    p += size;
    if (p > bin.length) return null;
    if (type >= 0x01 && type <= 0x13) cells++;
  }
  return cells;
}

/** BIFF5/8 cell records SheetJS stores, by type: the fewest bytes each holds. Blank cells are not stored and not counted. */
const BIFF_CELLS: ReadonlyMap<number, number> = new Map([
  [0x0203, 14], // NUMBER
  [0x00fd, 10], // LABELSST
  [0x027e, 10], // RK
  [0x00bd, 12], // MULRK (at least one cell)
  [0x0205, 8], // BOOLERR
  [0x0006, 20], // FORMULA
  [0x0204, 8], // LABEL
  [0x00d6, 8], // RSTRING
]);

/** The issue for a binary workbook's stream of records, when its cells are too many or a cell record is cut short; null when it may be read. */
export function biffIssue(stream: Uint8Array, name: string): Issue | null {
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  let cells = 0;
  for (let p = 0; p + 4 <= stream.length; ) {
    const type = view.getUint16(p, true);
    const len = view.getUint16(p + 2, true);
    const least = BIFF_CELLS.get(type);
    if (least !== undefined) {
      if (len < least || p + 4 + len > stream.length) return damaged(name);
      cells += type === 0x00bd ? Math.floor((len - 6) / 6) : 1;
      if (cells > MAX_CELLS) return tooManyCells(name);
    }
    p += 4 + len;
  }
  return null;
}

/** The workbook stream of a compound file, by SheetJS's own container reader (the cheap part of reading it); null when there is none. */
function workbookStream(bytes: Uint8Array, XLSX: SheetJSModule): Uint8Array | null {
  const cfb = XLSX.CFB as { read(data: Uint8Array, o: { type: 'array' }): unknown; find(c: unknown, path: string): { content?: ArrayLike<number> } | null };
  const container = cfb.read(bytes, { type: 'array' });
  const entry = cfb.find(container, '/Workbook') ?? cfb.find(container, '/Book');
  if (entry?.content === undefined) return null;
  return entry.content instanceof Uint8Array ? entry.content : Uint8Array.from(entry.content);
}

/** Reads a file SheetJS reads, after the checks above; a file that fails them is one issue and never reaches SheetJS. */
export function readWithSheetJS(bytes: Uint8Array, name: string, kind: 'zip' | 'cfb' | 'other', ods: boolean, XLSX: SheetJSModule, options: ReadXlsxOptions = {}): LegacyResult {
  if (kind === 'zip') {
    const checked = checkedZip(bytes, name, ods, options);
    if ('issue' in checked) return { book: null, issues: [checked.issue] };
    return readLegacy(checked.bytes, name, XLSX);
  }
  if (kind === 'cfb') {
    let stream: Uint8Array | null;
    try {
      stream = workbookStream(bytes, XLSX);
    } catch {
      return { book: null, issues: [damaged(name)] };
    }
    const issue = stream === null ? null : biffIssue(stream, name);
    if (issue !== null) return { book: null, issues: [issue] };
  }
  const read = readLegacy(bytes, name, XLSX);
  // A web page SheetJS found no table in is a web page, not a damaged workbook.
  const [issue] = read.issues;
  if (read.book === null && issue?.code === 'file.unreadable' && issue.params.why === 'damaged' && sniffBytes(bytes) === 'html') return { book: null, issues: [fileIssue('file.unreadable', name, { why: 'html' })] };
  return read;
}
