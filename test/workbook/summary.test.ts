import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseCellAddress } from '../../src/core/grid';
import type { Consolidation, Definitions, Issue, SchoolResult } from '../../src/core/types';
import { planToGrid } from '../../src/workbook/grid';
import type { PlannedCell, SheetPlan } from '../../src/workbook/plan';
import { buildSummaryPlan, type SummaryOptions } from '../../src/workbook/summary';
import { addPlan, Evaluator, type EvalBook } from './formula-eval';
import { fourSchools, testConsolidation, testDefinitions, type TestSchool } from './fixtures';

const GENERATED = '2026-11-20 09:30';
const defs = testDefinitions();

function plan(c: Consolidation, o: Partial<SummaryOptions> = {}, d: Definitions = defs): SheetPlan {
  return buildSummaryPlan(c, d, { lang: 'zh-CN', mode: 'values', groupBy: ['stage', 'township'], generated: GENERATED, ...o });
}

/** Column index by header text. */
function col(p: SheetPlan, header: string): number {
  const i = p.rows[2]!.cells.findIndex((c) => c.value === header);
  if (i < 0) throw new Error(`no column ${header}: ${p.rows[2]!.cells.map((c) => c.value).join(' | ')}`);
  return i;
}

/** Each school's sheet as the summary's formulas expect it: values at `SchoolResult.cells`. */
function schoolBook(c: Consolidation, sheetOf: (s: SchoolResult) => string, raw: (s: SchoolResult, code: string) => unknown = (s, code) => s.values[code]): EvalBook {
  const book: EvalBook = new Map();
  for (const s of c.schools) {
    const grid: { value: never }[][] = [];
    for (const [code, at] of Object.entries(s.cells)) {
      const { row, col } = parseCellAddress(at)!;
      (grid[row] ??= [])[col] = { value: raw(s, code) as never };
    }
    book.set(sheetOf(s), grid);
  }
  return book;
}

/** Recalculates every formula cell of the plan and checks it against the value it carries. */
function expectFormulasMatchValues(p: SheetPlan, book: EvalBook): number {
  addPlan(book, p);
  const ev = new Evaluator(book);
  let checked = 0;
  p.rows.forEach((row, r) =>
    row.cells.forEach((cell, c) => {
      if (cell.formula === undefined) return;
      const got = ev.cell(p.name, r, c);
      const want = cell.value ?? null;
      const where = `${p.name}!R${r + 1}C${c + 1} ${cell.formula}`;
      if (want === null) expect(got === '' || got === 0, `${where} gave ${JSON.stringify(got)}`).toBe(true);
      else {
        expect(typeof got, `${where} gave ${JSON.stringify(got)}`).toBe('number');
        expect(got as number, where).toBeCloseTo(want as number, 9);
      }
      checked++;
    }),
  );
  return checked;
}

