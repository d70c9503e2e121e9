/** The command's short report says why a district rate could not be computed, never the bare word. */
import { describe, expect, it } from 'vitest';
import { builtinPreset } from '../../src/core/preset';
import { textReport } from '../../src/cli/output';
import { runJob } from '../../src/job';

describe('the text report', () => {
  it('gives the reason a district rate has no value', () => {
    const defs = builtinPreset();
    const job = runJob([], defs);
    const zh = textReport(job.consolidation, defs, 'zh-CN', 0);
    expect(zh).toContain('无法计算：没有计入汇总的学校数据');
    expect(zh).not.toMatch(/无法计算\s*$/m);
    expect(textReport(job.consolidation, defs, 'en-US', 0)).toContain('not computed: no school’s figures were counted');
  });
});
