/** The self-check record's sheet, by name, and a file's state against it in words: a module of its own so that a face can use them without loading the job. */
import type { SheetGrid, WorkbookGrid } from '../core/grid';

/** The name of the record's sheet (hidden in the school's workbook). */
export const STAMP_SHEET = '汇总自查记录';

/** Whether a sheet is the self-check record, not a school's sheet. */
export function isStampSheet(sheet: Pick<SheetGrid, 'name'>): boolean {
  return sheet.name.trim() === STAMP_SHEET;
}

/** The book without the self-check record; the same book when it holds none. */
export function withoutStamp(book: WorkbookGrid): WorkbookGrid {
  return book.sheets.some(isStampSheet) ? { ...book, sheets: book.sheets.filter((s) => !isStampSheet(s)) } : book;
}

/**
 * Where a file stands: `checked` (its record matches these definitions and its cells), `unchecked` (no
 * record), `definitions_changed` (checked against other definitions), `changed_after` (a cell changed since).
 */
export type SelfCheckState = 'checked' | 'unchecked' | 'definitions_changed' | 'changed_after';

/** The state in words, for the command and both panes. */
export function selfCheckWords(state: SelfCheckState, zh: boolean): string {
  switch (state) {
    case 'checked':
      return zh ? '已自查' : 'Self-checked';
    case 'unchecked':
      return zh ? '未自查' : 'Not self-checked';
    case 'definitions_changed':
      return zh ? '自查时的定义与现行定义不同' : 'Self-checked against other definitions than the current ones';
    case 'changed_after':
      return zh ? '自查后文件又有改动' : 'Changed after its self-check';
  }
}

