/**
 * Writes an .xlsx: the planned sheets rendered as SpreadsheetML (see `sheets.ts`) and copies of
 * school sheets (see `copies.ts`) in one package, zipped once. Pure TypeScript over
 * strings and bytes: the command, the standalone page and its workers all write with it.
 *
 * Text is always written as text: a planned value `"=SUM(A1)"` becomes a string cell. Only a
 * planned `formula` (or a formula the copied sheet had) becomes a formula, with its cached result.
 */
import { zipSync } from 'fflate';
import type { SheetPlan } from '../workbook/plan';
import type { SheetCopy } from './copies';
import { emitPackage } from './sheets';
import { XlsxPlanError } from './xmlParts';

export { XlsxPlanError } from './xmlParts';
export type { SheetCopy } from './copies';

/** Options for {@link writeXlsx}. */
export interface WriteOptions {
  /** Put the copies before the planned sheets (default: after). */
  readonly copiesFirst?: boolean;
  /** Ask the opening application to recalculate every formula (default true). */
  readonly fullCalcOnLoad?: boolean;
  /** Workbook author shown in the file properties (default `Huizong`). */
  readonly creator?: string;
  /** The package's created and modified time (default now). */
  readonly now?: Date;
  /**
   * Zips the package's parts, taking each as it is made. The default collects them and zips with
   * fflate, which runs anywhere; the command deflates each part with Node's zlib as it comes.
   */
  readonly zipper?: PartZipper;
}

/** Takes a package's parts in order as they are made; `finish` gives the zip archive of them all. */
export interface PartZipper {
  add(name: string, bytes: Uint8Array): void;
  finish(): Promise<Uint8Array>;
}

/** Collects the parts and zips them at the end with fflate. */
function fflateZipper(): PartZipper {
  const files: Record<string, Uint8Array> = {};
  return {
    add: (name, bytes) => {
      files[name] = bytes;
    },
    finish: () => Promise.resolve(zipSync(files, { level: 4 })),
  };
}

const MAX_NAME = 31;
const FORBIDDEN = /[[\]:*?/\\]/;

function checkSheetName(name: string, used: Set<string>): void {
  if (name.trim() === '' || name.length > MAX_NAME || FORBIDDEN.test(name) || name.startsWith("'") || name.endsWith("'")) {
    throw new XlsxPlanError(`not a valid sheet name: ${JSON.stringify(name)}`);
  }
  const key = name.toLowerCase();
  if (used.has(key)) throw new XlsxPlanError(`sheet name used twice: ${JSON.stringify(name)}`);
  used.add(key);
}

/**
 * Writes an .xlsx: each plan rendered in full (values, formulas with cached results, row styles,
 * widths, number formats, frozen panes, a table, highlights, data validation, protection, merges,
 * page setup), then each copy of a school sheet (its values, its formulas only where it had
 * formulas, formats, merges) with its updates and marks applied. Throws {@link XlsxPlanError} for
 * impossible plans.
 */
export async function writeXlsx(plans: readonly SheetPlan[], copies: readonly SheetCopy[] = [], options: WriteOptions = {}): Promise<Uint8Array> {
  const names = new Set<string>();
  const order = options.copiesFirst ? [...copies.map((c) => c.name), ...plans.map((p) => p.name)] : [...plans.map((p) => p.name), ...copies.map((c) => c.name)];
  if (order.length === 0) throw new XlsxPlanError('a workbook needs at least one sheet');
  for (const n of order) checkSheetName(n, names);
  const zipper = options.zipper ?? fflateZipper();
  const add = (name: string, bytes: Uint8Array): void => zipper.add(name, bytes);
  emitPackage(
    plans,
    copies,
    {
      ...(options.creator !== undefined ? { creator: options.creator } : {}),
      ...(options.fullCalcOnLoad !== undefined ? { fullCalcOnLoad: options.fullCalcOnLoad } : {}),
      ...(options.now !== undefined ? { now: options.now } : {}),
      copiesFirst: options.copiesFirst === true,
    },
    add,
  );
  return await zipper.finish();
}
