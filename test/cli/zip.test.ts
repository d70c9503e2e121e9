/** The command's zip writer: what it writes unzips to the same parts, in order, under UTF-8 names. */
import { strToU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { zipParts } from '../../src/cli/zip';
import { readXlsx, writeXlsx } from '../../src/xlsx';

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
    const r = readXlsx(await writeXlsx([plan], [], { zip: (f) => zipParts(f) }));
    if ('issue' in r) throw new Error(JSON.stringify(r.issue));
    expect(r.book.sheets[0]!.values).toEqual([['学校', 3]]);
  });
});
