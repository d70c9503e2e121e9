/**
 * Outliers, reported as warnings: a value far from the other schools of the same stage (robust
 * z-score on the median and the median absolute deviation, Iglewicz–Hoaglin), and a value that
 * changed by more than a given percentage since the previous period.
 */
import { roundHalfAway } from './expr';
import type { Definitions, Indicator, Issue, IssueParams, School, Stage, Value } from './types';

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
  /** 公办/民办 and 城区/农村, where the roster says: peers are schools of the same kind. */
  readonly ownership?: School['ownership'];
  readonly area?: School['area'];
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

/** A value is queried only when it is at least this many times, or at most its inverse, what its peers suggest. */
export const OUTLIER_MIN_FACTOR = 2;
/**
 * The spread (MAD of the logarithms) below which peers count as alike: 5%. Schools that report the same
 * proportion (every pupil eligible for meals) have a MAD of 0, and a value twice theirs still stands out.
 */
const MIN_LOG_MAD = 0.05;

/** Changes (and distances from the peers) of at most this much, by unit, are not news: 2 → 12 students is not. */
const FLOOR_BY_UNIT: Readonly<Record<string, number>> = { 人: 10, 名: 10, 台: 10, 套: 10, 册: 500, 间: 2, 所: 1, 个: 2, 'm²': 100, 平方米: 100, 元: 10000, 万元: 1, '%': 5 };

/** The smallest change of an indicator worth a query: the definitions' own, else a default by its unit and type. */
export function changeFloorOf(ind: Indicator): number {
  if (ind.changeFloor !== undefined) return ind.changeFloor;
  if (isFlag(ind)) return 0;
  const byUnit = FLOOR_BY_UNIT[ind.unit?.trim() ?? ''];
  if (byUnit !== undefined) return byUnit;
  switch (ind.type) {
    case 'percent':
      return 5;
    case 'fraction':
      return 0.05;
    case 'integer':
      return 10;
    default:
      return 0;
  }
}

/** A yes/no indicator (1 or 0): it has no size and no spread to compare. */
function isFlag(ind: Indicator): boolean {
  return ind.type === 'integer' && ind.max !== undefined && ind.max <= 1;
}

/**
 * The indicator that measures a school's size (its students): the 均衡 standards' weight when that is
 * one indicator, else the first required whole-number count that adds up.
 */
export function sizeIndicatorOf(defs: Pick<Definitions, 'indicators' | 'standards'>): string | undefined {
  const codes = new Set(defs.indicators.map((i) => i.code));
  const weight = defs.standards?.find((s) => codes.has(s.weight.trim()))?.weight.trim();
  return weight ?? defs.indicators.find((i) => i.required && i.type === 'integer' && i.aggregation === 'sum' && !isFlag(i))?.code;
}

/** Peer groups from the finest (same stage, ownership and area) to the coarsest (same stage). */
const PEER_LEVELS: readonly ((s: OutlierSubject) => string)[] = [
  (s) => `${s.stage ?? ''}\u0000${s.ownership ?? ''}\u0000${s.area ?? ''}`,
  (s) => `${s.stage ?? ''}\u0000\u0000${s.area ?? ''}`,
  (s) => `${s.stage ?? ''}\u0000${s.ownership ?? ''}\u0000`,
  (s) => `${s.stage ?? ''}\u0000\u0000`,
];

/** What a subject's peers are, as the message names them. */
function peerParams(s: OutlierSubject, level: number): Pick<IssueParams<'outlier.robust_z'>, 'stage' | 'ownership' | 'area'> {
  return {
    ...(s.stage !== undefined ? { stage: s.stage } : {}),
    ...(s.ownership !== undefined && (level === 0 || level === 2) ? { ownership: s.ownership } : {}),
    ...(s.area !== undefined && level <= 1 ? { area: s.area } : {}),
  };
}

/** Up to this many peers the slope is Theil–Sen's (every pair); beyond, Tukey's resistant line (thirds), linear in time. */
const THEIL_SEN_MAX = 60;

