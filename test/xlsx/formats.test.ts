/**
 * Every file a clerk receives: demo school files saved by LibreOffice as .xlsx, .xls, .ods, and the .xls
 * under WPS's .et name (test/fixtures/formats, made by make.sh there), each read to exactly the values
 * of its .xlsx twin and found to carry the same problems at the same cells; a web page saved as .xls
 * read as what it is; damaged and encrypted .xls each one issue.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readBook } from '../../src/cli/io';
import { cellAddress, type SheetGrid, type WorkbookGrid } from '../../src/core/grid';
import { formatIssue } from '../../src/core/messages';
import { builtinPreset } from '../../src/core/preset';
import { readBook as readJobBook, runJob } from '../../src/job';
import { needsSheetJS, readWorkbookFile, readWorkbookFileSync } from '../../src/xlsx/file';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/formats');
const load = (name: string): Uint8Array => new Uint8Array(readFileSync(path.join(dir, name)));
const CODES = ['0340102007', '3401020002', '3401020022', '3401020009', '3401020001'];
const defs = builtinPreset();

/** The cells a person typed: every value that is not a formula's result, by address. */
function entered(sheet: SheetGrid): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  sheet.values.forEach((row, r) => row.forEach((v, c) => {
    if (v !== null && !sheet.formulas?.[r]?.[c]) out[cellAddress(r, c)] = v;
  }));
  return out;
}

/** Each formula's cached result, by address. */
function results(sheet: SheetGrid): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  sheet.values.forEach((row, r) => row.forEach((v, c) => {
    if (sheet.formulas?.[r]?.[c]) out[cellAddress(r, c)] = v;
  }));
  return out;
}

function bookOf(name: string): WorkbookGrid {
  const r = readBook(load(name), name);
  if (!r.book) throw new Error(`${name}: ${JSON.stringify(r.issues)}`);
  return r.book;
}

/** What the job finds in a book, without its file name: each issue's code, cell, subject and parameters, and the values read. */
function found(book: WorkbookGrid) {
  const job = runJob([readJobBook({ ...book, source: 'school' }, defs)], defs);
  return {
    issues: job.consolidation.issues.filter((i) => i.code !== 'school.missing').map((i) => ({ code: i.code, cell: i.cell, subject: i.subject, params: i.params })),
    values: job.consolidation.schools.map((s) => s.values),
  };
}

describe('formats besides .xlsx', () => {
  for (const code of CODES) {
    for (const ext of ['xls', 'ods'] as const) {
      it(`reads ${code}.${ext} to exactly the cells of its .xlsx twin`, () => {
        const twin = bookOf(`${code}.xlsx`).sheets;
        const other = bookOf(`${code}.${ext}`).sheets;
        expect(other.map((s) => s.name)).toEqual(twin.map((s) => s.name));
        for (let k = 0; k < twin.length; k++) {
          expect(entered(other[k]!), `${code}.${ext} ${twin[k]!.name}`).toEqual(entered(twin[k]!));
          expect(other[k]!.merges ?? [], 'merges').toEqual(twin[k]!.merges ?? []);
          // Formula results: .xlsx keeps 15 significant digits as text, the binary formats the double itself.
          const a = results(twin[k]!);
          const b = results(other[k]!);
          expect(Object.keys(a).length).toBeGreaterThan(5);
          for (const [at, v] of Object.entries(a)) {
            const w = b[at] ?? null;
            // An empty-text result (the form's own rate cells, which Huizong computes itself) is a flag in BIFF
            // that SheetJS reads as 0, and a cell .ods leaves out: both are blank to the core as well.
            if (v === '' && ((ext === 'xls' && w === 0) || (ext === 'ods' && w === null))) continue;
            if (typeof v === 'number' && typeof w === 'number') expect(Math.abs(w - v), at).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(v)));
            else expect(w, at).toEqual(v);
          }
        }
      });

      it(`finds in ${code}.${ext} the same problems at the same cells as in its .xlsx twin`, () => {
        const twin = found(bookOf(`${code}.xlsx`));
        expect(found(bookOf(`${code}.${ext}`))).toEqual(twin);
      });
    }
  }

  it('finds each kind of mistake the fixtures were chosen for, in every format', () => {
    const kinds = new Set(CODES.flatMap((c) => found(bookOf(`${c}.xls`)).issues.map((i) => i.code)));
    for (const k of ['value.code_as_number', 'value.percent_as_fraction', 'value.formula_error', 'value.coerced'] as const) expect(kinds.has(k), k).toBe(true);
  });

  it('reads a WPS .et as the workbook it is', () => {
    expect(bookOf('0340102007-wps.et').sheets.map(entered)).toEqual(bookOf('0340102007.xlsx').sheets.map(entered));
    expect(found(bookOf('0340102007-wps.et'))).toEqual(found(bookOf('0340102007.xlsx')));
  });

  it('reads a web page saved as .xls, the school and its figures as on the twin', () => {
    const twin = found(bookOf('3401020001.xlsx'));
    const page = found(bookOf('html-export.xls'));
    expect(page.values[0]?.STUDENTS).toBe(twin.values[0]?.STUDENTS);
    expect(page.values[0]?.STAFF).toBe(twin.values[0]?.STAFF);
  });

  it('loads SheetJS only for a file that needs it, in the browser path too', async () => {
    expect(needsSheetJS(load('3401020001.xlsx'), '3401020001.xlsx')).toBe(false);
    for (const f of ['3401020001.xls', '3401020001.ods', '0340102007-wps.et', 'html-export.xls']) expect(needsSheetJS(load(f), f), f).toBe(true);
    const r = await readWorkbookFile(load('3401020002.ods'), '3401020002.ods');
    expect(r.book?.sheets.map(entered)).toEqual(bookOf('3401020002.xlsx').sheets.map(entered));
  });

  it('says how to re-save such a file when no reader for it is given', () => {
    const r = readWorkbookFileSync(load('3401020001.xls'), '3401020001.xls');
    expect(r.issues).toEqual([expect.objectContaining({ code: 'file.unsupported_format', params: expect.objectContaining({ format: 'xls' }) })]);
  });

  it('calls a web page with no table a web page, not a damaged archive', () => {
    for (const [name, page] of [
      ['学校.xls', '<html><body><p>404 Not Found</p></body></html>'],
      ['学校.xlsx', '<!DOCTYPE html><html><head><title>登录</title></head><body>请先登录</body></html>'],
    ] as const) {
      const r = readBook(new TextEncoder().encode(page), name);
      expect(r.book, name).toBeNull();
      expect(r.issues, name).toEqual([expect.objectContaining({ code: 'file.unreadable', file: name, params: expect.objectContaining({ why: 'html' }) })]);
      expect(formatIssue(r.issues[0]!, 'zh-CN'), name).toContain('这是一个网页（HTML）文件');
    }
  });

  it('makes a truncated and an encrypted .xls one issue each', () => {
    const truncated = readBook(load('error.truncated.xls'), 'error.truncated.xls');
    expect(truncated.book).toBeNull();
    expect(truncated.issues).toEqual([expect.objectContaining({ code: 'file.unreadable', file: 'error.truncated.xls', params: expect.objectContaining({ why: 'damaged' }) })]);
    const encrypted = readBook(load('error.encrypted.xls'), 'error.encrypted.xls');
    expect(encrypted.book).toBeNull();
    expect(encrypted.issues).toEqual([expect.objectContaining({ code: 'file.encrypted', file: 'error.encrypted.xls' })]);
  });
});
