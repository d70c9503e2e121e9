import { describe, expect, it } from 'vitest';
import { formatIssue, issueKindLabel } from '../../src/core/messages';
import type { Issue } from '../../src/core/types';
import { planToGrid } from '../../src/workbook/grid';
import { buildReportPlan, sortIssues } from '../../src/workbook/report';
import { fourSchools, testConsolidation } from './fixtures';

const issues: Issue[] = [
  { code: 'value.not_a_number', severity: 'error', school: '0022345678', file: '0022345678.xlsx', sheet: '填报表', cell: 'D9', original: '=HYPERLINK("x")', subject: 'STUDENTS', params: { code: 'STUDENTS', original: '=HYPERLINK("x")' } },
  { code: 'value.coerced', severity: 'info', school: '0012345678', file: '0012345678.xlsx', sheet: '填报表', cell: 'D8', original: '１２００', subject: 'STUDENTS', params: { code: 'STUDENTS', coercions: 'fullwidth' } },
  { code: 'rule.failed', severity: 'error', school: '0012345678', file: '0012345678.xlsx', sheet: '填报表', cell: 'D10', subject: 'R1', params: { rule: 'R1', lhs: 'A', rhs: 'B', op: '==', lhsValue: 1, rhsValue: 2 } },
  { code: 'rule.failed', severity: 'error', school: '0012345678', file: '0012345678.xlsx', sheet: '填报表', cell: 'D9', subject: 'R2', params: { rule: 'R2', lhs: 'A', rhs: 'B', op: '==', lhsValue: 1, rhsValue: 2 } },
  { code: 'outlier.robust_z', severity: 'warning', school: '0012345678', file: '0012345678.xlsx', sheet: '填报表', cell: 'C30', subject: 'BOOKS', params: { code: 'BOOKS', z: 5.1 } },
  { code: 'school.missing', severity: 'warning', school: '0099999999', params: { name: '山区小学' } },
  { code: 'def.unknown_code', severity: 'error', sheet: '比率', cell: 'C5', subject: 'R_X', field: 'numerator', params: { code: 'NOPE' } },
];

describe('sortIssues', () => {
  it('orders by school (none first), severity, then cell in reading order', () => {
    const sorted = sortIssues(issues);
    expect(sorted.map((i) => `${i.school ?? '-'} ${i.severity} ${i.cell ?? ''}`)).toEqual([
      '- error C5',
      '0012345678 error D9',
      '0012345678 error D10',
      '0012345678 warning C30',
      '0012345678 info D8',
      '0022345678 error D9',
      '0099999999 warning ',
    ]);
  });
});

describe('buildReportPlan', () => {
  const c = testConsolidation(fourSchools(), undefined, { issues, missing: [{ code: '0099999999', name: '山区小学', stage: '小学' }] });

  it('writes one row per issue with school, file, sheet, cell, severity, kind, message and the original text', () => {
    const p = buildReportPlan(c, 'zh-CN');
    const g = planToGrid(p);
    expect(p.name).toBe('校验报告');
    expect(g.values[0]![0]).toBe('2026 秋季校验报告：4 个错误，2 个警告，1 条提示');
    expect(g.values[1]).toEqual(['学校代码', '学校名称', '文件', '工作表', '单元格', '严重程度', '类别', '说明', '原始内容']);
    expect(g.values).toHaveLength(2 + issues.length);
    const first = sortIssues(issues)[1]!;
    expect(g.values[3]).toEqual([
      '0012345678',
      '城关第一小学',
      '0012345678.xlsx',
      '填报表',
      'D9',
      '错误',
      issueKindLabel(first.code, 'zh-CN'),
      formatIssue(first, 'zh-CN'),
      null,
    ]);
    // the definitions issue has no school; the missing school's name comes from the roster
    expect(g.values[2]!.slice(0, 6)).toEqual([null, null, null, '比率', 'C5', '错误']);
    expect(g.values[8]!.slice(0, 2)).toEqual(['0099999999', '山区小学']);
    expect(g.values[6]![5]).toBe('提示');
    expect(g.values[6]![8]).toBe('１２００');
  });

  it('is a table with a frozen header, text columns formatted as text', () => {
    const p = buildReportPlan(c, 'zh-CN');
    expect(p.table).toEqual({ name: 'HuizongReport', r0: 1, c0: 0, r1: 1 + issues.length, c1: 8 });
    expect(p.freeze).toEqual({ rows: 2, cols: 0 });
    expect(p.columns![0]!.numberFormat).toBe('@');
    expect(p.columns![8]!.numberFormat).toBe('@');
  });

  it('keeps original text that looks like a formula as text', () => {
    const p = buildReportPlan(c, 'zh-CN');
    for (const row of p.rows) for (const cell of row.cells) expect(cell.formula).toBeUndefined();
    expect(planToGrid(p).values.flat()).toContain('=HYPERLINK("x")');
  });

  it('speaks English, and says so when there is nothing to report', () => {
    const p = buildReportPlan(c, 'en-US');
    const g = planToGrid(p);
    expect(p.name).toBe('Validation report');
    expect(g.values[1]![0]).toBe('School code');
    expect(g.values[3]![5]).toBe('Error');
    expect(g.values[3]![7]).toBe(formatIssue(sortIssues(issues)[1]!, 'en-US'));
    const none = buildReportPlan(testConsolidation(fourSchools()), 'en-US');
    expect(none.table).toBeUndefined();
    expect(planToGrid(none).values.flat()).toContain('No problems found.');
  });

  it('beyond a sheet’s rows lists every error first, then warnings and notes, in report order, and says how many it left out', () => {
    // Four errors, two warnings, one note; room for five issues in a sheet of eight rows.
    const p = buildReportPlan(c, 'zh-CN', 8);
    const g = planToGrid(p);
    expect(g.values).toHaveLength(8);
    const kept = sortIssues(issues.filter((i) => i.severity === 'error').concat(issues.filter((i) => i.severity === 'warning').slice(0, 1)));
    expect(g.values.slice(2, 7).map((r) => [r[0] ?? null, r[4] ?? null])).toEqual(kept.map((i) => [i.school ?? null, i.cell ?? null]));
    expect(g.values[0]![0]).toBe('2026 秋季校验报告：4 个错误，2 个警告，1 条提示');
    expect(g.values[7]![0]).toBe('共 7 条问题，一张工作表最多 1,048,576 行，本表列出其中 5 条：先列全部错误，再列警告和提示。');
    expect(p.table).toMatchObject({ r0: 1, r1: 6 });
    expect(planToGrid(buildReportPlan(c, 'en-US', 8)).values[7]![0]).toMatch(/^7 problems; .* lists 5 of them/);
  });
});
