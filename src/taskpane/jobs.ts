/**
 * The work the pane hands to its Web Worker: read definitions, read and validate the school
 * sheets, consolidate and build every sheet plan an adapter writes. Pure over plain data, so the
 * same code runs in the worker and, where no worker exists, inline.
 */
import type { SheetGrid, WorkbookGrid } from '../core/grid';
import { checkDefinitions, definitionsFromJson, readDefinitions } from '../core/definitions';
import { readSubmissions } from '../core/layout';
import { issueMessage } from '../core/messages';
import { builtinPreset } from '../core/preset';
import { consolidate } from '../core/consolidate';
import { validate } from '../core/validate';
import type { Consolidation, Definitions, Issue, Lang, Submission } from '../core/types';
import { buildRateCharts } from '../workbook/chart';
import { buildCompletenessPlan } from '../workbook/completeness';
import { safeSheetName, SHEET_NAMES } from '../workbook/names';
import type { CellMark, SheetPlan } from '../workbook/plan';
import { buildRateUpdates, type SubmissionRef } from '../workbook/rates';
import { buildReportPlan } from '../workbook/report';
import { buildSummaryPlan } from '../workbook/summary';
import type { ConsolidateOutput, DefinitionsSource, JobRequest, JobResults } from './protocol';
import type { ConsolidateChoices, DefinitionsView, Progress, ResultView, SchoolRow, ValidationView } from './service';

/** How a job reports progress and learns it was cancelled (the worker is simply terminated instead). */
export interface JobHooks {
  readonly onProgress: (p: Progress) => void;
  /** Called between books; rejecting or throwing stops the job. */
  readonly checkpoint?: () => Promise<void> | void;
}

/** Runs one job. */
export async function runJobRequest<T extends JobRequest>(req: T, hooks: JobHooks): Promise<JobResults[T['type']]> {
  switch (req.type) {
    case 'definitions':
      return loadDefinitions(req.source) as JobResults[T['type']];
    case 'validate':
      return (await validateBooks(req.definitions, req.books, hooks)) as JobResults[T['type']];
    case 'consolidate':
      return (await consolidateBooks(req.definitions, req.books, req.choices, req.lang, req.target, hooks)) as JobResults[T['type']];
  }
}

/** Definitions from a source, checked, with what the pane shows of them. */
export function loadDefinitions(source: DefinitionsSource): JobResults['definitions'] {
  let definitions: Definitions | null;
  let issues: Issue[];
  switch (source.kind) {
    case 'preset':
      definitions = builtinPreset();
      issues = checkDefinitions(definitions);
      break;
    case 'sheets':
      ({ definitions, issues } = readDefinitions(source.sheets as SheetGrid[]));
      break;
    case 'json':
      ({ definitions, issues } = definitionsFromJson(source.json));
      break;
  }
  const view: DefinitionsView = {
    ready: definitions !== null,
    source: source.kind === 'json' ? 'file' : source.kind === 'sheets' && source.name !== undefined ? 'file' : source.kind,
    ...('name' in source && source.name !== undefined ? { sourceName: source.name } : {}),
    ...(definitions !== null ? { title: definitions.title } : {}),
    indicators: definitions?.indicators.length ?? 0,
    rules: definitions?.rules.length ?? 0,
    rates: definitions?.rates.length ?? 0,
    dispersions: definitions?.dispersions.length ?? 0,
    schools: definitions?.roster.length ?? 0,
    issues,
  };
  return { view, definitions };
}

/** Submissions of every book, with rate cells re-indexed over all of them. */
interface ReadAll {
  readonly submissions: Submission[];
  readonly issues: Issue[];
  readonly rateCells: Record<number, Record<string, string>>;
}

