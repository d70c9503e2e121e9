/**
 * Invariants of validation and consolidation over generated districts (fast-check). Expected figures
 * are computed from the generated input, not from the engine's own per-school results: which schools
 * count is predicted from the rules (unknown code, blank required value, more vaccinated than staff).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { consolidate } from '../../src/core/consolidate';
import type { Consolidation, ConsolidateOptions, Definitions, School, Stage, Submission } from '../../src/core/types';
import { validate } from '../../src/core/validate';
import { definitionsWith, ind, rate, rosterSchool, rule, submission } from './engine-helpers';

const STAGES: readonly Stage[] = ['幼儿园', '小学', '初中', '九年一贯制'];
const TOWNS = ['东镇', '西镇', '南镇'] as const;
const SUMS = ['STUDENTS', 'STAFF', 'VACC', 'AREA'] as const;

const DEFS: Definitions = definitionsWith({
  indicators: [
    ind('STUDENTS', { required: true }),
    ind('STAFF'),
    ind('VACC'),
    ind('AREA', { type: 'decimal' }),
    ind('HOURS', { type: 'decimal', aggregation: 'mean' }),
    ind('CLASSES', { aggregation: 'max' }),
    ind('ROOM', { type: 'decimal', aggregation: 'min' }),
  ],
  rules: [rule('R_VACC', 'VACC', '<=', 'STAFF')],
  rates: [rate('R_VACC', 'VACC', 'STAFF', { decimals: 2, target: { op: '>=', value: 90 } }), rate('R_AREA', 'AREA', 'STUDENTS', { factor: 1 })],
  dispersions: [{ code: 'CV_AREA', label: { zh: '差异系数', en: 'CV' }, value: 'AREA / STUDENTS', weight: 'STUDENTS', stages: ['小学', '初中'], minWeight: 50 }],
});

interface GenSchool {
  readonly code: string;
  readonly stage: Stage;
  readonly town: (typeof TOWNS)[number];
  readonly inRoster: boolean;
  readonly values: Readonly<Record<string, number | null>>;
}

const count = fc.option(fc.integer({ min: 0, max: 5000 }), { nil: null, freq: 8 });
/** Decimals with 2 places, as areas are typed. */
const decimal = fc.option(fc.integer({ min: 0, max: 500_000 }).map((n) => n / 100), { nil: null, freq: 8 });

const schoolArb: fc.Arbitrary<GenSchool> = fc.record({
  code: fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')),
  stage: fc.constantFrom(...STAGES),
  town: fc.constantFrom(...TOWNS),
  inRoster: fc.integer({ min: 0, max: 9 }).map((n) => n > 0),
  values: fc.record({ STUDENTS: count, STAFF: count, VACC: count, AREA: decimal, HOURS: decimal, CLASSES: count, ROOM: decimal }),
});

/** Unique school codes (a duplicate submission is kept by order on purpose, see validate.test.ts). */
const districtArb = fc.uniqueArray(schoolArb, { selector: (s) => s.code, minLength: 1, maxLength: 25 });

function definitionsFor(schools: readonly GenSchool[], missing = 0): Definitions {
  const roster: School[] = schools.filter((s) => s.inRoster).map((s) => rosterSchool(s.code, s.stage, s.town));
  for (let i = 0; i < missing; i++) roster.push(rosterSchool(`M${i}`, '小学', '东镇'));
  return { ...DEFS, roster };
}

function submissionsFor(schools: readonly GenSchool[]): Submission[] {
  return schools.map((s) => submission(s.code, s.values));
}

function pipeline(schools: readonly GenSchool[], defs: Definitions, options: ConsolidateOptions = {}): Consolidation {
  return consolidate(validate(submissionsFor(schools), defs), defs, options);
}

/**
 * Whether a school counts, predicted from the input: known (in the roster, or there is no roster),
 * students given, not more vaccinated than staff.
 */
