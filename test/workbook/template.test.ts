import { describe, expect, it } from 'vitest';
import { parseCellAddress } from '../../src/core/grid';
import type { Definitions } from '../../src/core/types';
import { planToGrid } from '../../src/workbook/grid';
import type { SheetPlan } from '../../src/workbook/plan';
import { buildTemplatePlan } from '../../src/workbook/template';
import { Evaluator, addPlan, type EvalBook } from './formula-eval';
import { testDefinitions } from './fixtures';

const defs = testDefinitions();
const school = { code: '0012345678', name: '城关第一小学', stage: '小学' as const };

function rowOf(p: SheetPlan, code: string): number {
  const r = p.rows.findIndex((row) => row.cells[0]?.value === code);
  if (r < 0) throw new Error(`no row for ${code}`);
  return r;
}

describe('buildTemplatePlan (form)', () => {
  const p = buildTemplatePlan(defs, 'zh-CN', school);
  const g = planToGrid(p);

  it('has the metadata block with the school, its code formatted as text', () => {
    expect(p.name).toBe('填报表');
    expect(g.values[0]![0]).toBe('2026年秋季教育统计 填报表');
    expect(g.values[1]!.slice(0, 2)).toEqual(['学校代码', '0012345678']);
    expect(g.numberFormats![1]![1]).toBe('@');
    expect(g.values[2]!.slice(0, 2)).toEqual(['学校名称', '城关第一小学']);
    expect(g.values[3]!.slice(0, 2)).toEqual(['填报期', '2026 秋季']);
  });

  it('has the indicator table 代码 | 指标 | 单位 | 数值 grouped by section', () => {
    expect(g.values[5]).toEqual(['代码', '指标', '单位', '数值', '自查提示', ...Array(g.values[5]!.length - 5).fill(null)]);
    const headings = p.rows.filter((r) => r.role === 'header' && r.cells.length === 1).map((r) => r.cells[0]!.value);
    expect(headings).toEqual(['一、学生', '二、教职工', '三、课后服务', '四、体质健康', '五、办学条件', '填表说明']);
    // indicators without a section come first, without a heading
    expect(g.values[6]!.slice(0, 3)).toEqual(['NOTE', '备注', null]);
    expect(g.values[7]![0]).toBe('一、学生');
    expect(g.values[8]!.slice(0, 3)).toEqual(['STUDENTS', '在校生数', '人']);
    for (const ind of defs.indicators) expect(g.values[rowOf(p, ind.code)]![1]).toBe(ind.label.zh);
  });

  it('formats input cells by type and validates them: whole numbers with ranges, decimals otherwise', () => {
    const at = (code: string): { r0: number; c0: number } => ({ r0: rowOf(p, code), c0: 3 });
    expect(g.numberFormats![rowOf(p, 'STUDENTS')]![3]).toBe('#,##0');
    expect(g.numberFormats![rowOf(p, 'AREA_TEACHING')]![3]).toBe('#,##0.00');
    expect(g.numberFormats![rowOf(p, 'NOTE')]![3]).toBe('@');
    const v = p.validations!;
    const find = (code: string) => v.find((x) => x.r0 <= at(code).r0 && x.r1 >= at(code).r0 && x.c0 === 3);
    expect(find('STUDENTS')).toMatchObject({ type: 'whole', min: 0, prompt: '请输入不小于 0 的整数。' });
    expect(find('STUDENTS')!.max).toBeUndefined();
    expect(find('AS_OFFERED')).toMatchObject({ type: 'whole', min: 0, max: 1, error: '此处只能填写0 到 1 之间的整数。' });
    expect(find('STAFF_VACC_RATE')).toMatchObject({ type: 'decimal', min: 0, max: 100 });
    expect(find('AREA_TEACHING')).toMatchObject({ type: 'decimal' });
    expect(find('AREA_TEACHING')!.min).toBeUndefined();
    expect(find('NOTE')).toBeUndefined();
    // STUDENTS, BOYS, GIRLS share one range
    expect(find('STUDENTS')).toBe(find('GIRLS'));
  });

  it('computes rates with live formulas over the value cells, in a locked block', () => {
    const header = p.rows.findIndex((r, i) => i > 5 && r.cells[1]?.value === '比率');
    expect(g.values[header]!.slice(0, 4)).toEqual(['代码', '比率', '单位', '数值']);
    const vacc = rowOf(p, 'R_STAFF_VACC');
    const d = (code: string): string => `D${rowOf(p, code) + 1}`;
    expect(p.rows[vacc]!.cells[3]).toEqual({ formula: `=IFERROR(IF(COUNT(${d('STAFF_VACC')})=0,"",${d('STAFF_VACC')}/${d('STAFF_TOTAL')}*100),"")` });
    expect(g.values[vacc]![2]).toBe('%');
    expect(g.numberFormats![vacc]![3]).toBe('0.00');
    expect(p.rows[rowOf(p, 'R_AREA')]!.cells[3]!.formula).toBe(`=IFERROR(IF(COUNT(${d('AREA_TEACHING')})=0,"",${d('AREA_TEACHING')}/${d('STUDENTS')}),"")`);
    expect(p.rows[rowOf(p, 'R_PE_GOOD')]!.cells[3]!.formula).toBe(`=IFERROR(IF(COUNT(${d('PE_EXCELLENT')},${d('PE_GOOD')})=0,"",(${d('PE_EXCELLENT')}+${d('PE_GOOD')})/${d('PE_TESTED')}*100),"")`);
    const unlocked = p.protection!.unlocked;
    for (const rate of defs.rates) {
      const r = rowOf(p, rate.code);
      expect(unlocked.some((u) => u.r0 <= r && u.r1 >= r && u.c0 <= 3 && u.c1 >= 3)).toBe(false);
    }
  });

  it('calculates the rates once filled in', () => {
    const filled = { ...p, rows: p.rows.map((row) => ({ ...row, cells: row.cells.map((c) => ({ ...c })) })) } as SheetPlan;
    const set = (code: string, v: number): void => {
      (filled.rows[rowOf(p, code)]!.cells as { value: unknown }[])[3] = { value: v };
    };
    set('STAFF_VACC', 2115);
    set('STAFF_TOTAL', 2381);
    const book: EvalBook = new Map();
    addPlan(book, filled);
    const ev = new Evaluator(book);
    expect(ev.cell(p.name, rowOf(p, 'R_STAFF_VACC'), 3)).toBeCloseTo(88.8282, 4);
    expect(ev.cell(p.name, rowOf(p, 'R_PE_GOOD'), 3)).toBe('');
  });

  it('unlocks only the metadata values and the input cells', () => {
    const open = new Set<string>();
    for (const u of p.protection!.unlocked) for (let r = u.r0; r <= u.r1; r++) for (let c = u.c0; c <= u.c1; c++) open.add(`${r},${c}`);
    const expected = new Set<string>(['1,1', '2,1', '3,1', ...defs.indicators.map((i) => `${rowOf(p, i.code)},3`)]);
    expect(open).toEqual(expected);
  });

  it('ends with instructions in the template language', () => {
    const flat = g.values.flat();
    expect(flat).toContain('填表说明');
    expect(flat.some((v) => typeof v === 'string' && v.startsWith('1. 请在“数值”列填写数字，不要修改“代码”列'))).toBe(true);
    const en = planToGrid(buildTemplatePlan(defs, 'en-US'));
    expect(en.values[5]!.slice(0, 5)).toEqual(['Code', 'Indicator', 'Unit', 'Value', 'Self-check']);
    expect(en.values[1]!.slice(0, 2)).toEqual(['School code', null]);
    expect(en.values.flat()).toContain('How to fill in this form');
  });

  it('keeps school text as text, and leaves metadata empty without a school', () => {
    const evil = buildTemplatePlan(defs, 'zh-CN', { code: '=1+1', name: '+86 学校', stage: '小学' });
    expect(evil.rows[1]!.cells[1]).toEqual({ value: '=1+1' });
    expect(evil.rows[2]!.cells[1]).toEqual({ value: '+86 学校' });
    const blank = planToGrid(buildTemplatePlan(defs));
    expect(blank.values[1]![1]).toBeNull();
    expect(blank.values[2]![1]).toBeNull();
  });

  it('uses the layout sheet name, made safe', () => {
    const d: Definitions = { ...defs, layout: { ...(defs.layout as Extract<Definitions['layout'], { kind: 'form' }>), sheetName: '基表[2026]' } };
    expect(buildTemplatePlan(d).name).toBe('基表_2026_');
  });

  it('leaves a rate blank when it refers to a code the form lacks', () => {
    const d: Definitions = { ...defs, rates: [{ ...defs.rates[0]!, numerator: 'NOPE' }] };
    const q = buildTemplatePlan(d);
    expect(q.rows[rowOf(q, 'R_STAFF_VACC')]!.cells[3]).toEqual({ value: null });
  });
});

