import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeDispersions, weightedCv } from '../../src/core/dispersion';
import type { Definitions, Dispersion, SchoolResult, Stage, Value } from '../../src/core/types';
import { definitionsWith, schoolResult } from './engine-helpers';

/**
 * The published worked example (县域义务教育校际均衡指标计算方法, 以生均图书册数为例): five primary
 * schools, 302 students and 1,913 books. Per-school data as printed in that handout:
 * 小学1 45/279, 小学2 37/137, 小学3 89/935, 小学4 76/160, 小学5 55/402 (total 302/1913, X̄ 6.33),
 * summed differences 10.65, √ = 3.26, CV 0.52. Found at m.777doc.com/doc-2019910.html.
 */
const BOOKS_EXAMPLE = [
  { students: 45, books: 279 },
  { students: 37, books: 137 },
  { students: 89, books: 935 },
  { students: 76, books: 160 },
  { students: 55, books: 402 },
];

/** An independent reference written differently: the variance as E[X²] − X̄² over weights normalised to 1. */
function referenceCv(points: { value: number; weight: number }[]): number {
  const p = points.reduce((a, x) => a + x.weight, 0);
  const shares = points.map((x) => x.weight / p);
  const mean = points.reduce((a, x, i) => a + shares[i]! * x.value, 0);
  const meanSq = points.reduce((a, x, i) => a + shares[i]! * x.value * x.value, 0);
  return Math.sqrt(Math.max(0, meanSq - mean * mean)) / mean;
}

describe('weightedCv', () => {
  it('reproduces the worked 差异系数 example: X̄ = 6.334, CV = 0.515 (published as 0.52)', () => {
    expect(BOOKS_EXAMPLE.reduce((a, s) => a + s.students, 0)).toBe(302);
    expect(BOOKS_EXAMPLE.reduce((a, s) => a + s.books, 0)).toBe(1913);
    const r = weightedCv(BOOKS_EXAMPLE.map((s) => ({ value: s.books / s.students, weight: s.students })))!;
    expect(r.mean).toBeCloseTo(1913 / 302, 12);
    expect(r.mean.toFixed(3)).toBe('6.334');
    expect(r.sd ** 2).toBeCloseTo(10.6528, 4); // Σ Pᵢ(Xᵢ − X̄)² ÷ P, the handout's 10.65
    expect(r.cv.toFixed(3)).toBe('0.515');
    expect(r.cv.toFixed(2)).toBe('0.52');
  });

  it('is the plain CV when all weights are equal', () => {
    const r = weightedCv([2, 4, 4, 4, 5, 5, 7, 9].map((value) => ({ value, weight: 1 })))!;
    expect(r.mean).toBe(5);
    expect(r.sd).toBe(2);
    expect(r.cv).toBe(0.4);
  });

  it('weights by students, so X̄ is Σ resource ÷ Σ students and not the mean of per-student values', () => {
    const r = weightedCv([
      { value: 10, weight: 100 },
      { value: 2, weight: 300 },
    ])!;
    expect(r.mean).toBe(4); // (1000 + 600) ÷ 400, not (10 + 2) ÷ 2
  });

  it('is null without points, without weight, or with a zero mean; 0 for identical schools', () => {
    expect(weightedCv([])).toBeNull();
    expect(weightedCv([{ value: 3, weight: 0 }])).toBeNull();
    expect(weightedCv([{ value: 0, weight: 10 }])).toBeNull();
    expect(weightedCv([{ value: 3, weight: 10 }, { value: 3, weight: 90 }])).toEqual({ mean: 3, sd: 0, cv: 0 });
  });

  it('agrees with an independent E[X²] − X̄² computation (property)', () => {
    const point = fc.record({ value: fc.double({ min: 0.01, max: 1000, noNaN: true }), weight: fc.integer({ min: 1, max: 5000 }) });
    fc.assert(
      fc.property(fc.array(point, { minLength: 1, maxLength: 40 }), (points) => {
        const r = weightedCv(points)!;
        expect(r.cv).toBeCloseTo(referenceCv(points), 6);
      }),
    );
  });

  it('does not change when the schools are listed in another order or weights are scaled (property)', () => {
    const point = fc.record({ value: fc.double({ min: 0.1, max: 100, noNaN: true }), weight: fc.integer({ min: 1, max: 1000 }) });
    fc.assert(
      fc.property(fc.array(point, { minLength: 2, maxLength: 30 }), fc.integer({ min: 2, max: 9 }), (points, k) => {
        const a = weightedCv(points)!;
        const b = weightedCv([...points].reverse())!;
        const c = weightedCv(points.map((p) => ({ value: p.value, weight: p.weight * k })))!;
        expect(b.cv).toBeCloseTo(a.cv, 9);
        expect(c.cv).toBeCloseTo(a.cv, 9);
      }),
    );
  });
});

