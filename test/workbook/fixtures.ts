/**
 * Hand-made definitions and consolidations for the workbook builder tests: plain data, computed
 * here with the rule "Σ numerators ÷ Σ denominators" so that the tests do not depend on the engine.
 */
import { cellAddress } from '../../src/core/grid';
import type {
  Consolidation,
  Definitions,
  GroupTotal,
  Indicator,
  Issue,
  Rate,
  RateValue,
  School,
  SchoolResult,
  Stage,
  Value,
} from '../../src/core/types';

const ind = (code: string, zh: string, en: string, rest: Partial<Indicator> = {}): Indicator => ({
  code,
  label: { zh, en },
  type: 'integer',
  required: false,
  aggregation: 'sum',
  ...rest,
});

/** A small set of definitions shaped like the preset. */
export function testDefinitions(): Definitions {
  const indicators: Indicator[] = [
    ind('STUDENTS', '在校生数', 'Students', { unit: '人', required: true, section: '一、学生' }),
    ind('BOYS', '男生数', 'Boys', { unit: '人', section: '一、学生' }),
    ind('GIRLS', '女生数', 'Girls', { unit: '人', section: '一、学生' }),
    ind('STAFF_TOTAL', '教职工数', 'Staff', { unit: '人', required: true, section: '二、教职工' }),
    ind('STAFF_VACC', '已接种教职工数', 'Vaccinated staff', { unit: '人', required: true, section: '二、教职工' }),
    ind('STAFF_VACC_RATE', '教职工接种率（填报）', 'Staff vaccination rate (stated)', { type: 'percent', unit: '%', aggregation: 'none', min: 0, max: 100, section: '二、教职工' }),
    ind('AS_OFFERED', '是否开展课后服务', 'Offers after-school service', { min: 0, max: 1, section: '三、课后服务' }),
    ind('PE_TESTED', '体质测试人数', 'Students tested', { unit: '人', section: '四、体质健康' }),
    ind('PE_EXCELLENT', '优秀人数', 'Excellent', { unit: '人', section: '四、体质健康' }),
    ind('PE_GOOD', '良好人数', 'Good', { unit: '人', section: '四、体质健康' }),
    ind('AREA_TEACHING', '教学及辅助用房面积', 'Teaching area', { type: 'decimal', unit: 'm²', section: '五、办学条件' }),
    ind('NOTE', '备注', 'Note', { type: 'text', aggregation: 'none' }),
  ];
  const rates: Rate[] = [
    { code: 'R_STAFF_VACC', label: { zh: '教职工疫苗接种率', en: 'Staff vaccination rate' }, numerator: 'STAFF_VACC', denominator: 'STAFF_TOTAL', factor: 100, decimals: 2, stated: 'STAFF_VACC_RATE' },
    { code: 'R_AS_SCHOOLS', label: { zh: '开展课后服务学校占比', en: 'Schools offering after-school service' }, numerator: 'AS_OFFERED', denominator: '1', factor: 100, decimals: 1, target: { op: '>=', value: 100 } },
    { code: 'R_PE_GOOD', label: { zh: '体质健康优良率', en: 'Fitness good-or-better rate' }, numerator: '(PE_EXCELLENT+PE_GOOD)', denominator: 'PE_TESTED', factor: 100, decimals: 1, target: { op: '>=', value: 40 } },
    { code: 'R_AREA', label: { zh: '生均教学及辅助用房面积', en: 'Teaching area per student' }, numerator: 'AREA_TEACHING', denominator: 'STUDENTS', factor: 1, decimals: 2 },
  ];
  return {
    title: { zh: '2026年秋季教育统计', en: 'Education statistics, autumn 2026' },
    period: '2026 秋季',
    indicators,
    rules: [],
    rates,
    dispersions: [],
    roster: [],
    layout: {
      kind: 'form',
      schoolCodeLabels: ['学校代码', '学校标识码', 'School code'],
      schoolNameLabels: ['学校名称', 'School name'],
      periodLabels: ['填报期', '统计时点', 'Period'],
      codeHeaders: ['代码', 'Code'],
      labelHeaders: ['指标', '指标名称', 'Indicator'],
      unitHeaders: ['单位', 'Unit'],
      valueHeaders: ['数值', '填报值', 'Value'],
    },
  };
}

/** How each test rate's sides are computed for one school (null when an input is missing). */
const SIDES: Record<string, { num: (v: (c: string) => number | null) => number | null; den: (v: (c: string) => number | null) => number | null }> = {
  R_STAFF_VACC: { num: (v) => v('STAFF_VACC'), den: (v) => v('STAFF_TOTAL') },
  R_AS_SCHOOLS: { num: (v) => v('AS_OFFERED'), den: () => 1 },
  R_PE_GOOD: {
    // Missing only when both are; otherwise a blank counts as 0, as in a sum.
    num: (v) => {
      const a = v('PE_EXCELLENT');
      const b = v('PE_GOOD');
      return a === null && b === null ? null : (a ?? 0) + (b ?? 0);
    },
    den: (v) => v('PE_TESTED'),
  },
  R_AREA: { num: (v) => v('AREA_TEACHING'), den: (v) => v('STUDENTS') },
};

export interface TestSchool {
  readonly code: string;
  readonly name: string;
  readonly stage: Stage;
  readonly township?: string;
  readonly values: Readonly<Record<string, Value>>;
  readonly included?: boolean;
  readonly sheet?: string;
}

