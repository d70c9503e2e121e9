/** Definitions: read from the clerk's definition sheets or JSON, checked as a whole, and written back out. */
export { readDefinitions, definitionsFromJson, findDefinitionSheet, isDefinitionSheetName, DEFAULT_TITLE, type DefinitionsRead } from './read';
export { checkDefinitions, checkAndClean } from './check';
export { definitionsToSheets, definitionsToJson } from './write';
export { DEFINITION_SHEETS, DEFINITION_SHEETS_EN, SHEET_ALIASES, COLUMNS, LAYOUT_KEYS, LAYOUT_HEADER, definitionSheetName, type DefinitionKind, type ColumnSpec } from './sheets';
export { normalizeLabel, looseLabel, cellText, isBlankCell, splitList, CODE_PATTERN } from './text';
export { parseStage, stageWord } from './vocab';
