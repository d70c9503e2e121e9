/**
 * The self-check record: written into a school's .xlsx as a hidden sheet with every other part's content
 * as it was, read back the same, set aside by the reader (no school sheet, no problem), matched against the
 * definitions in force and the file's cells; and the share of the demo's planted mistakes about one school
 * alone that the self-check (the page's job) finds, at their cells.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDemoDistrict, type DemoDistrict } from '../../src/demo';
import { definitionsFingerprint } from '../../src/core/fingerprint';
import type { WorkbookGrid } from '../../src/core/grid';
import type { IssueCode } from '../../src/core/types';
import { CODE_SHAPED } from '../../src/core/messages';
import { contentFingerprint, laterRules, readBook, readStamp, selfCheck, selfCheckState, STAMP_SHEET, stampRows, validateBooks, type SelfCheckStamp } from '../../src/job';
import { readWorkbookFile, withHiddenSheet, withoutSheet } from '../../src/xlsx';

let demo: DemoDistrict;
beforeAll(async () => {
  demo = await buildDemoDistrict();
});

const planted = (): Set<string | undefined> => new Set(demo.expectedMistakes.map((m) => m.file));
const cleanFile = () => demo.files.find((f) => !planted().has(f.name) && !f.name.includes('副本') && !f.name.includes('更正'))!;

async function bookOf(bytes: Uint8Array, name: string): Promise<WorkbookGrid> {
  const { book, issues } = await readWorkbookFile(bytes, name);
  expect(issues).toEqual([]);
  return { ...book!, source: name };
}

/** The self-check of one file as the page makes it: read, then the job's `selfCheck`. */
async function checked(bytes: Uint8Array, name: string, at = new Date('2026-10-08T09:30:00Z')) {
  const book = await bookOf(bytes, name);
  return { book, result: selfCheck(readBook(book, demo.definitions), book, demo.definitions, at) };
}

