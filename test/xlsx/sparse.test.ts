/**
 * A book keeps its cells, not its grid's extent: a cell far below or right of the form (a space typed
 * in A1048576, a note in XFD4) is kept by itself, the rows hold only the form, the form reads as it
 * did without the stray cell, a copy of the sheet keeps it, and what goes between processes is small.
 */
import { serialize } from 'node:v8';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { demoDefinitions, generateManySchools, schoolFormPlan } from '../../src/demo';
import { cellAt, FAR_COLUMNS, FAR_ROWS, SHEET_ROWS, type SheetGrid, type WorkbookGrid } from '../../src/core/grid';
import { readBook } from '../../src/job/read';
import { readWorkbookFileSync, readXlsx, writeXlsx } from '../../src/xlsx';
import { SheetCells } from '../../src/xlsx/sparse';
import { appendRow, withSheet } from '../hostile/build';
import { worksheet, xlsxPackage } from './fixtures';

const schools = generateManySchools(1);
const defs = demoDefinitions(schools);
const clean = await writeXlsx([schoolFormPlan(defs, schools[0]!)]);
const SPACE = '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t xml:space="preserve"> </t></is></c></row>';

function book(bytes: Uint8Array): WorkbookGrid {
  const r = readXlsx(bytes, 'school.xlsx');
  if ('issue' in r) throw new Error(JSON.stringify(r.issue));
  return r.book;
}

const SHEET_XML = new TextDecoder().decode(unzipSync(clean)['xl/worksheets/sheet1.xml']);
const form = (b: WorkbookGrid): SheetGrid => b.sheets[0]!;

describe('a cell far from the form', () => {
  const base = form(book(clean));

  it('is kept by itself: the rows are the form rows only, and the far cell is there with its address', () => {
    const far = form(book(withSheet(clean, (x) => appendRow(x, SPACE))));
    expect(far.values).toHaveLength(base.values.length);
    expect(far.values).toEqual(base.values);
    expect(far.numberFormats?.length ?? 0).toBe(base.numberFormats?.length ?? 0);
    expect(far.far).toEqual([{ row: SHEET_ROWS - 1, col: 0, value: ' ' }]);
    expect(cellAt(far, SHEET_ROWS - 1, 0)).toBe(' ');
  });

  it('keeps a note in XFD4 apart too: no row is widened to the last column', () => {
    const xml = (x: string): string => x.replace(/(<row r="4"[^>]*>)([^]*?)(<\/row>)/, '$1$2<c r="XFD4" t="inlineStr"><is><t>备注</t></is></c>$3');
    expect(xml(SHEET_XML)).toContain('r="XFD4"');
    const far = form(book(withSheet(clean, xml)));
    expect(Math.max(...far.values.map((r) => r.length))).toBe(Math.max(...base.values.map((r) => r.length)));
    expect(far.far).toEqual([{ row: 3, col: 16_383, value: '备注' }]);
  });

  it('gives the same submissions and issues as the file without it', () => {
    const a = readBook(book(clean), defs);
    const b = readBook(book(withSheet(clean, (x) => appendRow(x, SPACE + '<row r="1048575"><c r="B1048575" t="inlineStr"><is><t>备注</t></is></c></row>'))), defs);
    expect(b.submissions).toEqual(a.submissions);
    expect(b.issues).toEqual(a.issues);
  });

  it('costs a few bytes in what goes between processes, not a million rows', () => {
    const plain = serialize(book(clean)).length;
    const far = serialize(book(withSheet(clean, (x) => appendRow(x, SPACE)))).length;
    expect(far - plain).toBeLessThan(200);
  });

  it('is the same whatever order the file stores its rows in: rows written bottom first still join the form', () => {
    const xml = worksheet(`<row r="${FAR_ROWS + 3}"><c r="A${FAR_ROWS + 3}"><v>3</v></c></row><row r="1"><c r="A1"><v>1</v></c></row><row r="3"><c r="A3"><v>2</v></c></row><row r="900000"><c r="A900000"><v>4</v></c></row>`);
    const sheet = form(book(xlsxPackage({ sheets: [{ name: 'S', xml }] })));
    // Row 3 brings row FAR_ROWS + 3 within reach; row 900000 stays far.
    expect(sheet.values).toHaveLength(FAR_ROWS + 3);
    expect(sheet.values[FAR_ROWS + 2]).toEqual([3]);
    expect(sheet.far).toEqual([{ row: 899_999, col: 0, value: 4 }]);
  });

  it('leaves rows near one another in the rows, however many there are', () => {
    const rows = Array.from({ length: 50 }, (_, k) => `<row r="${k * (FAR_ROWS - 1) + 1}"><c r="B${k * (FAR_ROWS - 1) + 1}"><v>${k}</v></c></row>`).join('');
    const sheet = form(book(xlsxPackage({ sheets: [{ name: 'S', xml: worksheet(rows) }] })));
    expect(sheet.far).toBeUndefined();
    expect(sheet.values[49 * (FAR_ROWS - 1)]).toEqual([null, 49]);
  });

  it('is kept in a copy of the sheet, at its address, with nothing written between', async () => {
    const grid = form(book(withSheet(clean, (x) => appendRow(x, '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>备注</t></is></c></row>'))));
    const out = await writeXlsx([], [{ grid, name: '副本' }]);
    const back = form(book(out));
    expect(back.values).toEqual(base.values);
    expect(back.far).toEqual([{ row: SHEET_ROWS - 1, col: 0, value: '备注' }]);
  });

  it('is a file with cells, not an empty one, when it is the only cell', () => {
    const r = readXlsx(xlsxPackage({ sheets: [{ name: 'S', xml: worksheet(SPACE) }] }), 'x.xlsx');
    expect('book' in r && r.book.sheets[0]!.far).toEqual([{ row: SHEET_ROWS - 1, col: 0, value: ' ' }]);
  });
});

describe('the same in the other readers', () => {
  it('CSV: a field after thousands of blank lines is a far cell, the blank lines no rows', () => {
    const text = `学校代码,人数\n0340102001,12\n${'\n'.repeat(FAR_ROWS + 10)}备注,,\n`;
    const r = readWorkbookFileSync(new TextEncoder().encode(text), 'x.csv', {});
    if (r.book === null) throw new Error(JSON.stringify(r.issues));
    const sheet = r.book.sheets[0]!;
    expect(sheet.values).toEqual([
      ['学校代码', '人数'],
      ['0340102001', 12],
    ]);
    expect(sheet.far).toEqual([{ row: FAR_ROWS + 12, col: 0, value: '备注' }]);
  });

  it('builds rows from cells in any order, a far column kept apart, formats and formulas shaped as the rows', () => {
    const b = new SheetCells();
    b.add(2, 1, 5, '=A1*2', '0.0');
    b.add(0, 0, 'a', null, null);
    b.add(0, FAR_COLUMNS + 3, 'x', null, null);
    b.add(SHEET_ROWS - 1, 0, ' ', null, null);
    const s = b.sheet('S');
    expect(s.values).toEqual([['a'], [], [null, 5]]);
    expect(s.numberFormats).toEqual([[null], [], [null, '0.0']]);
    expect(s.formulas).toEqual([[null], [], [null, '=A1*2']]);
    expect(s.far).toEqual([
      { row: 0, col: FAR_COLUMNS + 3, value: 'x' },
      { row: SHEET_ROWS - 1, col: 0, value: ' ' },
    ]);
  });
});
