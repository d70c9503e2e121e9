import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateIndicator, consolidate, exclusions, figuresUsed, sortSchools } from '../../src/core/consolidate';
import { roundHalfAway } from '../../src/core/expr';
import type { CellValue } from '../../src/core/grid';
import { builtinPreset } from '../../src/core/preset';
import type { Consolidation, Definitions, GroupTotal, Indicator, School, Submission } from '../../src/core/types';
import { validate } from '../../src/core/validate';
import { definitionsWith, ind, rate, rosterSchool, rule, schoolResult, submission } from './engine-helpers';

/**
 * Four schools and one that never submits. Every expected figure below is worked out by hand from
 * this table (sums, means, minima and maxima of the columns).
 *
 * | school | stage | township | STUDENTS | STAFF | VACC | HOURS | CLASSES | ROOM | AREA |
 * | A      | 小学  | 东镇     | 400      | 40    | 38   | 2     | 10      | 48.5 | 2000 |
 * | B      | 小学  | 西镇     | 600      | 60    | 50   | 3     | 14      | 52   | 2400 |
 * | C      | 初中  | 东镇     | 900      | 100   | 99   | 4     | 20      | 45.5 | 5400 |
 * | D      | 初中  | 西镇     | 300      | 30    | 21   | —     | 8       | 60   | 900  |
 * | E      | 幼儿园 | —       | (never submits)                                         |
 */
const TABLE: Record<string, Record<string, CellValue>> = {
  A: { STUDENTS: 400, STAFF: 40, VACC: 38, HOURS: 2, CLASSES: 10, ROOM: 48.5, AREA: 2000, NOTE: '一' },
  B: { STUDENTS: 600, STAFF: 60, VACC: 50, HOURS: 3, CLASSES: 14, ROOM: 52, AREA: 2400, NOTE: '二' },
  C: { STUDENTS: 900, STAFF: 100, VACC: 99, HOURS: 4, CLASSES: 20, ROOM: 45.5, AREA: 5400, NOTE: '三' },
  D: { STUDENTS: 300, STAFF: 30, VACC: 21, HOURS: null, CLASSES: 8, ROOM: 60, AREA: 900, NOTE: '四' },
};

const ROSTER: School[] = [rosterSchool('A', '小学', '东镇'), rosterSchool('B', '小学', '西镇'), rosterSchool('C', '初中', '东镇'), rosterSchool('D', '初中', '西镇'), rosterSchool('E', '幼儿园')];

const INDICATORS: Indicator[] = [
  ind('STUDENTS', { required: true }),
  ind('STAFF'),
  ind('VACC'),
  ind('HOURS', { type: 'decimal', aggregation: 'mean' }),
  ind('CLASSES', { aggregation: 'max' }),
  ind('ROOM', { type: 'decimal', aggregation: 'min' }),
  ind('AREA', { type: 'decimal' }),
  ind('NOTE', { type: 'text', aggregation: 'none' }),
];

const DEFS: Definitions = definitionsWith({
  indicators: INDICATORS,
  rules: [rule('R_VACC', 'VACC', '<=', 'STAFF')],
  rates: [rate('R_VACC', 'VACC', 'STAFF', { decimals: 2, target: { op: '>=', value: 90 } }), rate('R_AREA', 'AREA', 'STUDENTS', { factor: 1, decimals: 2 })],
  dispersions: [{ code: 'CV_AREA_P', label: { zh: '生均面积差异系数', en: 'CV of area' }, value: 'AREA / STUDENTS', weight: 'STUDENTS', stages: ['小学'], minWeight: 50, threshold: 0.5 }],
  roster: ROSTER,
});

function subs(overrides: Record<string, Record<string, CellValue>> = {}): Submission[] {
  return Object.keys(TABLE).map((code) => submission(code, { ...TABLE[code]!, ...overrides[code] }));
}

function run(submissions: readonly Submission[], defs: Definitions = DEFS, options: Parameters<typeof consolidate>[2] = {}): Consolidation {
  return consolidate(validate(submissions, defs), defs, options);
}

function group(c: Consolidation, kind: GroupTotal['kind'], key: string): GroupTotal {
  const g = kind === 'district' ? c.district : c.groups.find((x) => x.kind === kind && x.key === key);
  expect(g, `${kind} ${key}`).toBeDefined();
  return g!;
}

