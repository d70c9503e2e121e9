/** The demo district's school files, written as .xlsx workbooks from their sheet plans. */
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
