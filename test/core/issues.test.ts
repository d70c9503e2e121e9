import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../src/core/messages';
import type { Issue } from '../../src/core/types';

describe('an issue carries its own code’s parameters', () => {
  it('is made with what its code has, and the compiler refuses what it lacks', () => {
    const failed: Issue = { code: 'rule.failed', severity: 'error', cell: 'D9', params: { lhs_zh: '男生数 + 女生数', rhs_zh: '在校学生数', op: '==', lhsValue: 410, rhsValue: 412 } };
    // @ts-expect-error a circular reference has no value
    const cycle: Issue = { code: 'def.cycle', severity: 'error', params: { value: 1 } };
    // @ts-expect-error a stated rate is a number, not text
    const stated: Issue = { code: 'rate.stated_mismatch', severity: 'warning', params: { stated: '88.84' } };
    // @ts-expect-error file.unreadable says why in one of its own words
    const unreadable: Issue = { code: 'file.unreadable', severity: 'error', params: { why: 'broken' } };
    expect(formatIssue(failed, 'zh-CN')).toBe('D9：未满足 男生数 + 女生数 == 在校学生数（男生数 + 女生数 = 410，在校学生数 = 412）');
    // Made anyway (as an issue read back from JSON might be), each still reads plainly: an unknown parameter is never shown.
    expect([cycle, stated, unreadable].map((i) => formatIssue(i, 'en-US'))).toEqual([
      'The definitions refer to each other in a circle',
      "The stated rate is 88.84 but the sheet's own counts give ?: please check",
      'This file cannot be read',
    ]);
  });
});