describe('consolidate: rates are Σ numerator ÷ Σ denominator × factor at every level', () => {
  const c = run(subs());

  it('computes each school’s rate from its own counts', () => {
    expect(Object.fromEntries(c.schools.map((s) => [s.code, s.rates.R_VACC!.value]))).toEqual({ A: 95, B: (50 / 60) * 100, C: 99, D: 70 });
  });

  it('sums the sides over the schools of a stage, a township and the district', () => {
    const expected: [GroupTotal['kind'], string, number, number][] = [
      ['stage', '小学', 38 + 50, 40 + 60],
      ['stage', '初中', 99 + 21, 100 + 30],
      ['township', '东镇', 38 + 99, 40 + 100],
      ['township', '西镇', 50 + 21, 60 + 30],
      ['district', 'district', 208, 230],
    ];
    for (const [kind, key, num, den] of expected) {
      const r = group(c, kind, key).rates.R_VACC!;
      expect([kind, key, r.numerator, r.denominator, r.value]).toEqual([kind, key, num, den, (num / den) * 100]);
    }
  });

  it('is not the mean of the schools’ rates: the district meets 90 % although the mean of rates does not', () => {
    const district = c.district.rates.R_VACC!;
    expect(roundHalfAway(district.value!, 2)).toBe(90.43); // 208 ÷ 230
    expect(district.status).toBe('met');
    const meanOfRates = c.schools.reduce((a, s) => a + s.rates.R_VACC!.value!, 0) / c.schools.length;
    expect(meanOfRates).toBeCloseTo((95 + 250 / 3 + 99 + 70) / 4, 10); // 86.83
    expect(meanOfRates).toBeLessThan(90);
  });

  it('uses the factor: a per-student area (factor 1) is Σ area ÷ Σ students', () => {
    expect(group(c, 'stage', '小学').rates.R_AREA!.value).toBe(4400 / 1000);
    expect(c.district.rates.R_AREA).toEqual({ numerator: 10700, denominator: 2200, value: 10700 / 2200, status: 'no_target' });
  });

  it('sums over the schools where both sides are known, and is undefined where none has them', () => {
    const partial = run(subs({ C: { STAFF: null }, D: { VACC: null, STAFF: null } }));
    // C has VACC but no STAFF, D has neither: the 初中 rate has no school with both sides.
    expect(group(partial, 'stage', '初中').rates.R_VACC).toEqual({ numerator: null, denominator: null, value: null, status: 'undefined' });
    expect(partial.district.rates.R_VACC).toMatchObject({ numerator: 88, denominator: 100, value: 88 });
  });

  it('gives a null value and an undefined status for a zero denominator', () => {
    const zero = run(subs({ A: { STAFF: 0, VACC: 0 }, B: { STAFF: 0, VACC: 0 } }));
    expect(group(zero, 'stage', '小学').rates.R_VACC).toEqual({ numerator: 0, denominator: 0, value: null, status: 'undefined' });
  });
});

