/**
 * One definition item from its fields, whatever they came from (a row of a definition sheet or a
 * JSON object): each field is read, defaulted and checked on its own, and every problem becomes an
 * issue located by the caller's `at(field)`. An item whose key fields cannot be read is dropped.
 */
import { isCellError, type CellValue } from '../grid';
import { defaultFormLayout } from '../preset';
import type { Aggregation, Bilingual, Dispersion, Indicator, IndicatorType, Issue, PartStage, Rate, Rule, School, SheetLayout, Stage, Target } from '../types';
import { CODE_PATTERN, cellText, splitList } from './text';
import { parseAggregation, parseArea, parseMissing, parseOperator, parseOwnership, parseSeverity, parseStage, parseTarget, parseType, parseYesNo } from './vocab';
import { record } from '../record';

/** A field's value as found: a cell, or a JSON value (lists for JSON arrays, objects for JSON objects). */
export type FieldValue = CellValue | undefined | readonly unknown[] | { readonly [k: string]: unknown };

/** Where a field is, as issue location fields. */
export type Locate = (field: string) => Pick<Issue, 'sheet' | 'cell' | 'subject' | 'field'>;

/** The fields of one item by key, how to locate each, and where issues go. */
export interface ItemSource {
  readonly get: (key: string) => FieldValue;
  readonly at: Locate;
  /** The header shown for a field in messages (`指标名称`), by key. */
  readonly column: (key: string) => string;
  readonly issues: Issue[];
}

/** Text of a field: trimmed, NFKC-folded for codes by the caller; `''` when absent. */
export function textOf(v: FieldValue): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object' && !isCellError(v as CellValue)) return '';
  return cellText(v as CellValue);
}

/** A code as typed: full-width folded, trimmed. */
export function codeOf(v: FieldValue): string {
  return textOf(v).normalize('NFKC').trim();
}

/** Reports a field that does not hold what it should (`expected`: a key of the messages' EXPECTED table). */
export function bad(src: ItemSource, key: string, value: FieldValue, expected: string): void {
  src.issues.push({
    code: 'def.bad_value',
    severity: 'error',
    ...src.at(key),
    ...(textOf(value) !== '' ? { original: textOf(value) } : {}),
    params: { column: src.column(key), value: textOf(value), expected },
  });
}

/** A number from a cell or text (`1,000`, `９６`, ` 50 `); `undefined` when blank; `null` when not a number. */
export function numberOf(v: FieldValue): number | null | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string') return null;
  const t = v.normalize('NFKC').replace(/[\s,]/g, '');
  if (t === '') return undefined;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** A number field, `undefined` when blank; an issue when it is not a number. */
export function optionalNumber(src: ItemSource, key: string, expected = 'number'): number | undefined {
  const v = src.get(key);
  const n = numberOf(v);
  if (n === null) {
    bad(src, key, v, expected);
    return undefined;
  }
  return n;
}

/** A field holding one of a vocabulary's words, `fallback` when blank; an issue when the word is unknown. */
export function word<T>(src: ItemSource, key: string, parse: (s: string) => T | undefined, fallback: T, expected: string): T {
  const v = src.get(key);
  const t = textOf(v);
  if (t === '') return fallback;
  const got = parse(t);
  if (got === undefined) {
    bad(src, key, v, expected);
    return fallback;
  }
  return got;
}

/** Labels from a `{ zh, en }` object, a plain string, or the two columns `labelZh` / `labelEn`. */
export function labelOf(src: ItemSource, fallback: string, zhKey = 'labelZh', enKey = 'labelEn'): Bilingual {
  const whole = src.get('label');
  if (whole !== undefined && whole !== null && typeof whole === 'object' && !Array.isArray(whole) && !isCellError(whole as CellValue)) {
    const o = whole as { zh?: unknown; en?: unknown };
    const zh = typeof o.zh === 'string' && o.zh.trim() !== '' ? o.zh.trim() : fallback;
    const en = typeof o.en === 'string' && o.en.trim() !== '' ? o.en.trim() : zh;
    return { zh, en };
  }
  const zh = textOf(src.get(zhKey)) || textOf(whole) || fallback;
  const en = textOf(src.get(enKey)) || zh;
  return { zh, en };
}