describe('buildSummaryPlan — values', () => {
  const c = testConsolidation(fourSchools());
  const p = plan(c);
  const g = planToGrid(p);

  it('has a title, a note with period, time and the rate rule, a header, the schools, subtotals and the total', () => {
    expect(p.name).toBe('全区汇总');
    expect(g.values[0]![0]).toBe('2026 秋季2026年秋季教育统计 — 全区汇总');
    expect(g.values[1]![0]).toBe('填报期：2026 秋季　生成时间：2026-11-20 09:30　比率 = Σ分子 ÷ Σ分母（先汇总各校数据再计算，不是各校比率的平均）');
    expect(p.rows.map((r) => r.role)).toEqual(['title', 'note', 'header', 'data', 'data', 'data', 'data', 'blank', 'subtotal', 'subtotal', 'subtotal', 'subtotal', 'total', 'note']);
    expect(g.values[2]!.slice(0, 5)).toEqual(['学校代码', '学校名称', '学段', '乡镇', '在校生数（人）']);
    // by stage, then township (城 before 河 in pinyin), then code
    expect(g.values.slice(3, 7).map((r) => r[0])).toEqual(['0012345678', '0012345679', '0022345679', '0022345678']);
    expect(g.values.slice(8, 13).map((r) => r[1])).toEqual(['小学 小计（2 所）', '初中 小计（2 所）', '城关镇 小计（3 所）', '河口乡 小计（1 所）', '全区合计（4 所）']);
    expect(g.values[8]![2]).toBe('小学');
    expect(g.values[10]![3]).toBe('城关镇');
  });

  it('has a column for each indicator that adds up and each rate, and none for text or unsummed ones', () => {
    const headers = g.values[2] as string[];
    expect(headers).not.toContain('备注');
    expect(headers).not.toContain('教职工接种率（填报）（%）');
    expect(headers).toContain('教职工疫苗接种率（%）');
    expect(headers).toContain('生均教学及辅助用房面积');
    // sides that are not a single summed indicator get their own column
    expect(headers).toContain('开展课后服务学校占比的分母：学校数（所）');
    expect(headers).toContain('体质健康优良率的分子：(优秀人数+良好人数)');
    expect(new Set(headers.map((h) => h.toLowerCase())).size).toBe(headers.length);
  });

  it('writes codes as text, counts with #,##0, rates with their decimals', () => {
    expect(p.rows[3]!.cells[0]).toEqual({ value: '0012345678' });
    expect(p.columns![0]!.numberFormat).toBe('@');
    expect(p.columns![1]!.numberFormat).toBe('@');
    expect(p.columns![col(p, '在校生数（人）')]!.numberFormat).toBe('#,##0');
    expect(p.columns![col(p, '教学及辅助用房面积（m²）')]!.numberFormat).toBe('#,##0.00');
    expect(p.columns![col(p, '教职工疫苗接种率（%）')]!.numberFormat).toBe('0.00');
    expect(p.columns![col(p, '体质健康优良率（%）')]!.numberFormat).toBe('0.0');
    expect(p.columns![col(p, '开展课后服务学校占比的分母：学校数（所）')]!.numberFormat).toBe('#,##0');
  });

  it('puts the table over the header and school rows, freezes the header and two columns', () => {
    expect(p.table).toEqual({ name: 'HuizongSummary', r0: 2, c0: 0, r1: 6, c1: p.rows[2]!.cells.length - 1 });
    expect(p.freeze).toEqual({ rows: 3, cols: 2 });
    expect(p.rows[7]!.role).toBe('blank');
  });

  it('highlights each targeted rate column against its target, school rows and totals apart', () => {
    const pe = col(p, '体质健康优良率（%）');
    const as = col(p, '开展课后服务学校占比（%）');
    expect(p.conditionals).toEqual([
      { r0: 3, c0: as, r1: 6, c1: as, op: '>=', value: 100 },
      { r0: 8, c0: as, r1: 12, c1: as, op: '>=', value: 100 },
      { r0: 3, c0: pe, r1: 6, c1: pe, op: '>=', value: 40 },
      { r0: 8, c0: pe, r1: 12, c1: pe, op: '>=', value: 40 },
    ]);
  });

  it('adds subtotals and the total up from the school rows; rates are Σ÷Σ, not averages', () => {
    const v = (r: number, header: string): number => g.values[r]![col(p, header)] as number;
    for (const h of ['在校生数（人）', '教职工数（人）', '体质测试人数（人）', '教学及辅助用房面积（m²）']) {
      expect(v(8, h)).toBeCloseTo(v(3, h) + v(4, h), 9);
      expect(v(10, h)).toBeCloseTo(v(3, h) + v(4, h) + v(5, h), 9);
      expect(v(12, h)).toBeCloseTo([3, 4, 5, 6].reduce((a, r) => a + (v(r, h) ?? 0), 0), 9);
    }
    expect(v(12, '教职工疫苗接种率（%）')).toBeCloseTo(((75 + 50 + 88 + 90) / (80 + 52 + 90 + 101)) * 100, 9);
    expect(v(12, '开展课后服务学校占比的分母：学校数（所）')).toBe(4);
    expect(v(12, '开展课后服务学校占比（%）')).toBe(75);
    // 河口初级中学 (row 6) left the PE block blank: blank cells, not zeros
    expect(g.values[6]![col(p, '体质测试人数（人）')]).toBeNull();
    expect(g.values[6]![col(p, '体质健康优良率（%）')]).toBeNull();
    expect(g.values[11]![col(p, '体质健康优良率（%）')]).toBeNull();
  });

  it('has no formulas in values mode', () => {
    expect(g.formulas).toBeUndefined();
  });

  it('speaks English', () => {
    const e = plan(c, { lang: 'en-US' });
    const eg = planToGrid(e);
    expect(e.name).toBe('District summary');
    expect(eg.values[2]!.slice(0, 5)).toEqual(['School code', 'School name', 'Stage', 'Township', 'Students (人)']);
    expect(eg.values[3]![2]).toBe('Primary');
    expect(eg.values.slice(8, 13).map((r) => r[1])).toEqual([
      'Primary subtotal (2 schools)',
      'Junior secondary subtotal (2 schools)',
      '城关镇 subtotal (3 schools)',
      '河口乡 subtotal (1 school)',
      'District total (4 schools)',
    ]);
    expect(eg.values[1]![0]).toContain('Rates are Σ numerators ÷ Σ denominators');
    expect(eg.values[2]).toContain('Staff vaccination rate (%)');
  });

  it('honours groupBy, and leaves excluded schools out', () => {
    const only = plan(testConsolidation(fourSchools().map((s, i) => (i === 1 ? { ...s, included: false } : s))), { groupBy: ['township'] });
    expect(only.rows.map((r) => r.role)).toEqual(['title', 'note', 'header', 'data', 'data', 'data', 'blank', 'subtotal', 'subtotal', 'total', 'note']);
    expect(only.rows.map((r) => r.cells[0]?.value)).not.toContain('0012345679');
  });

  it('adds the 差异系数 block under the total, each CV held against its threshold', () => {
    const d: Definitions = {
      ...defs,
      dispersions: [{ code: 'CV_AREA_P', label: { zh: '生均教学及辅助用房面积', en: 'Teaching area per student' }, value: 'AREA_TEACHING/STUDENTS', weight: 'STUDENTS', stages: ['小学'], minWeight: 50, threshold: 0.5 }],
    };
    const withCv: Consolidation = { ...c, dispersions: [{ code: 'CV_AREA_P', schoolCount: 2, mean: 4.3, sd: 0.2, cv: 0.0465, threshold: 0.5, met: true, excluded: [] }] };
    const q = plan(withCv, {}, d);
    const qg = planToGrid(q);
    expect(q.rows.slice(13).map((r) => r.role)).toEqual(['note', 'blank', 'note', 'header', 'data']);
    expect(qg.values[16]!.slice(0, 9)).toEqual(['代码', '指标', '学段', '学校数', '均值', '标准差', '差异系数', '标准（≤）', '是否达标']);
    expect(qg.values[17]!.slice(0, 9)).toEqual(['CV_AREA_P', '生均教学及辅助用房面积', '小学', 2, 4.3, 0.2, 0.0465, 0.5, '达标']);
    expect(qg.numberFormats![17]![6]).toBe('0.000');
    expect(q.conditionals).toContainEqual({ r0: 17, c0: 6, r1: 17, c1: 6, op: '<=', value: 0.5 });
    expect(plan(withCv, { dispersions: false }, d).rows).toHaveLength(14);
  });

  it('still has a header and a total, but no table, without schools', () => {
    const empty = plan(testConsolidation([]), { mode: 'formulas', schoolSheet: (s) => s.code });
    expect(empty.table).toBeUndefined();
    expect(empty.rows.map((r) => r.role)).toEqual(['title', 'note', 'header', 'blank', 'total', 'note']);
    expect(empty.rows.flatMap((r) => r.cells).every((cell) => cell.formula === undefined)).toBe(true);
  });
});