describe('consolidate: group totals by each indicator’s aggregation', () => {
  const c = run(subs());
  const values = (kind: GroupTotal['kind'], key: string): Record<string, number | null> => ({ ...group(c, kind, key).values });

  it('adds sums, averages means over the schools that reported, and takes minima and maxima', () => {
    expect(values('stage', '小学')).toEqual({ STUDENTS: 1000, STAFF: 100, VACC: 88, HOURS: 2.5, CLASSES: 14, ROOM: 48.5, AREA: 4400, NOTE: null });
    // D left HOURS blank: the mean is over C alone, not (4 + 0) ÷ 2.
    expect(values('stage', '初中')).toEqual({ STUDENTS: 1200, STAFF: 130, VACC: 120, HOURS: 4, CLASSES: 20, ROOM: 45.5, AREA: 6300, NOTE: null });
    expect(values('township', '东镇')).toEqual({ STUDENTS: 1300, STAFF: 140, VACC: 137, HOURS: 3, CLASSES: 20, ROOM: 45.5, AREA: 7400, NOTE: null });
    expect(values('district', 'district')).toEqual({ STUDENTS: 2200, STAFF: 230, VACC: 208, HOURS: 3, CLASSES: 20, ROOM: 45.5, AREA: 10700, NOTE: null });
  });

  it('gives null for aggregation none, for text, and when no school has a number', () => {
    const schools = [schoolResult({ code: 'A', values: { X: 5, T: 'x' } }), schoolResult({ code: 'B', values: { X: 7, T: 'y' } })];
    expect(aggregateIndicator(ind('X', { aggregation: 'none' }), schools)).toBeNull();
    expect(aggregateIndicator(ind('T', { type: 'text', aggregation: 'sum' }), schools)).toBeNull();
    expect(aggregateIndicator(ind('Y'), schools)).toBeNull();
    for (const [aggregation, expected] of [['sum', 12], ['mean', 6], ['min', 5], ['max', 7]] as const) {
      expect(aggregateIndicator(ind('X', { aggregation }), schools)).toBe(expected);
    }
  });

  it('takes minima and maxima of negative values too (the first school is not a hidden 0)', () => {
    const schools = [schoolResult({ code: 'A', values: { X: -5 } }), schoolResult({ code: 'B', values: { X: -2 } })];
    expect(aggregateIndicator(ind('X', { type: 'decimal', aggregation: 'max' }), schools)).toBe(-2);
    expect(aggregateIndicator(ind('X', { type: 'decimal', aggregation: 'min' }), [schoolResult({ code: 'A', values: { X: 3 } }), schoolResult({ code: 'B', values: { X: 9 } })])).toBe(3);
  });

  it('counts the schools in each group and orders groups: stages as usual, then townships in roster order', () => {
    expect(c.groups.map((g) => [g.kind, g.key, g.schoolCount])).toEqual([
      ['stage', '小学', 2],
      ['stage', '初中', 2],
      ['township', '东镇', 2],
      ['township', '西镇', 2],
    ]);
    expect(c.district.schoolCount).toBe(4);
  });

  it('keeps townships in roster order when a township’s first school is left out', () => {
    // A (东镇, first in the roster) has an error: 东镇 still comes before 西镇.
    const c2 = run(subs({ A: { VACC: 41 } }));
    expect(c2.groups.filter((g) => g.kind === 'township').map((g) => [g.key, g.schoolCount])).toEqual([
      ['东镇', 1],
      ['西镇', 2],
    ]);
  });

  it('groups only as asked', () => {
    expect(run(subs(), DEFS, { groupBy: ['stage'] }).groups.map((g) => g.kind)).toEqual(['stage', 'stage']);
    expect(run(subs(), DEFS, { groupBy: ['township'] }).groups.map((g) => g.key)).toEqual(['东镇', '西镇']);
    expect(run(subs(), DEFS, { groupBy: [] }).groups).toEqual([]);
  });
});

describe('consolidate: targets', () => {
  const defs = definitionsWith({
    indicators: [ind('DIS_AGE'), ind('DIS_ENROLLED')],
    rates: [rate('R_DIS', 'DIS_ENROLLED', 'DIS_AGE', { decimals: 1, target: { op: '>=', value: 96 } }), rate('R_PLAIN', 'DIS_ENROLLED', 'DIS_AGE')],
  });
  const status = (enrolled: number, age: number): string => run([submission('S', { DIS_AGE: age, DIS_ENROLLED: enrolled })], defs).district.rates.R_DIS!.status;

  it('judges the target on the rate as published (rounded to its decimals)', () => {
    expect(status(2399, 2500)).toBe('met'); // 95.96 → 96.0
    expect(status(2398, 2500)).toBe('not_met'); // 95.92 → 95.9
    expect(status(2500, 2500)).toBe('met');
  });

  it('says no_target without a target and undefined without a rate', () => {
    const c = run([submission('S', { DIS_AGE: 10, DIS_ENROLLED: 9 })], defs);
    expect(c.district.rates.R_PLAIN!.status).toBe('no_target');
    expect(run([submission('S', { DIS_AGE: 0, DIS_ENROLLED: 0 })], defs).district.rates.R_DIS!.status).toBe('undefined');
  });

  it('supports every comparator', () => {
    const cases: [string, boolean][] = [['==', false], ['!=', true], ['<', true], ['<=', true], ['>', false], ['>=', false]];
    for (const [op, met] of cases) {
      const d = { ...defs, rates: [rate('R', 'DIS_ENROLLED', 'DIS_AGE', { target: { op: op as '==', value: 96 } })] };
      // 9 ÷ 10 = 90 %, against 96.
      expect([op, run([submission('S', { DIS_AGE: 10, DIS_ENROLLED: 9 })], d).district.rates.R!.status]).toEqual([op, met ? 'met' : 'not_met']);
    }
  });
});