/** The row of each indicator on a school sheet made from the test template: row 7 (D7) onwards, in definition order. */
export function schoolCells(defs: Definitions): Record<string, string> {
  return Object.fromEntries(defs.indicators.map((i, k) => [i.code, cellAddress(6 + k, 3)]));
}

function rateValue(rate: Rate, num: number | null, den: number | null): RateValue {
  const value = num === null || den === null || den === 0 ? null : (num / den) * rate.factor;
  const status = value === null ? 'undefined' : rate.target === undefined ? 'no_target' : compare(value, rate.target.op, rate.target.value) ? 'met' : 'not_met';
  return { numerator: num, denominator: den, value, status };
}

function compare(a: number, op: string, b: number): boolean {
  switch (op) {
    case '>=':
      return a >= b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    case '<':
      return a < b;
    case '==':
      return a === b;
    default:
      return a !== b;
  }
}

function group(kind: GroupTotal['kind'], key: string, members: readonly SchoolResult[], defs: Definitions): GroupTotal {
  const values: Record<string, number | null> = {};
  for (const i of defs.indicators) {
    if (i.aggregation !== 'sum') continue;
    const nums = members.map((s) => s.values[i.code]).filter((v): v is number => typeof v === 'number');
    values[i.code] = nums.length === 0 ? null : nums.reduce((a, b) => a + b, 0);
  }
  const rates: Record<string, RateValue> = {};
  for (const r of defs.rates) {
    let num: number | null = null;
    let den: number | null = null;
    // Each side summed over the schools that have both: a school without the numerator does not pull the rate down.
    for (const s of members) {
      const rv = s.rates[r.code];
      if (rv?.numerator == null || rv.denominator == null) continue;
      num = (num ?? 0) + rv.numerator;
      den = (den ?? 0) + rv.denominator;
    }
    rates[r.code] = rateValue(r, num, den);
  }
  return { kind, key, schoolCount: members.length, values, rates };
}

/** A consolidation of the given schools: per-school rates, stage and township subtotals, district total. */
export function testConsolidation(schools: readonly TestSchool[], defs: Definitions = testDefinitions(), extra: { issues?: Issue[]; missing?: School[]; unknown?: string[] } = {}): Consolidation {
  const cells = schoolCells(defs);
  const results: SchoolResult[] = schools.map((t) => {
    const v = (c: string): number | null => {
      const x = t.values[c];
      return typeof x === 'number' ? x : null;
    };
    const rates: Record<string, RateValue> = {};
    for (const r of defs.rates) rates[r.code] = rateValue(r, SIDES[r.code]!.num(v), SIDES[r.code]!.den(v));
    return {
      code: t.code,
      name: t.name,
      stage: t.stage,
      ...(t.township !== undefined ? { township: t.township } : {}),
      file: `${t.code}.xlsx`,
      sheet: t.sheet ?? '填报表',
      values: t.values,
      cells,
      rates,
      errors: 0,
      warnings: 0,
      included: t.included ?? true,
    };
  });
  const included = results.filter((s) => s.included);
  const groups: GroupTotal[] = [];
  for (const stage of [...new Set(included.map((s) => s.stage!))]) groups.push(group('stage', stage, included.filter((s) => s.stage === stage), defs));
  for (const town of [...new Set(included.map((s) => s.township).filter((t): t is string => t !== undefined))])
    groups.push(group('township', town, included.filter((s) => s.township === town), defs));
  const missing = extra.missing ?? [];
  return {
    title: defs.title,
    period: defs.period!,
    schools: results,
    groups,
    district: group('district', 'district', included, defs),
    dispersions: [],
    equity: [],
    completeness: {
      expected: results.length + missing.length,
      submitted: results.length,
      ratio: results.length + missing.length === 0 ? null : results.length / (results.length + missing.length),
      missing,
      unknown: extra.unknown ?? [],
    },
    issues: extra.issues ?? [],
  };
}

/** Four schools in two stages and two townships; one leaves the PE block blank. */
export function fourSchools(): TestSchool[] {
  const full = (students: number, staff: number, vacc: number, offered: number, tested: number | null, ex: number | null, good: number | null, area: number): Record<string, Value> => ({
    STUDENTS: students,
    BOYS: Math.floor(students / 2),
    GIRLS: students - Math.floor(students / 2),
    STAFF_TOTAL: staff,
    STAFF_VACC: vacc,
    STAFF_VACC_RATE: (vacc / staff) * 100,
    AS_OFFERED: offered,
    PE_TESTED: tested,
    PE_EXCELLENT: ex,
    PE_GOOD: good,
    AREA_TEACHING: area,
    NOTE: null,
  });
  return [
    { code: '0012345678', name: '城关第一小学', stage: '小学', township: '城关镇', values: full(1200, 80, 75, 1, 1150, 300, 420, 5400.5) },
    { code: '0012345679', name: '城关第二小学', stage: '小学', township: '城关镇', values: full(800, 52, 50, 0, 790, 150, 200, 3200) },
    { code: '0022345678', name: '河口初级中学', stage: '初中', township: '河口乡', values: full(950, 90, 88, 1, null, null, null, 6000.25) },
    { code: '0022345679', name: '城关中学', stage: '初中', township: '城关镇', values: full(1100, 101, 90, 1, 1080, 200, 280, 7100) },
  ];
}
