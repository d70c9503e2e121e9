/**
 * Consolidation: the validated schools added up into stage and township subtotals and the district
 * total. Indicators add up by their own aggregation; rates are Σ numerator ÷ Σ denominator × factor
 * at every level (never a mean of rates), over the schools where both sides are known; values keep
 * full precision (rounding is for display). Dispersions and completeness complete the model.
 */
import { compileDefinitions, rateValue } from './compile';
import { computeDispersions } from './dispersion';
import { assessEquity } from './equity';
import { numericTable } from './outliers';
import {
  STAGES,
  type Completeness,
  type ConsolidateOptions,
  type Consolidation,
  type Definitions,
  type GroupTotal,
  type Indicator,
  type Issue,
  type RateValue,
  type School,
  type SchoolResult,
  type ValidationResult,
} from './types';
import { record } from './record';

const NUMERIC = new Set<Indicator['type']>(['integer', 'decimal', 'percent', 'fraction']);

/** One numeric indicator over the schools being added up, read once: school k's value and whether it has a number. */
interface Column {
  readonly aggregation: Indicator['aggregation'];
  readonly value: Float64Array;
  readonly present: Uint8Array;
}

/**
 * Every indicator that adds up, as a column over `schools` (`null` for `none` and text). Reading each
 * school's values once, school by school, and adding groups up from the columns is several times
 * faster than looking every value up again for its stage, its township and the district.
 */
function readColumns(indicators: readonly Indicator[], schools: readonly SchoolResult[]): (Column | null)[] {
  const adding = indicators.map((ind) => ind.aggregation !== 'none' && NUMERIC.has(ind.type));
  // School values are keyed by code: indicators sharing a code (definitions that repeat one) share its column.
  const codes = [...new Set(indicators.filter((_, i) => adding[i]).map((ind) => ind.code))];
  const columnOf = new Map(codes.map((c, j) => [c, j]));
  const { numbers, has } = numericTable(schools, codes);
  const n = schools.length;
  return indicators.map((ind, i): Column | null => {
    if (!adding[i]) return null;
    const at = columnOf.get(ind.code)! * n;
    return { aggregation: ind.aggregation, value: numbers.subarray(at, at + n), present: has.subarray(at, at + n) };
  });
}

/** A column over the schools at `members` (in that order) by its aggregation; `null` when none has a number. */
function aggregateColumn(column: Column, members: readonly number[]): number | null {
  const { aggregation, value, present } = column;
  // One plain loop per aggregation: it runs for every indicator of every group, mostly before the
  // engine has optimised it, where an index loop without a branch per school costs least.
  const count = members.length;
  let n = 0;
  let acc = 0;
  if (aggregation === 'min' || aggregation === 'max') {
    const min = aggregation === 'min';
    for (let i = 0; i < count; i++) {
      const k = members[i]!;
      if (present[k] === 0) continue;
      const v = value[k]!;
      acc = n === 0 ? v : min ? Math.min(acc, v) : Math.max(acc, v);
      n++;
    }
  } else {
    for (let i = 0; i < count; i++) {
      const k = members[i]!;
      if (present[k] === 0) continue;
      acc += value[k]!;
      n++;
    }
  }
  if (n === 0) return null;
  return aggregation === 'mean' ? acc / n : acc;
}

/** One indicator over a group of schools by its aggregation; `null` for `none`, text, or when no school has a number. */
export function aggregateIndicator(indicator: Indicator, schools: readonly SchoolResult[]): number | null {
  const [column] = readColumns([indicator], schools);
  return column ? aggregateColumn(column, schools.map((_, k) => k)) : null;
}

/** The rates of a group: each side summed over the schools where both sides are known. */
export function groupRates(defs: Definitions, schools: readonly SchoolResult[]): Record<string, RateValue> {
  const out = record<RateValue>();
  for (const { rate } of compileDefinitions(defs).rates) {
    let num = 0;
    let den = 0;
    let n = 0;
    for (let k = 0; k < schools.length; k++) {
      const r = schools[k]!.rates[rate.code];
      if (!r || r.numerator === null || r.denominator === null) continue;
      num += r.numerator;
      den += r.denominator;
      n++;
    }
    out[rate.code] = n === 0 ? rateValue(rate, null, null) : rateValue(rate, num, den);
  }
  return out;
}

/** The total of the schools at `members` (indexes into `schools` and the columns read from them). */
function groupTotal(kind: GroupTotal['kind'], key: string, members: readonly number[], schools: readonly SchoolResult[], columns: readonly (Column | null)[], defs: Definitions): GroupTotal {
  const values = record<number | null>();
  defs.indicators.forEach((ind, i) => {
    const column = columns[i];
    values[ind.code] = column ? aggregateColumn(column, members) : null;
  });
  return { kind, key, schoolCount: members.length, values, rates: groupRates(defs, members.map((k) => schools[k]!)) };
}