describe('consolidate: completeness', () => {
  it('gives submitted ÷ expected against the roster, with the schools that did not submit', () => {
    const c = run(subs());
    expect(c.completeness).toEqual({ expected: 5, submitted: 4, ratio: 0.8, missing: [ROSTER[4]], unknown: [] });
  });

  it('counts a school that submitted twice once, and lists codes not in the roster', () => {
    const all = [...subs(), submission('A', TABLE.A!, { file: 'A-again.xlsx' }), submission('X9', { STUDENTS: 10 }), submission('X9', { STUDENTS: 11 }, { file: 'X9b.xlsx' })];
    expect(run(all).completeness).toEqual({ expected: 5, submitted: 4, ratio: 0.8, missing: [ROSTER[4]], unknown: ['X9'] });
  });

  it('counts a school left out for errors as submitted: it did send its sheet', () => {
    expect(run(subs({ B: { VACC: 61 } })).completeness.submitted).toBe(4);
  });

  it('expects nothing without a roster', () => {
    expect(run(subs(), { ...DEFS, roster: [] }).completeness).toEqual({ expected: 0, submitted: 0, ratio: null, missing: [], unknown: [] });
  });
});

describe('consolidate: schools with blocking errors', () => {
  // B reports more vaccinated staff than staff: R_VACC fails, an error.
  const withError = subs({ B: { VACC: 61 } });

  it('leaves them out of every total by default and says so with an info issue', () => {
    const c = run(withError);
    expect(c.schools.map((s) => [s.code, s.errors, s.included])).toEqual([
      ['A', 0, true],
      ['B', 1, false],
      ['C', 0, true],
      ['D', 0, true],
    ]);
    expect(c.district.schoolCount).toBe(3);
    expect(c.district.values.STUDENTS).toBe(400 + 900 + 300);
    expect(c.district.rates.R_VACC).toMatchObject({ numerator: 38 + 99 + 21, denominator: 40 + 100 + 30 });
    expect(group(c, 'stage', '小学').values.STUDENTS).toBe(400);
    expect(group(c, 'township', '西镇').schoolCount).toBe(1);
    expect(c.issues.filter((i) => i.code === 'school.excluded')).toEqual([
      { code: 'school.excluded', severity: 'info', school: 'B', file: 'B.xlsx', sheet: '填报表', params: { code: 'B', name: '学校B', errors: 1, kinds: 'rule.failed' } },
    ]);
    expect(exclusions(c)).toEqual([{ school: 'B', name: '学校B', file: 'B.xlsx', sheet: '填报表', reason: 'errors', kinds: ['rule.failed'], errors: 1 }]);
    // The validation issues come first, unchanged.
    expect(c.issues.slice(0, -1)).toEqual(validate(withError, DEFS).issues);
  });

  it('includes them with includeSchoolsWithErrors, and then says nothing about exclusion', () => {
    const c = run(withError, DEFS, { includeSchoolsWithErrors: true });
    expect(c.schools.every((s) => s.included)).toBe(true);
    expect(c.district.values.STUDENTS).toBe(2200);
    expect(c.district.values.VACC).toBe(38 + 61 + 99 + 21);
    expect(c.issues.some((i) => i.code === 'school.excluded')).toBe(false);
  });

  it('keeps a school whose error is in a value no output reads: its own stated rate cell', () => {
    // STATED is the school's own vaccination rate (aggregation none, read by no rate): Huizong recomputes it.
    const defs = definitionsWith({
      ...DEFS,
      indicators: [...INDICATORS, ind('STATED', { type: 'percent', aggregation: 'none' })],
      rates: DEFS.rates.map((r) => (r.code === 'R_VACC' ? { ...r, stated: 'STATED' } : r)),
    });
    const c = run(subs({ B: { STATED: { error: '#DIV/0!' } } }), defs);
    const b = c.schools.find((s) => s.code === 'B')!;
    expect(c.issues.some((i) => i.school === 'B' && i.severity === 'error' && i.subject === 'STATED')).toBe(true);
    expect(b).toMatchObject({ errors: 1, included: true });
    expect(c.district.values.STUDENTS).toBe(2200);
    expect(c.issues.some((i) => i.code === 'school.excluded')).toBe(false);
    // The same error in a figure the totals add up does leave the school out.
    const used = run(subs({ B: { STAFF: { error: '#DIV/0!' } } }), defs);
    expect(used.schools.find((s) => s.code === 'B')!.included).toBe(false);
    expect(exclusions(used).map((e) => [e.school, e.kinds])).toEqual([['B', ['value.formula_error']]]);
  });

  it('counts as used every code a rate, dispersion, standard or stage split reads, and not a stated rate', () => {
    const defs = definitionsWith({ ...DEFS, indicators: [...INDICATORS, ind('STATED', { type: 'percent', aggregation: 'none' })] });
    const used = figuresUsed(defs);
    for (const code of ['STUDENTS', 'STAFF', 'VACC', 'AREA', 'HOURS']) expect(used.has(code), code).toBe(true);
    expect(used.has('STATED')).toBe(false);
    expect(used.has('NOTE')).toBe(false);
  });

  it('keeps a school with warnings only', () => {
    const defs = { ...DEFS, rules: [rule('R_VACC', 'VACC', '<=', 'STAFF', { severity: 'warning' })] };
    const c = run(withError, defs);
    expect(c.schools.find((s) => s.code === 'B')).toMatchObject({ errors: 0, warnings: 1, included: true });
    expect(c.district.schoolCount).toBe(4);
  });

  it('leaves them out of the dispersion too', () => {
    // 小学: A 5 m² per student × 400, B 4 × 600 → X̄ = 4.4, S = √((400·0.36 + 600·0.16) ÷ 1000) = √0.24.
    const all = run(subs()).dispersions[0]!;
    expect(all.schoolCount).toBe(2);
    expect(all.mean).toBeCloseTo(4.4, 12);
    expect(all.cv).toBeCloseTo(Math.sqrt(0.24) / 4.4, 12);
    const without = run(withError).dispersions[0]!;
    expect([without.schoolCount, without.cv]).toEqual([1, 0]);
  });
});