async function readAll(defs: Definitions, books: readonly WorkbookGrid[], hooks: JobHooks): Promise<ReadAll> {
  const submissions: Submission[] = [];
  const issues: Issue[] = [];
  const rateCells: Record<number, Record<string, string>> = {};
  let last = 0;
  for (let b = 0; b < books.length; b++) {
    const book = books[b]!;
    const read = readSubmissions(book, defs.layout, defs.indicators, defs.rates);
    const offset = submissions.length;
    for (const s of read.submissions) submissions.push(s.file === undefined && book.source !== undefined ? { ...s, file: book.source } : s);
    for (const issue of read.issues) issues.push(issue.file === undefined && book.source !== undefined ? { ...issue, file: book.source } : issue);
    for (const [i, cells] of Object.entries(read.rateCells)) rateCells[offset + Number(i)] = { ...(cells as Record<string, string>) };
    const now = Date.now();
    if (now - last > 50 || b === books.length - 1) {
      last = now;
      hooks.onProgress({ phase: 'reading', fraction: (b + 1) / books.length });
      await hooks.checkpoint?.();
    }
  }
  return { submissions, issues, rateCells };
}

function schoolRows(c: { readonly schools: Consolidation['schools'] }): SchoolRow[] {
  return c.schools.map((s) => ({
    code: s.code,
    name: s.name,
    ...(s.file !== undefined ? { file: s.file } : {}),
    sheet: s.sheet,
    errors: s.errors,
    warnings: s.warnings,
  }));
}

