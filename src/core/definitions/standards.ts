/**
 * 均衡 standards as a clerk keeps them: on the 均衡标准 sheet one row per indicator (标准代码 |
 * 标准名称 | 判定方式 | 小学/初中差异系数标准 | 最少学生数 | 权重 | 小学/初中权重 | 指标代码 |
 * 指标名称 | 每校值 | 小学/初中底线 | 备注), the standard's own fields given on its first row (later rows
 * may leave them blank, or repeat them unchanged); in JSON, one object per standard with its
 * `indicators` listed inside (`weights: { "小学": …, "初中": … }` for the stage weights).
 * Both are read through the same row reader, so both report the same issues.
 */
import type { CellValue } from '../grid';
import type { EquityIndicator, EquityStandard, EquityStage, EquityTest, Issue, Lang, StageStudents } from '../types';
import { bad, codeOf, expressionText, labelOf, optionalNumber, requiredCode, textOf, word, type FieldValue, type ItemSource } from './items';
import { equityTestWord, parseEquityTest } from './vocab';

/** One row of the standards table: the standard's fields as given on that row, and one indicator. */
export interface StandardRow {
  readonly standard: string;
  readonly label?: { readonly zh: string; readonly en: string };
  readonly test?: EquityTest;
  readonly thresholds: Partial<Record<EquityStage, number>>;
  readonly minWeight?: number;
  readonly weight?: string;
  readonly weights: Partial<Record<EquityStage, string>>;
  readonly indicator: EquityIndicator;
  readonly src: ItemSource;
}

const STAGE_KEYS: readonly [EquityStage, string, string, string][] = [
  ['小学', 'thresholdPrimary', 'floorPrimary', 'weightPrimary'],
  ['初中', 'thresholdJunior', 'floorJunior', 'weightJunior'],
];

/** One row of the standards table, or null when its standard, indicator code or value is missing. */
export function readStandardRow(src: ItemSource): StandardRow | null {
  const standard = requiredCode(src, 'standard');
  const code = requiredCode(src, 'code');
  const value = expressionText(src, 'value');
  const testText = textOf(src.get('test'));
  const test = testText === '' ? undefined : word<EquityTest | undefined>(src, 'test', parseEquityTest, undefined, 'equity_test');
  const thresholds: Partial<Record<EquityStage, number>> = {};
  const floors: Partial<Record<EquityStage, number>> = {};
  const weights: Partial<Record<EquityStage, string>> = {};
  for (const [stage, thresholdKey, floorKey, weightKey] of STAGE_KEYS) {
    const w = codeOf(src.get(weightKey));
    if (w !== '') weights[stage] = w;
    const t = optionalNumber(src, thresholdKey, 'positive');
    if (t !== undefined && t <= 0) bad(src, thresholdKey, src.get(thresholdKey), 'positive');
    else if (t !== undefined) thresholds[stage] = t;
    const f = optionalNumber(src, floorKey, 'positive');
    if (f !== undefined && f <= 0) bad(src, floorKey, src.get(floorKey), 'positive');
    else if (f !== undefined) floors[stage] = f;
  }
  const minWeight = optionalNumber(src, 'minWeight', 'non_negative');
  if (minWeight !== undefined && minWeight < 0) bad(src, 'minWeight', src.get('minWeight'), 'non_negative');
  const weight = codeOf(src.get('weight'));
  const note = textOf(src.get('note'));
  const zh = textOf(src.get('standardZh'));
  const en = textOf(src.get('standardEn'));
  if (standard === null || code === null || value === null) return null;
  return {
    standard,
    ...(zh !== '' || en !== '' ? { label: { zh: zh || en, en: en || zh } } : {}),
    ...(test !== undefined ? { test } : {}),
    thresholds,
    ...(minWeight !== undefined && minWeight >= 0 ? { minWeight } : {}),
    ...(weight !== '' ? { weight } : {}),
    weights,
    indicator: { code, label: labelOf(src, code), value, ...(Object.keys(floors).length > 0 ? { floors } : {}), ...(note !== '' ? { note } : {}) },
    src,
  };
}