describe('buildSummaryPlan — formulas', () => {
  const c = testConsolidation(fourSchools());
  const sheetOf = (s: SchoolResult): string => (s.code === '0012345679' ? "O'Brien 二小" : s.code);
  const p = plan(c, { mode: 'formulas', schoolSheet: sheetOf });

  it('references the school sheets, single-quoted, from school rows', () => {
    const students = col(p, '在校生数（人）');
    expect(p.rows[3]!.cells[students]).toEqual({ formula: `=IF(ISBLANK('0012345678'!D7),"",'0012345678'!D7)`, value: 1200 });
    expect(p.rows[4]!.cells[students]).toEqual({ formula: `=IF(ISBLANK('O''Brien 二小'!D7),"",'O''Brien 二小'!D7)`, value: 800 });
  });

  it('computes rates from the row, sides from the row, subtotals with SUMIFS and the total with SUM', () => {
    const vacc = col(p, '教职工疫苗接种率（%）');
    const students = col(p, '在校生数（人）');
    const L = (i: number): string => String.fromCharCode(65 + i);
    expect(p.rows[3]!.cells[vacc]!.formula).toBe(`=IFERROR(${L(col(p, '已接种教职工数（人）'))}4/${L(col(p, '教职工数（人）'))}4*100,"")`);
    expect(p.rows[3]!.cells[col(p, '生均教学及辅助用房面积')]!.formula).toBe(`=IFERROR(${L(col(p, '教学及辅助用房面积（m²）'))}4/${L(students)}4,"")`);
    const num = col(p, '体质健康优良率的分子：(优秀人数+良好人数)');
    const ex = L(col(p, '优秀人数（人）'));
    const good = L(col(p, '良好人数（人）'));
    expect(p.rows[3]!.cells[num]!.formula).toBe(`=IF(COUNT(${ex}4,${good}4)=0,"",N(${ex}4)+N(${good}4))`);
    expect(p.rows[3]!.cells[col(p, '开展课后服务学校占比的分母：学校数（所）')]!.formula).toBe('=1');
    const st = `${L(students)}$4:${L(students)}$7`;
    expect(p.rows[8]!.cells[students]!.formula).toBe(`=IF(COUNTIFS(${st},">-1E+300",$C$4:$C$7,"=小学")=0,"",SUMIFS(${st},$C$4:$C$7,"=小学"))`);
    expect(p.rows[10]!.cells[students]!.formula).toBe(`=IF(COUNTIFS(${st},">-1E+300",$D$4:$D$7,"=城关镇")=0,"",SUMIFS(${st},$D$4:$D$7,"=城关镇"))`);
    expect(p.rows[12]!.cells[students]!.formula).toBe(`=IF(COUNT(${st})=0,"",SUM(${st}))`);
    // The total's rate sums each side over the schools that have both, not the total row's own sums.
    const n = L(col(p, '已接种教职工数（人）'));
    const d = L(col(p, '教职工数（人）'));
    const paired = (a: string, b: string): string => `SUMIFS(${a}$4:${a}$7,${b}$4:${b}$7,">-1E+300",${a}$4:${a}$7,">-1E+300")`;
    expect(p.rows[12]!.cells[vacc]!.formula).toBe(`=IFERROR(${paired(n, d)}/${paired(d, n)}*100,"")`);
  });

  it('gives the same numbers as the values it carries when recalculated', () => {
    const checked = expectFormulasMatchValues(p, schoolBook(c, sheetOf));
    expect(checked).toBeGreaterThan(100);
  });

  it('carries the values of values mode in every cell', () => {
    const values = plan(c);
    expect(planToGrid(p).values).toEqual(planToGrid(values).values);
  });

  it('writes values for cells whose text the core had to turn into a number, and for schools without a sheet', () => {
    const issue: Issue = { code: 'value.coerced', severity: 'info', school: '0012345678', sheet: '填报表', cell: 'D7', original: '１,２００', params: {} };
    const withIssue: Consolidation = { ...c, issues: [issue] };
    const q = plan(withIssue, { mode: 'formulas', schoolSheet: (s) => (s.code === '0022345678' ? undefined : s.code) });
    const students = col(q, '在校生数（人）');
    expect(q.rows[3]!.cells[students]).toEqual({ value: 1200 });
    expect(q.rows[3]!.cells[students + 1]!.formula).toBeDefined();
    // 0022345678 (row 7) has no sheet: values, but its rates still compute from its row
    expect(q.rows[6]!.cells[students]).toEqual({ value: 950 });
    expect(q.rows[6]!.cells[col(q, '教职工疫苗接种率（%）')]!.formula).toBeDefined();
    // the text cell itself would not add up in Excel; the recalculated totals still match
    const book = schoolBook(withIssue, (s) => s.code, (s, code) => (s.code === '0012345678' && code === 'STUDENTS' ? '１,２００' : s.values[code]));
    expectFormulasMatchValues(q, book);
  });

  it('escapes wildcards and quotes in SUMIFS criteria', () => {
    const odd = fourSchools().map((s) => (s.township === '城关镇' ? { ...s, township: '城*关"镇?' } : s));
    const q = plan(testConsolidation(odd), { mode: 'formulas', schoolSheet: (s) => s.code });
    const students = col(q, '在校生数（人）');
    const f = q.rows.find((r) => r.role === 'subtotal' && r.cells[3]?.value === '城*关"镇?')!.cells[students]!.formula!;
    expect(f).toContain('"=城~*关""镇~?"');
    expectFormulasMatchValues(q, schoolBook(testConsolidation(odd), (s) => s.code));
  });
});

