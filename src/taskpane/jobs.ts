/**
 * The work the pane hands to its Web Worker: read definitions, read and validate the school
 * sheets, consolidate and build every sheet plan an adapter writes. Pure over plain data, so the
 * same code runs in the worker and, where no worker exists, inline.
 */
import type { SheetGrid, WorkbookGrid } from '../core/grid';
import { checkDefinitions, definitionsFromJson, readDefinitions } from '../core/definitions';
import { builtinPreset } from '../core/preset';
import { parseExpression, referencedCodes } from '../core/expr';
import type { Consolidation, Definitions, EquityFloorCheck, EquityStandard, Issue, Lang, SchoolResult } from '../core/types';
import { consolidate, type Exclusion } from '../core/consolidate';
import { exclusionReason, inclusion, stageVerdictLine, standardOf } from '../workbook';
import { consolidateValidated, failedBook, planOutputs, planReturns, returnIndexPlan, withRoster, readPrevious, readBook, selfCheck, selfCheckState, validateBooks as validateReads, withNotes, type BookRead, type JobChoices, type PreviousValues } from '../job';
import type { ConsolidateOutput, DefinitionsSource, JobRequest, JobResults, KeepChoice, OutputTarget, PreviousSource } from './protocol';
import type { CellLocation, ConsolidateChoices, DefinitionsView, EquityStageView, ExcludedSchool, Progress, ResultView, SchoolRow, ValidationView } from './service';

/** How a job reports progress and learns it was cancelled (the worker is simply terminated instead). */
export interface JobHooks {
  readonly onProgress: (p: Progress) => void;
  /** Called between books; rejecting or throwing stops the job. */
  readonly checkpoint?: () => Promise<void> | void;
}

/** Runs one job. */
export async function runJobRequest<T extends JobRequest>(req: T, hooks: JobHooks): Promise<JobResults[T['type']]> {
  switch (req.type) {
    case 'parse':
      return (await parseFile(req.bytes, req.name)) as JobResults[T['type']];
    case 'definitions':
      return loadDefinitions(req.source) as JobResults[T['type']];
    case 'previous':
      return loadPrevious(req.definitions, req.source) as JobResults[T['type']];
    case 'roster':
      return withRoster(req.definitions, req.source) as JobResults[T['type']];
    case 'inspect':
      return inspectBooks(req.definitions, req.books) as JobResults[T['type']];
    case 'selfcheck':
      return selfCheck(req.book === null ? failedBook(req.name, req.issues) : readBook(req.book, req.definitions), req.book, req.definitions) as JobResults[T['type']];
    case 'stamp':
      return (await stampFile(req.bytes, req.sheet, req.rows)) as JobResults[T['type']];
    case 'validate':
      return (await validateBooks(req.definitions, req.books, hooks, req.previous, req.keep)) as JobResults[T['type']];
    case 'returns':
      return (await returnBooks(req.definitions, req.books, req.lang, hooks, req.previous, req.keep)) as JobResults[T['type']];
    case 'consolidate':
      return (await consolidateBooks(req.definitions, req.books, req.choices, req.lang, req.target, hooks, req.previous, req.generated, req.keep)) as JobResults[T['type']];
  }
}

/** One file's workbook, by the .xlsx engine (loaded when a file first needs it). */
async function parseFile(bytes: Uint8Array, name: string): Promise<JobResults['parse']> {
  const { readWorkbookFile } = await import('../xlsx/file');
  return await readWorkbookFile(bytes, name);
}

/** The record's sheet written into the .xlsx (by the .xlsx engine, loaded when first needed); null when the file is no .xlsx package. */
async function stampFile(bytes: Uint8Array, sheet: string, rows: readonly (readonly string[])[]): Promise<JobResults['stamp']> {
  const { withHiddenSheet, SheetPartError } = await import('../xlsx/stamp');
  try {
    return { bytes: withHiddenSheet(bytes, sheet, rows) };
  } catch (e) {
    if (e instanceof SheetPartError) return { bytes: null };
    throw e;
  }
}

