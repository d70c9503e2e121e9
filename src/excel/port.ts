/** The workbook port (`src/workbook/plan.ts`) over the open workbook. */
import type { CellMark, CellUpdate, SheetGrid, SheetPlan, WorkbookPort } from '../workbook/plan';
import { BASE_EXCEL_API, capabilities, requireExcelApi } from './capabilities';
import { loadSheetList, readGrids } from './read';
import { runExcel } from './run';
import { writeWorkbook } from './write';

/** The port over the open workbook: each call one `Excel.run` in a fixed number of syncs. */
export function createExcelPort(): WorkbookPort {
  return {
    async listSheets(): Promise<string[]> {
      requireExcelApi(BASE_EXCEL_API);
      return await runExcel(async (ctx) => (await loadSheetList(ctx)).map((s) => s.name));
    },
    async readSheets(names: readonly string[]): Promise<SheetGrid[]> {
      requireExcelApi(BASE_EXCEL_API);
      const caps = capabilities();
      return await runExcel(async (ctx) => {
        const byLower = new Map((await loadSheetList(ctx)).map((s) => [s.name.toLowerCase(), s.name]));
        const present = names.flatMap((n) => {
          const name = byLower.get(n.toLowerCase());
          return name === undefined ? [] : [name];
        });
        return await readGrids(ctx, present, caps, { merges: () => true });
      });
    },
    async writeSheets(plans: readonly SheetPlan[]): Promise<void> {
      await writeWorkbook({ plans });
    },
    async writeCells(updates: readonly CellUpdate[]): Promise<void> {
      await writeWorkbook({ plans: [], updates });
    },
    async markCells(sheets: readonly string[], marks: readonly CellMark[]): Promise<void> {
      await writeWorkbook({ plans: [], marks: { sheets, marks } });
    },
  };
}
