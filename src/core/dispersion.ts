/**
 * 差异系数: the enrolment-weighted coefficient of variation of a per-school resource across the
 * schools of one stage, as the 义务教育均衡 assessment defines it:
 * X̄ = Σ PᵢXᵢ ÷ P, S = √(Σ Pᵢ(Xᵢ − X̄)² ÷ P), CV = S ÷ X̄, with P = Σ Pᵢ.
 */
import { compileDefinitions, lookupIn } from './compile';
import { evaluate, isEvalError } from './expr';
import type { Definitions, DispersionResult, SchoolResult } from './types';

/** One school's point: its per-school value Xᵢ and its weight Pᵢ (students). */
export interface WeightedPoint {
  readonly value: number;
  readonly weight: number;
}

/**
 * The weighted mean, weighted (population) standard deviation and their ratio. `null` when there is
 * no point, the weights do not sum to a positive number, or the mean is 0 (the CV is undefined).
 */
export function weightedCv(points: readonly WeightedPoint[]): { mean: number; sd: number; cv: number } | null {
  let total = 0;
  let weighted = 0;
  for (const p of points) {
    total += p.weight;
    weighted += p.weight * p.value;
  }
  if (!(total > 0) || points.length === 0) return null;
  const mean = weighted / total;
  if (mean === 0 || !Number.isFinite(mean)) return null;
  // Two passes (mean first, then squared deviations) rather than Σx² − n·x̄², which cancels badly.
  let squares = 0;
  for (const p of points) {
    const d = p.value - mean;
    squares += p.weight * d * d;
  }
  const sd = Math.sqrt(squares / total);
  return { mean, sd, cv: sd / Math.abs(mean) };
}

/** Why a school of the right stage took no part in a dispersion. */
export type DispersionExclusion = 'below_min_weight' | 'missing_value' | 'special_education' | 'stage';

/**
 * Every dispersion of the definitions over the given schools (the included ones, in model order).
 * A school takes part when its roster stage is one of the dispersion's stages; special-education
 * schools (特教) are always left out, as are schools under `minWeight` and schools whose value or
 * weight is missing or not computable. Schools without a known stage (not in the roster) are listed
 * as left out with reason `stage`, so an empty roster explains an empty result.
 */
export function computeDispersions(schools: readonly SchoolResult[], defs: Definitions): DispersionResult[] {
  const compiled = compileDefinitions(defs);
  return compiled.dispersions.map(({ dispersion: d, value, weight }) => {
    const excluded: { school: string; reason: DispersionExclusion }[] = [];
    const points: WeightedPoint[] = [];
    for (const s of schools) {
      if (s.stage === undefined) {
        excluded.push({ school: s.code, reason: 'stage' });
        continue;
      }
      if (!d.stages.includes(s.stage)) continue;
      if (s.stage === '特教') {
        excluded.push({ school: s.code, reason: 'special_education' });
        continue;
      }
      const lookup = lookupIn(s.values);
      const w = weight === null ? null : evaluate(weight, lookup);
      const x = value === null ? null : evaluate(value, lookup);
      if (w === null || isEvalError(w) || x === null || isEvalError(x)) {
        excluded.push({ school: s.code, reason: typeof w === 'number' && w < d.minWeight ? 'below_min_weight' : 'missing_value' });
        continue;
      }
      if (w < d.minWeight || w <= 0) {
        excluded.push({ school: s.code, reason: 'below_min_weight' });
        continue;
      }
      points.push({ value: x, weight: w });
    }
    const r = weightedCv(points);
    const threshold = d.threshold;
    return {
      code: d.code,
      schoolCount: points.length,
      mean: r?.mean ?? null,
      sd: r?.sd ?? null,
      cv: r?.cv ?? null,
      ...(threshold !== undefined ? { threshold } : {}),
      met: r === null || threshold === undefined ? null : r.cv <= threshold,
      excluded,
    };
  });
}
