/** The command's only contact with the .xlsx adapter: bytes to a workbook grid, sheet plans (and school-sheet copies) to bytes. */
import type { WorkbookGrid } from '../core/grid';
import type { Issue } from '../core/types';
import type { SheetPlan } from '../workbook';
import { readWorkbookFileSync, writeXlsx, type SheetCopy } from '../xlsx';

export type { SheetCopy };

/** Reads a school or definitions file (.xlsx, .csv; .xls and others give a clear issue) by its name; never throws for bad data. */
export function readBook(bytes: Uint8Array, name: string): { book: WorkbookGrid | null; issues: readonly Issue[] } {
  return readWorkbookFileSync(bytes, name);
}

/** Renders sheet plans, then copies of school sheets, into .xlsx bytes. */
export async function writeBook(plans: readonly SheetPlan[], copies: readonly SheetCopy[] = []): Promise<Uint8Array> {
  return await writeXlsx(plans, copies);
}