/** Orders school results as the model does: roster order, then code; ties keep their order. */
export function sortSchools(schools: readonly SchoolResult[], roster: readonly School[]): SchoolResult[] {
  const rank = new Map<string, number>();
  roster.forEach((s, i) => {
    if (!rank.has(s.code)) rank.set(s.code, i);
  });
  const big = Number.MAX_SAFE_INTEGER;
  // Each school's rank looked up once, not in every comparison.
  return schools
    .map((s, i) => ({ s, i, r: rank.get(s.code) ?? big }))
    .sort((a, b) => a.r - b.r || (a.s.code < b.s.code ? -1 : a.s.code > b.s.code ? 1 : 0) || a.i - b.i)
    .map((x) => x.s);
}

/** Submitted ÷ expected against the roster; without a roster nothing is expected and the ratio is `null`. */
export function completeness(schools: readonly SchoolResult[], roster: readonly School[]): Completeness {
  const codes = new Set(schools.map((s) => s.code));
  const inRoster = new Set(roster.map((s) => s.code));
  const expected = inRoster.size;
  let submitted = 0;
  for (const c of inRoster) if (codes.has(c)) submitted++;
  const missing: School[] = [];
  const listed = new Set<string>();
  for (const s of roster) {
    if (codes.has(s.code) || listed.has(s.code)) continue;
    listed.add(s.code);
    missing.push(s);
  }
  const unknown = expected === 0 ? [] : [...new Set(schools.map((s) => s.code).filter((c) => !inRoster.has(c)))];
  return { expected, submitted, ratio: expected === 0 ? null : submitted / expected, missing, unknown };
}

/**
 * Adds the validated schools up. A school with errors is left out of every total (and a
 * `school.excluded` info issue says so) unless `includeSchoolsWithErrors`; duplicates are always left out.
 * Groups: stages in the usual order, then townships in roster order, as `groupBy` asks (default both).
 */
export function consolidate(validation: ValidationResult, defs: Definitions, options: ConsolidateOptions = {}): Consolidation {
  const includeErrors = options.includeSchoolsWithErrors === true;
  const groupBy = options.groupBy ?? ['stage', 'township'];
  const excludedIssues: Issue[] = [];
  const schools = sortSchools(validation.schools, defs.roster).map((s): SchoolResult => {
    const included = s.included && (includeErrors || s.errors === 0);
    if (s.included && !included) {
      excludedIssues.push({
        code: 'school.excluded',
        severity: 'info',
        school: s.code,
        ...(s.file !== undefined ? { file: s.file } : {}),
        sheet: s.sheet,
        params: { code: s.code, name: s.name, errors: s.errors },
      });
    }
    return included === s.included ? s : { ...s, included };
  });
  const members = schools.filter((s) => s.included);
  const columns = readColumns(defs.indicators, members);
  const all = members.map((_, k) => k);
  const pick = (test: (s: SchoolResult) => boolean): number[] => all.filter((k) => test(members[k]!));

  const groups: GroupTotal[] = [];
  if (groupBy.includes('stage')) {
    for (const stage of STAGES) {
      const of = pick((s) => s.stage === stage);
      if (of.length > 0) groups.push(groupTotal('stage', stage, of, members, columns, defs));
    }
  }
  if (groupBy.includes('township')) {
    // In roster order, whichever of a township's schools are left out; members bucketed once, so a
    // province of thousands of townships stays linear.
    const towns = new Set<string>();
    for (const s of defs.roster) if (s.township !== undefined && s.township !== '') towns.add(s.township);
    const byTown = new Map<string, number[]>();
    members.forEach((s, k) => {
      if (s.township === undefined || s.township === '') return;
      towns.add(s.township);
      const list = byTown.get(s.township);
      if (list === undefined) byTown.set(s.township, [k]);
      else list.push(k);
    });
    for (const town of towns) {
      const of = byTown.get(town);
      if (of !== undefined) groups.push(groupTotal('township', town, of, members, columns, defs));
    }
  }

  return {
    title: defs.title,
    ...(defs.period !== undefined ? { period: defs.period } : {}),
    schools,
    groups,
    district: groupTotal('district', 'district', all, members, columns, defs),
    dispersions: computeDispersions(members, defs),
    equity: assessEquity(members, defs),
    completeness: completeness(schools, defs.roster),
    issues: [...validation.issues, ...excludedIssues],
  };
}