function counts(s: GenSchool, defs: Definitions, includeErrors = false): boolean {
  if (includeErrors) return true;
  const { STUDENTS, STAFF, VACC } = s.values;
  const known = s.inRoster || defs.roster.length === 0;
  return known && STUDENTS !== null && !(STAFF != null && VACC != null && VACC > STAFF);
}

function sumOf(schools: readonly GenSchool[], code: string): number | null {
  const xs = schools.map((s) => s.values[code]).filter((v): v is number => typeof v === 'number');
  return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0);
}

describe('properties of consolidation', () => {
  it('a district total (sum) is the sum of the schools that count, and only they count', () => {
    fc.assert(
      fc.property(districtArb, fc.boolean(), (schools, includeSchoolsWithErrors) => {
        const defs = definitionsFor(schools);
        const c = pipeline(schools, defs, { includeSchoolsWithErrors });
        const members = schools.filter((s) => counts(s, defs, includeSchoolsWithErrors));
        expect(c.schools.filter((s) => s.included).map((s) => s.code).sort()).toEqual(members.map((s) => s.code).sort());
        expect(c.district.schoolCount).toBe(members.length);
        for (const code of ['STUDENTS', 'STAFF', 'VACC']) expect([code, c.district.values[code]]).toEqual([code, sumOf(members, code)]);
        const area = sumOf(members, 'AREA');
        if (area === null) expect(c.district.values.AREA).toBeNull();
        else expect(c.district.values.AREA).toBeCloseTo(area, 6);
      }),
    );
  });

  it('the order of the submissions does not matter', () => {
    const withOrder = districtArb.chain((schools) => fc.tuple(fc.constant(schools), fc.shuffledSubarray(schools, { minLength: schools.length, maxLength: schools.length })));
    fc.assert(
      fc.property(withOrder, fc.integer({ min: 0, max: 2 }), ([schools, shuffled], missing) => {
        const defs = definitionsFor(schools, missing);
        const a = pipeline(schools, defs);
        const b = pipeline(shuffled, defs);
        expect(b.district).toEqual(a.district);
        expect(b.groups).toEqual(a.groups);
        expect(b.dispersions).toEqual(a.dispersions);
        expect(b.completeness).toEqual(a.completeness);
        expect(b).toEqual(a);
      }),
    );
  });

  it('consolidating twice gives the same result, and leaves its input alone', () => {
    fc.assert(
      fc.property(districtArb, fc.boolean(), (schools, includeSchoolsWithErrors) => {
        const defs = definitionsFor(schools, 1);
        const validation = validate(submissionsFor(schools), defs);
        const before = structuredClone(validation);
        const once = consolidate(validation, defs, { includeSchoolsWithErrors });
        const twice = consolidate(validation, defs, { includeSchoolsWithErrors });
        expect(twice).toEqual(once);
        expect(validation).toEqual(before);
        expect(pipeline(schools, defs, { includeSchoolsWithErrors })).toEqual(once);
        // Fed its own schools back, the totals do not move (schools already left out stay out).
        const again = consolidate({ schools: once.schools, issues: [] }, defs, { includeSchoolsWithErrors });
        expect([again.district, again.groups, again.dispersions, again.completeness]).toEqual([once.district, once.groups, once.dispersions, once.completeness]);
      }),
    );
  });

  it('a district rate is Σ numerator ÷ Σ denominator × factor, between the lowest and highest school rate', () => {
    fc.assert(
      fc.property(districtArb, (schools) => {
        const defs = definitionsFor(schools);
        const c = pipeline(schools, defs);
        const both = schools.filter((s) => counts(s, defs) && s.values.VACC !== null && s.values.STAFF !== null);
        const num = both.reduce((a, s) => a + s.values.VACC!, 0);
        const den = both.reduce((a, s) => a + s.values.STAFF!, 0);
        const r = c.district.rates.R_VACC!;
        if (both.length === 0) {
          expect(r).toEqual({ numerator: null, denominator: null, value: null, status: 'undefined' });
          return;
        }
        expect([r.numerator, r.denominator]).toEqual([num, den]);
        expect(r.value).toBe(den === 0 ? null : (num / den) * 100);
        const rates = both.filter((s) => s.values.STAFF! > 0).map((s) => (s.values.VACC! / s.values.STAFF!) * 100);
        if (r.value !== null) {
          expect(r.value).toBeGreaterThanOrEqual(Math.min(...rates) - 1e-9);
          expect(r.value).toBeLessThanOrEqual(Math.max(...rates) + 1e-9);
        }
      }),
    );
  });

  it('a district rate is not the mean of school rates: a counterexample', () => {
    // 1 of 10 and 90 of 100: the rates are 10 % and 90 %, their mean 50 %; the district has 91 of 110.
    const schools: GenSchool[] = [
      { code: 'A', stage: '小学', town: '东镇', inRoster: true, values: { STUDENTS: 100, STAFF: 10, VACC: 1 } },
      { code: 'B', stage: '小学', town: '东镇', inRoster: true, values: { STUDENTS: 900, STAFF: 100, VACC: 90 } },
    ];
    const c = pipeline(schools, definitionsFor(schools));
    const mean = (c.schools[0]!.rates.R_VACC!.value! + c.schools[1]!.rates.R_VACC!.value!) / 2;
    expect(mean).toBe(50);
    expect(c.district.rates.R_VACC!.value).toBe((91 / 110) * 100);
    expect(c.district.rates.R_VACC!.value).toBeCloseTo(82.73, 2);
  });

  it('differs from the mean of two school rates whenever both the rates and the denominators differ', () => {
    const pair = fc.record({ staff: fc.integer({ min: 1, max: 5000 }), share: fc.double({ min: 0, max: 1, noNaN: true }) });
    fc.assert(
      fc.property(pair, pair, (p, q) => {
        const vacc = (x: { staff: number; share: number }): number => Math.floor(x.staff * x.share);
        const schools: GenSchool[] = [p, q].map((x, i) => ({ code: `S${i}`, stage: '小学', town: '东镇', inRoster: true, values: { STUDENTS: 100, STAFF: x.staff, VACC: vacc(x) } }));
        const [ra, rb] = schools.map((s) => s.values.VACC! / s.values.STAFF!);
        const district = pipeline(schools, definitionsFor(schools)).district.rates.R_VACC!.value!;
        const mean = ((ra! + rb!) / 2) * 100;
        if (p.staff === q.staff) expect(district).toBeCloseTo(mean, 9);
        else if (ra !== rb) expect(Math.abs(district - mean)).toBeGreaterThan(1e-11);
        else expect(district).toBeCloseTo(mean, 9);
      }),
    );
  });

  it('stage and township subtotals of a sum indicator add up to the district total', () => {
    fc.assert(
      fc.property(districtArb, (schools) => {
        // With a roster (here at least one school that never submits), every school that counts has a stage and a township.
        const c = pipeline(schools, definitionsFor(schools, 1));
        for (const kind of ['stage', 'township'] as const) {
          const groups = c.groups.filter((g) => g.kind === kind);
          expect(groups.reduce((a, g) => a + g.schoolCount, 0)).toBe(c.district.schoolCount);
          for (const code of SUMS) {
            const parts = groups.map((g) => g.values[code]).filter((v): v is number => v !== null);
            const total = c.district.values[code];
            if (parts.length === 0) expect(total ?? null).toBeNull();
            else if (code === 'AREA') expect(parts.reduce((a, b) => a + b, 0)).toBeCloseTo(total!, 6);
            else expect([kind, code, parts.reduce((a, b) => a + b, 0)]).toEqual([kind, code, total]);
          }
          const num = groups.reduce((a, g) => a + (g.rates.R_VACC!.numerator ?? 0), 0);
          expect(num).toBe(c.district.rates.R_VACC!.numerator ?? 0);
        }
      }),
    );
  });
});
