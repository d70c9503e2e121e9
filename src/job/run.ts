/**
 * Validation and consolidation over the books a face has read: submissions from every book are
 * numbered in one sequence, issues met while reading come first, then validation's and
 * consolidation's. The command, the pane's worker and the Excel service all run exactly this.
 */
import { consolidate } from '../core/consolidate';
import { validate, type KeepChoice } from '../core/validate';
import type { Consolidation, Definitions, Issue, Submission, ValidationResult } from '../core/types';
import type { BookRead } from './read';
import type { PreviousValues } from './previous';

/** How schools are grouped into subtotals. */
export type GroupKey = 'stage' | 'township';

/** The clerk's choices that change what validation and consolidation find. */
export interface JobChoices {
  /** Last period's values by school and indicator, for the period-change checks. */
  readonly previous?: PreviousValues;
  /** Which submission stands for a school that sent more than one (by file, and sheet); by default a correction, else the later one. */
  readonly keep?: readonly KeepChoice[];
  /** Count schools with errors in the totals (default: leave them out, and say so). */
  readonly includeSchoolsWithErrors?: boolean;
  readonly groupBy?: readonly GroupKey[];
}

/** Every submission of every book, validated. */
export interface Validated {
  readonly submissions: readonly Submission[];
  /** Rate cells of each submission, by index into `submissions`. */
  readonly rateCells: Readonly<Record<number, Readonly<Record<string, string>>>>;
  /** Schools as validated; `issues` holds the reading issues first, then validation's. */
  readonly validation: ValidationResult;
}

/** A validated and consolidated job. */
export interface JobResult extends Validated {
  /** The consolidation; its issues are every issue of the job. */
  readonly consolidation: Consolidation;
}

/** The default grouping: by stage, then by township. */
export const DEFAULT_GROUP_BY: readonly GroupKey[] = ['stage', 'township'];

/** Validates the submissions of every book. */
export function validateBooks(reads: readonly BookRead[], defs: Definitions, choices: JobChoices = {}): Validated {
  const submissions: Submission[] = [];
  const rateCells: Record<number, Readonly<Record<string, string>>> = {};
  const readIssues: Issue[] = [];
  for (const r of reads) {
    const offset = submissions.length;
    for (const [i, cells] of Object.entries(r.rateCells)) rateCells[offset + Number(i)] = cells;
    for (const s of r.submissions) submissions.push(s);
    for (const i of r.issues) readIssues.push(i);
  }
  const v = validate(submissions, defs, { ...(choices.previous !== undefined ? { previous: choices.previous } : {}), ...(choices.keep !== undefined ? { keep: choices.keep } : {}) });
  const validation = readIssues.length === 0 ? v : { schools: v.schools, issues: [...readIssues, ...v.issues] };
  return { submissions, rateCells, validation };
}

/** Consolidates what `validateBooks` gave. */
export function consolidateValidated(v: Validated, defs: Definitions, choices: JobChoices = {}): JobResult {
  const consolidation = consolidate(v.validation, defs, {
    includeSchoolsWithErrors: choices.includeSchoolsWithErrors === true,
    groupBy: choices.groupBy ?? DEFAULT_GROUP_BY,
  });
  return { ...v, consolidation };
}

/** Validates and consolidates the submissions of every book. */
export function runJob(reads: readonly BookRead[], defs: Definitions, choices: JobChoices = {}): JobResult {
  return consolidateValidated(validateBooks(reads, defs, choices), defs, choices);
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
