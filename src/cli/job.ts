/**
 * The command's job over files already read: validate, consolidate, and the district workbook's
 * sheets (summary, validation report, completeness, each school's sheet with its rates written back).
 */
import { consolidate } from '../core/consolidate';
import { issueMessage } from '../core/messages';
import { validate, type ValidateOptions } from '../core/validate';
import type { Consolidation, Definitions, Issue, Lang, SchoolResult, Submission, ValidationResult } from '../core/types';
import {
  buildCompletenessPlan,
  buildRateUpdates,
  buildReportPlan,
  buildSummaryPlan,
  safeSheetName,
  SHEET_NAMES,
  type CellMark,
  type CellUpdate,
  type SheetPlan,
} from '../workbook';
import type { SheetCopy } from './io';
import type { FileRead } from './read';

/** The outcome of validating and consolidating a set of files. */
export interface JobResult {
  readonly submissions: readonly Submission[];
  /** For each submission, the file read it came from and its index there. */
  readonly origin: readonly { readonly read: number; readonly index: number }[];
  readonly validation: ValidationResult;
  /** The consolidation, its issues including those from reading the files. */
  readonly consolidation: Consolidation;
  readonly rateCells: Readonly<Record<number, Readonly<Record<string, string>>>>;
}

/** Options of the job. */
export interface JobOptions {
  readonly previous?: ValidateOptions['previous'];
  readonly includeErrors?: boolean;
  readonly groupBy?: readonly ('stage' | 'township')[];
}

/** Validates and consolidates the submissions of every file; file-level issues join the rest. */
export function runFilesJob(reads: readonly FileRead[], defs: Definitions, o: JobOptions = {}): JobResult {
  const submissions: Submission[] = [];
  const origin: { read: number; index: number }[] = [];
  const rateCells: Record<number, Readonly<Record<string, string>>> = {};
  const readIssues: Issue[] = [];
  reads.forEach((r, ri) => {
    r.submissions.forEach((s, si) => {
      const cells = r.rateCells[si];
      if (cells) rateCells[submissions.length] = cells;
      origin.push({ read: ri, index: si });
      submissions.push(s);
    });
    readIssues.push(...r.issues);
  });
  const validation = validate(submissions, defs, o.previous ? { previous: o.previous } : {});
  const c = consolidate(validation, defs, {
    includeSchoolsWithErrors: o.includeErrors === true,
    groupBy: o.groupBy ?? ['stage', 'township'],
  });
  const known = new Set(c.issues);
  const extra = readIssues.filter((i) => !known.has(i));
  return { submissions, origin, validation, consolidation: extra.length > 0 ? { ...c, issues: [...extra, ...c.issues] } : c, rateCells };
}

/** Counts of issues by severity. */
export function severityCounts(issues: readonly Issue[]): { errors: number; warnings: number; infos: number } {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const i of issues) {
    if (i.severity === 'error') errors++;
    else if (i.severity === 'warning') warnings++;
    else infos++;
  }
  return { errors, warnings, infos };
}

/** The district workbook: summary, report and completeness plans, then a copy of each school sheet with computed rates and marked problem cells. */
export function districtBook(
  reads: readonly FileRead[],
  job: JobResult,
  defs: Definitions,
  o: { lang: Lang; formulas: boolean; groupBy: readonly ('stage' | 'township')[]; generated?: Date | string },
): { plans: SheetPlan[]; copies: SheetCopy[] } {
  const names = SHEET_NAMES[o.lang];
  const taken: string[] = [names.summary, names.report, names.completeness];
  const takenLower = new Set(taken.map((t) => t.toLowerCase()));
  // A name unlike any taken one needs no suffix; asking with every taken name is quadratic in schools.
  const uniqueName = (label: string): string => {
    const base = safeSheetName(label);
    return takenLower.has(base.toLowerCase()) ? safeSheetName(label, taken) : base;
  };
  // One copy per (file, sheet) that held a submission.
  const copyOf = new Map<string, SheetCopy>();
  const key = (file: string | undefined, sheet: string | undefined): string => `${file ?? ''}\u0000${sheet ?? ''}`;
  job.submissions.forEach((s, i) => {
    const k = key(s.file, s.sheet);
    if (copyOf.has(k)) return;
    const from = job.origin[i]!;
    const grid = reads[from.read]?.book?.sheets.find((g) => g.name === s.sheet);
    if (!grid) return;
    const label = s.schoolCode ? `${s.schoolCode} ${s.schoolName ?? ''}`.trim() : s.sheet;
    const name = uniqueName(label);
    taken.push(name);
    takenLower.add(name.toLowerCase());
    copyOf.set(k, { grid, name, updates: [], marks: [] });
  });
  const c = job.consolidation;
  const schoolSheet = (school: SchoolResult): string | undefined => copyOf.get(key(school.file, school.sheet))?.name;
  const summary = buildSummaryPlan(c, defs, {
    lang: o.lang,
    mode: o.formulas ? 'formulas' : 'values',
    groupBy: o.groupBy,
    schoolSheet,
    ...(o.generated !== undefined ? { generated: o.generated } : {}),
  });
  const byName = new Map([...copyOf.values()].map((cp) => [cp.name, cp]));
  const updates = buildRateUpdates(
    c,
    job.rateCells,
    (i) => {
      const s = job.submissions[i];
      if (!s) return undefined;
      const target = copyOf.get(key(s.file, s.sheet))?.name;
      return target === undefined ? undefined : { schoolCode: s.schoolCode, ...(s.file !== undefined ? { file: s.file } : {}), sheet: s.sheet, target };
    },
    defs.rates,
  );
  for (const u of updates) (byName.get(u.sheet)?.updates as CellUpdate[] | undefined)?.push(u);
  for (const issue of c.issues) {
    if (issue.cell === undefined || issue.severity === 'info') continue;
    const cp = copyOf.get(key(issue.file, issue.sheet));
    (cp?.marks as CellMark[] | undefined)?.push({ sheet: cp!.name, cell: issue.cell, severity: issue.severity, message: issueMessage(issue, o.lang) });
  }
  return { plans: [summary, buildReportPlan(c, o.lang), buildCompletenessPlan(c, o.lang)], copies: [...copyOf.values()] };
}
