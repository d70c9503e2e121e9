import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changePct, MAD_SCALE, medianOfSorted, periodChanges, robustOutliers, robustStats, robustZ, type OutlierSubject } from '../../src/core/outliers';
import type { Stage, Value } from '../../src/core/types';
import { ind, param } from './engine-helpers';

function subject(school: string, stage: Stage | undefined, values: Record<string, Value>): OutlierSubject {
  const cells = Object.fromEntries(Object.keys(values).map((c, i) => [c, `D${7 + i}`]));
  return { school, ...(stage !== undefined ? { stage } : {}), file: `${school}.xlsx`, sheet: '填报表', values, cells };
}

describe('robust statistics', () => {
  it('takes the median of odd and even samples', () => {
    expect(medianOfSorted([1, 2, 9])).toBe(2);
    expect(medianOfSorted([1, 2, 4, 9])).toBe(3);
    expect(medianOfSorted([])).toBeNaN();
  });

  it('computes the median and MAD, and the 0.6745-scaled z-score', () => {
    const stats = robustStats([10, 12, 11, 13, 100])!;
    expect(stats).toEqual({ median: 12, mad: 1 });
    expect(robustZ(100, stats)).toBeCloseTo(MAD_SCALE * 88, 12);
    expect(robustZ(12, stats)).toBe(0);
  });

  it('gives nothing for fewer than 5 values or when the MAD is 0', () => {
    expect(robustStats([1, 2, 3, 4])).toBeNull();
    expect(robustStats([5, 5, 5, 5, 6, 90])).toBeNull();
  });

  it('is unaffected by the order of the values (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 5, maxLength: 50 }), (xs) => {
        expect(robustStats([...xs].reverse())).toEqual(robustStats(xs));
      }),
    );
  });

  it('agrees with sorting for any sample, even counts, ties, −0, NaN and infinities included (property)', () => {
    const bySorting = (xs: number[]): { median: number; mad: number } | null => {
      if (xs.length < 5) return null;
      const sorted = Float64Array.from(xs).sort();
      const median = medianOfSorted(sorted);
      const mad = medianOfSorted(sorted.map((x) => Math.abs(x - median)).sort());
      return mad > 0 && Number.isFinite(mad) ? { median, mad } : null;
    };
    const number = fc.oneof(fc.integer({ min: -20, max: 20 }), fc.double(), fc.constantFrom(0, -0, NaN, Infinity, -Infinity));
    fc.assert(
      fc.property(fc.array(number, { maxLength: 60 }), (xs) => {
        expect(robustStats(xs)).toEqual(bySorting(xs));
      }),
      { numRuns: 500 },
    );
  });

  it('measures change against the previous value, and not against 0', () => {
    expect(changePct(150, 100)).toBe(50);
    expect(changePct(40, 100)).toBe(-60);
    expect(changePct(-5, -10)).toBe(50);
    expect(changePct(5, 0)).toBeNull();
  });
});

describe('robustOutliers', () => {
  const indicators = [ind('BOOKS'), ind('NOTE', { type: 'text', aggregation: 'none' })];

  it('flags a value far from the other schools of its stage, at its cell, as a warning', () => {
    const books = [3000, 3100, 2900, 3050, 2950, 30000];
    const subjects = books.map((b, i) => subject(`P${i}`, '小学', { BOOKS: b, NOTE: 'x' }));
    const found = robustOutliers(subjects, indicators, 3.5);
    expect(found).toHaveLength(1);
    expect(found[0]!.at).toBe(5);
    expect(found[0]!.issue).toMatchObject({
      code: 'outlier.robust_z',
      severity: 'warning',
      school: 'P5',
      file: 'P5.xlsx',
      sheet: '填报表',
      cell: 'D7',
      subject: 'BOOKS',
      params: { code: 'BOOKS', value: 30000, expected: 3025, factor: 9.9, stage: '小学' },
    });
    expect(param(found[0]!.issue, 'z')).toBeGreaterThan(3.5);
  });

  it('compares a school only with its own stage', () => {
    const primary = [3000, 3100, 2900, 3050, 2950].map((b, i) => subject(`P${i}`, '小学', { BOOKS: b }));
    const junior = [30000, 31000, 29000, 30500, 29500].map((b, i) => subject(`J${i}`, '初中', { BOOKS: b }));
    expect(robustOutliers([...primary, ...junior], indicators, 3.5)).toEqual([]);
    // Schools of unknown stage form one group of their own.
    const pooled = primary.map((s) => ({ ...s, stage: undefined }));
    expect(robustOutliers([...pooled, ...junior, subject('X', undefined, { BOOKS: 900000 })], indicators, 3.5).map((f) => f.issue.school)).toEqual(['X']);
  });

  it('skips stages with fewer than 5 numbers, zeros and text; peers who all report the same still single out a value 100 times theirs', () => {
    const few = [1, 2, 3, 1000].map((b, i) => subject(`F${i}`, '初中', { BOOKS: b }));
    const zeros = [0, 0, 0, 0, 0, 0, 40].map((b, i) => subject(`Z${i}`, '高中', { BOOKS: b }));
    expect(robustOutliers([...few, ...zeros], indicators, 3.5)).toEqual([]);
    const flat = [5, 5, 5, 5, 5, 500].map((b, i) => subject(`M${i}`, '小学', { BOOKS: b }));
    expect(robustOutliers(flat, indicators, 3.5).map((f) => f.issue.school)).toEqual(['M5']);
  });

  it('queries nothing closer to the peers than twice or half, nor nearer than the change floor', () => {
    const spread = [3000, 3100, 2900, 3050, 2950, 5900].map((b, i) => subject(`P${i}`, '小学', { BOOKS: b }));
    expect(robustOutliers(spread, indicators, 3.5)).toEqual([]);
    const small = [1, 1, 1, 1, 1, 9].map((b, i) => subject(`Q${i}`, '小学', { BOOKS: b }));
    expect(robustOutliers(small, indicators, 3.5)).toEqual([]);
  });

  it('reads values whatever the order of their keys, inherited or hidden ones included', () => {
    const books = [3000, 3100, 2900, 3050, 2950, 30000, 20];
    const plain = books.map((b, i) => subject(`P${i}`, '小学', { NOTE: 'x', BOOKS: b }));
    const mixed = plain.map((s, i) => {
      if (i === 1) return { ...s, values: { BOOKS: 3100, NOTE: 'x' } };
      if (i === 5) return { ...s, values: Object.assign(Object.create({ BOOKS: 30000 }) as Record<string, Value>, { NOTE: 'x' }) };
      if (i === 6) return { ...s, values: Object.defineProperty({ NOTE: 'x' }, 'BOOKS', { value: 20, enumerable: false }) };
      return s;
    });
    const found = robustOutliers(plain, indicators, 3.5);
    expect(found.map((f) => f.at)).toEqual([5, 6]);
    expect(robustOutliers(mixed, indicators, 3.5)).toEqual(found);
  });

  it('lists findings in subject order', () => {
    const subjects = [90000, 3000, 3100, 2900, 3050, 2950, 80000].map((b, i) => subject(`S${i}`, '小学', { BOOKS: b }));
    expect(robustOutliers(subjects, indicators, 3.5).map((f) => f.at)).toEqual([0, 6]);
  });
});