/** A code field that must be there and well formed; null (with an issue) otherwise. */
export function requiredCode(src: ItemSource, key: string): string | null {
  const v = src.get(key);
  const code = codeOf(v);
  if (code === '') {
    bad(src, key, v, 'code');
    return null;
  }
  if (!CODE_PATTERN.test(code)) {
    bad(src, key, v, 'code');
    return null;
  }
  return code;
}

/** An expression field that must not be blank; null (with an issue) otherwise. */
export function expressionText(src: ItemSource, key: string): string | null {
  const v = src.get(key);
  const t = typeof v === 'number' ? String(v) : textOf(v);
  if (t === '') {
    bad(src, key, v, 'expression');
    return null;
  }
  return t;
}

const NUMERIC: ReadonlySet<IndicatorType> = new Set(['integer', 'decimal']);

/** An indicator, or null when its code is missing or malformed. */
export function readIndicator(src: ItemSource): Indicator | null {
  const code = requiredCode(src, 'code');
  if (code === null) return null;
  const type = word(src, 'type', parseType, 'decimal', 'type');
  const required = word(src, 'required', parseYesNo, false, 'boolean');
  const min = optionalNumber(src, 'min');
  const max = optionalNumber(src, 'max');
  if (min !== undefined && max !== undefined && min > max) bad(src, 'min', src.get('min'), 'min_max');
  // Counts and measures add up; a percent, fraction, text or code does not (its rate is computed from counts).
  const aggregation = word<Aggregation>(src, 'aggregation', parseAggregation, NUMERIC.has(type) ? 'sum' : 'none', 'aggregation');
  const unit = textOf(src.get('unit'));
  const section = textOf(src.get('section'));
  const changeFloor = optionalNumber(src, 'changeFloor', 'non_negative');
  if (changeFloor !== undefined && changeFloor < 0) bad(src, 'changeFloor', src.get('changeFloor'), 'non_negative');
  return {
    code,
    label: labelOf(src, code),
    type,
    ...(unit !== '' ? { unit } : {}),
    required,
    ...(min !== undefined ? { min } : {}),
    ...(max !== undefined ? { max } : {}),
    ...(section !== '' ? { section } : {}),
    aggregation,
    ...(changeFloor !== undefined && changeFloor >= 0 ? { changeFloor } : {}),
  };
}

/** A rule, or null when a side or the operator is missing or unreadable. */
export function readRule(src: ItemSource, index: number): Rule | null {
  const id = codeOf(src.get('id')) || `R${String(index + 1).padStart(2, '0')}`;
  const lhs = expressionText(src, 'lhs');
  const rhs = expressionText(src, 'rhs');
  const opValue = src.get('op');
  const opText = textOf(opValue);
  const op = opText === '' ? undefined : parseOperator(opText);
  if (op === undefined) {
    src.issues.push({ code: 'def.bad_operator', severity: 'error', ...src.at('op'), ...(opText !== '' ? { original: opText } : {}), params: { operator: opText } });
  }
  const tolerance = optionalNumber(src, 'tolerance', 'non_negative');
  if (tolerance !== undefined && tolerance < 0) bad(src, 'tolerance', src.get('tolerance'), 'non_negative');
  const severity = word(src, 'severity', parseSeverity, 'error', 'severity');
  const missing = word(src, 'missing', parseMissing, 'skip_if_any_missing', 'missing');
  const whole = src.get('message');
  let message: Bilingual;
  if (whole !== undefined && whole !== null && typeof whole === 'object' && !isCellError(whole as CellValue)) {
    const o = whole as { zh?: unknown; en?: unknown };
    const zh = typeof o.zh === 'string' ? o.zh.trim() : '';
    const en = typeof o.en === 'string' ? o.en.trim() : '';
    message = { zh: zh || en, en: en || zh };
  } else {
    const zh = textOf(src.get('messageZh')) || textOf(whole);
    const en = textOf(src.get('messageEn')) || zh;
    message = { zh, en };
  }
  const note = textOf(src.get('note'));
  if (lhs === null || rhs === null || op === undefined) return null;
  return {
    id,
    lhs,
    op,
    rhs,
    ...(tolerance !== undefined && tolerance >= 0 ? { tolerance } : {}),
    severity,
    message,
    missing,
    ...(note !== '' ? { note } : {}),
  };
}

