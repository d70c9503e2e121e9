/**
 * Names of the sheets and tables Huizong writes, and the rules Excel puts on them.
 */
import type { Lang } from '../core/types';

/** The sheets Huizong writes, in each language. */
export const SHEET_NAMES: Record<Lang, { readonly summary: string; readonly report: string; readonly completeness: string; readonly equity: string; readonly template: string; readonly chart: string }> = {
  'zh-CN': { summary: '全区汇总', report: '校验报告', completeness: '报送情况', equity: '均衡', template: '填报表', chart: '比率图表' },
  'en-US': { summary: 'District summary', report: 'Validation report', completeness: 'Completeness', equity: 'Balance', template: 'School form', chart: 'Rate charts' },
};

/** Longest sheet name Excel accepts. */
export const MAX_SHEET_NAME = 31;

const FORBIDDEN = /[[\]:*?/\\]/g;
// Control characters are not forbidden by Excel's rule text but break the file format.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/g;

/** Cuts `s` to at most `max` UTF-16 units without splitting a surrogate pair. */
function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max;
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return s.slice(0, end);
}

/**
 * A sheet name Excel accepts, made from any text: forbidden characters `[]:*?/\` become `_`,
 * leading and trailing apostrophes and spaces go, at most 31 characters, never empty nor
 * `History`, and unique (case-insensitively) among `taken` by a ` (2)`, ` (3)`… suffix.
 */
export function safeSheetName(name: string, taken: Iterable<string> = [], fallback = 'Sheet'): string {
  let base = name.replace(CONTROL, '').replace(FORBIDDEN, '_').trim().replace(/^'+|'+$/g, '').trim();
  if (base === '') base = fallback;
  if (base.toLowerCase() === 'history') base = `${base}_`;
  base = cut(base, MAX_SHEET_NAME);
  const used = new Set<string>();
  for (const t of taken) used.add(t.toLowerCase());
  if (!used.has(base.toLowerCase())) return base;
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    const candidate = `${cut(base, MAX_SHEET_NAME - suffix.length).replace(/'+$/, '')}${suffix}`;
    if (!used.has(candidate.toLowerCase())) return candidate;
  }
}

/** Safe, unique names for several sheets at once, in order; each also avoids the ones before it. */
export function safeSheetNames(names: readonly string[], taken: Iterable<string> = []): string[] {
  const used = [...taken];
  const out: string[] = [];
  for (const n of names) {
    const s = safeSheetName(n, used);
    used.push(s);
    out.push(s);
  }
  return out;
}

/** A sheet name as it appears in a formula: always single-quoted, inner quotes doubled: `'O''Brien'`. */
export function quoteSheetName(name: string): string {
  return `'${name.replace(/'/g, "''")}'`;
}

/** A reference to a cell or range on another sheet: `'0012345678'!D14`. */
export function sheetRef(sheet: string, address: string): string {
  return `${quoteSheetName(sheet)}!${address}`;
}

/** A string literal inside a formula: `"a""b"`. */
export function formulaString(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/** Names of the Excel tables Huizong creates (unique in the workbook, valid table names). */
export const TABLE_NAMES = {
  summary: 'HuizongSummary',
  report: 'HuizongReport',
  missing: 'HuizongMissing',
} as const;

/**
 * Header texts an Excel table accepts: non-empty and unique ignoring case. A repeat gets
 * ` 2`, ` 3`… appended (Excel would otherwise rename it on its own, differently per host).
 */
export function uniqueHeaders(headers: readonly string[]): string[] {
  const used = new Set<string>();
  return headers.map((h, i) => {
    let base = h.trim() === '' ? `Column${i + 1}` : h;
    if (base.length > 255) base = base.slice(0, 255);
    let candidate = base;
    for (let n = 2; used.has(candidate.toLowerCase()); n++) candidate = `${base} ${n}`;
    used.add(candidate.toLowerCase());
    return candidate;
  });
}
