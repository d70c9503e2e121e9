import { describe, expect, it } from 'vitest';
import { buildChartPlan, buildRateCharts } from '../../src/workbook/chart';
import { decimalsFormat } from '../../src/workbook/formats';
import { planToGrid } from '../../src/workbook/grid';
import { sheetHeading } from '../../src/workbook/heading';
import { fourSchools, testConsolidation, testDefinitions } from './fixtures';

describe('rate charts', () => {
  const defs = testDefinitions();
  const c = testConsolidation(fourSchools(), defs);

  it('makes one chart per targeted rate, schools with a value, highest first', () => {
    const charts = buildRateCharts(c, defs, 'zh-CN');
    expect(charts.map((ch) => ch.rate)).toEqual(['R_AS_SCHOOLS', 'R_PE_GOOD']);
    const pe = charts[1]!;
    expect(pe.title).toBe('体质健康优良率（%）（目标 >= 40）');
    expect(pe.target).toBe(40);
    expect(pe.op).toBe('>=');
    expect(pe.sheet).toBe('比率图表');
    // 河口初级中学 has no PE figures
    expect(pe.categories).toEqual(['城关第一小学', '城关中学', '城关第二小学']); // 62.6, 44.4, 44.3
    expect(pe.values).toEqual([(720 / 1150) * 100, (350 / 790) * 100, (480 / 1080) * 100].sort((a, b) => b - a));
    expect(pe.categories).toHaveLength(pe.values.length);
  });

  it('can include untargeted rates and another sheet; leaves out excluded schools', () => {
    const c2 = testConsolidation(fourSchools().map((s, i) => (i === 0 ? { ...s, included: false } : s)), defs);
    const charts = buildRateCharts(c2, defs, 'en-US', { untargeted: true, sheet: 'District summary' });
    expect(charts.map((ch) => ch.rate)).toEqual(['R_STAFF_VACC', 'R_AS_SCHOOLS', 'R_PE_GOOD', 'R_AREA']);
    expect(charts[0]!.target).toBeUndefined();
    expect(charts[0]!.categories).not.toContain('城关第一小学');
    expect(charts[3]!.title).toBe('Teaching area per student');
    expect(charts.every((ch) => ch.sheet === 'District summary')).toBe(true);
  });

  it('lays the series out on a data sheet under the shared heading, and says where they are', () => {
    const charts = buildRateCharts(c, defs, 'zh-CN');
    const { plan, ranges } = buildChartPlan(charts, 'zh-CN', undefined, { district: '东湖县', period: '2026年秋季学期' });
    const g = planToGrid(plan);
    // The title block is the one every sheet has.
    const heading = sheetHeading({ lang: 'zh-CN', name: '比率图表', district: '东湖县', period: '2026年秋季学期', width: charts.length * 4 - 1 });
    expect(plan.rows.slice(0, heading.rows.length)).toEqual(heading.rows);
    expect(g.values[0]![0]).toBe('东湖县2026年秋季学期比率图表');
    const header = plan.rows.findIndex((r) => r.role === 'header');
    const first = header + 2;
    expect(ranges[1]).toEqual({ rate: 'R_PE_GOOD', title: charts[1]!.title, categories: `E${first}:E${first + 2}`, values: `F${first}:F${first + 2}`, target: `G${first}:G${first + 2}`, anchor: `E${header}` });
    expect(g.values[header - 1]![4]).toBe(charts[1]!.title);
    expect(g.values[header]!.slice(4, 7)).toEqual(['学校名称', '比率', '目标']);
    expect(g.values[header + 1]!.slice(4, 7)).toEqual(['城关第一小学', charts[1]!.values[0], 40]);
    expect(ranges[0]!.values).toBe(`B${first}:B${first + 3}`);
    // Each rate's values show the decimals its definition gives, as the summary does.
    expect(plan.cellFormats).toContainEqual([header + 1, 5, decimalsFormat(defs.rates.find((r) => r.code === 'R_PE_GOOD')!.decimals)]);
  });
});