const BOOKS_CV: Dispersion = {
  code: 'CV_BOOKS_P',
  label: { zh: '生均图书册数差异系数（小学）', en: 'CV of books per student (primary)' },
  value: 'BOOKS / STUDENTS',
  weight: 'STUDENTS',
  stages: ['小学'],
  minWeight: 50,
  threshold: 0.5,
};

function school(code: string, stage: Stage | undefined, values: Record<string, Value>): SchoolResult {
  return schoolResult({ code, ...(stage !== undefined ? { stage } : {}), values });
}

describe('computeDispersions', () => {
  const defs = (d: Dispersion = { ...BOOKS_CV, minWeight: 0 }): Definitions => definitionsWith({ dispersions: [d] });

  it('computes the worked example from school values through the dispersion definition', () => {
    const schools = BOOKS_EXAMPLE.map((s, i) => school(`S${i + 1}`, '小学', { STUDENTS: s.students, BOOKS: s.books }));
    const [r] = computeDispersions(schools, defs());
    expect(r!.schoolCount).toBe(5);
    expect(r!.mean!.toFixed(3)).toBe('6.334');
    expect(r!.cv!.toFixed(3)).toBe('0.515');
    expect(r!.threshold).toBe(0.5);
    expect(r!.met).toBe(false);
    expect(r!.excluded).toEqual([]);
  });

  it('leaves out schools under the minimum weight, with missing values, of other stages, and 特教 always', () => {
    const schools = [
      school('A', '小学', { STUDENTS: 400, BOOKS: 8000 }),
      school('B', '小学', { STUDENTS: 600, BOOKS: 9000 }),
      school('SMALL', '小学', { STUDENTS: 49, BOOKS: 1000 }),
      school('NOBOOKS', '小学', { STUDENTS: 300, BOOKS: null }),
      school('NOSTUDENTS', '小学', { STUDENTS: null, BOOKS: 300 }),
      school('ZERO', '小学', { STUDENTS: 0, BOOKS: 0 }),
      school('JUNIOR', '初中', { STUDENTS: 900, BOOKS: 1 }),
      school('SPECIAL', '特教', { STUDENTS: 120, BOOKS: 3000 }),
      school('NOSTAGE', undefined, { STUDENTS: 500, BOOKS: 5000 }),
    ];
    const [r] = computeDispersions(schools, definitionsWith({ dispersions: [{ ...BOOKS_CV, stages: ['小学', '特教'] }] }));
    expect(r!.schoolCount).toBe(2);
    expect(r!.mean).toBe(17000 / 1000);
    expect(r!.excluded).toEqual([
      { school: 'SMALL', reason: 'below_min_weight' },
      { school: 'NOBOOKS', reason: 'missing_value' },
      { school: 'NOSTUDENTS', reason: 'missing_value' },
      { school: 'ZERO', reason: 'below_min_weight' },
      { school: 'SPECIAL', reason: 'special_education' },
      { school: 'NOSTAGE', reason: 'stage' },
    ]);
  });

  it('gives null figures and met = null when no school takes part', () => {
    const [r] = computeDispersions([school('J', '初中', { STUDENTS: 100, BOOKS: 10 })], defs(BOOKS_CV));
    expect(r).toEqual({ code: 'CV_BOOKS_P', schoolCount: 0, mean: null, sd: null, cv: null, threshold: 0.5, met: null, excluded: [] });
  });

  it('reports met against the threshold, and met = null without one', () => {
    const even = [school('A', '小学', { STUDENTS: 100, BOOKS: 2000 }), school('B', '小学', { STUDENTS: 100, BOOKS: 2200 })];
    expect(computeDispersions(even, defs(BOOKS_CV))[0]!.met).toBe(true);
    const { threshold: _t, ...noThreshold } = BOOKS_CV;
    const [r] = computeDispersions(even, defs(noThreshold));
    expect(r!.met).toBeNull();
    expect(r).not.toHaveProperty('threshold');
  });

  it('handles a dispersion whose expression does not parse as having no school', () => {
    const [r] = computeDispersions([school('A', '小学', { STUDENTS: 100, BOOKS: 2000 })], defs({ ...BOOKS_CV, value: 'BOOKS /' }));
    expect(r!.cv).toBeNull();
    expect(r!.excluded).toEqual([{ school: 'A', reason: 'missing_value' }]);
  });
});