describe('consolidate: duplicates are never counted twice', () => {
  const twice = [...subs(), submission('A', { ...TABLE.A!, STUDENTS: 9999 }, { file: 'A-again.xlsx' })];

  it('counts a school that sent two different files in no total until the clerk chooses, then the one chosen, with or without includeSchoolsWithErrors', () => {
    for (const includeSchoolsWithErrors of [false, true]) {
      const c = run(twice, DEFS, { includeSchoolsWithErrors });
      expect(c.district.values.STUDENTS).toBe(2200 - 400);
      expect(c.district.schoolCount).toBe(3);
      expect(c.schools.filter((s) => s.code === 'A').map((s) => [s.file, s.included])).toEqual([
        ['A.xlsx', false],
        ['A-again.xlsx', false],
      ]);
      const chosen = consolidate(validate(twice, DEFS, { keep: [{ file: 'A-again.xlsx' }] }), DEFS, { includeSchoolsWithErrors });
      expect(chosen.district.values.STUDENTS).toBe(2200 - 400 + 9999);
      expect(chosen.district.schoolCount).toBe(4);
    }
  });

  it('does not report the files of a conflict as excluded for errors: each is reported as the conflict it is', () => {
    const c = run(twice);
    expect(c.issues.filter((i) => i.school === 'A').map((i) => [i.code, i.file])).toEqual([
      ['school.duplicate', 'A.xlsx'],
      ['school.duplicate', 'A-again.xlsx'],
    ]);
  });
});

describe('consolidate: the result', () => {
  it('carries the title and period, and the schools in roster order', () => {
    const c = run([...subs()].reverse(), { ...DEFS, period: '2026 秋季' });
    expect(c.title).toEqual(DEFS.title);
    expect(c.period).toBe('2026 秋季');
    expect(c.schools.map((s) => s.code)).toEqual(['A', 'B', 'C', 'D']);
  });

  it('is plain data that survives JSON', () => {
    const c = run(subs());
    expect(JSON.parse(JSON.stringify(c))).toEqual(c);
  });
});

