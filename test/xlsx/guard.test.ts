/** The checks made before SheetJS sees a file: cells counted as SheetJS would make them, records walked within their part. */
import { describe, expect, it } from 'vitest';
import { biffIssue, odsCells, xlsbCells } from '../../src/xlsx/guard';

describe('odsCells', () => {
  it('counts a cell with content once per repeat of it and of its row, and empty cells not at all', () => {
    const xml = [
      '<table:table-row table:number-rows-repeated="3"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="4"><text:p>1</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16380"/></table:table-row>',
      '<table:table-row><table:table-cell office:value-type="string" table:string-value="a"/><table:table-cell/></table:table-row>',
      '<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>',
    ].join('');
    expect(odsCells(xml)).toBe(3 * 4 + 1);
  });

  it('stops counting once past the limit', () => {
    const bomb = '<table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384"><text:p>x</text:p></table:table-cell></table:table-row>';
    expect(odsCells(bomb.repeat(1000))).toBeGreaterThan(1_000_000);
  });
});

describe('xlsbCells', () => {
  it('counts cell records and refuses a record running past the part', () => {
    // BrtRowHdr (0, 17 bytes), BrtCellReal (5, 16 bytes), BrtCellIsst (7, 12 bytes), BrtWsDim-like 0x94 0x01 (148, 16 bytes)
    const rec = (type: number[], size: number): number[] => [...type, size, ...new Array<number>(size).fill(0)];
    const part = new Uint8Array([...rec([0], 17), ...rec([5], 16), ...rec([7], 12), ...rec([0x94, 0x01], 16)]);
    expect(xlsbCells(part)).toBe(2);
    expect(xlsbCells(part.subarray(0, part.length - 3))).toBeNull();
  });
});

describe('biffIssue', () => {
  const record = (type: number, body: number[]): number[] => [type & 0xff, type >> 8, body.length & 0xff, body.length >> 8, ...body];
  it('lets a stream of whole cell records through, and calls one cut short damaged', () => {
    const number = record(0x0203, new Array<number>(14).fill(0));
    expect(biffIssue(new Uint8Array([...record(0x0809, [0, 6]), ...number, ...number]), 'a.xls')).toBeNull();
    const cut = new Uint8Array([...record(0x0809, [0, 6]), ...record(0x0203, []), ...number]);
    expect(biffIssue(cut, 'a.xls')).toMatchObject({ code: 'file.unreadable', file: 'a.xls', params: { why: 'damaged' } });
  });
});