/** Issues from reading first, then validation's, without exact repeats. */
function mergeIssues(a: readonly Issue[], b: readonly Issue[]): Issue[] {
  const seen = new Set<string>();
  const out: Issue[] = [];
  for (const issue of [...a, ...b]) {
    const key = JSON.stringify([issue.code, issue.school, issue.file, issue.sheet, issue.cell, issue.subject, issue.params]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(issue);
  }
  return out;
}

/** Reads and validates every book. */
export async function validateBooks(defs: Definitions, books: readonly WorkbookGrid[], hooks: JobHooks): Promise<ValidationView> {
  const read = await readAll(defs, books, hooks);
  hooks.onProgress({ phase: 'validating', fraction: null });
  await hooks.checkpoint?.();
  const validation = validate(read.submissions, defs);
  return {
    title: defs.title,
    ...(defs.period !== undefined ? { period: defs.period } : {}),
    schools: schoolRows(validation),
    issues: mergeIssues(read.issues, validation.issues),
  };
}

/** The result step's view of a consolidation. */
export function resultView(c: Consolidation, defs: Definitions, summarySheet: string): ResultView {
  const included = c.schools.filter((s) => s.included).length;
  return {
    completeness: c.completeness,
    rates: defs.rates.map((r) => {
      const v = c.district.rates[r.code];
      return {
        code: r.code,
        label: r.label,
        value: v?.value ?? null,
        numerator: v?.numerator ?? null,
        denominator: v?.denominator ?? null,
        factor: r.factor,
        decimals: r.decimals,
        ...(r.target !== undefined ? { target: r.target } : {}),
        status: v?.status ?? 'undefined',
      };
    }),
    dispersions: c.dispersions.map((d) => {
      const def = defs.dispersions.find((x) => x.code === d.code);
      return {
        code: d.code,
        label: def?.label ?? { zh: d.code, en: d.code },
        cv: d.cv,
        ...(d.threshold !== undefined ? { threshold: d.threshold } : {}),
        met: d.met,
        schoolCount: d.schoolCount,
      };
    }),
    schoolsIncluded: included,
    schoolsExcluded: c.schools.length - included,
    summarySheet,
  };
}

/** Reads, validates, consolidates and plans every sheet the adapter writes. */
export async function consolidateBooks(
  defs: Definitions,
  books: readonly WorkbookGrid[],
  choices: ConsolidateChoices,
  lang: Lang,
  target: 'excel' | 'file',
  hooks: JobHooks,
): Promise<ConsolidateOutput> {
  const read = await readAll(defs, books, hooks);
  hooks.onProgress({ phase: 'validating', fraction: null });
  await hooks.checkpoint?.();
  const validation = validate(read.submissions, defs);
  hooks.onProgress({ phase: 'consolidating', fraction: null });
  await hooks.checkpoint?.();
  const merged = { ...validation, issues: mergeIssues(read.issues, validation.issues) };
  const c = consolidate(merged, defs, { includeSchoolsWithErrors: choices.includeSchoolsWithErrors, groupBy: choices.groupBy });

  const names = SHEET_NAMES[lang];
  const key = (file: string | undefined, sheet: string): string => `${file ?? ''}\u0000${sheet}`;

  // Standalone: every school sheet that held a submission is copied into the output workbook.
  const copies: { file?: string; sheet: string; name: string }[] = [];
  const copyName = new Map<string, string>();
  if (target === 'file') {
    const taken = [names.summary, names.report, names.completeness];
    for (const s of read.submissions) {
      const k = key(s.file, s.sheet);
      if (copyName.has(k)) continue;
      if (!books.some((b) => b.source === s.file && b.sheets.some((g) => g.name === s.sheet))) continue;
      const name = safeSheetName(s.schoolCode ? `${s.schoolCode} ${s.schoolName ?? ''}`.trim() : s.sheet, taken);
      taken.push(name);
      copyName.set(k, name);
      copies.push({ ...(s.file !== undefined ? { file: s.file } : {}), sheet: s.sheet, name });
    }
  }
  const sheetFor = (file: string | undefined, sheet: string): string => (target === 'file' ? (copyName.get(key(file, sheet)) ?? sheet) : sheet);

  const plans: SheetPlan[] = [
    buildSummaryPlan(c, defs, {
      lang,
      mode: choices.mode,
      groupBy: choices.groupBy,
      schoolSheet: (s) => (target === 'excel' || copyName.has(key(s.file, s.sheet)) ? sheetFor(s.file, s.sheet) : undefined),
    }),
    buildReportPlan(c, lang),
    buildCompletenessPlan(c, lang),
  ];
  const sheetOf = (i: number): SubmissionRef | undefined => {
    const s = read.submissions[i];
    if (s === undefined) return undefined;
    return { schoolCode: s.schoolCode, ...(s.file !== undefined ? { file: s.file } : {}), sheet: s.sheet, target: sheetFor(s.file, s.sheet) };
  };
  const rateUpdates = choices.writeRates ? buildRateUpdates(c, read.rateCells, sheetOf, defs.rates) : [];

  // Marks go on the school sheets in Excel, on their copies in the standalone workbook.
  const marks: CellMark[] = [];
  const markSheets = [...new Set(read.submissions.map((s) => sheetFor(s.file, s.sheet)))];
  for (const issue of c.issues) {
    if (issue.sheet === undefined || issue.cell === undefined || issue.severity === 'info') continue;
    if (target === 'file' && !copyName.has(key(issue.file, issue.sheet))) continue;
    marks.push({ sheet: sheetFor(issue.file, issue.sheet), cell: issue.cell, severity: issue.severity, message: issueMessage(issue, lang) });
  }
  hooks.onProgress({ phase: 'building', fraction: null });
  const chartData = target === 'excel' ? buildRateCharts(c, defs, lang)[0] : undefined;
  return {
    view: resultView(c, defs, names.summary),
    plans,
    rateUpdates: target === 'excel' ? rateUpdates : [],
    marks: target === 'excel' ? marks : [],
    markSheets: target === 'excel' ? markSheets : [],
    ...(chartData !== undefined
      ? { chart: { sheet: chartData.sheet, title: chartData.title, categories: chartData.categories, values: chartData.values, ...(chartData.target !== undefined ? { target: chartData.target } : {}) } }
      : {}),
    copies: copies.map((copy) => ({
      ...copy,
      updates: rateUpdates.filter((u) => u.sheet === copy.name),
      marks: marks.filter((m) => m.sheet === copy.name),
    })),
  };
}
