/**
 * Excel's undo rules as data, and the hosts the simulator plays.
 *
 * `UNDO_TABLE` is the table "Unsupported APIs" of the Excel add-ins page "Undo capabilities"
 * (learn.microsoft.com/office/dev/add-ins/excel/excel-add-ins-undo-capabilities), for the calls the
 * simulator models: each API Excel cannot undo, on the web and on Windows and Mac. The page: inside a
 * `mergeUndoGroup` batch such a call throws `UndoNotSupported`; outside one, it clears the clerk's undo
 * stack from that call on. Every API not listed can be undone: the page setup the writer does
 * (`PageLayout`, its `HeaderFooter`, `RangeFormat.rowHeight` and alignments) is not listed, so it is undoable.
 */

/** A platform as the undo table splits them. */
export type Platform = 'web' | 'windows' | 'mac';

/** Whether an API can be undone: on the web, and on Windows and Mac (the page gives one column for both). */
interface UndoRow {
  readonly web: boolean;
  readonly desktop: boolean;
}

/** The page's table, for the APIs the simulator models (every row listed there is "No" on some platform). */
export const UNDO_TABLE: Readonly<Record<string, UndoRow>> = {
  'Workbook.insertWorksheetsFromBase64': { web: false, desktop: false },
  'Worksheet.delete': { web: false, desktop: false },
  'Worksheet.copy': { web: false, desktop: false },
  'Worksheet.name': { web: true, desktop: false },
  'Worksheet.position': { web: true, desktop: false },
  'Worksheet.visibility': { web: true, desktop: false },
  'Worksheet.standardWidth': { web: false, desktop: true },
  'WorksheetCollection.addFromBase64': { web: false, desktop: false },
  'WorksheetProtection.protect': { web: false, desktop: false },
  'WorksheetProtection.unprotect': { web: false, desktop: false },
  'WorksheetProtection.pauseProtection': { web: false, desktop: false },
  'WorksheetProtection.resumeProtection': { web: false, desktop: false },
  'WorksheetProtection.setPassword': { web: false, desktop: false },
  'WorksheetProtection.updateOptions': { web: false, desktop: false },
  'WorkbookProtection.protect': { web: false, desktop: false },
  'WorkbookProtection.unprotect': { web: false, desktop: false },
};

/**
 * Calls the table does not list that an office-js issue reports clearing the undo history on some
 * platforms: reading merged areas, on Excel for Windows (office-js issue #5918). Stricter than the
 * report, the simulator also clears a group's step when it happens inside one.
 */
export const CLEARS_HISTORY: Readonly<Record<string, readonly Platform[]>> = {
  'Range.getMergedAreasOrNullObject': ['windows'],
};

/** The simulator's queued call names, as the API each one is. */
export const ACTION_API: Readonly<Record<string, string>> = {
  insertWorksheetsFromBase64: 'Workbook.insertWorksheetsFromBase64',
  'worksheet.delete': 'Worksheet.delete',
  'set SimWorksheet.name': 'Worksheet.name',
  'set SimWorksheet.position': 'Worksheet.position',
  'set SimWorksheet.visibility': 'Worksheet.visibility',
  protect: 'WorksheetProtection.protect',
  unprotect: 'WorksheetProtection.unprotect',
  getMergedAreasOrNullObject: 'Range.getMergedAreasOrNullObject',
};

/** Whether the API behind a queued call can be undone on `platform`. */
export function undoable(action: string, platform: Platform): boolean {
  const api = ACTION_API[action];
  const row = api === undefined ? undefined : UNDO_TABLE[api];
  if (row === undefined) return true;
  return platform === 'web' ? row.web : row.desktop;
}

/** Whether the queued call clears the undo history on `platform` though the table does not list it. */
export function clearsHistory(action: string, platform: Platform): boolean {
  const api = ACTION_API[action];
  return api !== undefined && (CLEARS_HISTORY[api] ?? []).includes(platform);
}

/** Whether a queued call changes the workbook (loads and requirement-set checks do not). */
export function mutates(action: string): boolean {
  return action !== 'load' && !action.startsWith('gate ') && action !== 'getMergedAreasOrNullObject';
}

/** A host the simulator plays: its platform and the highest ExcelApi set it supports. */
export interface Profile {
  readonly platform: Platform;
  readonly apiVersion: string;
  /** For test names. */
  readonly label: string;
}

/**
 * The hosts every Excel flow is tested on. ExcelApi 1.20 (undo grouping) is on Excel on the web, on
 * Windows from version 2509 and on Mac from 16.100 (the requirement set's availability table); an
 * older Windows at 1.9; and a host at the add-in's minimum set (the manifest's ExcelApi 1.7).
 */
export const PROFILES = {
  web: { platform: 'web', apiVersion: '1.20', label: 'Excel on the web (1.20)' },
  windows: { platform: 'windows', apiVersion: '1.20', label: 'Excel on Windows (1.20)' },
  mac: { platform: 'mac', apiVersion: '1.20', label: 'Excel on Mac (1.20)' },
  oldWindows: { platform: 'windows', apiVersion: '1.9', label: 'older Excel on Windows (1.9)' },
  minimum: { platform: 'windows', apiVersion: '1.7', label: 'the minimum host (1.7)' },
} as const satisfies Record<string, Profile>;

/** A profile's name. */
export type ProfileName = keyof typeof PROFILES;
