/**
 * What the package writers share: XML escaping, the namespaces and content types of an .xlsx
 * package, built-in number format ids, and how a grid value is stored.
 */
import type { CellValue } from '../core/grid';
import { isCellError } from '../core/grid';
import { BUILTIN_NUMBER_FORMATS } from './formats';
import type { PrintPlan } from '../workbook/plan';

/** A plan or copy that no spreadsheet can hold (a bad sheet name, overlapping merges): a bug in the caller. */
export class XlsxPlanError extends Error {
  override name = 'XlsxPlanError';
}

// Built-in ids whose codes are the same in every locale (the reader's table gives their codes); any
// other code is written as a custom format.
const LOCALE_FREE_IDS = [0, 1, 2, 3, 4, 9, 10, 11, 12, 13, 45, 46, 47, 48, 49];

/** Built-in number format ids by code, for the codes every locale shows alike. */
export const BUILTIN_IDS = new Map<string, number>(LOCALE_FREE_IDS.map((id) => [BUILTIN_NUMBER_FORMATS[id]!, id]));

const ERRORS = new Set(['#N/A', '#REF!', '#NAME?', '#DIV/0!', '#NULL!', '#VALUE!', '#NUM!']);

// Escaped in text and attributes: & < > " '.
const SPECIAL = /[&<>"']/;

/**
 * Whether XML 1.0 cannot hold this UTF-16 unit (its Char production): controls other than tab, line
 * feed and carriage return, and the non-characters U+FFFE and U+FFFF, which a school's .xlsx may carry
 * escaped (`_xFFFE_`) and a UTF-8 CSV raw. DEL is dropped too. A lone surrogate is written as U+FFFD
 * by the UTF-8 encoder, which XML allows.
 */
function forbidden(c: number): boolean {
  return (c <= 31 && c !== 9 && c !== 10 && c !== 13) || c === 127 || c === 0xfffe || c === 0xffff;
}

/** Text escaped for XML content or a quoted attribute; characters XML 1.0 cannot hold (see {@link forbidden}) are dropped. */
export function xmlEscape(s: string): string {
  let i = 0;
  if (!SPECIAL.test(s)) {
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (forbidden(c)) break;
      i++;
    }
    if (i === s.length) return s;
  }
  let out = '';
  let last = 0;
  for (i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string;
    if (c === 38) rep = '&amp;';
    else if (c === 60) rep = '&lt;';
    else if (c === 62) rep = '&gt;';
    else if (c === 34) rep = '&quot;';
    else if (c === 39) rep = '&apos;';
    else if (forbidden(c)) rep = '';
    else continue;
    out += s.slice(last, i) + rep;
    last = i + 1;
  }
  return out + s.slice(last);
}

/** A `<t>` element, its spaces kept when they would otherwise be lost. */
export function tElement(s: string): string {
  return `<t${/^\s|\n|\s$/.test(s) ? ' xml:space="preserve"' : ''}>${xmlEscape(s)}</t>`;
}

/** A grid value as it can be stored; non-finite numbers cannot be and become blank. */
export function storable(v: CellValue | undefined): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (isCellError(v)) return { error: ERRORS.has(v.error) ? v.error : '#N/A' };
  return v;
}

export const NS = {
  main: 'http://schemas.openxmlformats.org/spreadsheetml/2006/main',
  rels: 'http://schemas.openxmlformats.org/package/2006/relationships',
  rel: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
} as const;

export const TYPES = {
  worksheet: 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml',
  comments: 'application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml',
  vml: 'application/vnd.openxmlformats-officedocument.vmlDrawing',
  sharedStrings: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml',
  workbook: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml',
  styles: 'application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml',
  table: 'application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml',
} as const;

export const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** A package's shared strings, each written once, numbered in the order they first appear. */
export class StringTable {
  private readonly index = new Map<string, number>();
  /** Strings in order of their index. */
  readonly list: string[] = [];
  /** Cells that refer to a string, for the table's `count`. */
  refs = 0;

  /** The index of `s`, added when new. */
  id(s: string): number {
    this.refs++;
    let k = this.index.get(s);
    if (k === undefined) {
      k = this.list.length;
      this.index.set(s, k);
      this.list.push(s);
    }
    return k;
  }
}

/**
 * One cell's XML: a value (text as a shared string, never a formula), or a formula (without its
 * `=`) with its cached result; `''` for a blank cell with the default look, which is left out.
 */
export function cellXml(ref: string, s: number, value: CellValue, formula: string | null, strings: StringTable): string {
  const sAttr = s === 0 ? '' : ` s="${s}"`;
  if (formula !== null) {
    const f = `<f>${xmlEscape(formula)}</f>`;
    if (value === null) return `<c r="${ref}"${sAttr}>${f}</c>`;
    if (typeof value === 'number') return `<c r="${ref}"${sAttr}>${f}<v>${value}</v></c>`;
    if (typeof value === 'string') return `<c r="${ref}"${sAttr} t="str">${f}<v>${xmlEscape(value)}</v></c>`;
    if (typeof value === 'boolean') return `<c r="${ref}"${sAttr} t="b">${f}<v>${value ? 1 : 0}</v></c>`;
    return `<c r="${ref}"${sAttr} t="e">${f}<v>${xmlEscape(value.error)}</v></c>`;
  }
  if (value === null) return s === 0 ? '' : `<c r="${ref}"${sAttr}/>`;
  if (typeof value === 'number') return `<c r="${ref}"${sAttr}><v>${value}</v></c>`;
  if (typeof value === 'string') return `<c r="${ref}"${sAttr} t="s"><v>${strings.id(value)}</v></c>`;
  if (typeof value === 'boolean') return `<c r="${ref}"${sAttr} t="b"><v>${value ? 1 : 0}</v></c>`;
  return `<c r="${ref}"${sAttr} t="e"><v>${xmlEscape(value.error)}</v></c>`;
}

/** Page margins in inches, header and footer inside them. */
export function pageMarginsXml(m: PrintPlan['margins']): string {
  const { left, right, top, bottom } = m ?? { left: 0.7, right: 0.7, top: 0.75, bottom: 0.75 };
  const inch = (n: number): string => String(Math.max(0, Math.min(5, Number.isFinite(n) ? n : 0.7)));
  const edge = (n: number): string => String(Math.max(0, Math.min(0.3, (Number.isFinite(n) ? n : 0.75) / 2)));
  return `<pageMargins left="${inch(left)}" right="${inch(right)}" top="${inch(top)}" bottom="${inch(bottom)}" header="${edge(top)}" footer="${edge(bottom)}"/>`;
}

/** A4 page setup: fitted to one page wide, or at a scale (100% when absent). */
export function pageSetupXml(pr: Pick<PrintPlan, 'landscape' | 'fitToWidth' | 'scale'>): string {
  const scale = pr.scale === undefined || !Number.isFinite(pr.scale) ? undefined : Math.round(Math.min(400, Math.max(10, pr.scale)));
  const size = pr.fitToWidth ? ' fitToWidth="1" fitToHeight="0"' : scale !== undefined ? ` scale="${scale}"` : '';
  return `<pageSetup paperSize="9" orientation="${pr.landscape ? 'landscape' : 'portrait'}"${size}/>`;
}
