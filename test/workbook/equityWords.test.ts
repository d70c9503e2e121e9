/** The 均衡 verdict line in words: an indicator over its limit is named by its L-column and its name, never a bare code. */
import { describe, expect, it } from 'vitest';
import { CODE_SHAPED } from '../../src/core/messages';
import { presetStandards } from '../../src/core/preset';
import type { EquityStageResult } from '../../src/core/types';
import { stageVerdictLine } from '../../src/workbook/equityWords';

const quality = presetStandards().find((s) => s.code === 'QUALITY')!;

function stage(overLimit: readonly string[]): EquityStageResult {
  return {
    stage: '初中',
    threshold: 0.45,
    indicators: quality.indicators.map((i) => ({ code: i.code, schoolCount: 8, mean: 1, sd: 0.3, cv: overLimit.includes(i.code) ? 0.5 : 0.3, met: !overLimit.includes(i.code), pulls: [] })),
    composite: null,
    cvMet: overLimit.length === 0,
    schoolsMet: true,
    met: overLimit.length === 0,
    schools: [],
  };
}

describe('stageVerdictLine', () => {
  it('names each indicator over its limit with its name beside its L-column, in both languages', () => {
    const zh = stageVerdictLine(quality, stage(['L6']), 'zh-CN');
    expect(zh).toContain('L6 生均教学仪器设备值 差异系数超过 0.45');
    expect(stageVerdictLine(quality, stage(['L6']), 'en-US')).toContain('L6 equipment value per student over the 0.45 limit');
    // The L-column's code is followed by its name: with the names taken out, no bare code is left.
    const names = quality.indicators.map((i) => i.label.zh);
    expect(names.reduce((t, n) => t.replaceAll(`L6 ${n}`, n), zh)).not.toMatch(CODE_SHAPED);
  });
});