/** How peers' values follow their size on a log scale: log value ≈ intercept + slope × log size, and the spread around it. */
interface SizeLine {
  readonly intercept: number;
  readonly slope: number;
  /** The median absolute deviation around the line, at least MIN_LOG_MAD. */
  readonly mad: number;
}

/**
 * A robust line through the peers' (log size, log value): the slope the median of the slopes between
 * every two peers (Theil–Sen) or, among many, Tukey's from the medians of the smallest and the largest
 * third; the intercept the median of what is left. A count that grows with
 * size (books) gets a slope near 1; one with a minimum per school (two guards at a village school)
 * a flatter one. Medians, so the value being judged cannot pull the line toward itself. Without size
 * (a percent) the line is flat at the median.
 */
function resistantLine(members: readonly number[], sizes: Float64Array, logs: Float64Array, scratch: Float64Array, bySize: boolean): SizeLine {
  const m = members.length;
  let slope = 0;
  if (bySize && m <= THEIL_SEN_MAX) {
    // Few peers: the median of the slopes between every two of them (Theil–Sen), robust to a value in any third.
    const slopes: number[] = [];
    for (let p = 0; p < m; p++) {
      for (let q = p + 1; q < m; q++) {
        const dx = sizes[members[q]!]! - sizes[members[p]!]!;
        if (Math.abs(dx) > 0.05) slopes.push((logs[members[q]!]! - logs[members[p]!]!) / dx);
      }
    }
    slope = slopes.length >= m ? Math.min(1.5, Math.max(0, medianOfSorted(slopes.sort((x, y) => x - y)))) : 1;
  } else if (bySize) {
    const order = [...members].sort((a, b) => sizes[a]! - sizes[b]!);
    const third = Math.max(1, Math.floor(m / 3));
    const medianOf = (idx: readonly number[], of: Float64Array): number => {
      for (let k = 0; k < idx.length; k++) scratch[k] = of[idx[k]!]!;
      return medianInPlace(scratch, idx.length);
    };
    const low = order.slice(0, third);
    const high = order.slice(m - third);
    const dx = medianOf(high, sizes) - medianOf(low, sizes);
    // Peers all of one size tell nothing about how the value grows: proportional, as a per-student figure assumes.
    slope = dx > 0.1 ? Math.min(1.5, Math.max(0, (medianOf(high, logs) - medianOf(low, logs)) / dx)) : 1;
  }
  for (let k = 0; k < m; k++) scratch[k] = logs[members[k]!]! - slope * sizes[members[k]!]!;
  const intercept = medianInPlace(scratch, m);
  for (let k = 0; k < m; k++) scratch[k] = Math.abs(logs[members[k]!]! - slope * sizes[members[k]!]! - intercept);
  return { intercept, slope, mad: Math.max(medianInPlace(scratch, m), MIN_LOG_MAD) };
}

/** A finding before it is reported: the subject, the indicator, its value and what its peers suggest. */
interface Finding {
  readonly at: number;
  readonly ind: Indicator;
  readonly value: number;
  readonly expected: number;
  readonly level: number;
  readonly z: number;
}

/**
 * `outlier.robust_z` warnings. Each numeric indicator is compared only where it applies: a blank or a 0
 * (an indicator that is zero by design at a kind of school, such as 营养餐 at urban schools) takes no
 * part. A count that adds up is compared per unit of the school's size (per student), a percent as it
 * is, on a logarithmic scale within the school's peers: the same stage and, where the roster says,
 * the same ownership and area, falling back to coarser peers when fewer than 5 report it. A value is
 * queried when its robust z-score exceeds `threshold`, it is at least twice (or at most half) what its
 * peers suggest for a school of its size, and it is further from that than the indicator's change floor.
 * When most of a school's counts are off the same way, its size is what is wrong: that one cell is queried.
 */
