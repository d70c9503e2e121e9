/**
 * The Office.js adapter: the open workbook as the core's plain grids, and sheet plans written
 * back, in a fixed number of `context.sync()` calls. Every `Excel.*` call of the add-in is here.
 */
export { readForJob, readAgain, listSheetNames, createDefinitionSheets, writeResults, resultsOutlook, writeIndexSheet, selectCell, type JobRead, type ResultsOutput } from './job';
export { importSchoolFiles, schoolCodeOf, type SchoolFile, type SchoolFileReader, type ImportOptions, type ProtectionStripper, type ImportedSheet, type ImportResult } from './import';
export { createExcelPort } from './port';
export { writeWorkbook, writeOutlook, WriteNotStartedError, UNFINISHED_SETTING, OUTPUTS_SETTING, DEFAULT_BANNER, type WriteRequest, type WriteResult, type WriteOutlook, type UndoOutcome, type UndoLoss } from './write';
export { readGrids } from './read';
export { ExcelCapabilityError, BASE_EXCEL_API, capabilities, supportsExcelApi, type Capabilities } from './capabilities';
export { MARKS_SETTING, MARK_FILL, annotationKind, type AnnotationKind } from './marks';
export { TEMP_PREFIX, isDefinitionSheet, isHuizongSheet, isOutputSheet, sheetAliases } from './names';
export type { ChartRequest } from './chart';
