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
  'TEACHERS_PE_ART', 'MULTIMEDIA_ROOMS', 'STUDENTS_PRIMARY', 'STUDENTS_JUNIOR', 'STUDENTS_SENIOR',
];
const RATES = ['R_STAFF_VACC', 'R_KG_GER', 'R_KG_INCLUSIVE', 'R_DIS_ENROL', 'R_AS_PART', 'R_AS_SCHOOLS', 'R_NM_COVER', 'R_SAFE_CLOSED', 'R_SAFE_GUARDS', 'R_SAFE_CCTV', 'R_PE_GOOD', 'R_AREA_PER_STUDENT'];

describe('builtinPreset', () => {
  const p = builtinPreset();
  it('has exactly the fixed indicator and rate codes', () => {
    expect(p.indicators.map((i) => i.code)).toEqual(FIXED);
    expect(p.rates.map((r) => r.code)).toEqual(RATES);
  });
  it('has 基本均衡 as 8 indicators held by their 综合 to 0.65 / 0.55, and no stray single CVs', () => {
    const basic = p.standards!.find((x) => x.code === 'BASIC')!;
    expect([basic.test, basic.thresholds, basic.minWeight, basic.weight]).toEqual(['composite', { 小学: 0.65, 初中: 0.55 }, 50, 'STUDENTS']);
    expect(basic.indicators.map((i) => i.code)).toEqual(['L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'L7', 'L8']);
    expect(basic.indicators.every((i) => i.floors === undefined)).toBe(true);
    expect(basic.indicators.map((i) => i.label.zh)).toContain('每百名学生拥有计算机台数');
    expect(p.dispersions).toEqual([]);
  });
  it('has 优质均衡 as 7 indicators, each CV held to 0.50 / 0.45, with the floors of 教督〔2017〕6号', () => {
    const quality = p.standards!.find((x) => x.code === 'QUALITY')!;
    expect([quality.test, quality.thresholds, quality.minWeight]).toEqual(['each', { 小学: 0.5, 初中: 0.45 }, 50]);
    expect(quality.indicators.map((i) => [i.value, i.floors])).toEqual([
      ['TEACHERS_QUALIFIED / STUDENTS * 100', { 小学: 4.2, 初中: 5.3 }],
      ['TEACHERS_BACKBONE / STUDENTS * 100', { 小学: 1, 初中: 1 }],
      ['TEACHERS_PE_ART / STUDENTS * 100', { 小学: 0.9, 初中: 0.9 }],
      ['AREA_TEACHING / STUDENTS', { 小学: 4.5, 初中: 5.8 }],
      ['AREA_SPORTS / STUDENTS', { 小学: 7.5, 初中: 10.2 }],
      ['EQUIP_VALUE / STUDENTS', { 小学: 2000, 初中: 2500 }],
      ['MULTIMEDIA_ROOMS / STUDENTS * 100', { 小学: 2.3, 初中: 2.4 }],
    ]);
    expect(p.stageStudents).toEqual({ 小学: 'STUDENTS_PRIMARY', 初中: 'STUDENTS_JUNIOR', 高中: 'STUDENTS_SENIOR' });
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
      ...p.standards!.flatMap((st) => [st.weight, ...st.indicators.map((i) => i.value)]),
      ...Object.values(p.stageStudents!),
    ];
    for (const e of exprs) {
      const r = parseExpression(e);
      expect(r.ok, e).toBe(true);
      if (r.ok) for (const c of referencedCodes(r.expr)) expect(known.has(c), `${e}: ${c}`).toBe(true);
    }
  });
  it('has bilingual labels everywhere and targets from the reports', () => {
    for (const x of [...p.indicators, ...p.rates, ...p.standards!, ...p.standards!.flatMap((st) => st.indicators)]) {
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
