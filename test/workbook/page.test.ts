import { describe, expect, it } from 'vitest';
import { textWidth, wrappedHeight, wrappedLines } from '../../src/workbook/page';

describe('wrapped text', () => {
  it('measures long prose in full, not capped at a fitted column', () => {
    const note = '未计入 4 所：城关镇第一小学（1 个错误：校验规则未通过）；'.repeat(5);
    expect(textWidth(note)).toBeGreaterThan(5 * 50);
    // A note merged 61 units wide takes at least as many lines as its width over the line's, and at most one more (the breaks).
    const least = Math.ceil(textWidth(note) / 61);
    expect(least).toBeGreaterThanOrEqual(5);
    expect(wrappedLines(note, 61)).toBeGreaterThanOrEqual(least);
    expect(wrappedLines(note, 61)).toBeLessThanOrEqual(least + 1);
    expect(wrappedHeight([note], [61])).toBeGreaterThanOrEqual(least * 15);
  });

  it('counts a CJK character wider than two digits, and breaks between CJK characters', () => {
    expect(textWidth('学')).toBeGreaterThan(2);
    // Four characters of 2.1 fit a column 9 wide (68 px), five do not.
    expect(wrappedLines('开展课后', 9)).toBe(1);
    expect(wrappedLines('开展课后服务学校覆盖率', 9)).toBe(3);
  });

  it('keeps a Latin word whole and breaks at spaces', () => {
    // "Reporting unit" fits 15 units; "unit" goes down whole rather than being split.
    expect(wrappedLines('Reporting unit', 15)).toBe(1);
    expect(wrappedLines('Reporting unit', 11)).toBe(2);
    // A word longer than the line is broken where it must be.
    expect(wrappedLines('x'.repeat(30), 11)).toBe(3);
  });

  it('never starts a line with closing punctuation: it goes down with the character before it', () => {
    // Four characters fit a line. Broken anywhere, these eight would take two lines; the bracket may neither
    // start the second line nor end the first, so each takes its neighbour down and a third line is needed.
    expect(wrappedLines('开展课后服务学校', 9)).toBe(2);
    expect(wrappedLines('开展课后）服务学', 9)).toBe(3);
    expect(wrappedLines('开展课（后服务学', 9)).toBe(3);
  });

  it('keeps explicit line breaks and bounds the count', () => {
    expect(wrappedLines('一\n二\n三', 20)).toBe(3);
    expect(wrappedLines('学'.repeat(100_000), 10)).toBeLessThanOrEqual(30);
  });
});
