/**
 * The computed rates written back into each school's sheet, in the rate cells the form reader
 * located (`readSubmissions(...).rateCells`).
 */
import { roundHalfAway } from '../core/expr';
import type { Consolidation, Rate, SchoolResult } from '../core/types';
import type { CellUpdate } from './plan';
import { decimalsFormat } from './formats';

/** Which submission a rate-cell map belongs to: a `Submission` fits as it is. */
export interface SubmissionRef {
  readonly schoolCode: string;
  readonly file?: string;
  readonly sheet: string;
  /** The sheet to write into when it differs from `sheet` (the school's copy in an output workbook). */
  readonly target?: string;
}

/**
 * `x` rounded half away from zero to `decimals` places (0 to 15), without binary drift (1.005 → 1.01):
 * the core's rounding, as the report and the summary show it. Zero has no sign.
 */
export function roundTo(x: number, decimals: number): number {
  const r = roundHalfAway(x, Math.max(0, Math.min(15, Math.floor(decimals))));
  return r === 0 ? 0 : r;
}

/**
 * One update per located rate cell: the school's rate, rounded to the decimals given in `rates`
 * (the definitions' rates), empty when undefined (e.g. a zero denominator). `rateCells[i]` maps rate codes to addresses on
 * submission `i`'s sheet; `sheetOf(i)` says which submission that is and where to write.
 * Submissions that did not become a school result (unreadable, no code) are skipped.
 */
export function buildRateUpdates(
  c: Consolidation,
  rateCells: Readonly<Record<number, Readonly<Record<string, string>>>>,
  sheetOf: (submissionIndex: number) => SubmissionRef | undefined,
  rates: readonly Pick<Rate, 'code' | 'decimals'>[] = [],
): CellUpdate[] {
  const decimals = new Map(rates.map((r) => [r.code, r.decimals]));
  const byKey = new Map<string, SchoolResult>();
  const byCode = new Map<string, SchoolResult[]>();
  for (const s of c.schools) {
    byKey.set(`${s.code}\u0000${s.file ?? ''}\u0000${s.sheet}`, s);
    const list = byCode.get(s.code) ?? [];
    list.push(s);
    byCode.set(s.code, list);
  }
  const updates: CellUpdate[] = [];
  const indices = Object.keys(rateCells)
    .map(Number)
    .sort((a, b) => a - b);
  for (const i of indices) {
    const ref = sheetOf(i);
    const cells = rateCells[i];
    if (ref === undefined || cells === undefined) continue;
    const exact = byKey.get(`${ref.schoolCode}\u0000${ref.file ?? ''}\u0000${ref.sheet}`);
    const sameCode = byCode.get(ref.schoolCode);
    const school = exact ?? (sameCode?.length === 1 ? sameCode[0] : undefined);
    if (school === undefined) continue;
    for (const [rate, cell] of Object.entries(cells)) {
      const result = school.rates[rate];
      if (result === undefined) continue;
      const value = result.value;
      const d = decimals.get(rate);
      updates.push({
        sheet: ref.target ?? ref.sheet,
        cell,
        value: value === null || d === undefined ? value : roundTo(value, d),
        ...(d !== undefined ? { numberFormat: decimalsFormat(d) } : {}),
      });
    }
  }
  return updates;
}
