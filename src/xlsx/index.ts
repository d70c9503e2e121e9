/**
 * The .xlsx adapter: files to the core's grids and sheet plans to files, as bytes in and out, so
 * the same code serves the command (Node) and the standalone page (browser, workers).
 */
export { readXlsx, readWorksheet, readSharedStrings, sniffBytes, isEncryptedPackage, type ReadXlsxResult, type ReadXlsxOptions, type FileKind } from './read';
export type { Inflate } from './unzip';
export { readCsv, parseCsv, decodeTextBytes, csvCell, type DecodedText } from './csv';
export { readWorkbookFile, readWorkbookFileSync, needsSheetJS, type ReadFileResult, type ReadFileOptions } from './file';
export { readLegacy, type SheetJSModule } from './legacy';
export { writeXlsx, XlsxPlanError, type PartZipper, type SheetCopy, type WriteOptions } from './write';
export { shiftFormula } from './formula';
export { BUILTIN_NUMBER_FORMATS, isDateFormat } from './formats';
export { withHiddenSheet, withoutSheet, SheetPartError } from './stamp';
