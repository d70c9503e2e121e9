/**
 * One pipeline for every face: the built command and the standalone page's service (through the
 * pane's own job runner) give the same plans and the same district workbook for the same school
 * files, and find the same changes since last period.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Issue } from '../../src/core/types';
import type { JsonResult } from '../../src/cli/output';
import { copiesWithGrids, readSchoolFiles } from '../../src/cli/read';
import { loadDefinitions, loadRoster } from '../../src/cli/load';
import { planOutputs, runJob, type PreviousValues } from '../../src/job';
import { sectionItems } from '../../src/workbook';
import { createFileService } from '../../src/taskpane/fileService';
import { runJobRequest } from '../../src/taskpane/jobs';
import { createInlineRunner } from '../../src/taskpane/runner';
import type { ConsolidateChoices, RunControl } from '../../src/taskpane/service';
import { readWorkbookFile } from '../../src/xlsx/file';
import { ensureBuilt, huizong, readBack, scratch, type Run } from '../cli/helpers';

const EPOCH = 1_790_000_000;
const CHOICES: ConsolidateChoices = { groupBy: ['stage', 'township'], mode: 'formulas', includeSchoolsWithErrors: false, writeRates: true };
const ctl: RunControl = { signal: new AbortController().signal, onProgress: () => {} };

let dir: string;
let schoolFiles: string[];
let run: Run;
let json: JsonResult;
/** Last period as the command's JSON output, with the first five included schools' figures three times as large. */
let previousJson: string;

