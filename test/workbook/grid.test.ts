import { describe, expect, it } from 'vitest';
import { fittedWidth, planToGrid, shownWidth } from '../../src/workbook/grid';
import type { SheetPlan } from '../../src/workbook/plan';

describe('planToGrid', () => {
  it('shows values, cached formula values, formulas with =, and formats', () => {
    const plan: SheetPlan = {
      name: 'S',
      rows: [
        { role: 'header', cells: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] },
        { role: 'data', cells: [{ value: '=1+1' }, { formula: '=A2', value: 3 }] },
        { role: 'data', cells: [{ formula: 'SUM(B2:B2)' }] },
      ],
      columns: [{ numberFormat: '@' }, {}, { numberFormat: '0.00' }],
      cellFormats: [[1, 1, '#,##0'], [9, 9, 'x']],
      merges: [{ r0: 0, c0: 0, r1: 0, c1: 1 }],
    };
    const g = planToGrid(plan);
    expect(g.name).toBe('S');
    expect(g.values).toEqual([
      ['a', 'b', 'c'],
      ['=1+1', 3, null],
      [null, null, null],
    ]);
    expect(g.formulas).toEqual([
      [null, null, null],
      [null, '=A2', null],
      ['=SUM(B2:B2)', null, null],
    ]);
    expect(g.numberFormats?.[1]).toEqual(['@', '#,##0', '0.00']);
    expect(g.merges).toHaveLength(1);
  });

  it('leaves out formulas and formats when the plan has none', () => {
    const g = planToGrid({ name: 'x', rows: [{ role: 'data', cells: [{ value: 1 }] }] });
    expect(g.formulas).toBeUndefined();
    expect(g.numberFormats).toBeUndefined();
  });
});

describe('column widths fitted to values', () => {
  it('counts wide characters twice, numbers to two decimals, errors by their text', () => {
    expect(shownWidth(null)).toBe(0);
    expect(shownWidth('ab')).toBe(2);
    expect(shownWidth('学校a')).toBe(5);
    expect(shownWidth(3.14159)).toBe(4);
    expect(shownWidth(true)).toBe(4);
    expect(shownWidth({ error: '#DIV/0!' })).toBe(7);
    expect(shownWidth('😜a')).toBe(3);
  });

  it('counts a long text only as far as the widest column, so its width is the same and its cost is not its length', () => {
    const long = 'A'.repeat(1 << 20);
    expect(fittedWidth(shownWidth(long))).toBe(50);
    expect(shownWidth(long)).toBeLessThanOrEqual(51);
    expect(fittedWidth(shownWidth('学'.repeat(30)))).toBe(50);
    expect(shownWidth('学'.repeat(20))).toBe(40);
  });

  it('keeps a column between 8 and 50 characters, two wider than its widest value', () => {
    expect([0, 6, 10, 48, 49, 200].map(fittedWidth)).toEqual([8, 8, 12, 50, 50, 50]);
  });
});