function targetOf(src: ItemSource): Target | undefined {
  const v = src.get('target');
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object' && !Array.isArray(v) && !isCellError(v as CellValue)) {
    const o = v as { op?: unknown; value?: unknown };
    const op = typeof o.op === 'string' ? parseOperator(o.op) : undefined;
    if (op !== undefined && typeof o.value === 'number' && Number.isFinite(o.value)) return { op, value: o.value };
    bad(src, 'target', JSON.stringify(v), 'target');
    return undefined;
  }
  if (typeof v === 'number') return { op: '>=', value: v };
  const t = textOf(v);
  if (t === '') return undefined;
  const got = parseTarget(t);
  if (got === undefined) bad(src, 'target', v, 'target');
  return got;
}

/** A rate, or null when its code, numerator or denominator is missing. */
export function readRate(src: ItemSource): Rate | null {
  const code = requiredCode(src, 'code');
  const numerator = expressionText(src, 'numerator');
  const denominator = expressionText(src, 'denominator');
  const factor = optionalNumber(src, 'factor', 'positive') ?? 100;
  if (factor <= 0) bad(src, 'factor', src.get('factor'), 'positive');
  const decimals = optionalNumber(src, 'decimals', 'integer') ?? 1;
  const decimalsOk = Number.isInteger(decimals) && decimals >= 0 && decimals <= 10;
  if (!decimalsOk) bad(src, 'decimals', src.get('decimals'), 'integer');
  const target = targetOf(src);
  const stated = codeOf(src.get('stated'));
  const section = textOf(src.get('section'));
  if (code === null || numerator === null || denominator === null) return null;
  return {
    code,
    label: labelOf(src, code),
    numerator,
    denominator,
    factor: factor > 0 ? factor : 100,
    decimals: decimalsOk ? decimals : 1,
    ...(target !== undefined ? { target } : {}),
    ...(stated !== '' ? { stated } : {}),
    ...(section !== '' ? { section } : {}),
  };
}

/** Stages from a list cell (`小学、初中`) or a JSON array; unknown words are reported. */
function stagesOf(src: ItemSource, key: string): Stage[] {
  const v = src.get(key);
  const words = Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x.trim() : String(x))) : splitList(textOf(v));
  const out: Stage[] = [];
  for (const w of words) {
    const s = parseStage(w);
    if (s === undefined) src.issues.push({ code: 'def.bad_stage', severity: 'error', ...src.at(key), original: w, params: { stage: w } });
    else if (!out.includes(s)) out.push(s);
  }
  return out;
}

/** A dispersion, or null when its code, value or stages are missing. */
export function readDispersion(src: ItemSource): Dispersion | null {
  const code = requiredCode(src, 'code');
  const value = expressionText(src, 'value');
  const weightText = textOf(src.get('weight'));
  const stages = stagesOf(src, 'stages');
  if (stages.length === 0 && textOf(src.get('stages')) === '' && !Array.isArray(src.get('stages'))) bad(src, 'stages', src.get('stages'), 'stage');
  const minWeight = optionalNumber(src, 'minWeight', 'non_negative') ?? 50;
  const threshold = optionalNumber(src, 'threshold', 'positive');
  if (code === null || value === null || stages.length === 0) return null;
  return {
    code,
    label: labelOf(src, code),
    value,
    weight: weightText || 'STUDENTS',
    stages,
    minWeight: minWeight >= 0 ? minWeight : 50,
    ...(threshold !== undefined && threshold > 0 ? { threshold } : {}),
  };
}

/** A school code as text: a number typed into the roster keeps its digits, padded to the 10 of a 学校标识码 when shorter. */
export function schoolCodeOf(v: FieldValue): string {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) {
    const s = String(v);
    return s.length < 10 ? s.padStart(10, '0') : s;
  }
  return codeOf(v);
}

const ROSTER_STUDENTS: readonly [PartStage, string][] = [
  ['小学', 'studentsPrimary'],
  ['初中', 'studentsJunior'],
  ['高中', 'studentsSenior'],
];

