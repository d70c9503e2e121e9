/** Plain grids (definition sheets, a school file read by the .xlsx engine) as sheet plans the writer renders. */
import type { SheetGrid } from '../core/grid';
import { fittedWidth, shownWidth } from '../workbook/grid';
import type { ColumnPlan, PlannedCell, PlannedRow, SheetPlan } from '../workbook/plan';

/**
 * A grid as a plan under `name`: its values (text stays text), formulas, number formats and
 * merges, columns as wide as their text (8 to 50 characters). With `header`, the first row is
 * a header and stays in view.
 */
export function gridPlan(grid: SheetGrid, name: string, options: { readonly header?: boolean; readonly formulas?: boolean } = {}): SheetPlan {
  const rows: PlannedRow[] = [];
  const widths: number[] = [];
  const cellFormats: [number, number, string][] = [];
  grid.values.forEach((row, r) => {
    const cells: PlannedCell[] = [];
    row.forEach((v, c) => {
      const formula = options.formulas === true ? (grid.formulas?.[r]?.[c] ?? null) : null;
      cells.push(formula !== null ? { formula, value: v } : { value: v });
      const fmt = grid.numberFormats?.[r]?.[c] ?? null;
      if (fmt !== null) cellFormats.push([r, c, fmt]);
      widths[c] = Math.max(widths[c] ?? 0, shownWidth(v));
    });
    rows.push({ role: options.header === true && r === 0 ? 'header' : 'data', cells });
  });
  const columns: ColumnPlan[] = [];
  for (let c = 0; c < widths.length; c++) columns.push({ width: fittedWidth(widths[c] ?? 0) });
  return {
    name,
    rows,
    columns,
    ...(cellFormats.length > 0 ? { cellFormats } : {}),
    ...(grid.merges !== undefined && grid.merges.length > 0 ? { merges: grid.merges } : {}),
    ...(options.header === true && rows.length > 0 ? { freeze: { rows: 1, cols: 0 } } : {}),
  };
}
