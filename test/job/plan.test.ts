/** The job pipeline's own contract: books in order, reading issues first, copies by choice and size, marks where the sheets are, last period read back. */
import { describe, expect, it } from 'vitest';
import { demoDefinitions, generateManySchools, schoolFormPlan } from '../../src/demo';
import type { CellValue } from '../../src/core/grid';
import { issueMessage } from '../../src/core/messages';
import { COPIES_DEFAULT_LIMIT, failedBook, planOutputs, previousFromJson, previousFromSheets, readBook, runJob, validateBooks } from '../../src/job';
import { planToGrid } from '../../src/workbook/grid';
import { SHEET_NAMES } from '../../src/workbook/names';

/** `count` school books, one form each, the first with a mistake (students typed as text). */
function district(count: number) {
  const schools = generateManySchools(count);
  const defs = demoDefinitions(schools);
  const books = schools.map((s, i) => {
    const grid = planToGrid(schoolFormPlan(defs, s));
    if (i === 0) {
      const row = grid.values.findIndex((r) => r.includes('STUDENTS'));
      const col = grid.values[row]!.findIndex((v) => typeof v === 'number');
      (grid.values[row] as CellValue[])[col] = 'many';
    }
    return { sheets: [grid], source: `${s.code}.xlsx` };
  });
  return { defs, books, schools };
}

describe('the job pipeline', () => {
  it('numbers submissions across books and puts reading issues first', () => {
    const { defs, books } = district(4);
    const reads = [failedBook('broken.xlsx', [{ code: 'file.unreadable', severity: 'error', params: { file: 'broken.xlsx' } }]), ...books.map((b) => readBook(b, defs))];
    const v = validateBooks(reads, defs);
    expect(v.submissions.map((s) => s.file)).toEqual(books.map((b) => b.source));
    expect(v.validation.issues[0]).toMatchObject({ code: 'file.unreadable', file: 'broken.xlsx' });
    // Rate cells are indexed over all submissions: the fourth book's are at index 3.
    expect(Object.keys(v.rateCells).map(Number)).toEqual([0, 1, 2, 3]);
  });

  it('copies every school sheet into a district file by default, with its rates and marks', () => {
    const { defs, books } = district(5);
    const job = runJob(books.map((b) => readBook(b, defs)), defs);
    const out = planOutputs(job, defs, { lang: 'zh-CN', mode: 'values', target: 'file' });
    expect(out.copies.map((c) => c.file)).toEqual(books.map((b) => b.source));
    expect(out.notes).toEqual([]);
    expect(out.rateUpdates).toEqual([]);
    expect(out.copies[0]!.marks.length).toBeGreaterThan(0);
    expect(out.copies.every((c) => c.updates.length > 0)).toBe(true);
    // Marks name the copy, never the school's own sheet name.
    expect(out.copies.flatMap((c) => c.marks).every((m, _i, all) => all.length > 0 && out.copies.some((c) => c.name === m.sheet))).toBe(true);
  });

  it('leaves the copies out beyond the limit, or when asked, and says so in the report', () => {
    const { defs, books } = district(3);
    const job = runJob(books.map((b) => readBook(b, defs)), defs);
    const off = planOutputs(job, defs, { lang: 'zh-CN', mode: 'values', target: 'file', copies: false });
    expect(off.copies).toEqual([]);
    expect(off.notes).toEqual([expect.objectContaining({ code: 'output.copies_omitted', severity: 'info', params: expect.objectContaining({ sheets: 3, chosen: true }) })]);
    const report = off.plans.find((p) => p.name === SHEET_NAMES['zh-CN'].report)!;
    const texts = report.rows.flatMap((r) => r.cells.map((c) => c.value));
    expect(texts).toContain(issueMessage(off.notes[0]!, 'zh-CN'));
    expect(issueMessage(off.notes[0]!, 'zh-CN')).toContain('未附 3 张学校填报表的副本');
    expect(issueMessage(off.notes[0]!, 'en-US')).toContain('The 3 school sheets are not copied');
    // Without copies the summary links to no school sheet: formulas fall back to values.
    const formulas = planOutputs(job, defs, { lang: 'zh-CN', mode: 'formulas', target: 'file', copies: false });
    expect(JSON.stringify(formulas.plans[0]).includes("'!")).toBe(false);
  });

  it(`leaves the copies out by default beyond ${COPIES_DEFAULT_LIMIT} sheets, and keeps them when asked`, () => {
    const { defs, books } = district(COPIES_DEFAULT_LIMIT + 1);
    const job = runJob(books.map((b) => readBook(b, defs)), defs);
    const byDefault = planOutputs(job, defs, { lang: 'en-US', mode: 'values', target: 'file' });
    expect(byDefault.copies).toEqual([]);
    expect(byDefault.notes[0]?.params).toMatchObject({ sheets: COPIES_DEFAULT_LIMIT + 1, limit: COPIES_DEFAULT_LIMIT, chosen: false });
    expect(issueMessage(byDefault.notes[0]!, 'en-US')).toContain(`beyond ${COPIES_DEFAULT_LIMIT} sheets`);
    const asked = planOutputs(job, defs, { lang: 'en-US', mode: 'values', target: 'file', copies: true });
    expect(asked.copies).toHaveLength(COPIES_DEFAULT_LIMIT + 1);
    expect(new Set(asked.copies.map((c) => c.name.toLowerCase())).size).toBe(COPIES_DEFAULT_LIMIT + 1);
  });

  it('writes rates and marks onto the school sheets themselves for the open workbook, and never copies', () => {
    const { defs, books } = district(4);
    const book = { sheets: books.map((b, i) => ({ ...b.sheets[0]!, name: `S${i}` })) };
    const job = runJob([readBook(book, defs)], defs);
    const out = planOutputs(job, defs, { lang: 'zh-CN', mode: 'formulas', target: 'workbook' });
    expect(out.copies).toEqual([]);
    expect(out.notes).toEqual([]);
    expect(out.markSheets).toEqual(['S0', 'S1', 'S2', 'S3']);
    expect(new Set(out.rateUpdates.map((u) => u.sheet))).toEqual(new Set(['S0', 'S1', 'S2', 'S3']));
    expect(out.marks.every((m) => m.sheet === 'S0')).toBe(true);
    expect(out.marks.length).toBeGreaterThan(0);
    const none = planOutputs(job, defs, { lang: 'zh-CN', mode: 'values', target: 'workbook', writeRates: false });
    expect(none.rateUpdates).toEqual([]);
  });
});

