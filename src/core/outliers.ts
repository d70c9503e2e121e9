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
  const n = values.length;
  const buf = new Float64Array(n);
  let plain = true;
  for (let k = 0; k < n; k++) {
    const v = values[k]!;
    buf[k] = v;
    if (!isPlain(v)) plain = false;
  }
  return statsInPlace(buf, n, plain);
}

/**
 * False for NaN and −0, the two numbers a comparison cannot place as a sort does (NaN last, −0 before
 * +0); a sample holding either takes the sorting path so that its results stay exactly the same.
 */
function isPlain(v: number): boolean {
  return v === 0 ? 1 / v > 0 : v === v;
}

/**
 * `robustStats` over the first `n` numbers of `buf`, reordering them in place: the outlier scan reuses
 * one buffer for every indicator and stage. `plain` says that none of them is NaN or −0; then the
 * medians are found by selection, in linear time on average, instead of by sorting.
 */
function statsInPlace(buf: Float64Array, n: number, plain: boolean): { median: number; mad: number } | null {
  if (n < MIN_SCHOOLS_FOR_Z) return null;
  if (!plain) return sortedStats(buf, n);
  const median = medianInPlace(buf, n);
  // An infinite median leaves only infinite or NaN deviations, hence no finite MAD: the sort gives null too.
  if (!Number.isFinite(median)) return null;
  // The deviations overwrite the values (their order no longer matters); none is NaN or −0.
  for (let k = 0; k < n; k++) buf[k] = Math.abs(buf[k]! - median);
  const mad = medianInPlace(buf, n);
  return mad > 0 && Number.isFinite(mad) ? { median, mad } : null;
}

/** The median and MAD by sorting, which orders NaN and −0 the way the definition of the median here expects. */
function sortedStats(buf: Float64Array, n: number): { median: number; mad: number } | null {
  const sorted = buf.subarray(0, n).sort();
  const median = medianOfSorted(sorted);
  const deviations = new Float64Array(n);
  for (let k = 0; k < n; k++) deviations[k] = Math.abs(sorted[k]! - median);
  const mad = medianOfSorted(deviations.sort());
  return mad > 0 && Number.isFinite(mad) ? { median, mad } : null;
}

/**
 * The median of the first `n` (> 0) numbers of `a`, none NaN, as `medianOfSorted` would give it after
 * sorting them: the middle one, or the mean of the two middle ones. Reorders them.
 */
function medianInPlace(a: Float64Array, n: number): number {
  const mid = n >> 1;
  const upper = selectInPlace(a, n, mid);
  if (n % 2 === 1) return upper;
  // Selection leaves the `mid` smallest numbers before position `mid`: the lower middle one is their largest.
  let lower = a[0]!;
  for (let k = 1; k < mid; k++) if (a[k]! > lower) lower = a[k]!;
  return (lower + upper) / 2;
}

/**
 * The `k`-th smallest (from 0) of the first `n` numbers of `a`, none NaN, by quickselect (Hoare
 * partitions around a median of three). Afterwards `a[k]` holds it, with no larger number before it and
 * no smaller one after it.
 */
