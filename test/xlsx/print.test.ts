/**
 * What people print, sign and file, judged as they see it: the demo district's printed tables, the wide
 * summary, the 均衡 sheet, a return letter with its form copy and the index of letters, each written as
 * the command writes it, printed to PDF by LibreOffice and read back with Poppler (pdftotext, with
 * `-bbox` for the height of every word). The first page of each is kept under `test-output/print/`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DISTRICT, DEMO_PERIOD, planDemoDistrict, type ExpectedMistake } from '../../src/demo';
import { jsonResult, textReport } from '../../src/cli/output';
import { planOutputs, readBook, runJob, type JobResult } from '../../src/job';
import { planReturns, returnIndexPlan, type ReturnIndexRow } from '../../src/job/returns';
import type { Definitions } from '../../src/core/types';
import { fitsAcross, PAPER_MARGINS, sectionItems, SHEET_NAMES, type SheetPlan } from '../../src/workbook';
import { planToGrid } from '../../src/workbook/grid';
import { writeXlsx } from '../../src/xlsx/write';

const SOFFICE = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => existsSync(p));
const ARTEFACTS = path.resolve(__dirname, '../../test-output/print');
const SIGNATURE = ['填报单位（盖章）', '单位负责人', '审核人', '填表人', '联系电话', '报出日期'];

let defs: Definitions;
let job: JobResult;
let plans: readonly SheetPlan[];
let sections: SheetPlan[];
let books: { source: string; sheets: ReturnType<typeof planToGrid>[] }[];
let planted: readonly ExpectedMistake[];

beforeAll(() => {
  const demo = planDemoDistrict();
  defs = demo.definitions;
  planted = demo.expectedMistakes;
  books = demo.sheets.map((f) => ({ source: f.name, sheets: [{ ...planToGrid(f.plan), name: '填报表' }] }));
  job = runJob(
    books.map((b) => readBook(b, defs)),
    defs,
  );
  plans = planOutputs(job, defs, { lang: 'zh-CN', mode: 'values', target: 'file', copies: false, generated: '2026-12-05 10:00' }).plans;
  sections = plans.filter((p) => /^表\d+/.test(p.name));
});

function sheetXml(parts: Record<string, Uint8Array>, n = 1): string {
  return strFromU8(parts[`xl/worksheets/sheet${n}.xml`]!);
}

describe('printed tables, one per section', () => {
  it('are one or more per section of the definitions, each titled ‹地区›‹填报期›‹表名›, with no indicator code in a header', () => {
    const names = sectionItems(defs, 'zh-CN').map((s) => s.name.replace(/[（(].*$/, ''));
    expect(sections.length).toBeGreaterThanOrEqual(names.length);
    for (const name of names) expect(sections.some((p) => p.name.includes(name)), name).toBe(true);
    const codes = defs.indicators.map((i) => i.code);
    for (const p of sections) {
      const title = String(p.rows[0]!.cells[0]!.value);
      expect(title.startsWith(`${DEMO_DISTRICT}${DEMO_PERIOD}`), title).toBe(true);
      expect(title).toMatch(/汇总表/);
      const header = p.rows.find((r) => r.role === 'header')!;
      for (const cell of header.cells) for (const code of codes) expect(String(cell.value)).not.toContain(code);
      // Wrapped headers in a row tall enough for more than one line.
      expect(header.height ?? 0).toBeGreaterThan(15);
    }
  });

  it('fit A4 landscape at 100%, the header repeated, never scaled down to one page', async () => {
    for (const p of sections) {
      const widths = (p.columns ?? []).map((c) => c.width ?? 8.43);
      expect(fitsAcross(widths, true, 100, PAPER_MARGINS), p.name).toBe(true);
      const parts = unzipSync(await writeXlsx([p]));
      const sheet = sheetXml(parts);
      expect(sheet).toMatch(/<pageSetup paperSize="9" orientation="landscape" scale="100"\/>/);
      expect(sheet).not.toContain('fitToPage');
      expect(sheet).toMatch(/<row r="\d+" ht="[\d.]+" customHeight="1">/);
      const header = p.rows.findIndex((r) => r.role === 'header');
      expect(strFromU8(parts['xl/workbook.xml']!)).toContain(`!$${header + 1}:$${header + 1}</definedName>`);
    }
  });

  it('carry the corner block, who is in the figures and the signature lines', () => {
    for (const p of sections) {
      const texts = p.rows.flatMap((r) => r.cells.map((c) => String(c.value ?? '')));
      expect(texts.some((t) => t.includes('表号：教统汇 1 表') && t.includes('制表机关'))).toBe(true);
      expect(texts.some((t) => t.startsWith('本表计入'))).toBe(true);
      for (const s of SIGNATURE) expect(texts.some((t) => t.includes(s)), `${p.name}: ${s}`).toBe(true);
    }
  });
});

describe('the wide summary', () => {
  it('prints several pages wide at 100% with the code and name columns and the header repeated', async () => {
    const summary = plans[0]!;
    expect(summary.name).toBe(SHEET_NAMES['zh-CN'].summary);
    const parts = unzipSync(await writeXlsx([summary]));
    expect(sheetXml(parts)).toMatch(/<pageSetup paperSize="9" orientation="landscape" scale="100"\/>/);
    expect(sheetXml(parts)).not.toContain('fitToPage');
    expect(strFromU8(parts['xl/workbook.xml']!)).toMatch(/<definedName name="_xlnm.Print_Titles" localSheetId="0">(?:'|&apos;)全区汇总(?:'|&apos;)!\$A:\$B,(?:'|&apos;)全区汇总(?:'|&apos;)!\$3:\$3<\/definedName>/);
  });
});

describe('who is in the totals', () => {
  it('counts the school whose only planted mistake is in its own rate cell, which Huizong recomputes', () => {
    const own = planted.find((m) => m.code === 'value.formula_error')!;
    expect(planted.filter((m) => m.school === own.school)).toEqual([own]);
    expect(defs.rates.some((r) => r.stated === own.subject)).toBe(true);
    const school = job.consolidation.schools.find((s) => s.code === own.school)!;
    expect(school.included).toBe(true);
    // Nothing it is told about touches a figure an output reads: it is not left out.
    expect(job.consolidation.issues.filter((i) => i.school === school.code && i.code === 'school.excluded')).toEqual([]);
  });

  it('names the same schools, each with its reason, under the total, in the text report and in --json', () => {
    const c = job.consolidation;
    const out = jsonResult({ command: 'consolidate', lang: 'zh-CN', exitCode: 1, consolidation: c, files: [] });
    const left = out.excluded.filter((e) => e.reason === 'errors');
    // Every school left out for its errors (a file set aside for another of its school's files is not a school left out).
    expect(left.map((e) => e.name).sort()).toEqual(c.schools.filter((s) => !s.included && s.errors > 0).map((s) => s.name).sort());
    expect(left.length).toBeGreaterThan(0);
    const summary = planToGrid(plans[0]!);
    const note = String(summary.values.flat().find((v) => typeof v === 'string' && v.startsWith('本表计入')));
    const report = textReport(c, defs, 'zh-CN', books.length);
    for (const e of left) {
      expect(e.text).toMatch(/\d+ 个错误：/);
      expect(note).toContain(`${e.name}（${e.text}）`);
      expect(report).toContain(`${e.name}（${e.text}）`);
    }
    expect(note).toContain(`本表计入 ${c.district.schoolCount} 所学校`);
    expect(report).toContain(`${c.district.schoolCount} 所学校计入汇总，${left.length} 所未计入`);
  });
});

/** Prints the files to PDF with LibreOffice (one run) and returns each PDF's path. */
function printToPdf(dir: string, files: readonly string[]): void {
  mkdirSync(path.join(dir, 'profile'), { recursive: true });
  const r = spawnSync(SOFFICE!, [`-env:UserInstallation=file://${path.join(dir, 'profile')}`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', dir, ...files.map((f) => path.join(dir, f))], {
    encoding: 'utf8',
    timeout: 240_000,
  });
  expect(r.status, r.stderr).toBe(0);
}