export function robustOutliers(subjects: readonly OutlierSubject[], indicators: readonly Indicator[], threshold: number, size?: string): LocatedIssue[] {
  const n = subjects.length;
  const numeric = indicators.filter((ind) => NUMERIC.has(ind.type) && !isFlag(ind));
  const codes = [...new Set([...numeric.map((ind) => ind.code), ...(size !== undefined ? [size] : [])])];
  const columnOf = new Map(codes.map((c, j) => [c, j]));
  const { numbers, has } = numericTable(subjects, codes);
  const sizeBase = size !== undefined ? columnOf.get(size)! * n : -1;
  // Each level's group of each subject, and each group's members.
  const groupOf = PEER_LEVELS.map((key) => {
    const ids = new Map<string, number>();
    const of = new Int32Array(n);
    subjects.forEach((s, i) => {
      const k = key(s);
      let id = ids.get(k);
      if (id === undefined) ids.set(k, (id = ids.size));
      of[i] = id;
    });
    return { of, count: ids.size };
  });
  const logs = new Float64Array(n);
  const sizes = new Float64Array(n);
  const applies = new Uint8Array(n);
  const scratch = new Float64Array(n);
  const findings: Finding[] = [];
  for (const ind of numeric) {
    if (ind.code === size) continue;
    const base = columnOf.get(ind.code)! * n;
    const perSize = sizeBase >= 0 && ind.aggregation === 'sum' && (ind.type === 'integer' || ind.type === 'decimal');
    for (let i = 0; i < n; i++) {
      applies[i] = 0;
      if (has[base + i] === 0) continue;
      const v = numbers[base + i]!;
      if (!(v > 0) || !Number.isFinite(v)) continue;
      if (perSize) {
        if (has[sizeBase + i] === 0) continue;
        const s = numbers[sizeBase + i]!;
        if (!(s > 0) || !Number.isFinite(s)) continue;
        sizes[i] = Math.log(s);
      } else sizes[i] = 0;
      logs[i] = Math.log(v);
      applies[i] = 1;
    }
    // For each subject, the finest peer group where at least MIN_SCHOOLS_FOR_Z schools report the indicator.
    const counts = groupOf.map((g) => new Int32Array(g.count));
    for (let i = 0; i < n; i++) if (applies[i] === 1) for (let l = 0; l < groupOf.length; l++) counts[l]![groupOf[l]!.of[i]!]!++;
    const lines = new Map<number, SizeLine>();
    const lineOf = (level: number, group: number): SizeLine => {
      const key = level * n + group;
      const hit = lines.get(key);
      if (hit !== undefined) return hit;
      const members: number[] = [];
      const of = groupOf[level]!.of;
      for (let i = 0; i < n; i++) if (applies[i] === 1 && of[i] === group) members.push(i);
      const line = resistantLine(members, sizes, logs, scratch, perSize);
      lines.set(key, line);
      return line;
    };
    const floor = changeFloorOf(ind);
    for (let i = 0; i < n; i++) {
      if (applies[i] === 0) continue;
      let level = 0;
      while (level < groupOf.length && counts[level]![groupOf[level]!.of[i]!]! < MIN_SCHOOLS_FOR_Z) level++;
      if (level === groupOf.length) continue;
      const line = lineOf(level, groupOf[level]!.of[i]!);
      const fitted = line.intercept + line.slope * sizes[i]!;
      const z = (MAD_SCALE * (logs[i]! - fitted)) / line.mad;
      if (Math.abs(z) <= threshold || Math.abs(logs[i]! - fitted) < Math.log(OUTLIER_MIN_FACTOR)) continue;
      const v = numbers[base + i]!;
      const expected = Math.exp(fitted);
      if (Math.abs(v - expected) <= floor) continue;
      findings.push({ at: i, ind, value: v, expected, level, z });
    }
  }
  return report(findings, subjects, indicators, size, numbers, sizeBase, threshold);
}

