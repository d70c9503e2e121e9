import { describe, expect, it } from 'vitest';
import { cellAddress, columnLetters, parseCellAddress } from '../../src/core/grid';

describe('cell addresses', () => {
  it('turns zero-based coordinates into A1 addresses and back', () => {
    expect(cellAddress(13, 3)).toBe('D14');
    expect(columnLetters(25)).toBe('Z');
    expect(columnLetters(26)).toBe('AA');
    expect(columnLetters(701)).toBe('ZZ');
    expect(columnLetters(702)).toBe('AAA');
    for (const [r, c] of [[0, 0], [99, 27], [4999, 730]] as const) {
      expect(parseCellAddress(cellAddress(r, c))).toEqual({ row: r, col: c });
    }
    expect(parseCellAddress('$AB$7')).toEqual({ row: 6, col: 27 });
    expect(parseCellAddress('7AB')).toBeNull();
  });
});