function run(cmd: string, args: readonly string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20 });
  if (r.error) throw new Error(`${cmd} is missing: install Debian's poppler-utils (.ci/install does).`);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

/** The text of each page. */
function pages(pdf: string): string[] {
  return run('pdftotext', ['-layout', pdf, '-']).split('\f').slice(0, -1);
}

/** The words of each page with their boxes (points from the top left). */
function pageWords(pdf: string): { text: string; yMin: number; yMax: number }[][] {
  const xml = run('pdftotext', ['-bbox', pdf, '-']);
  return xml
    .split('<page ')
    .slice(1)
    .map((page) => [...page.matchAll(/<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({ text: m[3]!, yMin: Number(m[1]), yMax: Number(m[2]) })));
}

/** The height of every word box on the pages, in points. */
function wordHeights(pdf: string): number[] {
  const xml = run('pdftotext', ['-bbox', pdf, '-']);
  return [...xml.matchAll(/<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">/g)].map((m) => Number(m[2]) - Number(m[1]));
}

describe('printed by LibreOffice', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'huizong-print-'));
  const files: string[] = [];
  let letterName = '';

  beforeAll(async () => {
    if (!SOFFICE) throw new Error("LibreOffice is missing: install Debian's libreoffice-calc (.ci/install does).");
    const write = async (name: string, bytes: Uint8Array): Promise<void> => {
      writeFileSync(path.join(dir, name), bytes);
      files.push(name);
    };
    for (const [k, p] of sections.entries()) await write(`section${k + 1}.xlsx`, await writeXlsx([p]));
    await write('summary.xlsx', await writeXlsx([plans[0]!]));
    await write('equity.xlsx', await writeXlsx([plans.find((p) => p.name === SHEET_NAMES['zh-CN'].equity)!]));
    // A 9 pt reference: a sheet of body text printed at the scale that makes its 11 pt text 9 pt.
    await write('reference.xlsx', await writeXlsx([{ name: 'ref', rows: [{ role: 'data', cells: [{ value: '学校名称 1,234' }] }], print: { landscape: true, fitToWidth: false, scale: Math.round((9 / 11) * 100) } }]));
    const returns = planReturns(job, 'zh-CN', defs.period);
    const letter = returns.packages.find((p) => p.errors > 0 && p.copy.marks.length > 1) ?? returns.packages[0]!;
    letterName = letter.name;
    const grid = books.find((b) => b.source === letter.file)!.sheets[0]!;
    await write('letter.xlsx', await writeXlsx([...letter.plans], [{ grid, name: letter.copy.name, updates: letter.copy.updates, marks: letter.copy.marks, ...(letter.copy.print ? { print: letter.copy.print } : {}) }]));
    await write('index.xlsx', await writeXlsx([returnIndexPlan(returns.index, 'zh-CN', returns.heading)]));
    // An index of 80 schools: about forty to a page.
    const row = returns.index[0]!;
    const many: ReturnIndexRow[] = Array.from({ length: 80 }, (_, k) => ({ ...row, school: String(3401020100 + k), package: `${3401020100 + k}_${row.name}_退回修改.xlsx` }));
    await write('index80.xlsx', await writeXlsx([returnIndexPlan(many, 'zh-CN', returns.heading)]));
    printToPdf(dir, files);
    mkdirSync(ARTEFACTS, { recursive: true });
    for (const f of files) run('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', path.join(dir, f.replace(/\.xlsx$/, '.pdf')), path.join(ARTEFACTS, f.replace(/\.xlsx$/, ''))]);
  }, 300_000);

  const pdf = (name: string): string => path.join(dir, name.replace(/\.xlsx$/, '.pdf'));

  it('prints each section within a few pages, its header on every page, its text at 9 pt or more, no ### and the signature lines', () => {
    const nine = Math.min(...wordHeights(pdf('reference.xlsx')));
    expect(nine).toBeGreaterThan(5);
    sections.forEach((p, k) => {
      const name = `section${k + 1}.xlsx`;
      const text = pages(pdf(name));
      expect(text.length, p.name).toBeGreaterThan(0);
      expect(text.length, p.name).toBeLessThanOrEqual(4);
      const firstHeader = String(p.rows.find((r) => r.role === 'header')!.cells[1]!.value).slice(0, 3);
      for (const page of text) expect(page, `${p.name}: header on every page`).toContain(firstHeader);
      const all = text.join('\n');
      expect(all).not.toContain('###');
      for (const s of SIGNATURE) expect(all, `${p.name}: ${s}`).toContain(s);
      expect(Math.min(...wordHeights(pdf(name))), p.name).toBeGreaterThanOrEqual(nine - 0.05);
      // One page wide: the last column's header is on the first page with the school names.
      const lastHeader = String(p.rows.find((r) => r.role === 'header')!.cells.at(-1)!.value).slice(0, 3);
      expect(text[0], p.name).toContain(lastHeader);
    });
  });

  it('prints the note under the total whole, between the total row and the signature lines, on every section', () => {
    let longest = 0;
    sections.forEach((p, k) => {
      const note = String(p.rows.find((r) => r.role === 'note' && String(r.cells[0]?.value ?? '').startsWith('本表计入'))!.cells[0]!.value);
      longest = Math.max(longest, note.length);
      const text = pages(pdf(`section${k + 1}.xlsx`));
      const words = pageWords(pdf(`section${k + 1}.xlsx`));
      const at = text.findIndex((page) => page.includes('本表计入'));
      expect(at, p.name).toBeGreaterThanOrEqual(0);
      // The whole note, in order, with nothing of the table printed in among its lines.
      const squeeze = (t: string): string => t.replace(/\s+/g, '');
      expect(squeeze(text[at]!), p.name).toContain(squeeze(note));
      // Its lines sit below the table (the total row, or the header repeated when the note starts a page) and
      // above the first signature line: a row too short for it shows only its middle lines, drawn over its neighbours.
      const page = words[at]!;
      const first = page.findIndex((w) => w.text.startsWith('本表计入'));
      // The first signature line, or the bottom margin (where the footer is) when the signatures go on to the next page.
      const sign = page.findIndex((w, j) => j > first && w.text.startsWith('填报单位'));
      const bottom = sign >= 0 ? page[sign]!.yMin : (8.27 - PAPER_MARGINS.bottom) * 72;
      const above = Math.max(...page.slice(0, first).filter((w) => w.yMax < bottom).map((w) => w.yMax));
      for (const w of page.slice(first, sign >= 0 ? sign : undefined).filter((x) => x.yMin < bottom)) {
        expect(w.yMin, `${p.name}: ${w.text}`).toBeGreaterThanOrEqual(above - 0.5);
        expect(w.yMax, `${p.name}: ${w.text}`).toBeLessThanOrEqual(bottom + 0.5);
      }
    });
    // The demo leaves schools out for several reasons, so the note runs over several lines of a narrow table.
    expect(longest).toBeGreaterThan(100);
  });

  it('prints the wide summary at full size over several pages, never one, with no ###', () => {
    const text = pages(pdf('summary.xlsx'));
    expect(text.length).toBeGreaterThan(4);
    expect(text.join('\n')).not.toContain('###');
    for (const page of text) expect(page).toContain('学校名称');
    const nine = Math.min(...wordHeights(pdf('reference.xlsx')));
    expect(Math.min(...wordHeights(pdf('summary.xlsx')))).toBeGreaterThanOrEqual(nine - 0.05);
  });

  it('prints the 均衡 sheet legibly: every indicator on the page, text at 9 pt or more, no ###', () => {
    const text = pages(pdf('equity.xlsx'));
    expect(text.length).toBeGreaterThan(0);
    const all = text.join('\n');
    expect(all).not.toContain('###');
    expect(all).toContain('全县平均值');
    expect(all).toContain('对差异系数影响最大的学校');
    expect(all).not.toContain('Σ学生数×偏差²');
    const nine = Math.min(...wordHeights(pdf('reference.xlsx')));
    expect(Math.min(...wordHeights(pdf('equity.xlsx')))).toBeGreaterThanOrEqual(nine - 0.05);
  });

  it('prints a return letter one page wide, and its form copy one page wide', () => {
    const text = pages(pdf('letter.xlsx'));
    const letterPages = text.filter((t) => t.includes('退回修改意见') || t.includes(`${letterName}（`));
    expect(letterPages.length).toBeGreaterThan(0);
    for (const h of ['序号', '单元格', '问题', '填报的值', '应为', '类别']) expect(letterPages[0]).toContain(h);
    expect(letterPages[0]).toContain('签字');
    const formPages = text.filter((t) => t.includes('代码') && t.includes('指标'));
    expect(formPages.length).toBeGreaterThan(0);
    for (const page of formPages) expect(page).toContain('数值');
    expect(text.join('\n')).not.toContain('###');
  });

  it('prints the index of letters about forty schools to a page', () => {
    expect(pages(pdf('index.xlsx'))).toHaveLength(1);
    const many = pages(pdf('index80.xlsx'));
    const perPage = many.map((page) => (page.match(/^\s*34010201\d\d\s/gm) ?? []).length);
    expect(perPage.reduce((a, b) => a + b, 0)).toBe(80);
    // A full page holds about forty schools (each on one line), the header repeated on every page.
    expect(perPage[0]).toBeGreaterThanOrEqual(35);
    expect(many.length).toBeLessThanOrEqual(3);
    for (const page of many) expect(page).toContain('学校代码');
    expect(readFileSync(pdf('index80.xlsx')).subarray(0, 4).toString()).toBe('%PDF');
  });
});
