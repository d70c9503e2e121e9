/** Workbooks for the adapter tests: demo schools as sheets of the simulated workbook. */
import { demoDefinitions, generateManySchools, planDemoDistrict, schoolFormPlan } from '../../src/demo';
import { definitionsToSheets } from '../../src/core/definitions';
import type { SheetGrid } from '../../src/core/grid';
import type { Definitions } from '../../src/core/types';
import { planToGrid } from '../../src/workbook/grid';
import type { SheetPlan } from '../../src/workbook/plan';
import { safeSheetNames } from '../../src/workbook/names';
import { ExcelSim } from './sim';

/** A school form as a sheet of the workbook: its grid, and the protection the template gives it. */
export type FormGrid = SheetGrid & { readonly protection?: SheetPlan['protection'] };

function formGrid(plan: SheetPlan, name: string): FormGrid {
  return { ...planToGrid(plan), name, ...(plan.protection !== undefined ? { protection: plan.protection } : {}) };
}

/** `count` clean school forms (sheets named by school code, protected as the template protects them) and their definitions. */
export function cleanSchools(count: number): { definitions: Definitions; grids: FormGrid[] } {
  const schools = generateManySchools(count);
  const definitions = demoDefinitions(schools);
  const names = safeSheetNames(schools.map((s) => s.code));
  const grids = schools.map((s, i) => formGrid(schoolFormPlan(definitions, s), names[i]!));
  return { definitions, grids };
}

/** The demo district: its schools' forms (protected, as the template makes them) with the real mistakes injected, and its definitions. */
export function demoSchools(): { definitions: Definitions; grids: FormGrid[] } {
  const district = planDemoDistrict();
  const names = safeSheetNames(district.sheets.map((f) => f.name.replace(/\.[a-z]+$/i, '').slice(0, 31)));
  const grids = district.sheets.map((f, i) => formGrid(f.plan, names[i]!));
  return { definitions: district.definitions, grids };
}

/** A simulated workbook holding the definition sheets and the school sheets, installed as the globals. */
export function workbookWith(definitions: Definitions, grids: readonly SheetGrid[], options: ConstructorParameters<typeof ExcelSim>[0] = {}): { sim: ExcelSim; uninstall: () => void } {
  const sim = new ExcelSim(options);
  for (const g of definitionsToSheets(definitions, 'zh-CN')) sim.addSheet(g);
  for (const g of grids) sim.addSheet(g, (g as FormGrid).protection);
  return { sim, uninstall: sim.install() };
}

/** A fault to inject into one write: where, and how it is set on the simulator. */
export interface Fault {
  readonly at: string;
  readonly set: (sim: ExcelSim) => void;
}

/**
 * The faults of a write whose syncs had `actions` actions each: each sync refused, a failure at each
 * action (of a sync over `dense` actions, only those `keep` keeps), and, with `lostResponses`, each
 * sync's response lost after everything was applied.
 */
export function faultsOf(actions: readonly number[], options: { readonly dense?: number; readonly keep?: (i: number, count: number) => boolean; readonly lostResponses?: boolean } = {}): Fault[] {
  const faults: Fault[] = [];
  actions.forEach((count, k) => {
    faults.push({ at: `sync ${k + 1} refused`, set: (sim) => (sim.failAt = (n) => n === k + 1) });
    for (let i = 0; i < count; i++) {
      if (options.dense !== undefined && count > options.dense && options.keep?.(i, count) === false) continue;
      faults.push({ at: `sync ${k + 1} action ${i}`, set: (sim) => (sim.failAction = (n, a) => n === k + 1 && a === i) });
    }
    if (options.lostResponses === true) faults.push({ at: `sync ${k + 1} response lost`, set: (sim) => (sim.loseResponseAt = (n) => n === k + 1) });
  });
  return faults;
}

/** Runs `write` with `fault` set on `sim`, then clears every fault; true when the write failed. */
export async function failsWith(sim: ExcelSim, fault: Fault, write: () => Promise<unknown>): Promise<boolean> {
  fault.set(sim);
  const failed = await write().then(
    () => false,
    () => true,
  );
  sim.failAt = null;
  sim.failAction = null;
  sim.loseResponseAt = null;
  return failed;
}
