/**
 * Reading one cell as an indicator value: the many ways schools type numbers (full-width digits,
 * thousands separators, 万, units, percent signs, dashes for zero) are coerced and reported;
 * what cannot be read becomes a problem, never an exception.
 */
import { isCellError, type CellValue } from './grid';
import type { IndicatorType, IssueParams, Value } from './types';

/** What was done to turn the cell into a value. */
export type Coercion =
  | 'fullwidth'
  | 'thousands'
  | 'percent_sign'
  | 'wan_unit'
  | 'unit_stripped'
  | 'spaces'
  | 'dash_as_zero'
  | 'none_as_zero'
  | 'boolean'
  | 'text_number'
  | 'number_as_code';

/** A parsed cell: the value (`null` when missing or unreadable), the original text when anything was done, and any problem. */
export interface ParsedValue {
  value: Value;
  original?: string;
  coercions: Coercion[];
  problem?: ValueProblem;
}

type ValueProblemCode = 'value.formula_error' | 'value.date_for_number' | 'value.bad_thousands' | 'value.not_a_number' | 'value.code_as_number';

/** What is wrong with a cell's value, as the issue it becomes will say (the indicator's name is added there). */
export type ValueProblem = { readonly [C in ValueProblemCode]: { readonly code: C; readonly params: IssueParams<C> } }[ValueProblemCode];

const FULLWIDTH: Readonly<Record<string, string>> = {
  '，': ',', '．': '.', '％': '%', '﹪': '%', '－': '-', '＋': '+', '　': ' ', '／': '/', '＃': '#', '！': '!', '？': '?', '＄': '$', '￥': '¥', '−': '-',
};

/** Folds full-width digits, letters and number punctuation (０-９ ，．％ －) to ASCII. */
export function foldFullWidth(text: string): string {
  let out = '';
  for (const ch of text) {
    const mapped = FULLWIDTH[ch];
    if (mapped !== undefined) out += mapped;
    else {
      const code = ch.charCodeAt(0);
      // ０-９, Ａ-Ｚ, ａ-ｚ
      out += (code >= 0xff10 && code <= 0xff19) || (code >= 0xff21 && code <= 0xff3a) || (code >= 0xff41 && code <= 0xff5a) ? String.fromCharCode(code - 0xfee0) : ch;
    }
  }
  return out;
}

// A workbook uses a handful of number formats on thousands of cells: each is taken apart once.
const TOKENS = new Map<string, string>();
const TOKENS_KEPT = 4096;

/** The number format with quoted text, bracketed sections (`[Red]`, `[$-804]`) and escaped characters removed. */
function formatTokens(numberFormat: string): string {
  let t = TOKENS.get(numberFormat);
  if (t === undefined) {
    t = numberFormat.replace(/"[^"]*"/g, '').replace(/\[[^\]]*\]/g, '').replace(/[\\_*]./g, '');
    if (TOKENS.size >= TOKENS_KEPT) TOKENS.clear();
    TOKENS.set(numberFormat, t);
  }
  return t;
}

/** True when an Excel number format shows a date or time (`yyyy-mm-dd`, `yyyy"年"m"月"d"日"`, `h:mm`). */
export function isDateFormat(numberFormat: string | null | undefined): boolean {
  if (!numberFormat || /^general$/i.test(numberFormat.trim())) return false;
  return /[ydhs]/i.test(formatTokens(numberFormat));
}

/** True when an Excel number format shows the value as a percentage (`0%`, `0.00%`). */
export function isPercentFormat(numberFormat: string | null | undefined): boolean {
  return !!numberFormat && formatTokens(numberFormat).includes('%');
}

/** An Excel date serial (1900 date system) as an ISO date, e.g. 45413 → `2024-05-01`; `null` outside Excel's dates (0 to 9999-12-31). */
export function excelSerialToIsoDate(serial: number): string | null {
  if (!(serial >= 0 && serial < 2_958_466)) return null;
  const ms = Date.UTC(1899, 11, 30) + Math.round(serial * 86_400_000);
  return new Date(ms).toISOString().slice(0, 10);
}

