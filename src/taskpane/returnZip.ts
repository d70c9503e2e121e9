/** Return packages into one .zip, the same way in both panes: each school's workbook (its 退回意见 and its own sheet, marked) and the index. */
import { zipSync } from 'fflate';
import type { SheetGrid } from '../core/grid';
import type { Lang } from '../core/types';
import type { SheetPlan } from '../workbook/plan';
import type { SheetCopy } from '../xlsx/copies';
import type { JobResults } from './protocol';

/** Writes sheet plans and copies of school sheets into .xlsx bytes (the .xlsx engine). */
export type BookWriter = (plans: readonly SheetPlan[], copies?: readonly SheetCopy[]) => Promise<Uint8Array>;

/** The name of the .zip and of the index inside it. */
export function returnNames(lang: Lang): { zip: string; index: string } {
  return lang === 'zh-CN' ? { zip: '退回修改包.zip', index: '退回汇总.xlsx' } : { zip: 'Return packages.zip', index: 'Sent back.xlsx' };
}

/** Packs every return package, its school's sheet found by `gridOf`, and the index. */
export async function packReturns(r: JobResults['returns'], gridOf: (file: string | undefined, sheet: string) => SheetGrid | undefined, write: BookWriter, lang: Lang): Promise<Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  for (const p of r.packages) {
    const grid = gridOf(p.copy.file, p.copy.sheet);
    files[p.fileName] = await write(p.plans, grid === undefined ? [] : [{ grid, name: p.copy.name, updates: p.copy.updates, marks: p.copy.marks, ...(p.copy.print !== undefined ? { print: p.copy.print } : {}) }]);
  }
  files[returnNames(lang).index] = await write([r.indexPlan]);
  // The workbooks are compressed already.
  return zipSync(files, { level: 0 });
}
