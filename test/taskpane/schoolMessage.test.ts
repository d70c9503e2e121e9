import { describe, expect, it } from 'vitest';
import { issueMessage } from '../../src/core/messages';
import type { Issue } from '../../src/core/types';
import { groupIssues, issueKinds } from '../../src/taskpane/issueGroups';
import { schoolMessage } from '../../src/taskpane/schoolMessage';
import { ISSUES, VALIDATION } from './fakeService';

const ctx = { code: '3401020001', name: '第一小学', title: { zh: '学校基本情况统计表', en: 'School indicators' }, period: '2026年秋季学期' };

describe('text for a school', () => {
  it('lists errors then queries, numbered, each with its sheet and cell', () => {
    const warning: Issue = { ...ISSUES[2]!, school: '3401020001' };
    const text = schoolMessage(ctx, [warning, ISSUES[0]!, ISSUES[1]!]);
    expect(text.split('\n')).toEqual([
      '第一小学（学校代码 3401020001）：',
      '经校验，贵校报送的《学校基本情况统计表》（2026年秋季学期）有以下问题，请核实修改后重新报送：',
      '一、必须修改的错误（2 个）：',
      `1. 工作表“填报表”D8 单元格：${issueMessage(ISSUES[0]!, 'zh-CN')}`,
      `2. 工作表“填报表”D10 单元格：${issueMessage(ISSUES[1]!, 'zh-CN')}`,
      '二、请核实的疑问（1 个）：',
      `1. 工作表“填报表”D21 单元格：${issueMessage(warning, 'zh-CN')}`,
      '如数据确实无误，请对疑问逐条说明原因。',
      '谢谢！',
    ]);
  });

  it('says so when a school has nothing to fix, and can be worded in English', () => {
    expect(schoolMessage(ctx, [])).toBe('第一小学（学校代码 3401020001）：\n贵校报送的《学校基本情况统计表》（2026年秋季学期）已通过校验，谢谢！');
    const en = schoolMessage(ctx, [ISSUES[0]!], 'en-US');
    expect(en).toContain('Errors to fix (1):');
    expect(en).toContain(`sheet "填报表", cell D8: ${issueMessage(ISSUES[0]!, 'en-US')}`);
  });
});

describe('issues grouped by school', () => {
  it('puts schools with errors first and counts every severity', () => {
    const groups = groupIssues(VALIDATION, () => true, '未识别的学校');
    expect(groups.map((g) => [g.key, g.name, g.errors, g.warnings])).toEqual([
      ['school:3401020001', '第一小学', 2, 0],
      ['school:3401020045', '第四十五小学', 1, 0],
      ['school:3401020002', '第二中学', 0, 1],
    ]);
    expect(groups[0]!.issues.map((i) => i.cell)).toEqual(['D8', 'D10']);
  });

  it('groups issues without a school by file, ahead of the schools, and drops groups the filter empties', () => {
    const fileIssue: Issue = { code: 'file.unreadable', severity: 'error', file: '坏文件.xlsx', params: {} };
    const groups = groupIssues({ ...VALIDATION, issues: [...VALIDATION.issues, fileIssue] }, (i) => i.severity === 'error', '?');
    expect(groups.map((g) => g.name)).toEqual(['坏文件.xlsx', '第一小学', '第四十五小学']);
  });

  it('offers each kind present once', () => {
    const kinds = issueKinds([...ISSUES, ISSUES[0]!], 'zh-CN');
    expect(kinds.map((k) => k.code).sort()).toEqual(['outlier.robust_z', 'rule.failed', 'school.missing', 'value.not_a_number']);
  });
});