/**
 * The standards from their rows, in the order they first appear. A standard's own field is taken
 * from the first row that gives it; a later row giving a different value is an issue. A standard
 * without a CV limit for a stage is an issue and is left out (its verdict could not be reached).
 * Without a 判定方式 a standard with floors is tested `each` (优质均衡), one without `composite`.
 */
export function groupStandards(rows: readonly StandardRow[]): { standards: EquityStandard[]; rowsOf: Map<EquityStandard, StandardRow[]> } {
  const groups = new Map<string, StandardRow[]>();
  for (const r of rows) {
    const list = groups.get(r.standard) ?? [];
    list.push(r);
    groups.set(r.standard, list);
  }
  const standards: EquityStandard[] = [];
  const rowsOf = new Map<EquityStandard, StandardRow[]>();
  for (const [code, list] of groups) {
    const first = <T>(key: string, of: (r: StandardRow) => T | undefined, same: (a: T, b: T) => boolean): T | undefined => {
      let found: T | undefined;
      for (const r of list) {
        const v = of(r);
        if (v === undefined) continue;
        if (found === undefined) found = v;
        else if (!same(found, v)) bad(r.src, key, r.src.get(key), 'same_standard');
      }
      return found;
    };
    const eq = <T>(a: T, b: T): boolean => a === b;
    const label = first('standardZh', (r) => r.label, (a, b) => a.zh === b.zh && a.en === b.en);
    const test = first('test', (r) => r.test, eq);
    const minWeight = first('minWeight', (r) => r.minWeight, eq);
    const weight = first('weight', (r) => r.weight, eq);
    const weights: Partial<Record<EquityStage, string>> = {};
    const thresholds: Partial<Record<EquityStage, number>> = {};
    let complete = true;
    for (const [stage, key, , weightKey] of STAGE_KEYS) {
      const w = first(weightKey, (r) => r.weights[stage], eq);
      if (w !== undefined) weights[stage] = w;
      const t = first(key, (r) => r.thresholds[stage], eq);
      if (t === undefined) {
        bad(list[0]!.src, key, list[0]!.src.get(key), 'positive');
        complete = false;
      } else thresholds[stage] = t;
    }
    if (!complete) continue;
    const indicators = list.map((r) => r.indicator);
    const standard: EquityStandard = {
      code,
      label: label ?? { zh: code, en: code },
      test: test ?? (indicators.some((i) => i.floors !== undefined) ? 'each' : 'composite'),
      weight: weight ?? 'STUDENTS',
      ...(Object.keys(weights).length > 0 ? { weights } : {}),
      thresholds: thresholds as Record<EquityStage, number>,
      minWeight: minWeight ?? 50,
      indicators,
    };
    standards.push(standard);
    rowsOf.set(standard, list);
  }
  return { standards, rowsOf };
}

