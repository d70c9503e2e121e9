import { describe, expect, it } from 'vitest';
import { buildCompletenessPlan } from '../../src/workbook/completeness';
import { planToGrid } from '../../src/workbook/grid';
import { fourSchools, testConsolidation } from './fixtures';

describe('buildCompletenessPlan', () => {
  const missing = [
    { code: '0099999999', name: '=HYPERLINK("x")', stage: '小学' as const, township: '@河口乡' },
    { code: '0011111111', name: '山区小学', stage: '初中' as const },
  ];
  const c = testConsolidation(fourSchools(), undefined, { missing, unknown: ['+8613800000000'] });

  it('shows expected, submitted and the rate in %, then the missing schools as a table', () => {
    const plan = buildCompletenessPlan(c, 'zh-CN');
    expect(plan.name).toBe('报送情况');
    const g = planToGrid(plan);
    expect(g.values[1]!.slice(0, 2)).toEqual(['应报学校数', 6]);
    expect(g.values[2]!.slice(0, 2)).toEqual(['已报学校数', 4]);
    expect(g.values[3]![0]).toBe('报送率（%）');
    expect(g.values[3]![1]).toBeCloseTo((4 / 6) * 100, 10);
    expect(g.numberFormats?.[3]?.[1]).toBe('0.0');
    expect(g.values[5]![0]).toBe('未报送学校（2）');
    const t = plan.table!;
    expect(g.values[t.r0]).toEqual(['学校代码', '学校名称', '学段', '乡镇']);
    expect(t.r1 - t.r0).toBe(2);
    // sorted by code
    expect(g.values[t.r0 + 1]!.slice(0, 2)).toEqual(['0011111111', '山区小学']);
    expect(g.values[t.r0 + 2]).toEqual(['0099999999', '=HYPERLINK("x")', '小学', '@河口乡']);
    const flat = g.values.flat();
    expect(flat).toContain('名册外的学校代码');
    expect(flat).toContain('+8613800000000');
  });

  it('never turns school text into a formula', () => {
    const plan = buildCompletenessPlan(c, 'zh-CN');
    for (const row of plan.rows) for (const cell of row.cells) expect(cell.formula).toBeUndefined();
    expect(plan.columns?.[0]?.numberFormat).toBe('@');
    expect(plan.columns?.[1]?.numberFormat).toBe('@');
  });

  it('says so when nobody is missing, in English too', () => {
    const plan = buildCompletenessPlan(testConsolidation(fourSchools()), 'en-US');
    expect(plan.name).toBe('Completeness');
    expect(plan.table).toBeUndefined();
    const flat = planToGrid(plan).values.flat();
    expect(flat).toContain('Every school has submitted.');
    expect(flat).toContain('Schools that have not submitted (0)');
    expect(flat).toContain('None');
  });
});