describe('the self-check record', () => {
  it('is written into an .xlsx as one hidden sheet, every other part as it was but the three that list the sheets', async () => {
    const f = cleanFile();
    const { result } = await checked(f.bytes, f.name);
    expect(result.errors).toBe(0);
    const stamp = result.stamp!;
    const stamped = withHiddenSheet(f.bytes, STAMP_SHEET, stampRows(stamp));
    const before = unzipSync(f.bytes);
    const after = unzipSync(stamped);
    const listing = new Set(['[Content_Types].xml', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels']);
    for (const [name, data] of Object.entries(before)) if (!listing.has(name)) expect(Buffer.from(after[name]!).equals(Buffer.from(data)), name).toBe(true);
    const added = Object.keys(after).filter((n) => before[n] === undefined);
    expect(added).toHaveLength(1);
    for (const name of listing) expect(new TextDecoder().decode(after[name]).length).toBeGreaterThan(new TextDecoder().decode(before[name]).length);

    const book = await bookOf(stamped, f.name);
    const original = await bookOf(f.bytes, f.name);
    expect(book.sheets.filter((s) => s.name !== STAMP_SHEET)).toEqual(original.sheets);
    expect(book.sheets.find((s) => s.name === STAMP_SHEET)?.hidden).toBe(true);
    expect(readStamp(book)).toEqual(stamp);
    expect(stamp.definitions).toBe(definitionsFingerprint(demo.definitions));
    expect(selfCheckState(book, demo.definitions).state).toBe('checked');
  });

  it('is no school sheet and no problem to the reader and to validation', async () => {
    const f = cleanFile();
    const stamp = (await checked(f.bytes, f.name)).result.stamp!;
    const plain = readBook(await bookOf(f.bytes, f.name), demo.definitions);
    const withRecord = readBook(await bookOf(withHiddenSheet(f.bytes, STAMP_SHEET, stampRows(stamp)), f.name), demo.definitions);
    expect(withRecord.submissions).toEqual(plain.submissions);
    expect(withRecord.issues).toEqual(plain.issues);
    expect(validateBooks([withRecord], demo.definitions).validation.issues).toEqual(validateBooks([plain], demo.definitions).validation.issues);
    expect(withRecord.stamp?.record).toEqual(stamp);
  });

  it('says when the definitions changed since, but not when only the roster did, and when a cell changed after', async () => {
    const f = cleanFile();
    const stamp = (await checked(f.bytes, f.name)).result.stamp!;
    const book = await bookOf(withHiddenSheet(f.bytes, STAMP_SHEET, stampRows(stamp)), f.name);
    const rule = demo.definitions.rules[0]!;
    expect(selfCheckState(book, { ...demo.definitions, rules: [{ ...rule, tolerance: (rule.tolerance ?? 0) + 1 }, ...demo.definitions.rules.slice(1)] }).state).toBe('definitions_changed');
    expect(selfCheckState(book, { ...demo.definitions, period: '2027年春季学期' }).state).toBe('definitions_changed');
    expect(selfCheckState(book, { ...demo.definitions, roster: demo.definitions.roster.slice(1) }).state).toBe('checked');
    // A figure typed after the check.
    const sheets = book.sheets.map((s) => (s.name === STAMP_SHEET ? s : { ...s, values: s.values.map((row, r) => (r === 10 ? row.map((v, c) => (c === 3 && typeof v === 'number' ? v + 1 : v)) : row)) }));
    expect(contentFingerprint({ ...book, sheets })).not.toBe(contentFingerprint(book));
    expect(selfCheckState({ ...book, sheets }, demo.definitions).state).toBe('changed_after');
    // No record at all, or one that does not read.
    expect(selfCheckState(await bookOf(f.bytes, f.name), demo.definitions).state).toBe('unchecked');
    const broken = stampRows(stamp).filter((r) => r[0] !== '错误');
    expect(selfCheckState(await bookOf(withHiddenSheet(f.bytes, STAMP_SHEET, broken), f.name), demo.definitions).state).toBe('unchecked');
  });

  it('is replaced, not added twice, when a stamped file is checked again; and can be taken out again', async () => {
    const f = cleanFile();
    const first: SelfCheckStamp = (await checked(f.bytes, f.name)).result.stamp!;
    const once = withHiddenSheet(f.bytes, STAMP_SHEET, stampRows(first));
    const second = (await checked(once, f.name, new Date('2026-10-09T10:00:00Z'))).result.stamp!;
    expect(second.content).toBe(first.content);
    const twice = withHiddenSheet(once, STAMP_SHEET, stampRows(second));
    const book = await bookOf(twice, f.name);
    expect(book.sheets.filter((s) => s.name === STAMP_SHEET)).toHaveLength(1);
    expect(readStamp(book)?.checkedAt).toBe('2026-10-09T10:00:00.000Z');
    const out = withoutSheet(twice, STAMP_SHEET)!;
    expect((await bookOf(out, f.name)).sheets).toEqual((await bookOf(f.bytes, f.name)).sheets);
    expect(Object.keys(unzipSync(out)).sort()).toEqual(Object.keys(unzipSync(f.bytes)).sort());
  });

  it('goes into a workbook LibreOffice wrote, which reads back with its cells as they were', async () => {
    const file = path.resolve(import.meta.dirname, '../fixtures/formats/3401020001.xlsx');
    const bytes = new Uint8Array(readFileSync(file));
    const { result } = await checked(bytes, '3401020001.xlsx');
    const stamp = result.stamp ?? { definitions: 'x', content: 'y', checkedAt: 'z', errors: 0, warnings: 0 };
    const stamped = withHiddenSheet(bytes, STAMP_SHEET, stampRows(stamp));
    const book = await bookOf(stamped, '3401020001.xlsx');
    expect(book.sheets.filter((s) => s.name !== STAMP_SHEET)).toEqual((await bookOf(bytes, '3401020001.xlsx')).sheets);
    expect(readStamp(book)).toEqual(stamp);
  });

  it('is given only to a file with no errors', async () => {
    const m = demo.expectedMistakes.find((x) => x.code === 'rule.failed' && x.file !== undefined)!;
    const { result } = await checked(demo.files.find((f) => f.name === m.file)!.bytes, m.file!);
    expect(result.errors).toBeGreaterThan(0);
    expect(result.stamp).toBeNull();
  });
});

describe('what the self-check leaves to the bureau', () => {
  it('lists each rule against last period in words, in both languages, and no other rule', () => {
    const later = laterRules(demo.definitions);
    const prevRules = demo.definitions.rules.filter((r) => /PREV\(/.test(`${r.lhs} ${r.rhs}`));
    expect(prevRules.length).toBeGreaterThan(0);
    expect(later).toHaveLength(prevRules.length);
    for (const l of later) {
      expect(l.zh).toContain('上期');
      expect(l.zh).not.toMatch(CODE_SHAPED);
      expect(l.en).not.toMatch(CODE_SHAPED);
      expect(l.en).not.toMatch(/[（）]/);
    }
  });
});

describe('what the self-check finds of the demo planted mistakes', () => {
  /** Mistakes that need other schools' files, or a file that was never sent, are the bureau's. */
  const ACROSS: ReadonlySet<IssueCode> = new Set<IssueCode>(['school.duplicate', 'school.duplicate_identical', 'school.duplicate_superseded', 'school.missing', 'outlier.robust_z', 'outlier.period_change']);

  it('finds every planted mistake about one school alone, at its cell, and none of those across schools', async () => {
    const alone = demo.expectedMistakes.filter((m) => m.file !== undefined && !ACROSS.has(m.code));
    const across = demo.expectedMistakes.filter((m) => m.file !== undefined && ACROSS.has(m.code));
    let found = 0;
    for (const m of alone) {
      const f = demo.files.find((x) => x.name === m.file)!;
      const { result } = await checked(f.bytes, f.name);
      if (result.issues.some((i) => i.code === m.code && (m.cell === undefined || i.cell === m.cell))) found++;
      else expect.soft(false, `${m.file}: ${m.what}`).toBe(true);
    }
    expect(alone.length).toBeGreaterThanOrEqual(15);
    expect(found).toBe(alone.length);
    // The share the README states.
    process.stdout.write(`self-check page: ${found} of ${alone.length} planted single-school mistakes caught\n`);
    for (const m of across) {
      const f = demo.files.find((x) => x.name === m.file)!;
      expect((await checked(f.bytes, f.name)).result.issues.some((i) => i.code === m.code)).toBe(false);
    }
  });
});
