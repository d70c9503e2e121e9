/**
 * Consolidation: the validated schools added up into stage and township subtotals and the district
 * total. Indicators add up by their own aggregation; rates are Σ numerator ÷ Σ denominator × factor
 * at every level (never a mean of rates), over the schools where both sides are known; values keep
 * full precision (rounding is for display). Dispersions and completeness complete the model.
 */
import { compileDefinitions, rateValue } from './compile';
import { computeDispersions } from './dispersion';
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

const NUMERIC = new Set<Indicator['type']>(['integer', 'decimal', 'percent', 'fraction']);

/** One indicator over a group of schools by its aggregation; `null` for `none`, text, or when no school has a number. */
export function aggregateIndicator(indicator: Indicator, schools: readonly SchoolResult[]): number | null {
  if (indicator.aggregation === 'none' || !NUMERIC.has(indicator.type)) return null;
  let n = 0;
  let acc = 0;
  for (const s of schools) {
    const v = s.values[indicator.code];
    if (typeof v !== 'number') continue;
    if (n === 0) acc = v;
    else if (indicator.aggregation === 'min') acc = Math.min(acc, v);
    else if (indicator.aggregation === 'max') acc = Math.max(acc, v);
    else acc += v;
    n++;
  }
  if (n === 0) return null;
  return indicator.aggregation === 'mean' ? acc / n : acc;
}

/** The rates of a group: each side summed over the schools where both sides are known. */
export function groupRates(defs: Definitions, schools: readonly SchoolResult[]): Record<string, RateValue> {
  const out: Record<string, RateValue> = {};
  for (const { rate } of compileDefinitions(defs).rates) {
    let num = 0;
    let den = 0;
    let n = 0;
    for (const s of schools) {
      const r = s.rates[rate.code];
      if (!r || r.numerator === null || r.denominator === null) continue;
      num += r.numerator;
      den += r.denominator;
      n++;
    }
    out[rate.code] = n === 0 ? rateValue(rate, null, null) : rateValue(rate, num, den);
  }
  return out;
}

function groupTotal(kind: GroupTotal['kind'], key: string, schools: readonly SchoolResult[], defs: Definitions): GroupTotal {
  const values: Record<string, number | null> = {};
  for (const ind of defs.indicators) values[ind.code] = aggregateIndicator(ind, schools);
  return { kind, key, schoolCount: schools.length, values, rates: groupRates(defs, schools) };
}

/** Orders school results as the model does: roster order, then code; ties keep their order. */
export function sortSchools(schools: readonly SchoolResult[], roster: readonly School[]): SchoolResult[] {
  const rank = new Map<string, number>();
  roster.forEach((s, i) => {
    if (!rank.has(s.code)) rank.set(s.code, i);
  });
  const big = Number.MAX_SAFE_INTEGER;
  return schools
    .map((s, i) => ({ s, i }))
    .sort((a, b) => (rank.get(a.s.code) ?? big) - (rank.get(b.s.code) ?? big) || (a.s.code < b.s.code ? -1 : a.s.code > b.s.code ? 1 : 0) || a.i - b.i)
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

  const groups: GroupTotal[] = [];
  if (groupBy.includes('stage')) {
    for (const stage of STAGES) {
      const of = members.filter((s) => s.stage === stage);
      if (of.length > 0) groups.push(groupTotal('stage', stage, of, defs));
    }
  }
  if (groupBy.includes('township')) {
    const towns: string[] = [];
    for (const s of members) if (s.township !== undefined && s.township !== '' && !towns.includes(s.township)) towns.push(s.township);
    for (const town of towns) groups.push(groupTotal('township', town, members.filter((s) => s.township === town), defs));
  }

  return {
    title: defs.title,
    ...(defs.period !== undefined ? { period: defs.period } : {}),
    schools,
    groups,
    district: groupTotal('district', 'district', members, defs),
    dispersions: computeDispersions(members, defs),
    completeness: completeness(schools, defs.roster),
    issues: [...validation.issues, ...excludedIssues],
  };
}
