/**
 * One entry for any school or definitions file: decides by its leading bytes first (a renamed
 * file is still read for what it is), then by its extension, and hands it to the .xlsx or CSV
 * reader. Files Huizong cannot read become one issue with the format named, so the message can
 * tell the clerk what to do (open it and save as .xlsx).
 */
import { sheetHasCells, type WorkbookGrid } from '../core/grid';
import type { Issue } from '../core/types';
import { decodeTextBytes, readCsv } from './csv';
import { readWithSheetJS } from './guard';
import type { SheetJSModule } from './legacy';
import { cfbIssue, fileIssue, isEncryptedPackage, readXlsx, SheetLimitError, sniffBytes, type ReadXlsxOptions } from './read';

/** Options of {@link readWorkbookFileSync}. */
export interface ReadFileOptions extends ReadXlsxOptions {
  /** SheetJS, for .xls, .et, .ods, .xlsb and web-page or XML exports; without it those files are an issue saying how to re-save them. */
  readonly sheetjs?: () => SheetJSModule;
}

/** What reading a file gives: the workbook (null when unreadable) and the issues found on the way. */
export interface ReadFileResult {
  readonly book: WorkbookGrid | null;
  readonly issues: Issue[];
}

const TEXT_EXTENSIONS = new Set(['csv', 'txt', 'tsv']);
const UNSUPPORTED: Record<string, string> = { xls: 'xls', et: 'et', ods: 'ods', numbers: 'numbers', xlsb: 'xlsb', pdf: 'pdf', doc: 'doc', docx: 'docx', wps: 'wps' };

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  const slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
  return dot > slash ? name.slice(dot + 1).toLowerCase() : '';
}

/** Whether the file is one only SheetJS reads: a binary workbook, a web page or Excel 2003 XML, an .ods or .xlsb. */
export function needsSheetJS(bytes: Uint8Array, name: string): boolean {
  const kind = sniffBytes(bytes);
  if (kind === 'cfb') return !isEncryptedPackage(bytes);
  if (kind === 'html' || kind === 'biff') return true;
  if (kind === 'xml') return isSpreadsheet2003(bytes);
  if (kind === 'zip') {
    const ext = extensionOf(name);
    if (ext === 'ods' || ext === 'xlsb' || ext === 'ots') return true;
    return isOpenDocument(bytes, name);
  }
  return false;
}

/** Whether a zip is an OpenDocument spreadsheet: by its name, or, renamed, by its first entry, the uncompressed `mimetype`. */
function isOpenDocument(bytes: Uint8Array, name: string): boolean {
  const ext = extensionOf(name);
  if (ext === 'ods' || ext === 'ots') return true;
  return new TextDecoder('latin1').decode(bytes.subarray(30, 90)).startsWith('mimetypeapplication/vnd.oasis.opendocument.spreadsheet');
}

function isSpreadsheet2003(bytes: Uint8Array): boolean {
  const head = new TextDecoder('utf-8').decode(bytes.subarray(0, 4096));
  return head.includes('urn:schemas-microsoft-com:office:spreadsheet') || head.includes('progid="Excel.Sheet"');
}

/** Reads one file synchronously: .xlsx/.xlsm by content, .csv/.txt/.tsv as text, other workbooks by SheetJS when given; anything else an issue. */
export function readWorkbookFileSync(bytes: Uint8Array, name: string, options: ReadFileOptions = {}): ReadFileResult {
  const fail = (issue: Issue): ReadFileResult => ({ book: null, issues: [issue] });
  if (bytes.length === 0) return fail(fileIssue('file.empty', name));
  const ext = extensionOf(name);
  const kind = sniffBytes(bytes);
  if (options.sheetjs !== undefined && needsSheetJS(bytes, name)) return readWithSheetJS(bytes, name, kind === 'zip' || kind === 'cfb' ? kind : 'other', isOpenDocument(bytes, name), options.sheetjs(), options);
  if (kind === 'zip') {
    const r = readXlsx(bytes, name, options);
    return 'issue' in r ? fail(r.issue) : { book: r.book, issues: [] };
  }
  if (kind === 'cfb') return fail(cfbIssue(bytes, name));
  if (kind === 'biff') return fail(fileIssue('file.unsupported_format', name, { format: ext === 'et' ? 'et' : 'xls', saveAs: '.xlsx' }));
  if (kind === 'pdf') return fail(fileIssue('file.unsupported_format', name, { format: 'pdf', saveAs: '.xlsx' }));
  // Web pages saved with an .xls name are common exports of online reporting systems.
  if (kind === 'html') return fail(fileIssue('file.unsupported_format', name, { format: 'html', saveAs: '.xlsx' }));
  if (kind === 'xml') {
    return fail(isSpreadsheet2003(bytes) ? fileIssue('file.unsupported_format', name, { format: 'xml2003', saveAs: '.xlsx' }) : fileIssue('file.unreadable', name, { why: 'xml' }));
  }
  if (TEXT_EXTENSIONS.has(ext)) {
    const decoded = decodeTextBytes(bytes);
    if ('error' in decoded) return fail(fileIssue('file.unsupported_format', name, { format: 'csv_encoding', saveAs: '.xlsx' }));
    let book: WorkbookGrid;
    try {
      book = readCsv(decoded.text, name);
    } catch (e) {
      if (e instanceof SheetLimitError) return fail(e.issue(name));
      throw e;
    }
    if (!book.sheets.some(sheetHasCells)) return fail(fileIssue('file.empty', name));
    return { book, issues: [] };
  }
  // A few lines of text under a workbook's name (what a mail program leaves for a lost attachment) are no workbook of any format.
  if (isPlainText(bytes)) return fail(fileIssue('file.unreadable', name, { why: 'text' }));
  const unsupported = UNSUPPORTED[ext];
  if (unsupported !== undefined) return fail(fileIssue('file.unsupported_format', name, { format: unsupported, saveAs: '.xlsx' }));
  return fail(fileIssue('file.unreadable', name, { why: 'not_zip' }));
}

/** True when the bytes are text: they decode, and hold no control characters but tabs and line ends. */
function isPlainText(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 4096);
  const decoded = decodeTextBytes(head.length < bytes.length ? trimPartialChar(head) : head);
  if ('error' in decoded) return false;
  // eslint-disable-next-line no-control-regex
  return !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(decoded.text);
}

/** The head of a longer file without the UTF-8 or GB18030 character it may cut in two. */
function trimPartialChar(head: Uint8Array): Uint8Array {
  let end = head.length;
  while (end > 0 && end > head.length - 4 && head[end - 1]! >= 0x80) end--;
  return head.subarray(0, end);
}

/** Reads one school or definitions file by its bytes and name; bad files give issues, never a throw. SheetJS is loaded only for a file that needs it. */
export async function readWorkbookFile(bytes: Uint8Array, name: string): Promise<ReadFileResult> {
  if (!needsSheetJS(bytes, name)) return readWorkbookFileSync(bytes, name);
  const XLSX = (await import(/* webpackChunkName: "sheetjs" */ '@e965/xlsx')) as SheetJSModule;
  return readWorkbookFileSync(bytes, name, { sheetjs: () => XLSX });
}