function selectInPlace(a: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    // The median of the first, middle and last numbers as pivot, so that sorted input takes linear time too.
    const x0 = a[lo]!;
    const x1 = a[(lo + hi) >> 1]!;
    const x2 = a[hi]!;
    const pivot = x0 < x1 ? (x1 < x2 ? x1 : x0 < x2 ? x2 : x0) : x0 < x2 ? x0 : x1 < x2 ? x2 : x1;
    let i = lo;
    let j = hi;
    // The pivot is among a[lo..hi], so both scans stop inside the range; numbers equal to it may go either way.
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (pivot < a[j]!) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    // Now a[lo..j] ≤ pivot ≤ a[i..hi], and anything between j and i equals the pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k]!;
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
  const numeric = indicators.filter((ind) => NUMERIC.has(ind.type));
  const codes = [...new Set(numeric.map((ind) => ind.code))];
  const columnOf = new Map(codes.map((c, j) => [c, j]));
  const { numbers, has } = numericTable(subjects, codes);
  // One set of buffers for every indicator and stage: values in school order, their schools, and a copy to reorder.
  const size = Math.max(0, ...[...groups.values()].map((g) => g.length));
  const values = new Float64Array(size);
  const scratch = new Float64Array(size);
  const members = new Int32Array(size);
  for (const ind of numeric) {
    const code = ind.code;
    const base = columnOf.get(code)! * subjects.length;
    for (const [stage, group] of groups) {
      let n = 0;
      let plain = true;
      for (let g = 0; g < group.length; g++) {
        const i = group[g]!;
        if (has[base + i] === 0) continue;
        const v = numbers[base + i]!;
        values[n] = v;
        scratch[n] = v;
        members[n] = i;
        n++;
        if (!isPlain(v)) plain = false;
      }
      if (n < MIN_SCHOOLS_FOR_Z) continue;
      const stats = statsInPlace(scratch, n, plain);
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
            ...where(subjects[at]!, code),
            params: { code, label: ind.label.zh, value: values[k]!, median: stats.median, z: roundHalfAway(z, 2), stage },
          },
        });
      }
    }
  }
  // Stable: a school's findings stay in indicator order.
  out.sort((a, b) => a.at - b.at);
  return out;
}

/**
 * The numbers every subject has for `codes`, column by column (`has` is 0 where the value is not a
 * number). Looking each code up in each subject by name costs a hash lookup every time; instead each
 * subject's keys are walked in order with `for…in`, which V8 turns into loads by position, and matched
 * against the first subject's keys (validation gives every subject the same keys in the same order).
 * Codes missing from those keys, and every code of a subject whose keys differ, are looked up by name.
 */
export function numericTable(subjects: readonly { readonly values: Readonly<Record<string, Value>> }[], codes: readonly string[]): { numbers: Float64Array; has: Uint8Array } {
  const n = subjects.length;
  const numbers = new Float64Array(n * codes.length);
  const has = new Uint8Array(n * codes.length);
  const keys: string[] = [];
  if (n > 0) for (const key in subjects[0]!.values) keys.push(key);
  const columnOf = new Map(codes.map((c, j) => [c, j]));
  const columnOfKey = keys.map((k) => columnOf.get(k) ?? -1);
  const listed = new Set(keys);
  const unlisted = codes.flatMap((c, j) => (listed.has(c) ? [] : [j]));
  const everyColumn = codes.map((_, j) => j);
  for (let i = 0; i < n; i++) {
    const values = subjects[i]!.values;
    let p = 0;
    for (const key in values) {
      if (key !== keys[p]) {
        p = -1;
        break;
      }
      const j = columnOfKey[p++]!;
      if (j < 0) continue;
      const v = values[key];
      if (typeof v === 'number') {
        numbers[j * n + i] = v;
        has[j * n + i] = 1;
      }
    }
    for (const j of p === keys.length ? unlisted : everyColumn) {
      const v = values[codes[j]!];
      const at = j * n + i;
      if (typeof v === 'number') {
        numbers[at] = v;
        has[at] = 1;
      } else has[at] = 0;
    }
  }
  return { numbers, has };
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
  const numeric = indicators.filter((ind) => NUMERIC.has(ind.type));
  for (let at = 0; at < subjects.length; at++) {
    const s = subjects[at]!;
    if (!Object.prototype.hasOwnProperty.call(previous, s.school)) continue;
    const before = previous[s.school];
    if (!before) continue;
    const values = s.values;
    for (const ind of numeric) {
      // The previous value first: most indicators have none, and then the current one need not be looked up.
      const p = before[ind.code];
      if (typeof p !== 'number') continue;
      const v = values[ind.code];
      if (typeof v !== 'number') continue;
      const pct = changePct(v, p);
      if (pct === null || Math.abs(pct) <= thresholdPct) continue;
      out.push({
        at,
        issue: { code: 'outlier.period_change', severity: 'warning', ...where(s, ind.code), params: { code: ind.code, label: ind.label.zh, value: v, previous: p, changePct: roundHalfAway(pct, 1), change: roundHalfAway(pct, 1) } },
      });
    }
  }
  return out;
}
