/**
 * Outliers, reported as warnings: a value far from the other schools of the same stage (robust
 * z-score on the median and the median absolute deviation, Iglewicz–Hoaglin), and a value that
 * changed by more than a given percentage since the previous period.
 */
import { roundHalfAway } from './expr';
import type { Indicator, Issue, Stage, Value } from './types';

/** The 0.75 quantile of the standard normal: makes the MAD comparable to a standard deviation. */
export const MAD_SCALE = 0.6745;
/** Fewer schools than this in a stage give no robust z-scores. */
export const MIN_SCHOOLS_FOR_Z = 5;

/** The median of numbers sorted ascending. */
export function medianOfSorted(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The median and median absolute deviation of a sample, or `null` when there are fewer than 5 values
 * or the MAD is 0. With a MAD of 0 more than half the schools report the same value; any fallback
 * (such as the mean absolute deviation) would then flag every school that differs at all, so the
 * indicator is simply not screened for that stage.
 */
export function robustStats(values: readonly number[]): { median: number; mad: number } | null {
  const scratch = new Float64Array(values.length);
  for (let k = 0; k < values.length; k++) scratch[k] = values[k]!;
  return statsInPlace(scratch, values.length, new Float64Array(values.length));
}

/**
 * The same over the first `n` numbers of `buf`, sorting them in place and using `dev` (at least `n`
 * long) for the deviations: the outlier scan reuses two buffers for every indicator and stage
 * instead of allocating arrays for each.
 */
function statsInPlace(buf: Float64Array, n: number, dev: Float64Array): { median: number; mad: number } | null {
  if (n < MIN_SCHOOLS_FOR_Z) return null;
  const sorted = buf.subarray(0, n).sort();
  const median = medianOfSorted(sorted);
  const deviations = dev.subarray(0, n);
  for (let k = 0; k < n; k++) deviations[k] = Math.abs(sorted[k]! - median);
  const mad = medianOfSorted(deviations.sort());
  return mad > 0 && Number.isFinite(mad) ? { median, mad } : null;
}

/** The robust z-score 0.6745 (x − median) ÷ MAD. */
export function robustZ(value: number, stats: { median: number; mad: number }): number {
  return (MAD_SCALE * (value - stats.median)) / stats.mad;
}

/** Percentage change from `previous` to `value`, or `null` when the previous value is 0 (no base to compare with). */
export function changePct(value: number, previous: number): number | null {
  if (previous === 0) return null;
  return ((value - previous) / Math.abs(previous)) * 100;
}

/** One validated submission as the outlier checks see it. */
export interface OutlierSubject {
  readonly school: string;
  readonly stage?: Stage;
  readonly file?: string;
  readonly sheet: string;
  readonly values: Readonly<Record<string, Value>>;
  readonly cells: Readonly<Record<string, string>>;
}

/** An issue for the subject at index `at`. */
export interface LocatedIssue {
  readonly at: number;
  readonly issue: Issue;
}

const NUMERIC = new Set<Indicator['type']>(['integer', 'decimal', 'percent', 'fraction']);

function where(s: OutlierSubject, code: string): Pick<Issue, 'school' | 'file' | 'sheet' | 'cell' | 'subject'> {
  const cell = s.cells[code];
  return { school: s.school, ...(s.file !== undefined ? { file: s.file } : {}), sheet: s.sheet, ...(cell !== undefined ? { cell } : {}), subject: code };
}

/**
 * `outlier.robust_z` warnings: for each numeric indicator and each stage (schools without a known
 * stage form one group), values whose robust z-score exceeds `threshold` in absolute value.
 */
export function robustOutliers(subjects: readonly OutlierSubject[], indicators: readonly Indicator[], threshold: number): LocatedIssue[] {
  const out: LocatedIssue[] = [];
  const groups = new Map<string, number[]>();
  subjects.forEach((s, i) => {
    const key = s.stage ?? '';
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(i);
  });
  // One set of buffers for every indicator and stage: values in school order, a copy sorted for the median, deviations.
  const size = Math.max(0, ...[...groups.values()].map((g) => g.length));
  const values = new Float64Array(size);
  const sortable = new Float64Array(size);
  const deviations = new Float64Array(size);
  const members = new Int32Array(size);
  for (const ind of indicators) {
    if (!NUMERIC.has(ind.type)) continue;
    const code = ind.code;
    for (const [stage, group] of groups) {
      let n = 0;
      for (const i of group) {
        const v = subjects[i]!.values[code];
        if (typeof v === 'number') {
          values[n] = v;
          members[n] = i;
          n++;
        }
      }
      if (n < MIN_SCHOOLS_FOR_Z) continue;
      sortable.set(values.subarray(0, n));
      const stats = statsInPlace(sortable, n, deviations);
      if (!stats) continue;
      for (let k = 0; k < n; k++) {
        const z = robustZ(values[k]!, stats);
        if (Math.abs(z) <= threshold) continue;
        const at = members[k]!;
        out.push({
          at,
          issue: {
            code: 'outlier.robust_z',
            severity: 'warning',
            ...where(subjects[at]!, ind.code),
            params: { code: ind.code, label: ind.label.zh, value: values[k]!, median: stats.median, z: roundHalfAway(z, 2), stage },
          },
        });
      }
    }
  }
  out.sort((a, b) => a.at - b.at);
  return out;
}

/**
 * `outlier.period_change` warnings: values that changed by more than `thresholdPct` percent since
 * the previous period (by school code and indicator code). A previous value of 0 is not compared.
 */
export function periodChanges(
  subjects: readonly OutlierSubject[],
  indicators: readonly Indicator[],
  previous: Readonly<Record<string, Readonly<Record<string, number | null>>>>,
  thresholdPct: number,
): LocatedIssue[] {
  const out: LocatedIssue[] = [];
  subjects.forEach((s, at) => {
    if (!Object.prototype.hasOwnProperty.call(previous, s.school)) return;
    const before = previous[s.school];
    if (!before) return;
    for (const ind of indicators) {
      if (!NUMERIC.has(ind.type)) continue;
      const v = s.values[ind.code];
      const p = before[ind.code];
      if (typeof v !== 'number' || typeof p !== 'number') continue;
      const pct = changePct(v, p);
      if (pct === null || Math.abs(pct) <= thresholdPct) continue;
      out.push({
        at,
        issue: { code: 'outlier.period_change', severity: 'warning', ...where(s, ind.code), params: { code: ind.code, label: ind.label.zh, value: v, previous: p, changePct: roundHalfAway(pct, 1), change: roundHalfAway(pct, 1) } },
      });
    }
  });
  return out;
}
