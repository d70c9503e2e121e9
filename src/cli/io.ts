/** The command's only contact with the .xlsx adapter: bytes to a workbook grid (see `parse.ts`), sheet plans (and school-sheet copies) to bytes. */
import type { SheetPlan } from '../workbook';
import { writeXlsx, type SheetCopy } from '../xlsx';
import { nativeZipper } from './zip';

export type { SheetCopy };
export { readBook } from './parse';

/** Renders sheet plans, then copies of school sheets, into .xlsx bytes, each part deflated as soon as it is made. */
export async function writeBook(plans: readonly SheetPlan[], copies: readonly SheetCopy[] = []): Promise<Uint8Array> {
  return await writeXlsx(plans, copies, { zipper: nativeZipper() });
}