const ERROR_TEXT = /^#(?:DIV\/0!|REF!|VALUE!|N\/A|NAME\?|NUM!|NULL!|SPILL!|CALC!|FIELD!|BLOCKED!|CONNECT!|BUSY!|UNKNOWN!|GETTING_DATA)$/i;
const DASHES = /^(?:[-‐‑‒–—―─━]+|\/+|\\)$/;
const NONE = new Set(['无', '没有', '暂无']);
const TRUE_TEXT = new Set(['true', '是', '有', '√', '✓', 'yes']);
const FALSE_TEXT = new Set(['false', '否', '×', '✗', 'no']);
const DATE_TEXT = /^(\d{4})(?:[-/.](\d{1,2})[-/.](\d{1,2})|年(\d{1,2})月(?:(\d{1,2})日?)?)$/;
/** Units schools append to figures; longest first so 平方米 is not read as 米. */
const UNITS = ['平方米', '人次', '平米', '万元', 'm²', 'm2', '㎡', '人', '名', '元', '个', '台', '册', '本', '所', '间', '套', '件', '次', '户', '班', '张', '米', '岁', '天', '元/生'].sort((a, b) => b.length - a.length);
const CURRENCY_PREFIX = /^[¥$€£]/;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
const GROUPED = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$/;

/** Multiplies a decimal string by 10^k exactly, so `1.2万` is 12000 rather than 12000.000000000002. */
function shiftDecimal(text: string, k: number): number {
  const [mant, exp] = text.toLowerCase().split('e');
  return Number(`${mant}e${Number(exp ?? 0) + k}`);
}

/** Removes the binary noise of a scaling, e.g. 0.0095 × 100 → 0.95 not 0.9500000000000001. */
function clean(n: number): number {
  return Number(n.toPrecision(15));
}

function problem(found: ValueProblem, original: string | undefined, coercions: Coercion[] = []): ParsedValue {
  return original === undefined ? { value: null, coercions, problem: found } : { value: null, original, coercions, problem: found };
}

function done(value: Value, original: string | undefined, coercions: Coercion[]): ParsedValue {
  return original === undefined || (coercions.length === 0 && String(value) === original) ? { value, coercions } : { value, original, coercions };
}

/** A code (学校标识码 and the like) stored as a number: digits without exponent, padded to a `0000000000` format's width. */
function numberAsCode(n: number, numberFormat: string | null | undefined): string {
  let text = Number.isInteger(n) && Math.abs(n) < 1e21 ? n.toFixed(0) : String(n);
  const zeros = numberFormat ? /^0+$/.exec(formatTokens(numberFormat).trim()) : null;
  if (zeros && n >= 0 && text.length < zeros[0].length) text = text.padStart(zeros[0].length, '0');
  return text;
}