describe('buildSummaryPlan — built-in preset', () => {
  it('has unique headers, a side column only where a side is not one summed indicator', async () => {
    const { builtinPreset } = await import('../../src/core/preset');
    const preset = builtinPreset();
    const p = plan(testConsolidation([], preset), {}, preset);
    const headers = p.rows[2]!.cells.map((c) => String(c.value));
    expect(new Set(headers.map((h) => h.toLowerCase())).size).toBe(headers.length);
    const sides = headers.filter((h) => /的分[子母]：/.test(h));
    // No code of an indicator in any header: the sides are in the indicators' names.
    for (const ind of preset.indicators) expect(headers.join('|')).not.toMatch(new RegExp(`\\b${ind.code}\\b`));
    const expected = preset.rates.flatMap((r) =>
      (['numerator', 'denominator'] as const).filter((side) => !/^[A-Z_]+$/.test(r[side].trim()) || preset.indicators.find((i) => i.code === r[side].trim())?.aggregation !== 'sum'),
    );
    expect(sides).toHaveLength(expected.length);
    expect(headers).toContain(`${preset.rates.find((r) => r.code === 'R_AS_SCHOOLS')!.label.zh}的分母：学校数（所）`);
  });
});

describe('buildSummaryPlan — school text is never a formula', () => {
  const evil: TestSchool[] = fourSchools().map((s, i) => ({
    ...s,
    code: ['=1+1', '+8613800000000', '-0012345678', '@x'][i]!,
    name: ['=HYPERLINK("http://x","y")', '+86 学校', '@SUM(A1)', '-1'][i]!,
    township: ['=A1', '城关镇', '+1', '=A1'][i]!,
  }));
  for (const mode of ['values', 'formulas'] as const) {
    it(`keeps codes, names and townships as values (${mode})`, () => {
      const c = testConsolidation(evil);
      const p = plan(c, { mode, schoolSheet: (s) => s.code });
      const texts = new Set(evil.flatMap((s) => [s.code, s.name, s.township!]));
      let seen = 0;
      for (const row of p.rows)
        for (const cell of row.cells as PlannedCell[]) {
          if (typeof cell.value === 'string' && texts.has(cell.value)) {
            expect(cell.formula).toBeUndefined();
            seen++;
          }
          if (cell.formula !== undefined) for (const t of texts) if (t.length > 2) expect(cell.formula.startsWith(t)).toBe(false);
        }
      expect(seen).toBeGreaterThanOrEqual(12);
      if (mode === 'formulas') expectFormulasMatchValues(p, schoolBook(c, (s) => s.code));
    });
  }
});