/** How many school submissions each book holds, the issues met reading it, and where it stands against its self-check record. */
export function inspectBooks(defs: Definitions, books: readonly WorkbookGrid[]): JobResults['inspect'] {
  return books.map((b) => {
    const r = readBook(b, defs);
    return { submissions: r.submissions.length, issues: r.issues, selfCheck: selfCheckState(b, defs).state };
  });
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
    standards: definitions?.standards?.length ?? 0,
    schools: definitions?.roster.length ?? 0,
    issues,
  };
  return { view, definitions };
}

/** Last period's values from a workbook's sheets (its summary sheet, or the one sheet given) or the command's JSON output; none when it is this period's. */
export function loadPrevious(defs: Definitions, source: PreviousSource): JobResults['previous'] {
  const r = readPrevious(source, defs);
  if (r.samePeriod) return { values: null, schools: 0, samePeriod: r.period ?? '' };
  const schools = r.values === null ? 0 : Object.keys(r.values).length;
  return r.values === null || schools === 0 ? { values: null, schools: 0 } : { values: r.values, schools };
}

/** Each book read by the job's `readBook`, with progress between books. */
async function readAll(defs: Definitions, books: readonly WorkbookGrid[], hooks: JobHooks): Promise<BookRead[]> {
  const reads: BookRead[] = [];
  let last = 0;
  for (let b = 0; b < books.length; b++) {
    reads.push(readBook(books[b]!, defs));
    const now = Date.now();
    if (now - last > 50 || b === books.length - 1) {
      last = now;
      hooks.onProgress({ phase: 'reading', fraction: (b + 1) / books.length });
      await hooks.checkpoint?.();
    }
  }
  return reads;
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

/** A school left out, its reason in both languages (the pane may switch language after the run). */
function excludedView(e: Exclusion): ExcludedSchool {
  return { code: e.school, name: e.name, reason: { zh: exclusionReason(e, 'zh-CN'), en: exclusionReason(e, 'en-US') } };
}

/** Last period's values and the clerk's choices of which file stands, as the job takes them. */
function checksOf(previous: PreviousValues | undefined, keep: readonly KeepChoice[] | undefined): JobChoices {
  return { ...(previous !== undefined ? { previous } : {}), ...(keep !== undefined ? { keep } : {}) };
}

/** Reads and validates every book. */
export async function validateBooks(defs: Definitions, books: readonly WorkbookGrid[], hooks: JobHooks, previous?: PreviousValues, keep?: readonly KeepChoice[]): Promise<ValidationView> {
  const reads = await readAll(defs, books, hooks);
  hooks.onProgress({ phase: 'validating', fraction: null });
  await hooks.checkpoint?.();
  const v = validateReads(reads, defs, checksOf(previous, keep));
  // Who consolidating would leave out, said before the clerk starts it.
  const { excluded } = inclusion(consolidate(v.validation, defs));
  return {
    title: defs.title,
    ...(defs.period !== undefined ? { period: defs.period } : {}),
    schools: schoolRows(v.validation),
    excluded: excluded.map(excludedView),
    issues: v.validation.issues,
  };
}

/** Reads, validates and plans a return package for every school sheet with problems (the job pipeline's `planReturns`). */
export async function returnBooks(defs: Definitions, books: readonly WorkbookGrid[], lang: Lang, hooks: JobHooks, previous?: PreviousValues, keep?: readonly KeepChoice[]): Promise<JobResults['returns']> {
  const reads = await readAll(defs, books, hooks);
  hooks.onProgress({ phase: 'validating', fraction: null });
  await hooks.checkpoint?.();
  const job = consolidateValidated(validateReads(reads, defs, checksOf(previous, keep)), defs);
  const plan = planReturns(job, lang, defs.period);
  return { ...plan, indexPlan: returnIndexPlan(plan.index, lang, plan.heading) };
}

/** The input cell of a school's first floor short: the first indicator its value reads other than the weight. */
function shortCell(school: SchoolResult | undefined, standard: EquityStandard, floors: readonly (EquityFloorCheck | null)[]): CellLocation | null {
  if (school === undefined) return null;
  const j = floors.findIndex((f) => f !== null && !f.met);
  const ind = standard.indicators[j];
  if (ind === undefined) return null;
  const parsed = parseExpression(ind.value);
  const code = parsed.ok ? referencedCodes(parsed.expr).find((c) => c !== standard.weight && school.cells[c] !== undefined) : undefined;
  const cell = code === undefined ? school.cells[standard.weight] : school.cells[code];
  return cell === undefined ? null : { ...(school.file !== undefined ? { file: school.file } : {}), sheet: school.sheet, cell };
}

/** The 均衡 step's view: per standard and stage, the CVs against the limit and the schools under their floors. */
export function equityView(c: Consolidation, defs: Definitions, lang: Lang): EquityStageView[] {
  const included = new Map(c.schools.filter((s) => s.included).map((s) => [s.code, s]));
  return c.equity.flatMap((r) => {
    const standard = standardOf(r, defs.standards);
    if (standard === undefined) return [];
    return r.stages.map((stage) => ({
      standard: standard.code,
      label: standard.label,
      test: standard.test,
      stage: stage.stage,
      threshold: stage.threshold,
      composite: stage.composite,
      met: stage.met,
      schoolCount: stage.schools.length,
      indicators: stage.indicators.map((ind, j) => ({ code: ind.code, label: standard.indicators[j]!.label, cv: ind.cv, met: ind.met })),
      failing: stage.schools
        .filter((s) => s.met === false)
        .map((s) => {
          const reached = s.floors.filter((f): f is EquityFloorCheck => f !== null && !f.met && f.reached !== null).map((f) => f.reached!);
          return { code: s.school, name: s.name, shortfalls: s.shortfalls, lowest: reached.length > 0 ? Math.min(...reached) : null, at: shortCell(included.get(s.school), standard, s.floors) };
        }),
      verdict: stageVerdictLine(standard, stage, lang),
    }));
  });
}

/** The result step's view of a consolidation. */
export function resultView(c: Consolidation, defs: Definitions, summarySheet: string, copies = 0, lang: Lang = 'zh-CN'): ResultView {
  const who = inclusion(c);
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
    equity: equityView(c, defs, lang),
    schoolsIncluded: who.included,
    schoolsExcluded: who.excluded.length,
    excluded: who.excluded.map(excludedView),
    duplicates: who.duplicates.map(excludedView),
    summarySheet,
    copies,
    notes: c.issues.filter((i) => i.code === 'output.copies_omitted'),
    lockedSheets: [],
  };
}