describe('buildTemplatePlan (table layout)', () => {
  const d: Definitions = { ...defs, layout: { kind: 'table', schoolCodeHeaders: ['学校代码', 'School code'], schoolNameHeaders: ['学校名称'] } };
  const p = buildTemplatePlan(d, 'zh-CN', school);

  it('is one header row and one input row, nothing under it', () => {
    const g = planToGrid(p);
    expect(g.values).toHaveLength(2);
    expect(g.values[0]!.slice(0, 3)).toEqual(['学校代码', '学校名称', 'STUDENTS']);
    expect(g.values[1]!.slice(0, 2)).toEqual(['0012345678', '城关第一小学']);
    expect(g.numberFormats![1]![0]).toBe('@');
    expect(p.validations!.find((v) => v.c0 === 2)).toMatchObject({ type: 'whole', min: 0, prompt: '在校生数: 请输入不小于 0 的整数。' });
    expect(p.protection!.unlocked).toEqual([{ r0: 1, c0: 0, r1: 1, c1: defs.indicators.length + 1 }]);
    expect(parseCellAddress('A2')).toEqual({ row: 1, col: 0 });
  });
});

describe('buildTemplatePlan (built-in preset)', () => {
  it('lists every preset indicator once and computes every rate live', async () => {
    const { builtinPreset } = await import('../../src/core/preset');
    const preset = builtinPreset();
    const p = buildTemplatePlan(preset, 'zh-CN');
    const codes = p.rows.map((r) => r.cells[0]?.value);
    for (const ind of preset.indicators) expect(codes.filter((c) => c === ind.code)).toHaveLength(1);
    for (const rate of preset.rates) {
      const cell = p.rows[rowOf(p, rate.code)]!.cells[3]!;
      expect(cell.formula, rate.code).toMatch(/^=IFERROR\(/);
    }
    // R_AS_SCHOOLS: AS_OFFERED/1×100 on one school's form
    expect(p.rows[rowOf(p, 'R_AS_SCHOOLS')]!.cells[3]!.formula).toBe(`=IFERROR(IF(COUNT(D${rowOf(p, 'AS_OFFERED') + 1})=0,"",D${rowOf(p, 'AS_OFFERED') + 1}/1*100),"")`);
    expect(p.validations!.length).toBeGreaterThan(3);
    expect(p.validations!.every((v) => v.prompt && v.error)).toBe(true);
  });
});
