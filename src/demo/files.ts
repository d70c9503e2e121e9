/**
 * The demo district's files: each school's form written as an .xlsx workbook, and the plans of the
 * bureau's two workbooks, its definitions and its roster, which the command writes beside them.
 */
import { DEFINITION_SHEETS, definitionsToSheets } from '../core/definitions';
import type { SheetGrid } from '../core/grid';
import type { Definitions } from '../core/types';
import type { PlannedRow, SheetPlan } from '../workbook/plan';
import { writeXlsx } from '../xlsx';
import { planDemoDistrict, type DemoDistrict } from './plant';

/**
 * Builds the demo district: 47 schools, their files (one missing and its figures sent under a neighbour's code,
 * one sent again as a correction, one sent twice as a copy, one from a school not in the roster) with the real mistakes of DOMAIN.md planted, each .xlsx written from its plan, and the list of what was planted where.
 */
export async function buildDemoDistrict(seed = 2026): Promise<DemoDistrict> {
  const plan = planDemoDistrict(seed);
  const files: { name: string; bytes: Uint8Array }[] = [];
  for (const f of plan.sheets) files.push({ name: f.name, bytes: await writeXlsx([f.plan]) });
  return { ...plan, files };
}

/** A definition sheet as a plain plan: header row first, values only. */
function sheetToPlan(grid: SheetGrid): SheetPlan {
  const rows: PlannedRow[] = grid.values.map((row, i) => ({ role: i === 0 ? 'header' : 'data', cells: row.map((v) => ({ value: v ?? null })) }));
  const width = Math.max(0, ...grid.values.map((r) => r.length));
  return { name: grid.name, rows, columns: Array.from({ length: width }, () => ({ width: 16 })), freeze: { rows: 1, cols: 0 } };
}

/** The demo's definitions workbook (every definition sheet but the roster) and its roster workbook, as the bureau keeps them, in Chinese. */
export function demoDefinitionPlans(definitions: Definitions): { definitions: SheetPlan[]; roster?: SheetPlan } {
  const sheets = definitionsToSheets(definitions, 'zh-CN');
  const roster = sheets.find((g) => g.name === DEFINITION_SHEETS.roster);
  return { definitions: sheets.filter((g) => g !== roster).map(sheetToPlan), ...(roster ? { roster: sheetToPlan(roster) } : {}) };
}