describe('buildSummaryPlan — properties', () => {
  const stages = ['小学', '初中', '幼儿园'] as const;
  const towns = ['城关镇', '河口乡', '东山镇'] as const;
  const maybe = (arb: fc.Arbitrary<number>): fc.Arbitrary<number | null> => fc.option(arb, { nil: null, freq: 5 });
  const school = fc.record({
    stage: fc.constantFrom(...stages),
    township: fc.constantFrom(...towns),
    students: fc.integer({ min: 0, max: 3000 }),
    staff: maybe(fc.integer({ min: 0, max: 200 })),
    vacc: maybe(fc.integer({ min: 0, max: 200 })),
    offered: maybe(fc.integer({ min: 0, max: 1 })),
    tested: maybe(fc.integer({ min: 0, max: 3000 })),
    ex: maybe(fc.integer({ min: 0, max: 1000 })),
    good: maybe(fc.integer({ min: 0, max: 1000 })),
    // quarters add up exactly in any order, so reordering cannot change a total
    area: maybe(fc.integer({ min: 0, max: 80000 }).map((x) => x / 4)),
  });
  const district = fc.array(school, { minLength: 1, maxLength: 15 }).map((list) =>
    list.map(
      (s, i): TestSchool => ({
        code: String(1000000000 + i).padStart(10, '0'),
        name: `学校${i}`,
        stage: s.stage,
        township: s.township,
        values: {
          STUDENTS: s.students,
          BOYS: null,
          GIRLS: null,
          STAFF_TOTAL: s.staff,
          STAFF_VACC: s.vacc,
          AS_OFFERED: s.offered,
          PE_TESTED: s.tested,
          PE_EXCELLENT: s.ex,
          PE_GOOD: s.good,
          AREA_TEACHING: s.area,
        },
      }),
    ),
  );

  it('recalculated formulas equal the values, whatever the schools', () => {
    fc.assert(
      fc.property(district, (schools) => {
        const c = testConsolidation(schools);
        const p = plan(c, { mode: 'formulas', schoolSheet: (s) => s.code });
        // A plan that wrote no formula at all would pass the comparison vacuously: it must have compared some.
        expect(expectFormulasMatchValues(p, schoolBook(c, (s) => s.code))).toBeGreaterThan(0);
      }),
      { numRuns: 60 },
    );
  });

  it('does not depend on the order of the schools', () => {
    fc.assert(
      fc.property(district, fc.integer(), (schools, seed) => {
        const shuffled = [...schools].sort((a, b) => ((a.code.charCodeAt(9) * 31 + seed) % 7) - ((b.code.charCodeAt(9) * 31 + seed) % 7));
        const a = plan(testConsolidation(schools), { mode: 'formulas', schoolSheet: (s) => s.code });
        const b = plan(testConsolidation(shuffled), { mode: 'formulas', schoolSheet: (s) => s.code });
        expect(b.rows).toEqual(a.rows);
      }),
      { numRuns: 30 },
    );
  });
});
