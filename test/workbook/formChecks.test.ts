/**
 * The school form's own checks, as planned: where they sit, which functions they use, that they
 * come from the definitions' rules, and that the form reader reads a form with checks exactly as
 * one without. LibreOffice recalculating them is in `test/xlsx/formChecks.libreoffice.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { compileDefinitions } from '../../src/core/compile';
import { toExcelRuleFailure } from '../../src/core/expr';
import { readSubmissions } from '../../src/core/layout';
import { planToGrid } from '../../src/workbook/grid';
import type { SheetPlan } from '../../src/workbook/plan';
import { buildTemplatePlan } from '../../src/workbook/template';
import { readXlsx } from '../../src/xlsx/read';
import { writeXlsx } from '../../src/xlsx/write';
import { checkedDefinitions, checkedTableDefinitions, filled, filledTable, rowOf } from './formChecks.fixtures';

const defs = checkedDefinitions();
const school = { code: '0012345678', name: '城关第一小学', stage: '小学' as const };
const plan = buildTemplatePlan(defs, 'zh-CN', school);

function formulas(p: SheetPlan): string[] {
  return p.rows.flatMap((r) => r.cells.flatMap((c) => (c.formula !== undefined ? [c.formula] : []))).concat((p.highlights ?? []).map((h) => h.formula));
}

// Functions Excel 2010, WPS and LibreOffice all have.
const ALLOWED = new Set(['IF', 'AND', 'OR', 'NOT', 'ISBLANK', 'ISNUMBER', 'COUNT', 'COUNTA', 'COUNTIF', 'N', 'ABS', 'MAX', 'MIN', 'SUM', 'ROUND', 'LEN', 'TRIM', 'TEXT', 'IFERROR']);

describe('the form checks itself', () => {
  const g = planToGrid(plan);

  it('puts the 自查结果 line at the top, a 自查提示 column beside the value column, and the check cells in hidden columns', () => {
    expect(plan.rows[0]!.cells[4]!.formula).toMatch(/^="自查结果："&IF\(COUNTIF\(F1:[F-Z]\d+,TRUE\)=0,"未发现问题","发现 "&COUNTIF/);
    expect(g.values[5]!.slice(0, 5)).toEqual(['代码', '指标', '单位', '数值', '自查提示']);
    expect(plan.columns![4]!.hidden).toBeUndefined();
    expect(plan.columns!.slice(5).length).toBeGreaterThan(0);
    for (const c of plan.columns!.slice(5)) expect(c.hidden).toBe(true);
  });

  it('checks each rule from the compiled rule, beside the row of its first figure, with the bureau message', () => {
    const compiled = compileDefinitions(defs);
    const r = rowOf(plan, 'BOYS');
    const cells = plan.rows[r]!.cells;
    const sum = compiled.rules.find((x) => x.rule.id === 'SUM_STUDENTS')!;
    const expected = `=${toExcelRuleFailure(sum.lhs!, sum.rhs!, sum.rule, (code) => `D${rowOf(plan, code) + 1}`)}`;
    expect(cells.slice(5).map((c) => c.formula)).toContain(expected);
    expect(cells[4]!.formula).toContain('"男生数与女生数之和应等于在校生数。"');
    // The part-within-whole rule sits beside its first figure, 已接种教职工数.
    expect(plan.rows[rowOf(plan, 'STAFF_VACC')]!.cells[4]!.formula).toContain('已接种教职工数不能多于教职工数');
    // A required figure says so; a figure with a stated rate is compared with the rate's own cell.
    expect(plan.rows[rowOf(plan, 'STUDENTS')]!.cells[4]!.formula).toContain('必填');
    const stated = plan.rows[rowOf(plan, 'STAFF_VACC_RATE')]!.cells;
    const rateCell = `D${rowOf(plan, 'R_STAFF_VACC') + 1}`;
    expect(stated.slice(5).some((c) => c.formula?.includes(`ISNUMBER(${rateCell})`))).toBe(true);
  });

  it('lists a rule it cannot check under the form as 报送后由教育局校验, with its text', () => {
    const texts = g.values.map((row) => row[0]);
    const at = texts.indexOf('报送后由教育局校验');
    expect(at).toBeGreaterThan(rowOf(plan, 'R_AREA'));
    expect(texts[at + 1]).toBe('上年在校生数不能为负（LAST_YEAR_STUDENTS >= 0）');
    expect(texts.filter((t) => typeof t === 'string' && t.includes('男生数与女生数'))).toEqual([]);
  });

  it('uses only functions Excel 2010, WPS and LibreOffice all have', () => {
    const used = new Set<string>();
    for (const f of formulas(plan)) for (const m of f.replace(/"(?:[^"]|"")*"/g, '""').matchAll(/([A-Z][A-Z0-9.]*)\(/g)) used.add(m[1]!);
    expect(used.size).toBeGreaterThan(8);
    expect([...used].filter((f) => !ALLOWED.has(f))).toEqual([]);
  });

  it('reddens the value and code cells while their row shows a message, and hides and locks every check formula', () => {
    const hl = plan.highlights!;
    const first = rowOf(plan, 'NOTE');
    expect(hl).toContainEqual({ r0: first, c0: 3, r1: rowOf(plan, 'AREA_TEACHING'), c1: 3, formula: `LEN($E${first + 1})>0` });
    expect(hl).toContainEqual({ r0: 1, c0: 1, r1: 1, c1: 1, formula: 'OR(F1)' });
    expect(plan.rows[0]!.cells[5]!.formula).toBe('=LEN(TRIM(B2))=0');
    const hidden = plan.protection!.hiddenFormulas!;
    const last = Math.max(...plan.rows.flatMap((row, r) => (row.cells.slice(4).some((c) => c.formula !== undefined) ? [r] : [])));
    expect(hidden).toEqual([{ r0: 0, c0: 4, r1: last, c1: plan.columns!.length - 1 }]);
    // No check cell is open for typing.
    for (const u of plan.protection!.unlocked) expect(u.c1 < 4 || u.c0 > plan.columns!.length - 1).toBe(true);
  });

  it('writes the hidden columns, the hidden formulas and the red highlight into the .xlsx', async () => {
    const bytes = await writeXlsx([plan]);
    const { unzipSync, strFromU8 } = await import('fflate');
    const parts = unzipSync(bytes);
    const sheet = strFromU8(parts['xl/worksheets/sheet1.xml']!);
    expect(sheet).toMatch(/<col min="6" max="\d+" width="8" customWidth="1" hidden="1"\/>/);
    expect(sheet).toContain('<cfRule type="expression" dxfId="1"');
    expect(sheet).toContain('<formula>OR(F1)</formula>');
    expect(strFromU8(parts['xl/styles.xml']!)).toContain('<protection hidden="1"/>');
  });

  it('checks the one-row table form right of its last column, with nothing under the header', () => {
    const tdefs = checkedTableDefinitions();
    const t = buildTemplatePlan(tdefs, 'zh-CN', school);
    expect(t.rows).toHaveLength(2);
    const at = tdefs.indicators.length + 2;
    expect(t.rows[0]!.cells[at]!.formula).toMatch(/^="自查结果："&IF\(COUNTIF\(/);
    expect(t.rows[1]!.cells[at]!.formula).toContain('"在校生数："&"必填，请填写。"');
    expect(t.columns!.slice(at + 1).every((c) => c.hidden === true)).toBe(true);
    const values = { STUDENTS: 420, BOYS: 200, GIRLS: 220, STAFF_TOTAL: 40, STAFF_VACC: 38 };
    const read = (p: SheetPlan) => readSubmissions({ sheets: [planToGrid(filledTable(p, tdefs, values))] }, tdefs.layout, tdefs.indicators, tdefs.rates);
    const a = read(t);
    expect(a.submissions).toHaveLength(1);
    expect(a.submissions).toEqual(read(buildTemplatePlan(tdefs, 'zh-CN', school, { checks: false })).submissions);
    expect(a.issues).toEqual(read(buildTemplatePlan(tdefs, 'zh-CN', school, { checks: false })).issues);
  });

  it('is left out when asked, and the table layout is unchanged', () => {
    const bare = buildTemplatePlan(defs, 'zh-CN', school, { checks: false });
    expect(formulas(bare).every((f) => f.startsWith('=IFERROR('))).toBe(true);
    expect(bare.highlights).toBeUndefined();
    expect(bare.columns).toHaveLength(4);
  });
});

describe('the form reader ignores the checks', () => {
  const values = { STUDENTS: 420, BOYS: 200, GIRLS: 220, STAFF_TOTAL: 40, STAFF_VACC: 38, STAFF_VACC_RATE: 95, AS_OFFERED: 1, PE_TESTED: 400, PE_EXCELLENT: 100, PE_GOOD: 150, AREA_TEACHING: 2100.5, NOTE: '无' };
  const read = (p: SheetPlan) => readSubmissions({ sheets: [planToGrid(p)] }, defs.layout, defs.indicators, defs.rates);

  it('reads a filled form with checks to the same submission as one without', () => {
    const withChecks = read(filled(plan, values));
    const without = read(filled(buildTemplatePlan(defs, 'zh-CN', school, { checks: false }), values));
    expect(withChecks.issues).toEqual([]);
    expect(withChecks.submissions).toEqual(without.submissions);
    expect(withChecks.rateCells).toEqual(without.rateCells);
    expect(withChecks.submissions[0]!.raw.STUDENTS).toMatchObject({ value: 420, cell: `D${rowOf(plan, 'STUDENTS') + 1}` });
  });

  it('reads the same through the .xlsx writer and reader', async () => {
    const readFile = async (p: SheetPlan) => {
      const r = readXlsx(await writeXlsx([filled(p, values)]), 'form.xlsx');
      if (!('book' in r)) throw new Error('unreadable');
      return readSubmissions(r.book, defs.layout, defs.indicators, defs.rates);
    };
    const a = await readFile(plan);
    const b = await readFile(buildTemplatePlan(defs, 'zh-CN', school, { checks: false }));
    expect(a.issues).toEqual(b.issues);
    expect(a.submissions).toEqual(b.submissions);
  });
});
