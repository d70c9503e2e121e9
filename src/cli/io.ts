/** The command's only contact with the .xlsx adapter: bytes to a workbook grid, sheet plans (and school-sheet copies) to bytes. */
import { createRequire } from 'node:module';
import { crc32, inflateRawSync } from 'node:zlib';
import type { WorkbookGrid } from '../core/grid';
import type { Issue } from '../core/types';
import type { SheetPlan } from '../workbook';
import { readWorkbookFileSync, writeXlsx, type Inflate, type SheetCopy, type SheetJSModule } from '../xlsx';
import { nativeZipper } from './zip';

export type { SheetCopy };

// Node's native inflate: several times faster than fflate's on the parts of a school file. It stops
// at `max` bytes, so an entry larger than its directory says is refused, never inflated whole.
const inflate: Inflate = (data, max) => {
  const out = inflateRawSync(data, { maxOutputLength: Math.max(1, max) });
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
};

let sheetjs: SheetJSModule | undefined;

/** SheetJS, loaded from node_modules the first time a file needs it (an .xls, .et, .ods…): most runs never pay for it. */
function loadSheetJS(): SheetJSModule {
  sheetjs ??= createRequire(import.meta.url)('@e965/xlsx') as SheetJSModule;
  return sheetjs;
}

/** Reads a school or definitions file (.xlsx, .csv, and by SheetJS .xls, .et, .ods, .xlsb, web-page exports) by its name; never throws for bad data. */
export function readBook(bytes: Uint8Array, name: string): { book: WorkbookGrid | null; issues: readonly Issue[] } {
  return readWorkbookFileSync(bytes, name, { inflate, crc32: (b) => crc32(b), sheetjs: loadSheetJS });
}

/** Renders sheet plans, then copies of school sheets, into .xlsx bytes, each part deflated as soon as it is made. */
export async function writeBook(plans: readonly SheetPlan[], copies: readonly SheetCopy[] = []): Promise<Uint8Array> {
  return await writeXlsx(plans, copies, { zipper: nativeZipper() });
}
