/**
 * Which Office.js requirement sets the clerk's Excel offers, asked once per call through
 * `Office.context.requirements.isSetSupported`. Newer APIs are used only behind these checks.
 */

/** The least ExcelApi version the adapter works with (the manifest's own minimum). */
export const BASE_EXCEL_API = '1.7';

/** A requirement set the clerk's Excel lacks, for a plain message in the pane (`i18n.ts`). */
export class ExcelCapabilityError extends Error {
  override name = 'ExcelCapabilityError';
  /** The missing set, e.g. `ExcelApi 1.13`. */
  readonly requirement: string;
  constructor(requirement: string, what?: string) {
    super(what === undefined ? `needs ${requirement}` : `${what} needs ${requirement}`);
    this.requirement = requirement;
  }
}

/** True when the host supports `ExcelApi` at `version` (false outside Office). */
export function supportsExcelApi(version: string): boolean {
  try {
    return typeof Office !== 'undefined' && Office.context?.requirements?.isSetSupported('ExcelApi', version) === true;
  } catch {
    return false;
  }
}

/** Throws `ExcelCapabilityError` unless the host supports `ExcelApi` at `version`. */
export function requireExcelApi(version: string, what?: string): void {
  if (!supportsExcelApi(version)) throw new ExcelCapabilityError(`ExcelApi ${version}`, what);
}

/** What the host can do, beyond the base set. */
export interface Capabilities {
  /** `Range.getMergedAreasOrNullObject` (1.13). */
  readonly mergedAreas: boolean;
  /** `Workbook.insertWorksheetsFromBase64` (1.13). */
  readonly insertWorksheets: boolean;
  /** Notes (1.18), the plain kind Excel shows on hover. */
  readonly notes: boolean;
  /** Threaded comments (1.10), used for marks when notes are missing. */
  readonly comments: boolean;
  /** `Range.dataValidation` (1.8). */
  readonly dataValidation: boolean;
  /** `Worksheet.pageLayout` (1.9): orientation, fit to width, print titles, footers. */
  readonly pageLayout: boolean;
  /** `Application.suspendScreenUpdatingUntilNextSync` (1.9). */
  readonly suspendScreen: boolean;
  /** `Application.suspendApiCalculationUntilNextSync` (1.6). */
  readonly suspendCalculation: boolean;
  /** `Excel.run({ mergeUndoGroup })` (1.20): a whole write is one undo step. */
  readonly undoGroup: boolean;
  /** `Excel.run({ delayForCellEdit })` (1.11): a batch waits while the clerk edits a cell instead of failing. */
  readonly delayForCellEdit: boolean;
  /** `Range.conditionalFormats` (1.6). */
  readonly conditionalFormats: boolean;
  /** `Worksheet.freezePanes` (1.7). */
  readonly freezePanes: boolean;
}

/** The host's capabilities now. */
export function capabilities(): Capabilities {
  return {
    mergedAreas: supportsExcelApi('1.13'),
    insertWorksheets: supportsExcelApi('1.13'),
    notes: supportsExcelApi('1.18'),
    comments: supportsExcelApi('1.10'),
    dataValidation: supportsExcelApi('1.8'),
    pageLayout: supportsExcelApi('1.9'),
    suspendScreen: supportsExcelApi('1.9'),
    suspendCalculation: supportsExcelApi('1.6'),
    undoGroup: supportsExcelApi('1.20'),
    delayForCellEdit: supportsExcelApi('1.11'),
    conditionalFormats: supportsExcelApi('1.6'),
    freezePanes: supportsExcelApi('1.7'),
  };
}
