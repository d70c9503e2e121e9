/** Return packages' file names: each free, within what every file system takes, however long the school's code and name. */
import { describe, expect, it } from 'vitest';
import type { Issue } from '../../src/core/types';
import { planReturns, safeFileName, type JobResult } from '../../src/job';

const bytes = (s: string): number => new TextEncoder().encode(s).length;

/** A job with one school's sheets, each with one error: just what planning the packages reads. */
function jobOf(code: string, name: string, sheets: readonly string[]): JobResult {
  const schools = sheets.map((sheet) => ({ code, name, file: 'a.xlsx', sheet }));
  const issues: Issue[] = sheets.map((sheet) => ({ code: 'value.not_a_number', severity: 'error', school: code, file: 'a.xlsx', sheet, cell: 'C5', params: {} }));
  return { consolidation: { schools, issues } } as unknown as JobResult;
}

describe('return package names', () => {
  it('number a second package of a school whose code and name are long, instead of searching for ever', () => {
    const plan = planReturns(jobOf('3401020001'.repeat(3), 'A'.repeat(150), ['表一', '表二', '表三']), 'zh-CN');
    const names = plan.packages.map((p) => p.fileName);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(3);
    expect(names[1]).toMatch(/_2\.xlsx$/);
    expect(names[2]).toMatch(/_3\.xlsx$/);
  });

  it('stay within 255 bytes however many Chinese characters the name has, cut between characters', () => {
    const name = '市第一实验小学教育集团'.repeat(12);
    const plan = planReturns(jobOf('3401020001', name, ['填报表', '附表']), 'zh-CN');
    for (const p of plan.packages) {
      expect(bytes(p.fileName)).toBeLessThanOrEqual(255);
      expect(p.fileName.startsWith('3401020001_市第一实验小学')).toBe(true);
    }
    const cut = safeFileName('汇'.repeat(100));
    expect(cut).toBe('汇'.repeat(66));
    expect(safeFileName('a/b:c')).toBe('a_b_c');
  });
});