/** The findings as issues, a school's findings in indicator order; a school whose counts are mostly off one way gets one query on its size instead. */
function report(
  findings: readonly Finding[],
  subjects: readonly OutlierSubject[],
  indicators: readonly Indicator[],
  size: string | undefined,
  numbers: Float64Array,
  sizeBase: number,
  threshold: number,
): LocatedIssue[] {
  const bySchool = new Map<number, Finding[]>();
  for (const f of findings) {
    const list = bySchool.get(f.at);
    if (list === undefined) bySchool.set(f.at, [f]);
    else list.push(f);
  }
  const sizeInd = size !== undefined ? indicators.find((i) => i.code === size) : undefined;
  const out: LocatedIssue[] = [];
  for (const [at, list] of [...bySchool].sort((a, b) => a[0] - b[0])) {
    const s = subjects[at]!;
    const perSize = list.filter((f) => f.ind.aggregation === 'sum' && f.ind.type !== 'percent' && f.ind.type !== 'fraction');
    const below = perSize.filter((f) => f.value < f.expected).length;
    const oneWay = Math.max(below, perSize.length - below);
    if (sizeInd !== undefined && sizeBase >= 0 && perSize.length >= 3 && oneWay >= 0.75 * perSize.length) {
      // Every count per student off by the same factor: the student count is the wrong one.
      const ratios = perSize.map((f) => f.expected / f.value).sort((a, b) => a - b);
      const current = numbers[sizeBase + at]!;
      const suggested = roundHalfAway(current / medianOfSorted(ratios), 0);
      out.push({
        at,
        issue: {
          code: 'outlier.robust_z',
          severity: 'warning',
          ...where(s, sizeInd.code),
          params: {
            code: sizeInd.code,
            label: sizeInd.label.zh,
            label_en: sizeInd.label.en,
            value: current,
            expected: suggested,
            others: perSize.length,
            size_check: true,
            ...peerParams(s, Math.max(...perSize.map((f) => f.level))),
            z: threshold,
          },
        },
      });
      for (const f of list) if (!perSize.includes(f)) out.push(issueOf(f, s, sizeInd));
      continue;
    }
    for (const f of list) out.push(issueOf(f, s, sizeInd));
  }
  return out;
}

function issueOf(f: Finding, s: OutlierSubject, sizeInd: Indicator | undefined): LocatedIssue {
  const perSize = sizeInd !== undefined && f.ind.aggregation === 'sum' && (f.ind.type === 'integer' || f.ind.type === 'decimal');
  // Shown as a clerk would say it: whole numbers for counts and large amounts, a factor to one decimal below 10.
  const digits = f.ind.type === 'integer' || Math.abs(f.expected) >= 100 ? 0 : 2;
  const factor = f.value >= f.expected ? f.value / f.expected : f.expected / f.value;
  return {
    at: f.at,
    issue: {
      code: 'outlier.robust_z',
      severity: 'warning',
      ...where(s, f.ind.code),
      params: {
        code: f.ind.code,
        label: f.ind.label.zh,
        label_en: f.ind.label.en,
        value: f.value,
        expected: roundHalfAway(f.expected, digits),
        factor: roundHalfAway(factor, factor >= 10 ? 0 : 1),
        ...(perSize ? { size_label: sizeInd.label.zh, size_label_en: sizeInd.label.en, size: s.values[sizeInd.code] as number } : {}),
        ...peerParams(s, f.level),
        z: roundHalfAway(f.z, 2),
      },
    },
  };
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
 * the previous period (by school code and indicator code) and by more than the indicator's change
 * floor (`changeFloorOf`). A previous value of 0 is not compared.
 */
export function periodChanges(
  subjects: readonly OutlierSubject[],
  indicators: readonly Indicator[],
  previous: Readonly<Record<string, Readonly<Record<string, number | null>>>>,
  thresholdPct: number,
  /** Values a rule of the definitions already compared with last period (`PREV()`): not queried twice. */
  skip?: (at: number, code: string) => boolean,
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
      if (pct === null || Math.abs(pct) <= thresholdPct || Math.abs(v - p) <= changeFloorOf(ind)) continue;
      if (skip?.(at, ind.code) === true) continue;
      out.push({
        at,
        issue: {
          code: 'outlier.period_change',
          severity: 'warning',
          ...where(s, ind.code),
          params: { code: ind.code, label: ind.label.zh, label_en: ind.label.en, value: v, previous: p, changePct: roundHalfAway(pct, 1), change: roundHalfAway(pct, 1), delta: Number((v - p).toPrecision(12)) },
        },
      });
    }
  }
  return out;
}