describe('last period', () => {
  it('reads the command JSON, skipping excluded schools, and holds codes no prototype name can reach', () => {
    const prev = previousFromJson({
      schools: [
        { code: '0012345678', values: { STUDENTS: 300, STAFF: 'x' }, included: true },
        { code: '0099999999', values: { STUDENTS: 1 }, included: false },
        { code: '__proto__', values: { STUDENTS: 5 } },
        { code: 'constructor', values: { toString: 7 } },
        null,
      ],
    })!;
    expect(prev['0012345678']).toEqual({ STUDENTS: 300, STAFF: null });
    expect(Object.hasOwn(prev, '0099999999')).toBe(false);
    expect(Object.hasOwn(prev, '__proto__')).toBe(true);
    expect(prev['constructor']?.['toString']).toBe(7);
    expect(({} as Record<string, unknown>)['STUDENTS']).toBeUndefined();
    expect(previousFromJson({ rows: [] })).toBeNull();
    expect(previousFromJson(null)).toBeNull();
  });

  it('reads a summary sheet in either language, and nothing from a workbook without one', () => {
    const { defs, books } = district(3);
    const job = runJob(books.map((b) => readBook(b, defs)), defs);
    for (const lang of ['zh-CN', 'en-US'] as const) {
      const summary = planToGrid(planOutputs(job, defs, { lang, mode: 'values', target: 'file', copies: false }).plans[0]!);
      const prev = previousFromSheets([{ name: 'x', values: [] }, summary], defs)!;
      const included = job.consolidation.schools.filter((s) => s.included);
      expect(Object.keys(prev).sort()).toEqual(included.map((s) => s.code).sort());
      for (const s of included) expect(prev[s.code]!['STUDENTS']).toBe(s.values['STUDENTS']);
    }
    expect(previousFromSheets([{ name: '填报表', values: [['x']] }], defs)).toBeNull();
  });
});
