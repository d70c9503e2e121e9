import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CellValue } from '../../src/core/grid';
import type { IndicatorType, IssueParams } from '../../src/core/types';
import { excelSerialToIsoDate, foldFullWidth, isDateFormat, isPercentFormat, parseCellValue, type Coercion } from '../../src/core/value';

const dir = new URL('../fixtures/values/', import.meta.url);

interface Case {
  raw: CellValue;
  type: IndicatorType;
  format?: string;
  value: number | string | null;
  coercions: Coercion[];
}

interface ErrorCase {
  raw: CellValue;
  type: IndicatorType;
  format?: string;
  problem: string;
  params?: IssueParams;
}

const cases = JSON.parse(readFileSync(new URL('cases.json', dir), 'utf8')) as Case[];
const errorFiles = readdirSync(dir).filter((f) => f.startsWith('error.') && f.endsWith('.json'));

describe('parseCellValue: golden cases', () => {
  it.each(cases)('$raw as $type ($format)', ({ raw, type, format, value, coercions }) => {
    const parsed = parseCellValue(raw, type, format);
    expect(parsed.problem).toBeUndefined();
    expect(parsed.value).toEqual(value);
    expect(parsed.coercions).toEqual(coercions);
    if (coercions.length > 0) expect(parsed.original).toBe(typeof raw === 'string' ? raw : String(raw).toUpperCase());
  });
});

describe.each(errorFiles)('parseCellValue: must-fail fixtures in %s', (file) => {
  const errors = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as ErrorCase[];
  it.each(errors)('$raw as $type ($format) → $problem', ({ raw, type, format, problem, params }) => {
    const parsed = parseCellValue(raw, type, format);
    expect(parsed.value).toBeNull();
    expect(parsed.problem?.code).toBe(problem);
    if (params) expect(parsed.problem?.params).toMatchObject(params);
    expect(parsed.original).toBeTruthy();
  });
});

describe('parseCellValue: codes', () => {
  it('turns a number into text and reports it, keeping the original', () => {
    expect(parseCellValue(12345678, 'code')).toEqual({
      value: '12345678',
      original: '12345678',
      coercions: ['number_as_code'],
      problem: { code: 'value.code_as_number', params: { original: '12345678' } },
    });
  });

  it('restores leading zeros a 0000000000 number format shows', () => {
    const parsed = parseCellValue(12345678, 'code', '0000000000');
    expect(parsed.value).toBe('0012345678');
    expect(parsed.problem?.code).toBe('value.code_as_number');
  });

  it('writes large whole numbers without an exponent', () => {
    expect(parseCellValue(123456789012345680000, 'code').value).toBe('123456789012345683968');
  });
});

describe('parseCellValue: never throws and never returns NaN', () => {
  it('for any string, number or boolean in any type', () => {
    const types: IndicatorType[] = ['integer', 'decimal', 'percent', 'fraction', 'text', 'code'];
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom(...'0123456789０１２３４５６７８９,，.．%％-－—万人元 　无是/e'.split('')) }), fc.double(), fc.boolean()),
        fc.constantFrom(...types),
        fc.option(fc.constantFrom('0%', 'yyyy-mm-dd', '0000000000', '#,##0', 'General', '@')),
        (raw, type, format) => {
          const parsed = parseCellValue(raw, type, format);
          if (typeof parsed.value === 'number') expect(Number.isFinite(parsed.value)).toBe(true);
          if (parsed.problem) expect(parsed.value === null || type === 'code').toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

/** Groups digits in threes from the right: 1234567 → 1,234,567. */
function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Full-width digits and punctuation for ASCII ones. */
function toFullWidth(text: string): string {
  return text.replace(/[-0-9,.]/g, (ch) => ({ ',': '，', '.': '．', '-': '－' })[ch] ?? String.fromCharCode(ch.charCodeAt(0) + 0xfee0));
}

describe('parseCellValue: properties', () => {
  it('reads any integer back, written with full-width digits and/or valid thousands separators', () => {
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), fc.boolean(), fc.boolean(), (n, fullWidth, grouped) => {
        const sign = n < 0 ? '-' : '';
        let text = sign + (grouped ? group(String(Math.abs(n))) : String(Math.abs(n)));
        if (fullWidth) text = toFullWidth(text);
        const parsed = parseCellValue(text, 'integer');
        expect(parsed.problem).toBeUndefined();
        expect(parsed.value).toBe(n === 0 ? 0 : n);
        expect(parsed.original).toBe(text);
        expect(parsed.coercions.includes('thousands')).toBe(grouped && Math.abs(n) >= 1000);
        expect(parsed.coercions.includes('fullwidth')).toBe(fullWidth);
      }),
      { numRuns: 1000 },
    );
  });

  it('rejects a digit group of the wrong length', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 0, max: 99_999 }).filter((g) => String(g).length !== 3), (head, tail) => {
        expect(parseCellValue(`${head},${tail}`, 'integer').problem?.code).toBe('value.bad_thousands');
      }),
    );
  });

  it('reads n万 as n × 10000 exactly for decimals with up to 4 places', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 4 }), (units, places) => {
        const text = (units / 10 ** places).toFixed(places);
        expect(parseCellValue(`${text}万`, 'decimal').value).toBe(units * 10 ** (4 - places));
      }),
    );
  });
});

describe('number-format helpers', () => {
  it.each([
    ['yyyy-mm-dd', true],
    ['m/d/yy', true],
    ['yyyy"年"m"月"d"日"', true],
    ['h:mm:ss', true],
    ['0"天"', false],
    ['0.00_);[Red](0.00)', false],
    ['#,##0 "人"', false],
    ['General', false],
    ['0%', false],
    [null, false],
  ])('isDateFormat(%s) = %s', (format, expected) => {
    expect(isDateFormat(format)).toBe(expected);
  });

  it('recognises percent formats and converts serials and full-width text', () => {
    expect(isPercentFormat('0.00%')).toBe(true);
    expect(isPercentFormat('0"%"')).toBe(false);
    expect(excelSerialToIsoDate(45413)).toBe('2024-05-01');
    expect(excelSerialToIsoDate(1e9)).toBeNull();
    expect(excelSerialToIsoDate(-1)).toBeNull();
    expect(foldFullWidth('１２３，４５６．７８％')).toBe('123,456.78%');
  });

  it('tells formats apart the same way when asked again, past the number of formats it remembers', () => {
    const formats = Array.from({ length: 5000 }, (_, i) => (i % 3 === 0 ? `0.0"${i}"%` : i % 3 === 1 ? `yyyy"年${i}"` : `0"%${i}"`));
    for (let round = 0; round < 2; round++) {
      for (const [i, f] of formats.entries()) {
        expect(isPercentFormat(f)).toBe(i % 3 === 0);
        expect(isDateFormat(f)).toBe(i % 3 === 1);
      }
    }
  });
});