/** A roster school, or null when its code, name or stage cannot be read. */
export function readSchool(src: ItemSource): School | null {
  const codeValue = src.get('code');
  const code = schoolCodeOf(codeValue);
  if (code === '') bad(src, 'code', codeValue, 'code');
  const name = textOf(src.get('name'));
  if (name === '') bad(src, 'name', src.get('name'), 'text');
  const stageValue = src.get('stage');
  const stageText = textOf(stageValue);
  const stage = stageText === '' ? undefined : parseStage(stageText);
  if (stage === undefined) src.issues.push({ code: 'def.bad_stage', severity: 'error', ...src.at('stage'), ...(stageText !== '' ? { original: stageText } : {}), params: { stage: stageText } });
  const township = textOf(src.get('township'));
  // Per-stage students: three columns on the sheet, or a `students` object in JSON (`{ "小学": 420, "初中": 180 }`).
  const nested = src.get('students');
  const students: Partial<Record<PartStage, number>> = {};
  for (const [stage, key] of ROSTER_STUDENTS) {
    const inner = nested !== null && typeof nested === 'object' && !Array.isArray(nested) ? (nested as Record<string, unknown>)[stage] : undefined;
    const value = src.get(key) ?? (typeof inner === 'number' || typeof inner === 'string' ? inner : undefined);
    const n = numberOf(value);
    if (n === undefined) continue;
    if (n === null || n < 0 || !Number.isInteger(n)) bad(src, key, value, 'non_negative');
    else students[stage] = n;
  }
  const ownership = word(src, 'ownership', parseOwnership, undefined, 'ownership');
  const area = word(src, 'area', parseArea, undefined, 'area');
  if (code === '' || name === '' || stage === undefined) return null;
  return {
    code,
    name,
    stage,
    ...(township !== '' ? { township } : {}),
    ...(ownership !== undefined ? { ownership } : {}),
    ...(area !== undefined ? { area } : {}),
    ...(Object.keys(students).length > 0 ? { students } : {}),
  };
}

/** Default column headers of a table layout. */
export const DEFAULT_TABLE_HEADERS = {
  schoolCodeHeaders: ['学校代码', '学校标识码', 'School code'],
  schoolNameHeaders: ['学校名称', 'School name'],
} as const;

const LIST_KEYS_FORM = ['schoolCodeLabels', 'schoolNameLabels', 'periodLabels', 'codeHeaders', 'labelHeaders', 'unitHeaders', 'valueHeaders'] as const;
const LIST_KEYS_TABLE = ['schoolCodeHeaders', 'schoolNameHeaders'] as const;

function listOf(v: FieldValue): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim());
  return splitList(textOf(v));
}

/** The sheet layout from its settings; missing lists take the defaults. */
export function readLayout(src: ItemSource): SheetLayout {
  const kindValue = src.get('kind');
  const kindText = textOf(kindValue).toLowerCase();
  let kind: 'form' | 'table' = 'form';
  if (['table', '表格', '清单', '一行一校', '列表'].includes(kindText)) kind = 'table';
  else if (kindText !== '' && !['form', '表单', '填报表', '表样'].includes(kindText)) bad(src, 'kind', kindValue, 'layout');
  const sheetName = textOf(src.get('sheetName'));
  const named = sheetName !== '' ? { sheetName } : {};
  if (kind === 'table') {
    const out = record<readonly string[]>();
    for (const k of LIST_KEYS_TABLE) {
      const list = listOf(src.get(k));
      out[k] = list.length > 0 ? list : DEFAULT_TABLE_HEADERS[k];
    }
    return { kind: 'table', ...named, schoolCodeHeaders: out.schoolCodeHeaders!, schoolNameHeaders: out.schoolNameHeaders! };
  }
  const defaults = defaultFormLayout();
  const lists = record<readonly string[]>();
  for (const k of LIST_KEYS_FORM) {
    const list = listOf(src.get(k));
    lists[k] = list.length > 0 ? list : defaults[k];
  }
  return {
    kind: 'form',
    ...named,
    schoolCodeLabels: lists.schoolCodeLabels!,
    schoolNameLabels: lists.schoolNameLabels!,
    periodLabels: lists.periodLabels!,
    codeHeaders: lists.codeHeaders!,
    labelHeaders: lists.labelHeaders!,
    unitHeaders: lists.unitHeaders!,
    valueHeaders: lists.valueHeaders!,
  };
}
