/**
 * What the clerk and the schools read holds no internal code, and says only what was planted: over the
 * demo district (and the school files among the test fixtures), every message in both languages, the
 * report sheet, the return packages and the text copied for a school (WeChat), scanned for code-shaped
 * tokens; every query or error matched to a mistake the demo planted, and no return package without one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { planDemoDistrict } from '../../src/demo';
import { CODE_SHAPED, formatIssue, isForSchool, issueMessage } from '../../src/core/messages';
import type { Issue, Lang } from '../../src/core/types';
import { planReturns, readBook, runJob, type JobResult } from '../../src/job';
import { schoolMessage } from '../../src/taskpane/schoolMessage';
import { buildReportPlan, planToGrid, type SheetPlan } from '../../src/workbook';
import { readWorkbookFileSync } from '../../src/xlsx';

const demo = planDemoDistrict(2026);
const LANGS: readonly Lang[] = ['zh-CN', 'en-US'];

function demoJob(): JobResult {
  const books = demo.sheets.map((s) => ({ sheets: [planToGrid(s.plan)], source: s.name }));
  return runJob(
    books.map((b) => readBook(b, demo.definitions)),
    demo.definitions,
  );
}

function fixtureJob(): JobResult {
  const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/formats');
  const reads = readdirSync(dir)
    .filter((f) => /\.(xlsx|ods|xls|et)$/.test(f))
    .flatMap((f) => {
      const r = readWorkbookFileSync(new Uint8Array(readFileSync(path.join(dir, f))), f);
      return r.book === null ? [] : [readBook(r.book, demo.definitions)];
    });
  return runJob(reads, demo.definitions);
}

/** Every text cell of a sheet plan. */
function textsOf(plan: SheetPlan): string[] {
  return plan.rows.flatMap((r) => r.cells.map((c) => c.value)).filter((v): v is string => typeof v === 'string');
}

/** Everything a clerk or a school reads about a job: messages, the report sheet, the return packages, the copied text. */
function everythingRead(job: JobResult): { where: string; text: string }[] {
  const out: { where: string; text: string }[] = [];
  const issues = job.consolidation.issues;
  for (const lang of LANGS) {
    for (const i of issues) out.push({ where: `${lang} ${i.code}`, text: formatIssue(i, lang) });
    for (const t of textsOf(buildReportPlan(job.consolidation, lang))) out.push({ where: `${lang} report`, text: t });
    const returns = planReturns(job, lang, demo.definitions.period);
    for (const p of returns.packages) {
      for (const plan of p.plans) for (const t of textsOf(plan)) out.push({ where: `${lang} return ${p.fileName}`, text: t });
      for (const m of p.copy.marks) out.push({ where: `${lang} mark ${p.fileName}`, text: m.message });
    }
    for (const s of job.consolidation.schools) {
      const own = issues.filter((i) => i.school === s.code && i.file === s.file);
      out.push({ where: `${lang} copied text ${s.code}`, text: schoolMessage({ code: s.code, name: s.name, title: demo.definitions.title, ...(demo.definitions.period !== undefined ? { period: demo.definitions.period } : {}) }, own, lang) });
    }
  }
  return out;
}

describe('words without internal codes', () => {
  for (const [name, job] of [
    ['the demo district', demoJob],
    ['the school files among the test fixtures', fixtureJob],
  ] as const) {
    it(`holds no code-shaped token in anything read about ${name}`, () => {
      const read = everythingRead(job());
      expect(read.length).toBeGreaterThan(50);
      const leaks = read.filter((r) => CODE_SHAPED.test(r.text)).map((r) => `${r.where}: ${r.text}`);
      expect(leaks).toEqual([]);
    });
  }

  it('finds a code-shaped token where one is (the scan itself can fail)', () => {
    for (const leak of ['规则 R06：', '（R_STAFF_VACC）', '营养改善计划应覆盖学生数（NM_ELIGIBLE）', 'L3 差异系数', 'school.duplicate']) expect(leak).toMatch(CODE_SHAPED);
    for (const clean of ['教职工疫苗接种率', '文件“a.xlsx”', '0340102001', '2026年秋季学期', 'XFD1048576']) expect(clean).not.toMatch(CODE_SHAPED);
  });
});

describe('the demo district says only what was planted', () => {
  const job = demoJob();
  const issues = job.consolidation.issues;
  const planted = (i: Issue): boolean =>
    demo.expectedMistakes.some((m) => m.code === i.code && m.severity === i.severity && (m.file === undefined || i.file === m.file) && (m.cell === undefined || i.cell === m.cell) && (m.school === i.school || m.code === 'value.code_as_number'));

  it('finds every planted mistake at its file and cell, with the severity planted', () => {
    const missed = demo.expectedMistakes.filter((m) => !issues.some((i) => i.code === m.code && i.severity === m.severity && (m.file === undefined || i.file === m.file) && (m.cell === undefined || i.cell === m.cell)));
    expect(missed.map((m) => `${m.code} ${m.file ?? m.school} ${m.cell ?? ''} (${m.what})`)).toEqual([]);
  });

  it('raises no error and no query where nothing was planted', () => {
    const unplanted = issues.filter((i) => (i.severity === 'error' || i.severity === 'warning') && !planted(i));
    expect(unplanted.map((i) => `${i.severity} ${i.file ?? i.school} ${i.cell ?? ''} ${issueMessage(i, 'zh-CN')}`)).toEqual([]);
  });

  it('sends a return package only to a school sheet with a planted error or query', () => {
    const { packages } = planReturns(job, 'zh-CN', demo.definitions.period);
    const asked = new Set(demo.expectedMistakes.filter((m) => m.severity !== 'info' && m.code !== 'school.missing').map((m) => m.file));
    expect(packages.length).toBeGreaterThan(5);
    expect(packages.filter((p) => !asked.has(p.file)).map((p) => p.fileName)).toEqual([]);
    // Notes (a correction, a copy, a rounding) ask nothing of a school.
    const noted = new Set(demo.expectedMistakes.filter((m) => m.severity === 'info').map((m) => m.file));
    for (const p of packages) if (noted.has(p.file)) expect(issues.filter((i) => i.file === p.file && isForSchool(i)).length, p.fileName).toBeGreaterThan(0);
  });
});
