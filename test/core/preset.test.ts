import { describe, expect, it } from 'vitest';
import { builtinPreset } from '../../src/core/preset';
import { parseExpression, referencedCodes } from '../../src/core/expr';

const FIXED = [
  'STUDENTS', 'BOYS', 'GIRLS', 'TEACHERS', 'STAFF_TOTAL', 'STAFF_VACC', 'STAFF_VACC_RATE',
  'KG_AGE_POP', 'KG_ENROLLED', 'KG_PUBLIC', 'KG_INCLUSIVE_PRIVATE',
  'DIS_AGE', 'DIS_ENROLLED', 'AS_OFFERED', 'AS_PARTICIPANTS', 'NM_ELIGIBLE', 'NM_COVERED',
  'SAFE_CLOSED', 'SAFE_GUARDS', 'SAFE_GUARDS_REQUIRED', 'SAFE_CCTV',
  'PE_TESTED', 'PE_EXCELLENT', 'PE_GOOD',
  'AREA_TEACHING', 'AREA_SPORTS', 'EQUIP_VALUE', 'COMPUTERS', 'BOOKS', 'TEACHERS_QUALIFIED', 'TEACHERS_SENIOR', 'TEACHERS_BACKBONE',
];
const RATES = ['R_STAFF_VACC', 'R_KG_GER', 'R_KG_INCLUSIVE', 'R_DIS_ENROL', 'R_AS_PART', 'R_AS_SCHOOLS', 'R_NM_COVER', 'R_SAFE_CLOSED', 'R_SAFE_GUARDS', 'R_SAFE_CCTV', 'R_PE_GOOD', 'R_AREA_PER_STUDENT'];

describe('builtinPreset', () => {
  const p = builtinPreset();
  it('has exactly the fixed indicator and rate codes', () => {
    expect(p.indicators.map((i) => i.code)).toEqual(FIXED);
    expect(p.rates.map((r) => r.code)).toEqual(RATES);
  });
  it('has CV_*_P for 小学 at 0.50 and CV_*_J for 初中 at 0.45, 8 each', () => {
    const prim = p.dispersions.filter((d) => d.code.endsWith('_P'));
    const jun = p.dispersions.filter((d) => d.code.endsWith('_J'));
    expect(prim).toHaveLength(8);
    expect(jun).toHaveLength(8);
    for (const d of prim) expect([d.stages, d.threshold, d.minWeight, d.weight]).toEqual([['小学'], 0.5, 50, 'STUDENTS']);
    for (const d of jun) expect([d.stages, d.threshold, d.minWeight]).toEqual([['初中'], 0.45, 50]);
    expect(p.dispersions.map((d) => d.code)).toContain('CV_COMPUTERS_P');
  });
  it('requires exactly the four core counts', () => {
    expect(p.indicators.filter((i) => i.required).map((i) => i.code)).toEqual(['STUDENTS', 'TEACHERS', 'STAFF_TOTAL', 'STAFF_VACC']);
  });
  it('types flags as 0/1 integers that sum, and the stated rate as a percent that does not', () => {
    for (const c of ['AS_OFFERED', 'SAFE_CLOSED', 'SAFE_CCTV']) {
      const i = p.indicators.find((x) => x.code === c)!;
      expect([i.type, i.min, i.max, i.aggregation]).toEqual(['integer', 0, 1, 'sum']);
    }
    const s = p.indicators.find((x) => x.code === 'STAFF_VACC_RATE')!;
    expect([s.type, s.aggregation, s.max]).toEqual(['percent', 'none', 100]);
  });
  it('every expression parses and refers only to indicator codes', () => {
    const known = new Set(FIXED);
    const exprs = [
      ...p.rules.flatMap((r) => [r.lhs, r.rhs]),
      ...p.rates.flatMap((r) => [r.numerator, r.denominator]),
      ...p.dispersions.flatMap((d) => [d.value, d.weight]),
    ];
    for (const e of exprs) {
      const r = parseExpression(e);
      expect(r.ok, e).toBe(true);
      if (r.ok) for (const c of referencedCodes(r.expr)) expect(known.has(c), `${e}: ${c}`).toBe(true);
    }
  });
  it('has bilingual labels everywhere and targets from the reports', () => {
    for (const x of [...p.indicators, ...p.rates, ...p.dispersions]) {
      expect(x.label.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(x.label.en).toMatch(/[A-Za-z]/);
    }
    for (const r of p.rules) expect(r.message.zh && r.message.en).toBeTruthy();
    const t = Object.fromEntries(p.rates.filter((r) => r.target).map((r) => [r.code, `${r.target!.op}${r.target!.value}`]));
    expect(t).toEqual({ R_KG_INCLUSIVE: '>=80', R_DIS_ENROL: '>=96', R_SAFE_CLOSED: '>=100', R_SAFE_GUARDS: '>=100', R_SAFE_CCTV: '>=100', R_PE_GOOD: '>=40' });
    expect(p.rates.find((r) => r.code === 'R_STAFF_VACC')!.stated).toBe('STAFF_VACC_RATE');
  });
  it('returns a fresh copy each call', () => {
    expect(builtinPreset()).toEqual(builtinPreset());
    expect(builtinPreset().indicators).not.toBe(builtinPreset().indicators);
  });
});
