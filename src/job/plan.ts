/**
 * Everything a face writes after a job: the summary, report and completeness sheets, then either
 * the rates and marks for the school sheets of the open workbook, or the school sheets' copies (with
 * their rates and marks) for a new district file. One function, so the command, the standalone page
 * and the Excel pane name, link and mark exactly alike.
 */
import { issueMessage } from '../core/messages';
import type { Consolidation, Definitions, Issue, Lang, SchoolResult } from '../core/types';
import {
  buildCompletenessPlan,
  buildEquityPlan,
  buildRateCharts,
  buildRateUpdates,
  buildReportPlan,
  buildSectionPlans,
  buildSummaryPlan,
  safeSheetName,
  SHEET_NAMES,
  type CellMark,
  type CellUpdate,
  type ChartRequest,
  type PrintPlan,
  type SheetPlan,
  type SubmissionRef,
} from '../workbook';
import { COPIES_DEFAULT_LIMIT } from './limits';
import { DEFAULT_GROUP_BY, type GroupKey, type JobResult } from './run';

/** The clerk's choices about what is written. */
export interface OutputChoices {
  readonly lang: Lang;
  /** Plain numbers, or live formulas over the school sheets (or their copies). */
  readonly mode: 'values' | 'formulas';
  readonly groupBy?: readonly GroupKey[];
  /** Write each school's computed rates into its rate cells (default true). */
  readonly writeRates?: boolean;
  /** `workbook`: the school sheets are in the workbook written to (Excel). `file`: a new district file, the school sheets copied into it. */
  readonly target: 'workbook' | 'file';
  /** `file` only: copy the school sheets in; by default only up to {@link COPIES_DEFAULT_LIMIT} sheets. */
  readonly copies?: boolean;
  /** Shown in the summary's note row; now when absent. */
  readonly generated?: Date | string;
}

/** A school sheet to copy into a new district file, with the rates and marks written on the copy. */
export interface CopyPlan {
  /** The book it is read from (its source), when known. */
  readonly file?: string;
  readonly sheet: string;
  /** Its name in the district file. */
  readonly name: string;
  readonly updates: readonly CellUpdate[];
  readonly marks: readonly CellMark[];
  /** How the copy prints, when it is meant to (a form sent back to its school). */
  readonly print?: PrintPlan;
}

/** What a face writes. */
export interface JobOutputs {
  /** Summary, the printed tables of its sections, report and completeness sheets, then the 均衡 sheet when the definitions hold a standard. */
  readonly plans: readonly SheetPlan[];
  /** `file`: the school sheets to copy in. */
  readonly copies: readonly CopyPlan[];
  /** `workbook`: rates written into the school sheets. */
  readonly rateUpdates: readonly CellUpdate[];
  /** `workbook`: marks on the school sheets' problem cells. */
  readonly marks: readonly CellMark[];
  /** `workbook`: sheets whose earlier marks are replaced. */
  readonly markSheets: readonly string[];
  /** `workbook`: a native chart of the first targeted rate. */
  readonly chart?: ChartRequest;
  /** Name of the summary sheet. */
  readonly summarySheet: string;
  /** Issues the output adds to the job's (copies left out), already in the report sheet. */
  readonly notes: readonly Issue[];
}

/** The consolidation with the output's notes before its own issues, as the report sheet lists them. */
export function withNotes(c: Consolidation, notes: readonly Issue[]): Consolidation {
  return notes.length === 0 ? c : { ...c, issues: [...notes, ...c.issues] };
}

const keyOf = (file: string | undefined, sheet: string | undefined): string => `${file ?? ''}\u0000${sheet ?? ''}`;

/** Every distinct (book, sheet) that held a submission, in order. */
function sourceSheets(job: JobResult): { file?: string; sheet: string; label: string }[] {
  const seen = new Set<string>();
  const out: { file?: string; sheet: string; label: string }[] = [];
  for (const s of job.submissions) {
    const k = keyOf(s.file, s.sheet);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ ...(s.file !== undefined ? { file: s.file } : {}), sheet: s.sheet, label: s.schoolCode ? `${s.schoolCode} ${s.schoolName ?? ''}`.trim() : s.sheet });
  }
  return out;
}

/** Names for the copies: safe, unique, never one of the planned sheets'. Linear: a suffix is sought only on a clash. */
function copyNames(labels: readonly string[], reserved: readonly string[]): string[] {
  const taken = [...reserved];
  const lower = new Set(taken.map((t) => t.toLowerCase()));
  return labels.map((label) => {
    const base = safeSheetName(label);
    const name = lower.has(base.toLowerCase()) ? safeSheetName(label, taken) : base;
    taken.push(name);
    lower.add(name.toLowerCase());
    return name;
  });
}

