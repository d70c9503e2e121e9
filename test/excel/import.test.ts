/** Importing school files: inserted as they are where Excel can, else their values, named by school code. */
import { afterEach, describe, expect, it } from 'vitest';
import { readWorkbookFile } from '../../src/xlsx/file';
import { demoDefinitions, generateManySchools, schoolFormPlan } from '../../src/demo';
import { importSchoolFiles, readForJob } from '../../src/excel';
import { writeXlsx } from '../../src/xlsx/write';
import { ExcelSim } from './sim';

let uninstall = (): void => {};
afterEach(() => uninstall());

const schools = generateManySchools(3);
const definitions = demoDefinitions(schools);

async function schoolFile(i: number, extra: { name: string; text: string[] } | null = null): Promise<{ name: string; bytes: Uint8Array }> {
  const form = schoolFormPlan(definitions, schools[i]!);
  const plans = [form];
  if (extra !== null) plans.push({ name: extra.name, rows: extra.text.map((t) => ({ role: 'data' as const, cells: [{ value: t }] })) });
  return { name: `学校${i}.xlsx`, bytes: await writeXlsx(plans) };
}

function workbook(options: ConstructorParameters<typeof ExcelSim>[0] = {}): ExcelSim {
  const sim = new ExcelSim(options);
  sim.addSheet({ name: '指标', values: [['代码']] });
  uninstall = sim.install();
  return sim;
}

describe('importSchoolFiles', () => {
  it('inserts each file and names its sheet by school code, renaming a duplicate', async () => {
    const sim = workbook();
    sim.addSheet({ name: schools[0]!.code, values: [['already here']] });
    const files = [await schoolFile(0), await schoolFile(1)];
    const result = await importSchoolFiles(files, sim.names(), { readFile: readWorkbookFile });
    expect(result.issues).toEqual([]);
    expect(result.imported).toEqual([
      { file: '学校0.xlsx', sheet: `${schools[0]!.code} (2)`, via: 'insert' },
      { file: '学校1.xlsx', sheet: schools[1]!.code, via: 'insert' },
    ]);
    expect(sim.names()).toEqual(['指标', schools[0]!.code, `${schools[0]!.code} (2)`, schools[1]!.code]);
    expect(sim.syncCount).toBe(4);
    const read = await readForJob({});
    expect(read.schoolBook.sheets.map((s) => s.name)).toEqual(sim.names().slice(1));
  });

  it('deletes what a failed insert left behind and writes the file’s values instead, text as text', async () => {
    const sim = workbook();
    sim.insertBehavior = () => 'partial';
    const tricky = ['=1+1', '-5 学生', '@x', '0012345678'];
    const files = [await schoolFile(0, { name: 'Notes', text: tricky }), await schoolFile(1)];
    const result = await importSchoolFiles(files, sim.names(), { readFile: readWorkbookFile });
    expect(sim.syncs.filter((s) => s.failed !== undefined)).toHaveLength(1);
    expect(result.issues).toEqual([]);
    expect(result.imported).toEqual([
      { file: '学校0.xlsx', sheet: schools[0]!.code, via: 'values' },
      { file: '学校0.xlsx', sheet: '学校0 Notes', via: 'values' },
      { file: '学校1.xlsx', sheet: schools[1]!.code, via: 'values' },
    ]);
    expect(sim.names()).toEqual(['指标', schools[0]!.code, '学校0 Notes', schools[1]!.code]);
    tricky.forEach((t, r) => expect(sim.cell('学校0 Notes', `A${r + 1}`)).toMatchObject({ value: t }));
    expect(sim.cell('学校0 Notes', 'A1')!.formula).toBeUndefined();
    const read = await readForJob({});
    const code = read.schoolBook.sheets[0]!.values.flat();
    expect(code).toContain(schools[0]!.code);
  });

  it('falls back to the values when the insert throws without inserting, and when the host lacks ExcelApi 1.13', async () => {
    const sim = workbook();
    sim.insertBehavior = () => 'throw';
    const result = await importSchoolFiles([await schoolFile(2)], sim.names(), { readFile: readWorkbookFile });
    expect(result.imported).toEqual([{ file: '学校2.xlsx', sheet: schools[2]!.code, via: 'values' }]);
    uninstall();

    const old = workbook({ apiVersion: '1.12' });
    const again = await importSchoolFiles([await schoolFile(2)], old.names(), { readFile: readWorkbookFile });
    expect(again.imported).toEqual([{ file: '学校2.xlsx', sheet: schools[2]!.code, via: 'values' }]);
    expect(old.syncs.every((s) => s.failed === undefined)).toBe(true);
  });

  it('reads CSV through the .xlsx engine and reports files neither way can read', async () => {
    const sim = workbook();
    const csv = { name: '学校9.csv', bytes: new TextEncoder().encode('学校代码,3401029999\n学生数,12\n') };
    const junk = { name: 'broken.xlsx', bytes: new Uint8Array([0x50, 0x4b, 3, 4, 9, 9, 9]) };
    const empty = { name: 'empty.xlsx', bytes: new Uint8Array() };
    const result = await importSchoolFiles([csv, junk, empty], sim.names(), { readFile: readWorkbookFile });
    expect(result.imported).toEqual([{ file: '学校9.csv', sheet: '3401029999', via: 'values' }]);
    expect(result.issues.map((i) => [i.code, i.file])).toEqual([
      ['file.unreadable', 'broken.xlsx'],
      ['file.empty', 'empty.xlsx'],
    ]);
    // What the CSV reader read is what is written.
    const { readWorkbookFileSync } = await import('../../src/xlsx/file');
    expect(sim.cell('3401029999', 'B1')!.value).toBe(readWorkbookFileSync(csv.bytes, csv.name).book!.sheets[0]!.values[0]![1]);
  });
});
