/**
 * The messages between the pane and its Web Worker. Everything is plain data (structured-clone
 * safe). One request is answered by any number of `progress` messages, then one `result` or `error`.
 */
import type { SheetGrid, WorkbookGrid } from '../core/grid';
import type { Definitions, Lang } from '../core/types';
import type { CellMark, CellUpdate, ChartRequest, SheetPlan } from '../workbook/plan';
import type { ConsolidateChoices, Progress, ResultView, ValidationView } from './service';
import type { DefinitionsView } from './service';

/** Where definitions come from. */
export type DefinitionsSource =
  | { readonly kind: 'preset' }
  | { readonly kind: 'sheets'; readonly sheets: readonly SheetGrid[]; readonly name?: string }
  | { readonly kind: 'json'; readonly json: unknown; readonly name?: string };

/** Which face the output is for: Excel writes into the open workbook, the standalone page writes a new file. */
export type OutputTarget = 'excel' | 'file';

/** A job's request, without its id. */
export type JobRequest =
  | { readonly type: 'definitions'; readonly source: DefinitionsSource }
  | { readonly type: 'validate'; readonly definitions: Definitions; readonly books: readonly WorkbookGrid[] }
  | {
      readonly type: 'consolidate';
      readonly definitions: Definitions;
      readonly books: readonly WorkbookGrid[];
      readonly choices: ConsolidateChoices;
      readonly lang: Lang;
      readonly target: OutputTarget;
    };

/** A school sheet to copy into the standalone output workbook, with the rates and marks to write on the copy. */
export interface CopyRequest {
  /** Where it is read from: `file` is the book's `source`. */
  readonly file?: string;
  readonly sheet: string;
  /** Its name in the output workbook. */
  readonly name: string;
  readonly updates: readonly CellUpdate[];
  readonly marks: readonly CellMark[];
}

/** A native chart of one rate across schools (Excel); declared with the port. */
export type { ChartRequest } from '../workbook/plan';

/** What a consolidation job returns: the view and everything an adapter writes. */
export interface ConsolidateOutput {
  readonly view: ResultView;
  /** Summary, report and completeness sheets. */
  readonly plans: readonly SheetPlan[];
  /** Excel: rates written into the school sheets of the open workbook. */
  readonly rateUpdates: readonly CellUpdate[];
  readonly marks: readonly CellMark[];
  /** Sheets whose earlier marks are replaced. */
  readonly markSheets: readonly string[];
  readonly chart?: ChartRequest;
  /** Standalone: the school sheets copied into the output workbook, rates and marks written on them. */
  readonly copies: readonly CopyRequest[];
}

/** The answer to each kind of request. */
export interface JobResults {
  readonly definitions: { readonly view: DefinitionsView; readonly definitions: Definitions | null };
  readonly validate: ValidationView;
  readonly consolidate: ConsolidateOutput;
}

/** A request as sent to the worker. */
export type WorkerRequest = JobRequest & { readonly id: number };

/** A message back from the worker. */
export type WorkerResponse =
  | { readonly type: 'progress'; readonly id: number; readonly progress: Progress }
  | { readonly type: 'result'; readonly id: number; readonly result: JobResults[JobRequest['type']] }
  | { readonly type: 'error'; readonly id: number; readonly name: string; readonly message: string };