const bytesOf = (f: string): Uint8Array => new Uint8Array(readFileSync(f));
const changes = (issues: readonly Issue[]) =>
  issues
    .filter((i) => i.code === 'outlier.period_change')
    .map((i) => ({ school: i.school, sheet: i.sheet, cell: i.cell, subject: i.subject, params: i.params }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

beforeAll(async () => {
  ensureBuilt();
  dir = scratch('huizong-faces-');
  const demo = await huizong(['demo', '--out', 'demo', '--json'], dir);
  expect(demo.code).toBe(0);
  const base = JSON.parse(demo.stdout) as JsonResult;
  const changed = base.schools.filter((s) => s.included).slice(0, 5);
  expect(changed).toHaveLength(5);
  previousJson = JSON.stringify({
    schools: base.schools.map((s) => ({ ...s, values: changed.includes(s) ? Object.fromEntries(Object.entries(s.values).map(([k, v]) => [k, typeof v === 'number' ? v * 3 : v])) : s.values })),
  });
  writeFileSync(path.join(dir, 'previous.json'), previousJson);
  // In the order the command takes them (its folder listing, sorted as a Chinese file manager sorts).
  schoolFiles = readdirSync(path.join(dir, 'demo/schools')).sort(new Intl.Collator('zh-CN', { numeric: true }).compare);
  run = await huizong(
    ['consolidate', '--definitions', 'demo/定义.xlsx', '--roster', 'demo/学校名册.xlsx', 'demo/schools', '--out', 'out.xlsx', '--formulas', '--previous', 'previous.json', '--json'],
    dir,
    { SOURCE_DATE_EPOCH: String(EPOCH) },
  );
  json = JSON.parse(run.stdout) as JsonResult;
}, 240_000);

async function demoDefinitions() {
  const loaded = await loadDefinitions(path.join(dir, 'demo/定义.xlsx'));
  if ('failure' in loaded) throw new Error('definitions');
  const withRoster = await loadRoster(loaded.definitions, path.join(dir, 'demo/学校名册.xlsx'));
  if ('failure' in withRoster) throw new Error('roster');
  return withRoster.definitions;
}

/** The standalone page's service over the demo: definitions, roster, school files and last period, as a clerk loads them. */
async function standalone() {
  const service = createFileService({ runner: createInlineRunner(), now: () => new Date(EPOCH * 1000) });
  const defs = await demoDefinitions();
  await service.loadDefinitionsFile!({ name: 'defs.json', bytes: new TextEncoder().encode(JSON.stringify((await import('../../src/core/definitions')).definitionsToJson(defs))) }, ctl);
  await service.importFiles(
    schoolFiles.map((f) => ({ name: `demo/schools/${f}`, bytes: bytesOf(path.join(dir, 'demo/schools', f)) })),
    ctl,
  );
  await service.loadPrevious({ file: { name: 'previous.json', bytes: new TextEncoder().encode(previousJson) } }, ctl);
  return service;
}

describe('the command and the pane run one pipeline', () => {
  it('plans byte-identical sheets, copies, rates and marks from the same files', async () => {
    const defs = await demoDefinitions();
    const previous = JSON.parse(previousJson) as { schools: { code: string; values: Record<string, number | null>; included: boolean }[] };
    const prev: PreviousValues = Object.fromEntries(previous.schools.filter((s) => s.included).map((s) => [s.code, s.values]));
    const generated = new Date(EPOCH * 1000);

    // The command's reader and job, with the working folder the command had.
    const files = schoolFiles.map((f) => path.join(dir, 'demo/schools', f));
    const reads = await readSchoolFiles(files, defs, { cwd: dir, keepBooks: true });
    const job = runJob(reads, defs, { previous: prev, includeSchoolsWithErrors: false, groupBy: CHOICES.groupBy });
    const command = planOutputs(job, defs, { lang: 'zh-CN', mode: 'formulas', groupBy: CHOICES.groupBy, target: 'file', generated });

    // The pane's worker job over the books its .xlsx engine read.
    const books = [];
    for (const f of schoolFiles) {
      const r = await readWorkbookFile(bytesOf(path.join(dir, 'demo/schools', f)), `demo/schools/${f}`);
      books.push({ ...r.book!, source: `demo/schools/${f}` });
    }
    const pane = await runJobRequest({ type: 'consolidate', definitions: defs, books, choices: CHOICES, lang: 'zh-CN', target: 'file', previous: prev, generated }, { onProgress: () => {} });

    expect(command.copies.length).toBe(schoolFiles.length);
    expect(command.copies.some((c) => c.marks.length > 0)).toBe(true);
    expect(command.copies.some((c) => c.updates.length > 0)).toBe(true);
    expect(JSON.stringify(pane.plans)).toBe(JSON.stringify(command.plans));
    expect(JSON.stringify(pane.copies)).toBe(JSON.stringify(command.copies));
    // And the grids the two readers give for each copy are the same cells.
    const withGrids = await copiesWithGrids(command.copies, reads);
    for (const c of withGrids) {
      const book = books.find((b) => b.source === pane.copies.find((p) => p.name === c.name)?.file);
      expect(book?.sheets.find((g) => g.name === c.grid.name)?.values, c.name).toEqual(c.grid.values);
    }
  });

  it('writes the same district workbook from the command and from the standalone page', async () => {
    expect(run.code).toBe(1);
    const service = await standalone();
    await service.consolidate(CHOICES, 'zh-CN', ctl);
    const file = await service.download!();
    writeFileSync(path.join(dir, 'page.xlsx'), file.bytes);
    const fromCommand = await readBack(path.join(dir, 'out.xlsx'));
    const fromPage = await readBack(path.join(dir, 'page.xlsx'));
    expect(fromPage.sheets.map((s) => s.name)).toEqual(fromCommand.sheets.map((s) => s.name));
    // Summary, report, completeness and 均衡, a printed table per section of the definitions (the wide ones in parts), and the copies.
    const sections = sectionItems(await demoDefinitions(), 'zh-CN').length;
    const tables = fromCommand.sheets.filter((s) => /^表\d+(-\d+)? /.test(s.name)).length;
    expect(tables).toBeGreaterThanOrEqual(sections);
    expect(fromCommand.sheets.length).toBe(4 + tables + schoolFiles.length);
    for (let i = 0; i < fromCommand.sheets.length; i++) {
      const a = fromCommand.sheets[i]!;
      const b = fromPage.sheets[i]!;
      expect(b.values, a.name).toEqual(a.values);
      expect(b.formulas, a.name).toEqual(a.formulas);
    }
  });

  it('finds the same changes since last period in the pane as in the command', async () => {
    const fromCommand = changes(json.issues);
    // Every one of the five changed schools is queried on its student count at least.
    expect(new Set(fromCommand.map((c) => c.school)).size).toBe(5);
    const service = await standalone();
    const v = await service.validate(ctl);
    expect(changes(v.issues)).toEqual(fromCommand);
    // Without last period the pane finds none.
    await service.clearPrevious();
    expect(changes((await service.validate(ctl)).issues)).toEqual([]);
  });
});

describe('the school roster on the standalone page', () => {
  it('loaded from its own file, gives the same completeness and 均衡 as the command with --roster', async () => {
    const service = createFileService({ runner: createInlineRunner(), now: () => new Date(EPOCH * 1000) });
    const withoutRoster = await service.loadDefinitionsFile!({ name: '定义.xlsx', bytes: bytesOf(path.join(dir, 'demo/定义.xlsx')) }, ctl);
    expect(withoutRoster.schools).toBe(0);
    // A file with no roster in it is refused and changes nothing.
    await expect(service.loadRosterFile!({ name: 'wrong.json', bytes: new TextEncoder().encode('{"rows": []}') }, ctl)).rejects.toMatchObject({ code: 'roster_invalid' });
    const view = await service.loadRosterFile!({ name: '学校名册.xlsx', bytes: bytesOf(path.join(dir, 'demo/学校名册.xlsx')) }, ctl);
    expect(view.schools).toBe(json.completeness.expected);
    expect(view.rosterName).toBe('学校名册.xlsx');
    await expect(service.loadRosterFile!({ name: 'wrong.json', bytes: new TextEncoder().encode('{"rows": []}') }, ctl)).rejects.toMatchObject({ code: 'roster_invalid' });
    // Checking the definitions again keeps the roster loaded from its own file.
    expect((await service.checkDefinitions(ctl)).schools).toBe(json.completeness.expected);
    await service.importFiles(schoolFiles.map((f) => ({ name: `demo/schools/${f}`, bytes: bytesOf(path.join(dir, 'demo/schools', f)) })), ctl);
    await service.loadPrevious({ file: { name: 'previous.json', bytes: new TextEncoder().encode(previousJson) } }, ctl);
    const result = await service.consolidate(CHOICES, 'zh-CN', ctl);
    expect(result.completeness).toEqual(json.completeness);
    // The roster gives the stages: without it no school could be placed in 小学 or 初中.
    const fromCommand = json.equity.flatMap((r) => r.stages.map((s) => [r.code, s.stage, s.composite, s.met, s.schools.filter((x) => x.met === false).map((x) => x.school)]));
    expect(result.equity.map((v) => [v.standard, v.stage, v.composite, v.met, v.failing.map((f) => f.code)])).toEqual(fromCommand);
    expect(result.equity.filter((v) => v.schoolCount > 0)).toHaveLength(4);
    expect(result.equity.some((v) => v.failing.length > 0)).toBe(true);
  });
});

describe('a school that sent a corrected file, on the standalone page', () => {
  it('has the corrected file stand, as the command does, until the clerk keeps the other', async () => {
    const service = await standalone();
    const set = (v: { issues: readonly Issue[] }, school: string): string[] =>
      v.issues.filter((i) => i.school === school && (i.code === 'school.duplicate_superseded' || i.code === 'school.duplicate')).map((i) => path.basename(i.file ?? ''));
    const first = await service.validate(ctl);
    const note = first.issues.find((i) => i.code === 'school.duplicate_superseded')!;
    expect(note.severity).toBe('info');
    // The note is on the file set aside; the correction stands, as in the command's result.
    expect(set(first, note.school!)).toEqual([path.basename(note.file!)]);
    expect(json.schools.filter((s) => s.code === note.school && s.included).map((s) => path.basename(s.file ?? ''))).toEqual([expect.stringContaining('（更正）')]);
    await service.keepSubmission(note);
    const again = await service.validate(ctl);
    expect(set(again, note.school!)).toEqual([expect.stringContaining('（更正）')]);
  });
});

describe('a cell shown on the standalone page', () => {
  it('is labelled with its indicator’s name, not its unit', async () => {
    const service = await standalone();
    const v = await service.validate(ctl);
    const defs = await demoDefinitions();
    const issue = v.issues.find((i) => i.cell !== undefined && i.subject !== undefined && defs.indicators.some((d) => d.code === i.subject && d.unit !== undefined))!;
    const preview = await service.showCell(issue);
    const indicator = defs.indicators.find((d) => d.code === issue.subject)!;
    expect(preview?.label).toBe(indicator.label.zh);
  });
});

describe('importing on the standalone page', () => {
  it('does not take a file with no school’s sheet in it for a school', async () => {
    const service = createFileService({ runner: createInlineRunner() });
    await service.createFromPreset('zh-CN', ctl);
    const notes = new TextEncoder().encode('会议记录\n明天上午九点开会\n');
    const imported = await service.importFiles(
      [
        { name: '会议记录.txt', bytes: notes },
        { name: schoolFiles[0]!, bytes: bytesOf(path.join(dir, 'demo/schools', schoolFiles[0]!)) },
      ],
      ctl,
    );
    expect(imported.map((f) => [f.name, f.status])).toEqual([
      ['会议记录.txt', 'failed'],
      [schoolFiles[0], 'ok'],
    ]);
    expect(imported[0]!.issues.map((i) => i.code)).toContain('sheet.not_found');
    const v = await service.validate(ctl);
    expect(v.schools).toHaveLength(1);
  });
});

