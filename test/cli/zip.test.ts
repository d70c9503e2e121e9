/** The command's zip writer: what it writes unzips to the same parts, in order, under UTF-8 names. */
import { strToU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { nativeZipper, zipParts, ZipLimitError } from '../../src/cli/zip';
import { readXlsx, writeXlsx, type PartZipper } from '../../src/xlsx';
import type { SheetPlan } from '../../src/workbook/plan';
import { writePackage } from '../../src/xlsx/sheets';

describe('zipParts', () => {
  it('gives back every part, empty and large ones included, under its UTF-8 name', () => {
    const big = strToU8('<row>学校</row>'.repeat(50_000));
    const files = { '[Content_Types].xml': strToU8('<Types/>'), 'xl/empty.xml': new Uint8Array(0), 'xl/学校.xml': big };
    const back = unzipSync(zipParts(files));
    expect(Object.keys(back)).toEqual(Object.keys(files));
    for (const [name, bytes] of Object.entries(files)) expect(Buffer.from(back[name]!).equals(Buffer.from(bytes))).toBe(true);
  });

  it('zips a workbook the reader opens', async () => {
    const plan = { name: '汇总', rows: [{ role: 'data' as const, cells: [{ value: '学校' }, { value: 3 }] }] };
    const r = readXlsx(await writeXlsx([plan], [], { zipper: nativeZipper() }));
    if ('issue' in r) throw new Error(JSON.stringify(r.issue));
    expect(r.book.sheets[0]!.values).toEqual([['学校', 3]]);
  });
});

describe('the package writer hands each part to the zipper as it is made', () => {
  const plans: SheetPlan[] = [
    { name: '汇总', rows: [{ role: 'header' as const, cells: [{ value: '学校' }, { value: '人数' }] }, { role: 'data' as const, cells: [{ value: '一小' }, { value: 3 }] }], table: { name: 'T', r0: 0, c0: 0, r1: 1, c1: 1 } },
    { name: '报告', rows: [{ role: 'data' as const, cells: [{ value: '无问题' }] }] },
  ];
  const copies = [{ grid: { name: '填报表', values: [['学校', 1]] }, name: '一小', marks: [{ sheet: '', cell: 'B1', severity: 'error' as const, message: '不对' }] }];
  const now = new Date(Date.UTC(2026, 8, 1));

  it('in the order of the whole package, every part once, the sheets before the parts they share', async () => {
    const seen: [string, Uint8Array][] = [];
    const recording: PartZipper = {
      add: (name, bytes) => void seen.push([name, bytes]),
      finish: () => Promise.resolve(new Uint8Array(0)),
    };
    await writeXlsx(plans, copies, { zipper: recording, now });
    const whole = writePackage(plans, copies, { now });
    expect(seen.map(([n]) => n)).toEqual(Object.keys(whole));
    for (const [name, bytes] of seen) expect(Buffer.from(bytes).equals(Buffer.from(whole[name]!))).toBe(true);
    const at = (n: string): number => seen.findIndex(([x]) => x === n);
    expect(at('xl/tables/table1.xml')).toBeGreaterThan(at('xl/worksheets/sheet1.xml'));
    for (const shared of ['xl/styles.xml', 'xl/sharedStrings.xml', 'xl/workbook.xml', '[Content_Types].xml']) expect(at(shared)).toBeGreaterThan(at('xl/worksheets/sheet3.xml'));
  });

  it('zips natively what the collected parts would give, and stops at a zip’s part limit', async () => {
    const streamed = unzipSync(await writeXlsx(plans, copies, { zipper: nativeZipper(now), now }));
    const whole = writePackage(plans, copies, { now });
    expect(Object.keys(streamed)).toEqual(Object.keys(whole));
    for (const [name, bytes] of Object.entries(whole)) expect(Buffer.from(streamed[name]!).equals(Buffer.from(bytes))).toBe(true);
    const z = nativeZipper(now);
    const tiny = new Uint8Array(1);
    expect(() => {
      for (let i = 0; i <= 0xffff; i++) z.add(`p${i}`, tiny);
    }).toThrow(ZipLimitError);
  });

  it('gives nothing when a plan cannot be written, whatever the zipper already took', async () => {
    const seen: string[] = [];
    const recording: PartZipper = { add: (name) => void seen.push(name), finish: () => Promise.reject(new Error('finish must not be reached')) };
    const bad = { name: '坏', rows: [{ role: 'data' as const, cells: Array.from({ length: 16_385 }, () => ({ value: 1 })) }] };
    await expect(writeXlsx([plans[0]!, bad], [], { zipper: recording })).rejects.toThrow(/columns/);
    expect(seen).toContain('xl/worksheets/sheet1.xml');
  });
});