describe('periodChanges', () => {
  const indicators = [ind('BOOKS'), ind('STUDENTS')];

  it('flags a change of more than the threshold, up or down, with value, previous and change', () => {
    const subjects = [subject('A', '小学', { BOOKS: 3000, STUDENTS: 400 }), subject('B', '小学', { BOOKS: 1000, STUDENTS: 500 })];
    const found = periodChanges(subjects, indicators, { A: { BOOKS: 1000, STUDENTS: 390 }, B: { BOOKS: 2000, STUDENTS: 500 } }, 50);
    // A: 1000 → 3000 is +200 %; B: 2000 → 1000 is exactly −50 %, not beyond the threshold; students barely moved.
    expect(found.map((f) => [f.at, f.issue.subject, param(f.issue, 'changePct')])).toEqual([[0, 'BOOKS', 200]]);
    const fell = periodChanges(subjects, indicators, { B: { BOOKS: 2500 } }, 50);
    expect(fell.map((f) => param(f.issue, 'changePct'))).toEqual([-60]);
    expect(found[0]!.issue).toMatchObject({ code: 'outlier.period_change', severity: 'warning', school: 'A', cell: 'D7', params: { value: 3000, previous: 1000, change: 200 } });
  });

  it('says nothing when the previous period lacks the school, the value, or had 0', () => {
    const subjects = [subject('A', '小学', { BOOKS: 3000, STUDENTS: 400 })];
    expect(periodChanges(subjects, indicators, {}, 50)).toEqual([]);
    expect(periodChanges(subjects, indicators, { A: { BOOKS: null } }, 50)).toEqual([]);
    expect(periodChanges(subjects, indicators, { A: { BOOKS: 0, STUDENTS: 0 } }, 50)).toEqual([]);
    expect(periodChanges([subject('constructor', '小学', { BOOKS: 1 })], indicators, {}, 50)).toEqual([]);
  });

  it('uses the threshold given: exactly the threshold is not flagged', () => {
    const subjects = [subject('A', '小学', { BOOKS: 150 })];
    expect(periodChanges(subjects, indicators, { A: { BOOKS: 100 } }, 50)).toEqual([]);
    expect(periodChanges(subjects, indicators, { A: { BOOKS: 100 } }, 49)).toHaveLength(1);
  });
});

describe('the default outlier threshold', () => {
  it('queries a value just above z = 3.5 and not one just below, when validate is given no threshold', async () => {
    const { validate, DEFAULT_OUTLIER_Z } = await import('../../src/core/validate');
    const { definitionsWith, submission } = await import('./engine-helpers');
    expect(DEFAULT_OUTLIER_Z).toBe(3.5);
    const defs = definitionsWith({ indicators: [ind('X', { type: 'decimal' })], rules: [], rates: [], dispersions: [], roster: [] });
    // On a log scale: ln 100 + d for d = −0.4 … 0.3 and the last value; the median stays at d = 0 and the MAD at 0.2,
    // so z = 0.6745 × d ÷ 0.2 is 3.5 at d ≈ 1.0378 (2.8 times the median: beyond twice, so z alone decides).
    const flagged = (d: number): boolean => {
      const subs = [-0.4, -0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3, d].map((v, k) => submission(`S${k}`, { X: 100 * Math.exp(v) }));
      return validate(subs, defs).issues.some((i) => i.code === 'outlier.robust_z' && i.school === 'S8');
    };
    const at = (3.5 * 0.2) / MAD_SCALE;
    expect(flagged(at - 0.01)).toBe(false);
    expect(flagged(at + 0.01)).toBe(true);
  });
});
