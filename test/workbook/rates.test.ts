import { describe, expect, it } from 'vitest';
import { buildRateUpdates, roundTo } from '../../src/workbook/rates';
import { fourSchools, testConsolidation, testDefinitions } from './fixtures';

describe('roundTo', () => {
  it('rounds half away from zero without binary drift', () => {
    expect(roundTo(1.005, 2)).toBe(1.01);
    expect(roundTo(88.835, 2)).toBe(88.84);
    expect(roundTo(-2.5, 0)).toBe(-3);
    expect(roundTo(1e-7, 2)).toBe(0);
    expect(roundTo(123.456, 0)).toBe(123);
  });

  it('writes no negative zero, and keeps decimals between 0 and 15 whole places', () => {
    expect(Object.is(roundTo(-0.001, 2), 0)).toBe(true);
    expect(Object.is(roundTo(-0, 0), 0)).toBe(true);
    expect(roundTo(2.345, 2.9)).toBe(2.35);
    expect(roundTo(2.5, -3)).toBe(3);
    expect(roundTo(0.1 + 0.2, 40)).toBe(0.3);
    expect(roundTo(Infinity, 2)).toBe(Infinity);
    expect(Number.isNaN(roundTo(NaN, 2))).toBe(true);
  });
});

describe('buildRateUpdates', () => {
  const defs = testDefinitions();
  const schools = fourSchools();
  const c = testConsolidation(schools, defs);
  const subs = schools.map((s) => ({ schoolCode: s.code, file: `${s.code}.xlsx`, sheet: '填报表' }));

  it('writes each school its rates, rounded, into the located cells', () => {
    const rateCells = { 0: { R_STAFF_VACC: 'D30', R_PE_GOOD: 'D31' }, 2: { R_PE_GOOD: 'D31', R_AREA: 'D32' } };
    const updates = buildRateUpdates(c, rateCells, (i) => ({ ...subs[i]!, target: `S${i}` }), defs.rates);
    expect(updates).toEqual([
      { sheet: 'S0', cell: 'D30', value: roundTo((75 / 80) * 100, 2), numberFormat: '0.00' },
      { sheet: 'S0', cell: 'D31', value: roundTo((720 / 1150) * 100, 1), numberFormat: '0.0' },
      // no PE figures: the rate is undefined and the cell is cleared
      { sheet: 'S2', cell: 'D31', value: null, numberFormat: '0.0' },
      { sheet: 'S2', cell: 'D32', value: roundTo(6000.25 / 950, 2), numberFormat: '0.00' },
    ]);
    expect(updates[0]!.value).toBe(93.75);
  });

  it('writes into the sheet read when no target is given, and skips unknown submissions and rates', () => {
    const updates = buildRateUpdates(
      c,
      { 1: { R_STAFF_VACC: 'E9', R_UNKNOWN: 'E10' }, 7: { R_STAFF_VACC: 'E9' } },
      (i) => (i === 7 ? { schoolCode: '9999999999', sheet: 'x' } : subs[i]),
    );
    expect(updates).toEqual([{ sheet: '填报表', cell: 'E9', value: (50 / 52) * 100 }]);
  });

  it('tells duplicate submissions of one school apart by file and sheet', () => {
    const dup = testConsolidation([...schools, { ...schools[0]!, values: { ...schools[0]!.values, STAFF_VACC: 40 }, sheet: 'copy', included: false }], defs);
    const updates = buildRateUpdates(dup, { 0: { R_STAFF_VACC: 'D30' } }, () => ({ schoolCode: '0012345678', file: '0012345678.xlsx', sheet: 'copy' }), defs.rates);
    expect(updates[0]!.value).toBe(50);
  });
});