function parseText(raw: string, type: IndicatorType): ParsedValue {
  const coercions: Coercion[] = [];
  let s = foldFullWidth(raw);
  if (s !== raw) coercions.push('fullwidth');
  const squeezed = s.replace(/[\s\u00a0\u200b\ufeff]+/gu, '');
  if (squeezed !== s) coercions.push('spaces');
  s = squeezed;
  if (s === '') return done(null, raw, coercions);
  if (ERROR_TEXT.test(s)) return problem({ code: 'value.formula_error', params: { error: s.toUpperCase() } }, raw, coercions);
  if (type === 'text') return done(raw.trim(), raw, []);
  if (type === 'code') return done(s, raw, coercions);

  if (DASHES.test(s)) return done(0, raw, [...coercions, 'dash_as_zero']);
  if (NONE.has(s)) return done(0, raw, [...coercions, 'none_as_zero']);
  const lower = s.toLowerCase();
  if ((type === 'integer' || type === 'decimal') && (TRUE_TEXT.has(lower) || FALSE_TEXT.has(lower))) {
    return done(TRUE_TEXT.has(lower) ? 1 : 0, raw, [...coercions, 'boolean']);
  }
  const date = DATE_TEXT.exec(s);
  if (date) {
    const [, y, m1, d1, m2, d2] = date;
    const month = (m1 ?? m2)!.padStart(2, '0');
    const day = d1 ?? d2;
    return problem({ code: 'value.date_for_number', params: { date: day ? `${y}-${month}-${day.padStart(2, '0')}` : `${y}-${month}`, original: raw } }, raw, coercions);
  }

  if (CURRENCY_PREFIX.test(s)) {
    s = s.slice(1);
    coercions.push('unit_stripped');
  }
  const unit = UNITS.find((u) => s.length > u.length && s.endsWith(u));
  if (unit) {
    s = s.slice(0, -unit.length);
    coercions.push('unit_stripped');
  }
  let exponent = unit === '万元' ? 4 : 0;
  if (s.length > 1 && (s.endsWith('万') || s.endsWith('亿'))) {
    exponent += s.endsWith('万') ? 4 : 8;
    s = s.slice(0, -1);
  }
  if (exponent > 0) coercions.push('wan_unit');
  let percent = false;
  if (s.length > 1 && s.endsWith('%')) {
    percent = true;
    s = s.slice(0, -1);
    coercions.push('percent_sign');
  }
  if (s.includes(',')) {
    if (!GROUPED.test(s)) return problem({ code: 'value.bad_thousands', params: { original: raw } }, raw, coercions);
    s = s.replace(/,/g, '');
    coercions.push('thousands');
  }
  if (!NUMBER.test(s)) return problem({ code: 'value.not_a_number', params: { original: raw } }, raw, coercions);
  coercions.push('text_number');
  // "88.8%" is 88.8 in a percent (0–100) field, and 0.888 everywhere else.
  if (percent && type !== 'percent') exponent -= 2;
  const value = exponent === 0 ? Number(s) : shiftDecimal(s, exponent);
  if (!Number.isFinite(value)) return problem({ code: 'value.not_a_number', params: { original: raw, reason: 'too_large' } }, raw, coercions);
  return done(value, raw, coercions);
}

/**
 * Reads a raw cell as a value of the indicator's type. An empty cell is missing (`null`).
 * Percent type is 0–100: a cell formatted `0%` holding 0.95 reads as 95 (not listed as a coercion:
 * that is Excel's own way of showing a percent). Fraction type is 0–1: the text "95%" reads as 0.95.
 * Whether a value is plausible for its type (0.95 in a percent field, 3.5 for a count) is the validator's concern.
 */
export function parseCellValue(raw: CellValue, type: IndicatorType, numberFormat?: string | null): ParsedValue {
  if (raw === null) return { value: null, coercions: [] };
  if (isCellError(raw)) return problem({ code: 'value.formula_error', params: { error: raw.error } }, raw.error);

  if (typeof raw === 'boolean') {
    const text = raw ? 'TRUE' : 'FALSE';
    if (type === 'integer' || type === 'decimal') return { value: raw ? 1 : 0, original: text, coercions: ['boolean'] };
    if (type === 'text' || type === 'code') return { value: text, coercions: [] };
    return problem({ code: 'value.not_a_number', params: { original: text } }, text);
  }

  if (typeof raw === 'number') {
    // A non-finite number (a damaged or hostile file) has no text to show: "Infinity" and "NaN" mean nothing to a clerk.
    if (!Number.isFinite(raw)) return problem({ code: 'value.not_a_number', params: { reason: Number.isNaN(raw) ? 'invalid' : 'too_large' } }, undefined);
    const original = String(raw);
    if (type === 'text') return { value: original, coercions: [] };
    if (type === 'code') {
      const code = numberAsCode(raw, numberFormat);
      return { value: code, original, coercions: ['number_as_code'], problem: { code: 'value.code_as_number', params: { original } } };
    }
    if (isDateFormat(numberFormat)) {
      return problem({ code: 'value.date_for_number', params: { date: excelSerialToIsoDate(raw) ?? original, original } }, original);
    }
    if (type === 'percent' && isPercentFormat(numberFormat)) {
      const scaled = clean(raw * 100);
      return Number.isFinite(scaled) ? { value: scaled, coercions: [] } : problem({ code: 'value.not_a_number', params: { original, reason: 'too_large' } }, original);
    }
    return { value: raw, coercions: [] };
  }

  return parseText(raw, type);
}