describe('consolidate: the built-in preset on figures from the reports', () => {
  const preset = builtinPreset();
  const roster = [rosterSchool('K1', '幼儿园', '东镇', '城关幼儿园'), rosterSchool('K2', '幼儿园', '西镇', '实验幼儿园'), rosterSchool('K3', '幼儿园', '南镇', '南镇中心幼儿园')];
  const defs: Definitions = { ...preset, roster };
  /**
   * The 2018 national 普惠 figures split across three kindergartens, typed in 万 as bureaus print them:
   * enrolled 1500.12 + 1800.30 + 1356.00 = 4656.42 万; public 1000 + 1200.11 + 700 = 2900.11 万 and
   * inclusive private 150 + 200.12 + 152 = 502.12 万, together 3402.23 万. Staff: 2115 of 2381 vaccinated.
   */
  const kindergartens: Record<string, Record<string, CellValue>> = {
    K1: { STUDENTS: '1500.12万', KG_ENROLLED: '1500.12万', KG_PUBLIC: '1000万', KG_INCLUSIVE_PRIVATE: '150万', TEACHERS: 700, STAFF_TOTAL: 1000, STAFF_VACC: 950 },
    K2: { STUDENTS: '1800.3万', KG_ENROLLED: '1800.30万', KG_PUBLIC: '1200.11万', KG_INCLUSIVE_PRIVATE: '200.12万', TEACHERS: 600, STAFF_TOTAL: 800, STAFF_VACC: 700 },
    K3: { STUDENTS: '1356万', KG_ENROLLED: '1356.00万', KG_PUBLIC: '700万', KG_INCLUSIVE_PRIVATE: '152万', TEACHERS: 400, STAFF_TOTAL: 581, STAFF_VACC: 465 },
  };
  const c = run(Object.entries(kindergartens).map(([code, values]) => submission(code, values)), defs);

  it('checks the published arithmetic: 3402.23 ÷ 4656.42 = 73.1 %, 2115 ÷ 2381 = 88.83 %', () => {
    expect(((3402.23 / 4656.42) * 100).toFixed(1)).toBe('73.1');
    expect(((2115 / 2381) * 100).toFixed(2)).toBe('88.83');
    expect(1500.12 + 1800.3 + 1356).toBeCloseTo(4656.42, 9);
    expect(1000 + 1200.11 + 700 + 150 + 200.12 + 152).toBeCloseTo(3402.23, 9);
  });

  it('reads the 万 figures without errors, only noting the conversion', () => {
    expect(c.issues.filter((i) => i.severity !== 'info')).toEqual([]);
    expect(c.schools.every((s) => s.included)).toBe(true);
    expect(c.schools.map((s) => s.values.KG_ENROLLED)).toEqual([15_001_200, 18_003_000, 13_560_000]);
  });

  it('reproduces 普惠性幼儿园覆盖率 73.1 % as (公办 + 普惠性民办) ÷ 在园, below its 80 % target', () => {
    const r = c.district.rates.R_KG_INCLUSIVE!;
    expect(r.numerator).toBe(34_022_300);
    expect(r.denominator).toBe(46_564_200);
    expect(r.value).toBe((34_022_300 / 46_564_200) * 100);
    expect(roundHalfAway(r.value!, preset.rates.find((x) => x.code === 'R_KG_INCLUSIVE')!.decimals)).toBe(73.1);
    expect(r.status).toBe('not_met');
    expect(group(c, 'stage', '幼儿园').rates.R_KG_INCLUSIVE).toEqual(r);
    expect(c.district.values.KG_ENROLLED).toBe(46_564_200);
  });

  it('reproduces the staff vaccination rate 2115 ÷ 2381 = 88.83 %, not the mean of the schools’ rates', () => {
    const r = c.district.rates.R_STAFF_VACC!;
    expect([r.numerator, r.denominator]).toEqual([2115, 2381]);
    expect(roundHalfAway(r.value!, 2)).toBe(88.83);
    // 95, 87.5 and 80.03 average to 87.51.
    const mean = c.schools.reduce((a, s) => a + s.rates.R_STAFF_VACC!.value!, 0) / 3;
    expect(roundHalfAway(mean, 2)).toBe(87.51);
  });

  it('gives each township its own kindergarten’s coverage', () => {
    expect(group(c, 'township', '西镇').rates.R_KG_INCLUSIVE!.value).toBe((14_002_300 / 18_003_000) * 100);
  });
});

describe('the order of schools', () => {
  it('is the roster’s (a code listed twice by its first place), then the code for schools it does not list; equal codes keep their order', () => {
    const code = fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F');
    fc.assert(
      fc.property(fc.array(code, { maxLength: 6 }), fc.array(code, { maxLength: 12 }), (rosterCodes, schoolCodes) => {
        const roster = rosterCodes.map((c) => rosterSchool(c, '小学'));
        const schools = schoolCodes.map((c, k) => schoolResult({ code: c, name: `${c}${k}` }));
        // By hand: walk the roster, taking each code's schools the first time it is listed, then the rest by code.
        const expected: string[] = [];
        const taken = new Set<string>();
        for (const c of rosterCodes) {
          if (taken.has(c)) continue;
          taken.add(c);
          for (const s of schools) if (s.code === c) expected.push(s.name);
        }
        for (const c of [...new Set(schoolCodes)].filter((x) => !taken.has(x)).sort()) for (const s of schools) if (s.code === c) expected.push(s.name);
        expect(sortSchools(schools, roster).map((s) => s.name)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
