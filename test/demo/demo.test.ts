import { describe, expect, it } from 'vitest';
import { evaluate, parseExpression } from '../../src/core/expr';
import { assessEquity } from '../../src/core/equity';
import { schoolResult } from '../core/engine-helpers';
import { PLANTED_SHORTFALLS, generateDistrictSchools, generateManySchools, mulberry32, planDemoDistrict, fullWidth } from '../../src/demo';
import { planToGrid } from '../../src/workbook';

const demo = planDemoDistrict(2026);

function ratio(num: (v: Record<string, number | null>) => number, den: (v: Record<string, number | null>) => number, codes?: (s: (typeof demo.schools)[number]) => boolean): number {
  const list = demo.schools.filter((s) => codes?.(s) ?? true);
  const n = list.reduce((a, s) => a + num(s.values as Record<string, number | null>), 0);
  const d = list.reduce((a, s) => a + den(s.values as Record<string, number | null>), 0);
  return (n / d) * 100;
}

describe('the demo district', () => {
  it('is the same for the same seed and different for another', () => {
    expect(generateDistrictSchools(2026)).toEqual(generateDistrictSchools(2026));
    expect(planDemoDistrict(2026).expectedMistakes).toEqual(demo.expectedMistakes);
    expect(generateDistrictSchools(7)).not.toEqual(generateDistrictSchools(2026));
    const a = mulberry32(1);
    const b = mulberry32(1);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });

  it('has at least 40 schools across stages and townships, with 10-digit text codes', () => {
    expect(demo.roster.length).toBeGreaterThanOrEqual(40);
    const stages = new Set(demo.roster.map((s) => s.stage));
    for (const st of ['小学', '初中', '九年一贯制', '幼儿园', '特教']) expect(stages.has(st as never)).toBe(true);
    expect(new Set(demo.roster.map((s) => s.township)).size).toBeGreaterThanOrEqual(5);
    for (const s of demo.roster) expect(s.code).toMatch(/^\d{10}$/);
    expect(demo.roster.some((s) => s.code.startsWith('0'))).toBe(true);
    expect(new Set(demo.roster.map((s) => s.code)).size).toBe(demo.roster.length);
    expect(demo.definitions.roster).toEqual(demo.roster);
  });

  it('gives true values that pass every preset rule', () => {
    for (const s of demo.schools) {
      const lookup = (code: string): number | null => s.values[code] ?? null;
      for (const rule of demo.definitions.rules) {
        const l = parseExpression(rule.lhs);
        const r = parseExpression(rule.rhs);
        if (!l.ok || !r.ok) throw new Error(rule.id);
        const lv = evaluate(l.expr, lookup);
        const rv = evaluate(r.expr, lookup);
        if (typeof lv !== 'number' || typeof rv !== 'number') continue;
        const ok = { '==': lv === rv, '!=': lv !== rv, '<': lv < rv, '<=': lv <= rv, '>': lv > rv, '>=': lv >= rv }[rule.op];
        expect(ok, `${s.name} ${rule.id}`).toBe(true);
      }
      expect(s.values.STUDENTS).toBeGreaterThan(0);
      expect((s.values.BOYS ?? 0) + (s.values.GIRLS ?? 0)).toBe(s.values.STUDENTS);
    }
  });

  it('gives realistic district rates', () => {
    const v = ratio((x) => x.STAFF_VACC ?? 0, (x) => x.STAFF_TOTAL ?? 0);
    expect(v).toBeGreaterThan(85);
    expect(v).toBeLessThan(95);
    const pe = ratio((x) => (x.PE_EXCELLENT ?? 0) + (x.PE_GOOD ?? 0), (x) => x.PE_TESTED ?? 0);
    expect(pe).toBeGreaterThan(40);
    expect(pe).toBeLessThan(60);
    const dis = ratio((x) => x.DIS_ENROLLED ?? 0, (x) => x.DIS_AGE ?? 0);
    expect(dis).toBeGreaterThan(95);
    expect(dis).toBeLessThan(99.5);
    const kg = ratio((x) => (x.KG_PUBLIC ?? 0) + (x.KG_INCLUSIVE_PRIVATE ?? 0), (x) => x.KG_ENROLLED ?? 0);
    expect(kg).toBeGreaterThan(70);
    // Nutrition meals only in rural schools.
    for (const s of demo.schools) if (!s.rural) expect(s.values.NM_ELIGIBLE ?? null).toBeNull();
    expect(demo.schools.filter((s) => s.stage === '幼儿园').every((s) => s.values.PE_TESTED === undefined)).toBe(true);
  });

  it('injects each kind of mistake DOMAIN.md lists, each at a cell of the file it names', () => {
    const codes = demo.expectedMistakes.map((m) => m.code);
    for (const c of [
      'value.coerced',
      'value.percent_as_fraction',
      'rule.failed',
      'rate.stated_mismatch',
      'rate.stated_rounding',
      'value.formula_error',
      'value.code_as_number',
      'outlier.robust_z',
      'school.duplicate_superseded',
      'school.duplicate_identical',
      'school.name_mismatch',
      'school.unknown',
      'school.missing',
    ] as const) {
      expect(codes, c).toContain(c);
    }
    const whats = demo.expectedMistakes.map((m) => m.what).join(' | ');
    for (const w of ['full-width', 'thousands', '万', 'fraction', 'more than staff', 'boys + girls', '88.84', '93.5', 'extra digit', '万元', '— for zero', '无 for zero', 'inserted row', 'moved', 'number', '#DIV/0!']) expect(whats).toContain(w);
    const names = new Set(demo.sheets.map((s) => s.name));
    for (const m of demo.expectedMistakes) {
      if (m.file === undefined) {
        expect(m.code).toBe('school.missing');
        continue;
      }
      expect(names.has(m.file), m.file).toBe(true);
    }
  });

  it('puts the typed text where the mistake says', () => {
    const grid = (file: string) => planToGrid(demo.sheets.find((s) => s.name === file)!.plan);
    const at = (file: string, cell: string) => {
      const m = /^([A-Z]+)(\d+)$/.exec(cell)!;
      return grid(file).values[Number(m[2]) - 1]![m[1]!.charCodeAt(0) - 65];
    };
    const fw = demo.expectedMistakes.find((m) => m.what === 'full-width digits')!;
    expect(at(fw.file!, fw.cell!)).toBe(fullWidth(demo.schools.find((s) => s.code === fw.school)!.values.STUDENTS!));
    const frac = demo.expectedMistakes.find((m) => m.code === 'value.percent_as_fraction')!;
    const fv = at(frac.file!, frac.cell!) as number;
    expect(fv).toBeGreaterThan(0.8);
    expect(fv).toBeLessThan(1);
    const div = demo.expectedMistakes.find((m) => m.code === 'value.formula_error')!;
    expect(at(div.file!, div.cell!)).toEqual({ error: '#DIV/0!' });
    const num = demo.expectedMistakes.find((m) => m.code === 'value.code_as_number')!;
    expect(at(num.file!, num.cell!)).toBe(Number(num.school));
    expect(String(Number(num.school)).length).toBeLessThan(10);
    const moved = demo.driftFiles.find((d) => d.drift === 'moved_column')!;
    expect(grid(moved.file).values.find((r) => r.includes('数值'))).toEqual(['代码', '指标', '数值', '单位']);
  });

  it('names the sheet of every planted mistake it locates at a cell: the sheet of that file', () => {
    const located = demo.expectedMistakes.filter((m) => m.cell !== undefined);
    expect(located.length).toBeGreaterThan(10);
    for (const m of located) expect(m.sheet, m.what).toBe(demo.sheets.find((s) => s.name === m.file)!.plan.name);
  });

  it('plants each 均衡 shortfall with the verdict it must give, and leaves every other school over its floors', () => {
    // The true values (no mistake planted) of every school, assessed against the preset's 优质均衡.
    const schools = demo.schools.map((s) => schoolResult({ code: s.code, name: s.name, stage: s.stage, values: s.values }));
    const quality = assessEquity(schools, { ...demo.definitions, standards: demo.definitions.standards!.filter((st) => st.code === 'QUALITY') })[0]!;
    const rows = quality.stages.flatMap((st) => st.schools);
    const nameOf = new Map(demo.schools.map((s) => [s.code, s.name]));
    const short = rows.filter((r) => r.shortfalls > 0).map((r) => [nameOf.get(r.school), r.met]);
    expect(short).toEqual(expect.arrayContaining(PLANTED_SHORTFALLS.map((p) => [p.school, p.meets])));
    expect(short).toHaveLength(PLANTED_SHORTFALLS.length);
  });

  it('scales to a large district for the benchmarks', () => {
    const many = generateManySchools(500);
    expect(many).toHaveLength(500);
    expect(new Set(many.map((s) => s.code)).size).toBe(500);
    expect(new Set(many.map((s) => s.name)).size).toBe(500);
  });
});
