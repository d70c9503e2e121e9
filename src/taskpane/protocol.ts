/**
 * The messages between the pane and its Web Worker. Everything is plain data (structured-clone
 * safe). One request is answered by any number of `progress` messages, then one `result` or `error`.
 */
import type { SheetGrid, WorkbookGrid } from '../core/grid';
import type { Definitions, Issue, Lang } from '../core/types';
import type { KeepChoice } from '../core/validate';
import type { JobOutputs, PreviousValues, ReturnPlan, RosterSource, SelfCheckResult, SelfCheckState } from '../job';
import type { SheetPlan } from '../workbook/plan';
import type { ConsolidateChoices, DefinitionsView, Progress, ResultView, ValidationView } from './service';

/** Where definitions come from. */
export type DefinitionsSource =
  | { readonly kind: 'preset' }
  | { readonly kind: 'sheets'; readonly sheets: readonly SheetGrid[]; readonly name?: string }
  | { readonly kind: 'json'; readonly json: unknown; readonly name?: string };

/** Where last period's values come from: a workbook's sheets (its summary sheet, or the one sheet named) or the command's JSON output. */
export type PreviousSource =
  | { readonly kind: 'sheets'; readonly sheets: readonly SheetGrid[]; readonly sheet?: string; readonly name?: string }
  | { readonly kind: 'json'; readonly json: unknown; readonly name?: string };

/** The submission the clerk chose to stand for a school that sent more than one: its file (standalone) or sheet (Excel). */
export type { KeepChoice } from '../core/validate';

/** Which face the output is for: Excel writes into the open workbook, the standalone page writes a new file. */
export type OutputTarget = 'excel' | 'file';

/** A job's request, without its id. */
export type JobRequest =
  /** One file parsed into a workbook (school, definitions, roster or previous period): in the worker, under a time limit. */
  | { readonly type: 'parse'; readonly bytes: Uint8Array; readonly name: string }
  | { readonly type: 'definitions'; readonly source: DefinitionsSource }
  | { readonly type: 'previous'; readonly definitions: Definitions; readonly source: PreviousSource }
  | { readonly type: 'roster'; readonly definitions: Definitions; readonly source: RosterSource }
  | { readonly type: 'inspect'; readonly definitions: Definitions; readonly books: readonly WorkbookGrid[] }
  /** A school's own check of one file it read (the self-check page): `book` null with the issues that say why it could not be read. */
  | { readonly type: 'selfcheck'; readonly definitions: Definitions; readonly name: string; readonly book: WorkbookGrid | null; readonly issues: readonly Issue[] }
  /** The self-check record's rows written into an .xlsx as its hidden sheet. */
  | { readonly type: 'stamp'; readonly bytes: Uint8Array; readonly sheet: string; readonly rows: readonly (readonly string[])[] }
  | { readonly type: 'validate'; readonly definitions: Definitions; readonly books: readonly WorkbookGrid[]; readonly previous?: PreviousValues; readonly keep?: readonly KeepChoice[] }
  | { readonly type: 'returns'; readonly definitions: Definitions; readonly books: readonly WorkbookGrid[]; readonly lang: Lang; readonly previous?: PreviousValues; readonly keep?: readonly KeepChoice[] }
  | {
      readonly type: 'consolidate';
      readonly definitions: Definitions;
      readonly books: readonly WorkbookGrid[];
      readonly choices: ConsolidateChoices;
      readonly lang: Lang;
      readonly target: OutputTarget;
      readonly previous?: PreviousValues;
      readonly keep?: readonly KeepChoice[];
      /** The time shown in the summary's note row; now when absent. */
      readonly generated?: Date;
    };

/** A school sheet to copy into the standalone output workbook, with the rates and marks to write on the copy. */
export type { CopyPlan as CopyRequest } from '../job';

/** What a consolidation job returns: the view and everything an adapter writes (the job pipeline's outputs). */
export interface ConsolidateOutput extends JobOutputs {
  readonly view: ResultView;
}

/** The answer to each kind of request. */
export interface JobResults {
  /** The workbook in the file, or null with the issues that say why there is none. */
  readonly parse: { readonly book: WorkbookGrid | null; readonly issues: readonly Issue[] };
  readonly definitions: { readonly view: DefinitionsView; readonly definitions: Definitions | null };
  /** For each book, in order: how many school submissions it holds, and the issues met reading it. */
  /** `selfCheck`: where the book stands against the definitions' self-check record. */
  readonly inspect: readonly { readonly submissions: number; readonly issues: readonly Issue[]; readonly selfCheck: SelfCheckState }[];
  readonly selfcheck: SelfCheckResult;
  /** The stamped workbook, or null when the file is not an .xlsx package it can be written into. */
  readonly stamp: { readonly bytes: Uint8Array | null };
  /** The definitions with the roster replaced, or null when the source holds no roster. */
  readonly roster: { readonly definitions: Definitions | null; readonly issues: readonly Issue[] };
  /** Last period's values, or null when the source holds none; `schools` counts them. */
  /** `samePeriod`: the source is this period's summary (the period it states), refused. */
  readonly previous: { readonly values: PreviousValues | null; readonly schools: number; readonly samePeriod?: string };
  readonly validate: ValidationView;
  /** Return packages and the index sheet. */
  readonly returns: ReturnPlan & { readonly indexPlan: SheetPlan };
  readonly consolidate: ConsolidateOutput;
}

/** A request as sent to the worker. */
export type WorkerRequest = JobRequest & { readonly id: number };

/** A message back from the worker. */
export type WorkerResponse =
  | { readonly type: 'progress'; readonly id: number; readonly progress: Progress }
  | { readonly type: 'result'; readonly id: number; readonly result: JobResults[JobRequest['type']] }
  | { readonly type: 'error'; readonly id: number; readonly name: string; readonly message: string };
