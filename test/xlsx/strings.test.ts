/**
 * Shared strings and plain cells as Excel, WPS and LibreOffice write them: the short path for
 * `<si><t>text</t></si>` and `<v>text</v></c>` gives what the general scanner gives, entities,
 * `_xHHHH_` escapes, kept spaces, rich runs and phonetic guides included.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSharedStrings, readWorksheet } from '../../src/xlsx';

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const text = fc.string({ unit: fc.constantFrom('a', ' ', '&', '<', '>', '学', '_', 'x', '0', 'D', '\n') });

describe('shared strings', () => {
  it('reads plain, kept-space, rich and phonetic items alike', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(text, fc.constantFrom('plain', 'space', 'rich', 'ns')), { maxLength: 8 }), (items) => {
        const si = items
          .map(([t, kind]) => {
            const e = escape(t);
            if (kind === 'plain') return `<si><t>${e}</t></si>`;
            if (kind === 'space') return `<si><t xml:space="preserve">${e}</t></si>`;
            if (kind === 'rich') return `<si><r><rPr><b/></rPr><t>${e}</t></r><rPh sb="0" eb="1"><t>ガ</t></rPh></si>`;
            return `<x:si><x:t>${e}</x:t></x:si>`;
          })
          .join('');
        expect(readSharedStrings(`<sst xmlns="m" count="${items.length}">${si}</sst>`)).toEqual(items.map(([t]) => t.replace(/_x([0-9A-Fa-f]{4})_/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))));
      }),
      { numRuns: 300 },
    );
  });

  it('decodes an escaped carriage return in a plain item', () => {
    expect(readSharedStrings('<sst><si><t>a_x000D_b</t></si><si><t>1 &amp; 2</t></si></sst>')).toEqual(['a\rb', '1 & 2']);
  });
});

describe('plain cells', () => {
  it('reads <v> values with and without entities, as strings, numbers and errors', () => {
    const ctx = { sst: ['共享'], styles: { formats: [], calendar: [], any: false }, date1904: false } as unknown as Parameters<typeof readWorksheet>[2];
    const xml =
      '<worksheet><sheetData><row r="1"><c r="A1"><v>12.5</v></c><c r="B1" t="str"><v>a &amp; b</v></c><c r="C1" t="s"><v>0</v></c>' +
      '<c r="D1" t="e"><v>#N/A</v></c><c r="E1" t="b"><v>1</v></c><c r="F1"><v><![CDATA[7]]></v></c><c r="G1"><f>A1*2</f><v>25</v></c></row></sheetData></worksheet>';
    const g = readWorksheet('S', xml, ctx);
    expect(g.values[0]).toEqual([12.5, 'a & b', '共享', { error: '#N/A' }, true, 7, 25]);
    expect(g.formulas?.[0]?.[6]).toBe('=A1*2');
  });

  it('reads cell tags of every shape: without attributes, empty, spaced, prefixed, numbers of every form', () => {
    const ctx = { sst: ['甲', '乙'], styles: { formats: [], calendar: [], any: false }, date1904: false } as unknown as Parameters<typeof readWorksheet>[2];
    const xml =
      '<worksheet><sheetData><row r="1"><c><v>1</v></c><c r="B1" /><c r="C1" t="s"><v>1</v></c><c r="D1"><v>007</v></c><c r="E1"><v>-3</v></c>' +
      '<c r="F1"><v>1.5</v></c><c r="G1"><v>1e3</v></c><c r="H1"><v>12345678901234567</v></c><c r="I1"><v></v></c><c r="J1" t="s"><v></v></c></row>' +
      '<x:row r="2"><x:c r="A2" t="s"><x:v>0</x:v></x:c><x:c r="B2"><x:v>2</x:v></x:c></x:row>' +
      '<row r="3">\n  <c r="A3">\n    <v>4</v>\n  </c>\n  <c r="C3" t="s"><v>0</v></c></row></sheetData></worksheet>';
    const g = readWorksheet('S', xml, ctx);
    expect(g.values[0]).toEqual([1, null, '乙', 7, -3, 1.5, 1000, Number('12345678901234567')]);
    expect(g.values[1]).toEqual(['甲', 2]);
    expect(g.values[2]).toEqual([4, null, '甲']);
  });
});

describe('row tags', () => {
  const ctx = { sst: ['甲'], styles: { formats: [], calendar: [], any: false }, date1904: false } as unknown as Parameters<typeof readWorksheet>[2];
  // A row tag of any shape: numbered or not, with other attributes, spaced by any whitespace, quoted either way, empty.
  const rowTag = fc.record({
    r: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
    extra: fc.constantFrom('', ' spans="1:3"', ' ht="20" customHeight="1"', ' s="2" customFormat="1"', ' x14ac:dyDescent="0.25"'),
    space: fc.constantFrom(' ', '\t', '\n  ', '\r\n'),
    quote: fc.constantFrom('"', "'"),
    cells: fc.array(fc.option(fc.integer({ min: 0, max: 999 }), { nil: undefined }), { maxLength: 4 }),
  });

  it('are read alike by the short path and by the general scanner, whatever their shape', () => {
    fc.assert(
      fc.property(fc.array(rowTag, { maxLength: 8 }), (rows) => {
        const xml = (prefix: string): string =>
          '<worksheet><sheetData>' +
          rows
            .map(({ r, extra, space, quote, cells }) => {
              const attrs = (r === undefined ? '' : `${space}r=${quote}${r}${quote}`) + extra;
              if (cells.length === 0) return `<${prefix}row${attrs}${space}/>`;
              const body = cells.map((v) => (v === undefined ? '<c t="s"><v>0</v></c>' : `<c><v>${v}</v></c>`)).join('');
              return `<${prefix}row${attrs}>${body}</${prefix}row>`;
            })
            .join('') +
          '</sheetData></worksheet>';
        // A prefixed row tag is not one the short path takes: the general scanner reads it.
        expect(readWorksheet('S', xml(''), ctx)).toEqual(readWorksheet('S', xml('x:'), ctx));
      }),
      { numRuns: 300 },
    );
  });

  it('place cells by their number, or after the row before when they have none; a row beyond the grid is refused with its number', () => {
    const xml = '<worksheet><sheetData><row r="2" spans="1:2"><c><v>1</v></c></row><row\tht="9"><c><v>2</v></c></row><row r="5"/><row><c><v>3</v></c></row></sheetData></worksheet>';
    expect(readWorksheet('S', xml, ctx).values).toEqual([[], [1], [2], [], [], [3]]);
    expect(() => readWorksheet('S', '<worksheet><sheetData><row r="1048577"><c><v>1</v></c></row></sheetData></worksheet>', ctx)).toThrow(expect.objectContaining({ kind: 'beyond_grid', cell: '1048577' }));
    expect(() => readWorksheet('S', '<worksheet><sheetData><x:row r="1048577"><c><v>1</v></c></x:row></sheetData></worksheet>', ctx)).toThrow(expect.objectContaining({ kind: 'beyond_grid', cell: '1048577' }));
  });
});

describe('the grid of a sheet', () => {
  it('gives every row of formulas and formats the width of its values; a row without any is a shared, read-only row of nulls', () => {
    const ctx = { sst: ['一个相当长的共享字符串，长过十三个字符'], styles: { formats: [null, '0.00'], calendar: [false, false], any: true }, date1904: false } as unknown as Parameters<typeof readWorksheet>[2];
    const xml =
      '<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1"><v>1</v></c></row>' +
      '<row r="2"><c r="A2" s="1"><v>2.5</v></c><c r="B2"><f>A2*2</f><v>5</v></c></row>' +
      '<row r="4"><c r="B4" t="str"><f>A1&amp;"，再加上一段说明文字"</f><v>一个相当长的共享字符串，长过十三个字符，再加上一段说明文字</v></c></row></sheetData></worksheet>';
    const g = readWorksheet('S', xml, ctx);
    expect(g.values).toEqual([['一个相当长的共享字符串，长过十三个字符', null, 1], [2.5, 5], [], [null, '一个相当长的共享字符串，长过十三个字符，再加上一段说明文字']]);
    expect(g.formulas).toEqual([[null, null, null], [null, '=A2*2'], [], [null, '=A1&"，再加上一段说明文字"']]);
    expect(g.numberFormats).toEqual([[null, null, null], ['0.00', null], [], [null, null]]);
    for (const rows of [g.formulas!, g.numberFormats!]) rows.forEach((row, r) => expect(row.length).toBe(g.values[r]!.length));
    expect(Object.isFrozen(g.formulas![0])).toBe(true);
    expect(Object.isFrozen(g.numberFormats![3])).toBe(true);
    expect(Object.isFrozen(g.formulas![1])).toBe(false);
  });
});

describe('cells in any order', () => {
  it('give the grid their places give: the last value of a cell wins, and its last formula and format', () => {
    const ctx = { sst: [], styles: { formats: [null, '0.00'], calendar: [false, false], any: true }, date1904: false } as unknown as Parameters<typeof readWorksheet>[2];
    const cell = fc.record({ r: fc.nat(5), c: fc.nat(5), v: fc.integer({ min: -9, max: 99 }), f: fc.boolean(), s: fc.boolean() });
    fc.assert(
      fc.property(fc.array(cell, { maxLength: 30 }), (cells) => {
        const xml = `<worksheet><sheetData>${cells
          .map(({ r, c, v, f, s: styled }) => `<row r="${r + 1}"><c r="${String.fromCharCode(65 + c)}${r + 1}"${styled ? ' s="1"' : ''}>${f ? `<f>A1+${v}</f>` : ''}<v>${v}</v></c></row>`)
          .join('')}</sheetData></worksheet>`;
        const g = readWorksheet('S', xml, ctx);
        // The model: every write in order; a formula or a format only where the cell has one.
        const at = new Map<string, { v: number; f: string | null; s: string | null }>();
        for (const { r, c, v, f, s: styled } of cells) {
          const prev = at.get(`${r},${c}`);
          at.set(`${r},${c}`, { v, f: f ? `=A1+${v}` : (prev?.f ?? null), s: styled ? '0.00' : (prev?.s ?? null) });
        }
        const rows = cells.length === 0 ? 0 : Math.max(...cells.map((x) => x.r)) + 1;
        const width = (r: number): number => Math.max(0, ...cells.filter((x) => x.r === r).map((x) => x.c + 1));
        const grid = <T,>(pick: (x: { v: number; f: string | null; s: string | null } | undefined) => T): T[][] =>
          Array.from({ length: rows }, (_, r) => Array.from({ length: width(r) }, (_, c) => pick(at.get(`${r},${c}`))));
        expect(g.values).toEqual(grid((x) => x?.v ?? null));
        if (cells.some((x) => x.f)) expect(g.formulas).toEqual(grid((x) => x?.f ?? null));
        else expect(g.formulas).toBeUndefined();
        if (cells.some((x) => x.s)) expect(g.numberFormats).toEqual(grid((x) => x?.s ?? null));
        else expect(g.numberFormats).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });
});

describe('parts shared by a batch of files', () => {
  it('takes a part equal to the last file’s from that file, and reads a different one afresh, in any order', async () => {
    const { readXlsx, writeXlsx } = await import('../../src/xlsx');
    const file = (name: string, format: string) =>
      writeXlsx([{ name, rows: [{ role: 'data', cells: [{ value: 45000 }] }], columns: [{ numberFormat: format }] }]);
    const a = await file('填报表', 'yyyy-mm-dd');
    const a2 = await file('填报表', 'yyyy-mm-dd');
    const b = await file('Sheet1', '0.00%');
    const read = (bytes: Uint8Array) => {
      const r = readXlsx(bytes, 'x.xlsx');
      if ('issue' in r) throw new Error(r.issue.code);
      const s = r.book.sheets[0]!;
      return [s.name, s.numberFormats?.[0]?.[0]];
    };
    expect([a, a2, b, a, b, b].map(read)).toEqual([
      ['填报表', 'yyyy-mm-dd'],
      ['填报表', 'yyyy-mm-dd'],
      ['Sheet1', '0.00%'],
      ['填报表', 'yyyy-mm-dd'],
      ['Sheet1', '0.00%'],
      ['Sheet1', '0.00%'],
    ]);
  });
});
