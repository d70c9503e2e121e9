/**
 * The exact text of every issue code in both languages, pinned in test/fixtures/messages/golden.json: a
 * reworded, swapped or lost message fails here and is reviewed there. `GOLDEN=write` rewrites the file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CODE_SHAPED, formatIssue, ISSUE_CODES } from '../../src/core/messages';
import type { Issue, IssueCode } from '../../src/core/types';

const golden = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/messages/golden.json');

/** One set of parameters every message can draw on. */
const PARAMS = {
  sheet: '指标', column: '类型', value: 88.8, expected: 'type', code: 'STAFF', first: '指标!A5', expression: 'A + B', operator: '=>',
  offset: 3, message_zh: '缺少右括号', message_en: 'missing )', path: '在园幼儿数 → 毛入园率 → 在园幼儿数', stage: '大学', headers: '代码, 数值', labels: '学校代码',
  file: 'a.xlsx', reason: 'zip', format: 'xls', original: '1,23,4', coercions: 'fullwidth,thousands', error: '#DIV/0!', date: '2024-05-01',
  min: 0, max: 100, suggested: 95, padded: '0012345678', rule: 'R01', lhs: 'BOYS + GIRLS', op: '==', rhs: 'STUDENTS', lhsValue: 101, rhsValue: 100,
  lhs_zh: '男生数 + 女生数', lhs_en: 'Boys + girls', rhs_zh: '在校学生数', rhs_en: 'Students',
  stated: 88.84, computed: 88.83, rate: 'R_STAFF_VACC', name: '一小', errors: 2, median: 10, z: 5.2, previous: 10, change: 300,
  period: '2025 秋季', used: '填报表', limit: 48, what: 'inflated', cell: 'XFD1048577', sheets: 412, extent: 'L1048576',
  label: '教职工疫苗接种率', label_en: 'Staff vaccination rate', other: 'b.xlsx', others: 'b.xlsx', count: 2, expected_name: '一小',
  exact: 88.832, difference: 0.01, numerator: 175, denominator: 197, factor: 9.5, size: 480, size_label: '在校学生数', size_label_en: 'Students',
  delta: 20, expression_zh: '男生数 + 女生数', expression_en: 'Boys + girls',
};

function texts(): Record<string, { zh: string; en: string }> {
  const out: Record<string, { zh: string; en: string }> = {};
  for (const code of [...ISSUE_CODES].sort() as IssueCode[]) {
    // Every code is given every parameter any code has: each message reads what its own code carries.
    const issue = { code, severity: 'error', school: '0012345678', sheet: '填报表', cell: 'D14', subject: 'STAFF_VACC', params: PARAMS } as unknown as Issue;
    out[code] = { zh: formatIssue(issue, 'zh-CN'), en: formatIssue(issue, 'en-US') };
  }
  return out;
}

describe('the exact message of every issue code', () => {
  it('is the one pinned, in zh-CN and en-US', () => {
    const now = texts();
    if (process.env.GOLDEN === 'write') writeFileSync(golden, `${JSON.stringify(now, null, 2)}\n`);
    const pinned = JSON.parse(readFileSync(golden, 'utf8')) as Record<string, { zh: string; en: string }>;
    expect(Object.keys(pinned)).toEqual(Object.keys(now));
    for (const code of Object.keys(now)) expect(now[code], code).toEqual(pinned[code]);
  });

  it('holds no internal code in any message, in either language', () => {
    for (const [code, { zh, en }] of Object.entries(texts())) {
      expect(zh, code).not.toMatch(CODE_SHAPED);
      expect(en, code).not.toMatch(CODE_SHAPED);
    }
  });
});