/** The standards table's rows (without its header), the standard's fields on its first row only. */
export function standardsToRows(standards: readonly EquityStandard[], lang: Lang): CellValue[][] {
  const rows: CellValue[][] = [];
  for (const st of standards) {
    st.indicators.forEach((ind, k) => {
      const head = k === 0;
      rows.push([
        st.code,
        head ? st.label.zh : null,
        head ? st.label.en : null,
        head ? equityTestWord(st.test, lang) : null,
        head ? st.thresholds.小学 : null,
        head ? st.thresholds.初中 : null,
        head ? st.minWeight : null,
        head ? st.weight : null,
        head ? (st.weights?.小学 ?? null) : null,
        head ? (st.weights?.初中 ?? null) : null,
        ind.code,
        ind.label.zh,
        ind.label.en,
        ind.value,
        ind.floors?.小学 ?? null,
        ind.floors?.初中 ?? null,
        ind.note ?? null,
      ]);
    });
  }
  return rows;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A stage-keyed JSON object (`{ "小学": 0.65, "初中": 0.55 }`, or `primary` / `junior`). */
function stageField(o: unknown, stage: EquityStage): FieldValue {
  if (!isObject(o)) return undefined;
  const v = o[stage] ?? o[stage === '小学' ? 'primary' : 'junior'];
  return typeof v === 'number' || typeof v === 'string' ? v : undefined;
}

/**
 * The rows of the JSON `standards` block: each indicator of each standard as one row source, the
 * standard's fields read from the standard object and located at `standards[i].field`.
 */
export function jsonStandardSources(raw: unknown, issues: Issue[]): ItemSource[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    issues.push({ code: 'def.bad_value', severity: 'error', subject: 'standards', params: { column: 'standards', expected: 'array' } });
    return [];
  }
  const out: ItemSource[] = [];
  raw.forEach((st, i) => {
    const subject = isObject(st) && typeof st.code === 'string' && st.code.trim() !== '' ? st.code.trim() : `standards[${i}]`;
    if (!isObject(st) || !Array.isArray(st.indicators)) {
      issues.push({ code: 'def.bad_value', severity: 'error', subject, params: { column: 'indicators', expected: 'array' } });
      return;
    }
    const label = isObject(st.label) ? st.label : {};
    const standardField = (key: string): FieldValue => {
      switch (key) {
        case 'standard':
          return st.code as FieldValue;
        case 'standardZh':
          return (label.zh ?? st.label_zh) as FieldValue;
        case 'standardEn':
          return (label.en ?? st.label_en) as FieldValue;
        case 'thresholdPrimary':
          return stageField(st.thresholds, '小学');
        case 'thresholdJunior':
          return stageField(st.thresholds, '初中');
        case 'minWeight':
          return (st.minWeight ?? st.min_weight) as FieldValue;
        case 'weightPrimary':
          return stageField(st.weights, '小学');
        case 'weightJunior':
          return stageField(st.weights, '初中');
        case 'test':
        case 'weight':
          return st[key] as FieldValue;
        default:
          return undefined;
      }
    };
    st.indicators.forEach((ind: unknown, k: number) => {
      const o = isObject(ind) ? ind : {};
      const own = (key: string): FieldValue => {
        switch (key) {
          case 'code':
          case 'value':
          case 'note':
            return o[key] as FieldValue;
          case 'label':
            return o.label as FieldValue;
          case 'labelZh':
            return o.label_zh as FieldValue;
          case 'labelEn':
            return o.label_en as FieldValue;
          case 'floorPrimary':
            return stageField(o.floors, '小学');
          case 'floorJunior':
            return stageField(o.floors, '初中');
          default:
            return undefined;
        }
      };
      const indicatorKeys = new Set(['code', 'value', 'label', 'labelZh', 'labelEn', 'floorPrimary', 'floorJunior', 'note']);
      out.push({
        get: (key) => (indicatorKeys.has(key) ? own(key) : standardField(key)),
        at: (field) => ({ subject: indicatorKeys.has(field) ? `${subject}.indicators[${k}]` : subject, field }),
        column: (key) => key,
        issues,
      });
    });
  });
  return out;
}

/** Stage-students indicator codes from the 表样 settings or a JSON object (`{ "小学": "STUDENTS_PRIMARY", … }`). */
export function readStageStudents(get: (stage: 'primary' | 'junior' | 'senior') => FieldValue): StageStudents | undefined {
  const out: { 小学?: string; 初中?: string; 高中?: string } = {};
  const primary = codeOf(get('primary'));
  const junior = codeOf(get('junior'));
  const senior = codeOf(get('senior'));
  if (primary !== '') out.小学 = primary;
  if (junior !== '') out.初中 = junior;
  if (senior !== '') out.高中 = senior;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A stage-keyed JSON value as a field (for the JSON `stageStudents` block). */
export function jsonStageStudent(o: unknown, stage: 'primary' | 'junior' | 'senior'): FieldValue {
  if (!isObject(o)) return undefined;
  const zh = { primary: '小学', junior: '初中', senior: '高中' }[stage];
  const v = o[zh] ?? o[stage];
  return typeof v === 'string' ? v : undefined;
}
