/**
 * What the pane's components may ask of the workbook: a `HuizongService`. Two implementations
 * exist — `excelService` over the open Excel workbook and `fileService` over .xlsx files in the
 * browser — and components never know which one they hold.
 */
import type { Bilingual, Completeness, Issue, Lang, Target, TargetStatus } from '../core/types';
import type { SelfCheckState } from '../job/stampSheet';

/** A file the clerk picked, read into memory. */
export interface FileInput {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** Where the pane is in a long piece of work, for the progress bar. */
export type ProgressPhase = 'checking' | 'reading' | 'importing' | 'validating' | 'consolidating' | 'writing' | 'building';

/** Progress of a long piece of work: `fraction` in 0–1, or null when unknown. */
export interface Progress {
  readonly phase: ProgressPhase;
  readonly fraction: number | null;
}

/** How a long call reports progress and learns that the clerk cancelled. */
export interface RunControl {
  readonly signal: AbortSignal;
  readonly onProgress: (p: Progress) => void;
}

/** The definitions as the pane shows them: counts and their problems. */
export interface DefinitionsView {
  /** False when the definitions could not be read at all (the issues say why). */
  readonly ready: boolean;
  /** Where they came from: the built-in preset, the workbook's sheets, or a file's name. */
  readonly source: 'preset' | 'sheets' | 'file';
  readonly sourceName?: string;
  readonly title?: Bilingual;
  readonly indicators: number;
  readonly rules: number;
  readonly rates: number;
  readonly dispersions: number;
  /** 均衡 standards (基本均衡, 优质均衡). */
  readonly standards: number;
  readonly schools: number;
  /** The roster's own file, when it was loaded apart from the definitions. */
  readonly rosterName?: string;
  readonly issues: readonly Issue[];
}

/** One picked school file after import. */
export interface ImportedFile {
  readonly name: string;
  readonly status: 'ok' | 'failed';
  /** The sheet it became (Excel) or the sheets read from it (standalone). */
  readonly sheets: readonly string[];
  /** Excel only: inserted as a copy of the sheet, or its values written into a new sheet. */
  readonly via?: 'insert' | 'values';
  readonly issues: readonly Issue[];
  /** Where the file stands against its school's self-check record, when the definitions were there to tell. */
  readonly selfCheck?: SelfCheckState;
}

/** One school as the validation step lists it. */
export interface SchoolRow {
  readonly code: string;
  readonly name: string;
  readonly file?: string;
  readonly sheet?: string;
  readonly errors: number;
  readonly warnings: number;
}

/** What validation found. */
/** A school left out of the totals, and why in a few words (in the language of the run). */
export interface ExcludedSchool {
  readonly code: string;
  readonly name: string;
  readonly reason: Bilingual;
}

export interface ValidationView {
  readonly title: Bilingual;
  readonly period?: string;
  /** One row per school sheet read (a school that sent twice has two). */
  readonly schools: readonly SchoolRow[];
  /** The schools consolidating would leave out unless the clerk includes schools with errors. */
  readonly excluded?: readonly ExcludedSchool[];
  /** Every issue found while reading and validating, including schools that did not submit. */
  readonly issues: readonly Issue[];
  /** Excel: what consolidating will do to the clerk's undo history, and whether an earlier write stopped part-way. */
  readonly write?: WriteNotice;
}

/** What the clerk's undo history holds after a write: one step, one step per part (older Excel), or nothing before it. */
export type UndoView = 'whole' | 'steps' | 'lost';

/** Excel: said before consolidating. */
export interface WriteNotice {
  readonly undo: UndoView;
  /** Protected sheets the write must open (the reason undo is lost). */
  readonly protectedSheets: readonly string[];
  /** An earlier consolidation stopped part-way: its sheets say they are unfinished. */
  readonly unfinished: boolean;
}

/** The clerk's choices for consolidation. */
export interface ConsolidateChoices {
  readonly groupBy: readonly ('stage' | 'township')[];
  readonly mode: 'values' | 'formulas';
  readonly includeSchoolsWithErrors: boolean;
  readonly writeRates: boolean;
  /** Standalone: copy the school sheets into the district workbook; by default up to a district's size. */
  readonly copies?: boolean;
}

/** A district rate against its target. */
export interface RateRow {
  readonly code: string;
  readonly label: Bilingual;
  readonly value: number | null;
  readonly numerator: number | null;
  readonly denominator: number | null;
  readonly factor: number;
  readonly decimals: number;
  readonly target?: Target;
  readonly status: TargetStatus;
}

/** A between-school dispersion (差异系数) against its threshold. */
export interface DispersionRow {
  readonly code: string;
  readonly label: Bilingual;
  readonly cv: number | null;
  readonly threshold?: number;
  readonly met: boolean | null;
  readonly schoolCount: number;
}

/** Where a cell is, for the pane to go to it (Excel) or show it (standalone): an issue is one. */
export type CellLocation = Pick<Issue, 'file' | 'sheet' | 'cell' | 'original'>;

/** A school (or stage part) under its 均衡 floors, with the cell to go to: the input of its first floor short. */
export interface EquitySchoolView {
  readonly code: string;
  readonly name: string;
  /** Floors not met, and the share of the lowest one reached. */
  readonly shortfalls: number;
  readonly lowest: number | null;
  readonly at: CellLocation | null;
}

/** One standard in one stage, as the 均衡 step shows it. */
export interface EquityStageView {
  readonly standard: string;
  readonly label: Bilingual;
  readonly test: 'composite' | 'each';
  readonly stage: '小学' | '初中';
  readonly threshold: number;
  readonly composite: number | null;
  readonly met: boolean | null;
  readonly schoolCount: number;
  readonly indicators: readonly { readonly code: string; readonly label: Bilingual; readonly cv: number | null; readonly met: boolean | null }[];
  readonly failing: readonly EquitySchoolView[];
  /** The line the sheet and the command print for this stage, in the language of the run. */
  readonly verdict: string;
}

/** What consolidation produced, for the result step. */
export interface ResultView {
  readonly completeness: Completeness;
  readonly rates: readonly RateRow[];
  readonly dispersions: readonly DispersionRow[];
  /** 均衡 per standard and stage. */
  readonly equity: readonly EquityStageView[];
  readonly schoolsIncluded: number;
  /** Schools left out (schools, not files: a second copy of a school's sheet is not one). */
  readonly schoolsExcluded: number;
  /** The schools left out, each with its reason: as many as `schoolsExcluded`. */
  readonly excluded?: readonly ExcludedSchool[];
  /** Second copies of a school's sheet not used (files, not schools: the school is counted from its other copy). */
  readonly duplicates?: readonly ExcludedSchool[];
  /** Name of the district summary sheet written. */
  readonly summarySheet: string;
  /** Standalone: school sheets copied into the district workbook. */
  readonly copies: number;
  /** What the output left out and why (school sheets not copied). */
  readonly notes: readonly Issue[];
  /** Excel: school sheets protected with a password, left without their rates and marks. */
  readonly lockedSheets: readonly string[];
  /** Excel: the requirement set this Excel lacks to set how the sheets print (they print with Excel's defaults). */
  readonly printSetupLacking?: string;
  /** Excel: what the clerk's undo history holds after this consolidation. */
  readonly undo?: UndoView;
}

/** A cell shown to the clerk outside Excel (the standalone page cannot select it). */
export interface CellPreview {
  readonly file?: string;
  readonly sheet: string;
  readonly cell: string;
  /** The cell's content as text, empty when blank. */
  readonly value: string;
  /** The row's label (indicator name) when the sheet has one. */
  readonly label?: string;
}

/** Where last period's summary comes from: a file the clerk picks, or (Excel) a sheet of the open workbook. */
export type PreviousInput = { readonly file: FileInput } | { readonly sheet: string };

/** Last period's values as loaded, for the period-change checks. */
export interface PreviousView {
  /** The file's or the sheet's name. */
  readonly name: string;
  readonly from: 'file' | 'sheet';
  /** Schools found in it. */
  readonly schools: number;
}

/** What making return packages gave. */
export interface ReturnPackagesResult {
  /** The .zip: one workbook per school, and the index. */
  readonly file: DownloadFile;
  readonly schools: number;
  /** Excel: the sheet the index was written to. */
  readonly indexSheet?: string;
}

/** A file the pane offers for download. */
export interface DownloadFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** What the page cannot do in this browser and does instead, said once in a message bar (see `noticeText` in i18n.ts). */
export type PaneNoticeCode = 'inline_jobs' | 'storage_unavailable';

/** A notice, with the browser's own reason when it gave one. */
export interface PaneNotice {
  readonly code: PaneNoticeCode;
  readonly detail?: string;
}

/** Everything the pane asks of a workbook. Long calls take a `RunControl`; failures reject with an Error (see `PaneError`). */
export interface HuizongService {
  /** `excel` inside Excel (cells can be selected, results are sheets); `file` on the standalone page (results are downloaded). */
  readonly kind: 'excel' | 'file';
  /** Writes (Excel) or takes (standalone) the built-in preset, then checks it. */
  createFromPreset(lang: Lang, ctl: RunControl): Promise<DefinitionsView>;
  /** Standalone only: definitions from an .xlsx holding the definition sheets, or a .json file. */
  loadDefinitionsFile?(file: FileInput, ctl: RunControl): Promise<DefinitionsView>;
  /** Standalone only: the school roster from its own file (.xlsx, .xls, .csv or .json); a failed load keeps what was loaded. */
  loadRosterFile?(file: FileInput, ctl: RunControl): Promise<DefinitionsView>;
  /** Reads the current definitions and checks them. */
  checkDefinitions(ctl: RunControl): Promise<DefinitionsView>;
  /** Imports school files: as new sheets (Excel) or into memory (standalone). */
  importFiles(files: readonly FileInput[], ctl: RunControl): Promise<ImportedFile[]>;
  /** Standalone only: forgets the imported school files. */
  clearFiles?(): Promise<void>;
  /** Standalone only: forgets one imported school file. */
  removeFile?(name: string): Promise<void>;
  /** Loads last period's summary (a district workbook or `--json` output Huizong wrote) for the period-change checks; what was loaded before stays when this fails. */
  loadPrevious(input: PreviousInput, ctl: RunControl): Promise<PreviousView>;
  /** Forgets last period's values. */
  clearPrevious(): Promise<void>;
  /** Excel only: the workbook's sheets that may hold last period's summary. */
  previousSheets?(): Promise<string[]>;
  /** For a school that sent more than one sheet: the one whose duplicate issue this is stands from now on. */
  keepSubmission(issue: Issue): Promise<void>;
  /** Reads every school sheet and validates it (against last period's values when loaded). */
  validate(ctl: RunControl): Promise<ValidationView>;
  /** Consolidates and writes the district summary, the report and (by choice) the rates. */
  consolidate(choices: ConsolidateChoices, lang: Lang, ctl: RunControl): Promise<ResultView>;
  /** Excel: selects the issue's cell and resolves null. Standalone: resolves what the cell holds. */
  showCell(issue: CellLocation): Promise<CellPreview | null>;
  /** Excel only: activates the district summary sheet. */
  openSummary?(): Promise<void>;
  /** Standalone only: the district workbook written by the last consolidation. */
  download?(): Promise<DownloadFile>;
  /**
   * Return packages for every school sheet with problems, as one .zip to download (both panes). In
   * Excel the index also goes into the workbook as a sheet, since not every Excel lets an add-in
   * download a file; `indexSheet` names it.
   */
  returnPackages(lang: Lang, ctl: RunControl): Promise<ReturnPackagesResult>;
  /** Standalone: the blank 填报表 of the loaded definitions, as the schools fill it in (what `huizong template` writes). */
  blankForm?(lang: Lang): Promise<DownloadFile>;
  /** The self-check page for the schools, with the loaded definitions (and roster) inside (what `huizong self-check` writes). */
  selfCheckPage?(lang: Lang, ctl: RunControl): Promise<DownloadFile>;
  /** Standalone: the problems given (as the validation step shows them) as an .xlsx problem list to download. */
  problemList?(issues: readonly Issue[], names: ReadonlyMap<string, string>, lang: Lang): Promise<DownloadFile>;
  /** Standalone: calls `listener` with every notice so far, and again whenever one is added; returns the unsubscribe. */
  watchNotices?(listener: (notices: readonly PaneNotice[]) => void): () => void;
}

/** Failures the pane explains in the clerk's words (see `errorText` in i18n.ts). */
export type PaneErrorCode =
  | 'no_definitions'
  | 'definitions_invalid'
  | 'no_school_files'
  | 'nothing_to_download'
  | 'excel_capability'
  | 'worker_failed'
  | 'unsupported_file'
  | 'previous_invalid'
  | 'previous_same_period'
  | 'roster_invalid'
  | 'write_unfinished'
  | 'write_not_started'
  | 'cell_edit'
  | 'selfcheck_unavailable';

/** An error whose message the pane words itself, from `code` and `params`. */
export class PaneError extends Error {
  override readonly name = 'PaneError';
  constructor(
    readonly code: PaneErrorCode,
    readonly params: Readonly<Record<string, string | number>> = {},
    detail?: string,
  ) {
    super(detail ?? code);
  }
}

/** The rejection of a call the clerk cancelled. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor() {
    super('cancelled');
  }
}

/** Rejects with `CancelledError` when the signal has fired. */
export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new CancelledError();
}