/** Reads, validates, consolidates and plans every sheet the adapter writes: the job pipeline, with progress. */
export async function consolidateBooks(
  defs: Definitions,
  books: readonly WorkbookGrid[],
  choices: ConsolidateChoices,
  lang: Lang,
  target: OutputTarget,
  hooks: JobHooks,
  previous?: PreviousValues,
  generated?: Date,
  keep?: readonly KeepChoice[],
): Promise<ConsolidateOutput> {
  const reads = await readAll(defs, books, hooks);
  hooks.onProgress({ phase: 'validating', fraction: null });
  await hooks.checkpoint?.();
  const jobChoices: JobChoices = { ...checksOf(previous, keep), includeSchoolsWithErrors: choices.includeSchoolsWithErrors, groupBy: choices.groupBy };
  const v = validateReads(reads, defs, jobChoices);
  hooks.onProgress({ phase: 'consolidating', fraction: null });
  await hooks.checkpoint?.();
  const job = consolidateValidated(v, defs, jobChoices);
  hooks.onProgress({ phase: 'building', fraction: null });
  const out = planOutputs(job, defs, {
    lang,
    mode: choices.mode,
    groupBy: choices.groupBy,
    writeRates: choices.writeRates,
    target: target === 'excel' ? 'workbook' : 'file',
    ...(choices.copies !== undefined ? { copies: choices.copies } : {}),
    ...(generated !== undefined ? { generated } : {}),
  });
  return { ...out, view: resultView(withNotes(job.consolidation, out.notes), defs, out.summarySheet, out.copies.length, lang) };
}
