import fc from 'fast-check';
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

  it('gives the same address asked once or again, near the top left (kept) and beyond it', () => {
    // Bijective base 26, written out independently of the module.
    const reference = (r: number, c: number): string => {
      let letters = '';
      for (let n = c + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
      return `${letters}${r + 1}`;
    };
    const near = (edges: number[]): fc.Arbitrary<number> => fc.oneof(fc.constantFrom(...edges), fc.integer({ min: 0, max: Math.max(...edges) + 5 }));
    fc.assert(
      fc.property(near([0, 1023, 1024, 1025, 1_048_575]), near([0, 25, 26, 31, 32, 701, 702, 16_383]), (r, c) => {
        expect(cellAddress(r, c)).toBe(reference(r, c));
        expect(cellAddress(r, c)).toBe(reference(r, c));
        expect(columnLetters(c)).toBe(reference(0, c).slice(0, -1));
      }),
      { numRuns: 500 },
    );
  });
});