/** Plans every sheet and cell a face writes for `job`. */
export function planOutputs(job: JobResult, defs: Definitions, o: OutputChoices): JobOutputs {
  const names = SHEET_NAMES[o.lang];
  const groupBy = o.groupBy ?? DEFAULT_GROUP_BY;
  const c = job.consolidation;
  const sources = sourceSheets(job);
  const toFile = o.target === 'file';
  const copying = toFile && (o.copies ?? sources.length <= COPIES_DEFAULT_LIMIT);
  const notes: Issue[] = [];
  if (toFile && !copying && sources.length > 0) {
    notes.push({
      code: 'output.copies_omitted',
      severity: 'info',
      params: { sheets: sources.length, limit: COPIES_DEFAULT_LIMIT, chosen: o.copies === false },
    });
  }

  // Where each school sheet is in the written workbook: itself (workbook), its copy, or nowhere.
  // The printed tables, one per section, named apart from the sheets written beside them (in the clerk's open
  // workbook the Excel adapter remembers them as its own: rewritten on the next run, never read as a school's sheet).
  const fixed = [names.summary, names.report, names.completeness, names.equity];
  const sections = buildSectionPlans(c, defs, { lang: o.lang, groupBy, taken: [...fixed, ...(toFile ? [] : sources.map((s) => s.sheet))] });
  const placed = new Map<string, string>();
  if (!toFile) for (const s of sources) placed.set(keyOf(s.file, s.sheet), s.sheet);
  else if (copying) {
    const copyName = copyNames(
      sources.map((s) => s.label),
      [...fixed, ...sections.map((p) => p.name)],
    );
    sources.forEach((s, i) => placed.set(keyOf(s.file, s.sheet), copyName[i]!));
  }
  const placeOf = (file: string | undefined, sheet: string | undefined): string | undefined => placed.get(keyOf(file, sheet));

  const plans: SheetPlan[] = [
    buildSummaryPlan(c, defs, {
      lang: o.lang,
      mode: o.mode,
      groupBy,
      schoolSheet: (s: SchoolResult) => placeOf(s.file, s.sheet),
      ...(o.generated !== undefined ? { generated: o.generated } : {}),
    }),
    ...sections,
    buildReportPlan(withNotes(c, notes), o.lang),
    buildCompletenessPlan(c, o.lang),
  ];
  const equity = buildEquityPlan(c, defs, { lang: o.lang, mode: o.mode });
  if (equity !== null) plans.push(equity);

  const sheetOf = (i: number): SubmissionRef | undefined => {
    const s = job.submissions[i];
    const target = s === undefined ? undefined : placeOf(s.file, s.sheet);
    if (s === undefined || target === undefined) return undefined;
    return { schoolCode: s.schoolCode, ...(s.file !== undefined ? { file: s.file } : {}), sheet: s.sheet, target };
  };
  const rateUpdates = o.writeRates === false ? [] : buildRateUpdates(c, job.rateCells, sheetOf, defs.rates);

  const marks: CellMark[] = [];
  for (const issue of c.issues) {
    if (issue.cell === undefined || issue.severity === 'info') continue;
    const sheet = placeOf(issue.file, issue.sheet);
    if (sheet !== undefined) marks.push({ sheet, cell: issue.cell, severity: issue.severity, message: issueMessage(issue, o.lang) });
  }

  if (!toFile) {
    const chart = buildRateCharts(c, defs, o.lang)[0];
    return {
      plans,
      copies: [],
      rateUpdates,
      marks,
      markSheets: [...new Set(sources.map((s) => s.sheet))],
      ...(chart !== undefined ? { chart: { sheet: chart.sheet, title: chart.title, categories: chart.categories, values: chart.values, ...(chart.target !== undefined ? { target: chart.target } : {}), decimals: chart.decimals, ...(c.districtName !== undefined ? { district: c.districtName } : {}), ...(c.period !== undefined ? { period: c.period } : {}) } } : {}),
      summarySheet: names.summary,
      notes,
    };
  }
  const updatesBySheet = groupBySheet(rateUpdates);
  const marksBySheet = groupBySheet(marks);
  const copies: CopyPlan[] = [];
  if (copying) {
    for (const s of sources) {
      const name = placeOf(s.file, s.sheet)!;
      copies.push({ ...(s.file !== undefined ? { file: s.file } : {}), sheet: s.sheet, name, updates: updatesBySheet.get(name) ?? [], marks: marksBySheet.get(name) ?? [] });
    }
  }
  return { plans, copies, rateUpdates: [], marks: [], markSheets: [], summarySheet: names.summary, notes };
}

function groupBySheet<T extends { readonly sheet: string }>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(item.sheet);
    if (list === undefined) out.set(item.sheet, [item]);
    else list.push(item);
  }
  return out;
}
