/**
 * Consolidation: the validated schools added up into stage and township subtotals and the district
 * total. Indicators add up by their own aggregation; rates are Σ numerator ÷ Σ denominator × factor
 * at every level (never a mean of rates), over the schools where both sides are known; values keep
 * full precision (rounding is for display). Dispersions and completeness complete the model.
 */
import { compileDefinitions, parsed, rateValue } from './compile';
import { referencedCodes } from './expr';
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
  type IssueCode,
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
 * The indicator codes some output reads: those that add up into the totals, and every code a rate,
 * a dispersion, a 均衡 standard or the stage split refers to. A school's own rate cell (which Huizong
 * recomputes) and values nothing reads are not among them.
 */
export function figuresUsed(defs: Definitions): Set<string> {
  const used = new Set<string>();
  for (const ind of defs.indicators) if (ind.aggregation !== 'none' && NUMERIC.has(ind.type)) used.add(ind.code);
  const refer = (source: string | undefined): void => {
    const e = source === undefined ? null : parsed(source);
    if (e !== null) for (const code of referencedCodes(e)) used.add(code);
  };
  for (const r of defs.rates) {
    refer(r.numerator);
    refer(r.denominator);
  }
  for (const d of defs.dispersions) {
    refer(d.value);
    refer(d.weight);
  }
  for (const st of defs.standards ?? []) {
    refer(st.weight);
    refer(st.weights?.小学);
    refer(st.weights?.初中);
    for (const ind of st.indicators) refer(ind.value);
  }
  for (const code of Object.values(defs.stageStudents ?? {})) if (code !== undefined) used.add(code);
  return used;
}

/**
 * Whether an error keeps its school out of the totals: it does when it touches a figure an output
 * reads (a value, or a rule over such values) or the school itself (unknown code, unreadable
 * sheet); an error in a cell nothing reads — the school's own rate cell — stays an error in the
 * report and leaves the school in.
 */
function blocksTotals(issue: Issue, used: ReadonlySet<string>, ruleCodes: ReadonlyMap<string, readonly string[]>): boolean {
  if (issue.severity !== 'error') return false;
  if (issue.code.startsWith('value.') && issue.subject !== undefined) return used.has(issue.subject);
  if ((issue.code === 'rule.failed' || issue.code === 'rule.eval_error') && issue.subject !== undefined) {
    const codes = ruleCodes.get(issue.subject);
    if (codes !== undefined) return codes.some((c) => used.has(c));
  }
  return true;
}

/** A school sheet left out of the totals and why: errors in figures the totals use, or a second copy of a school's sheet. */
export interface Exclusion {
  readonly school: string;
  readonly name: string;
  readonly file?: string;
  readonly sheet: string;
  readonly reason: 'errors' | 'duplicate';
  /** The errors that keep it out (for `errors`), by issue code, in order of first appearance. */
  readonly kinds: readonly IssueCode[];
  readonly errors: number;
}

/**
 * Every school left out of the totals, with its reason: first the schools (`errors`), then the
 * second copies of schools that sent twice (`duplicate`: a file, not a school, the school itself
 * counted from its other copy).
 */
export function exclusions(c: Pick<Consolidation, 'schools' | 'issues'>): Exclusion[] {
  const out: Exclusion[] = [];
  const byKey = new Map(c.schools.map((s) => [`${s.file ?? ''}\u0000${s.sheet}`, s]));
  for (const issue of c.issues) {
    if (issue.code !== 'school.excluded') continue;
    const s = byKey.get(`${issue.file ?? ''}\u0000${issue.sheet ?? ''}`);
    const kinds = String(issue.params.kinds ?? '')
      .split(',')
      .filter((k) => k !== '') as IssueCode[];
    out.push({
      school: String(issue.params.code ?? issue.school ?? ''),
      name: String(issue.params.name ?? s?.name ?? ''),
      ...(issue.file !== undefined ? { file: issue.file } : {}),
      sheet: issue.sheet ?? s?.sheet ?? '',
      reason: 'errors',
      kinds,
      errors: Number(issue.params.errors ?? 0),
    });
  }
  for (const issue of c.issues) {
    if (issue.code !== 'school.duplicate') continue;
    out.push({
      school: issue.school ?? String(issue.params.code ?? ''),
      name: byKey.get(`${issue.file ?? ''}\u0000${issue.sheet ?? ''}`)?.name ?? '',
      ...(issue.file !== undefined ? { file: issue.file } : {}),
      sheet: issue.sheet ?? '',
      reason: 'duplicate',
      kinds: [],
      errors: 0,
    });
  }
  return out;
}

/**
 * Adds the validated schools up. A school with an error in a figure the totals use is left out of
 * every total (and a `school.excluded` info issue says so, with the kinds of those errors) unless
 * `includeSchoolsWithErrors`; duplicates are always left out.
 * Groups: stages in the usual order, then townships in roster order, as `groupBy` asks (default both).
 */
export function consolidate(validation: ValidationResult, defs: Definitions, options: ConsolidateOptions = {}): Consolidation {
  const includeErrors = options.includeSchoolsWithErrors === true;
  const groupBy = options.groupBy ?? ['stage', 'township'];
  const excludedIssues: Issue[] = [];
  // The errors that keep each school sheet out, by its book and sheet.
  const used = figuresUsed(defs);
  const ruleCodes = new Map(compileDefinitions(defs).rules.map((r) => [r.rule.id, r.refs]));
  const blocking = new Map<string, IssueCode[]>();
  for (const issue of validation.issues) {
    if (!blocksTotals(issue, used, ruleCodes)) continue;
    const k = `${issue.file ?? ''}\u0000${issue.sheet ?? ''}`;
    const list = blocking.get(k);
    if (list === undefined) blocking.set(k, [issue.code]);
    else list.push(issue.code);
  }
  const schools = sortSchools(validation.schools, defs.roster).map((s): SchoolResult => {
    const blockers = s.errors === 0 ? [] : (blocking.get(`${s.file ?? ''}\u0000${s.sheet}`) ?? []);
    const included = s.included && (includeErrors || blockers.length === 0);
    if (s.included && !included) {
      excludedIssues.push({
        code: 'school.excluded',
        severity: 'info',
        school: s.code,
        ...(s.file !== undefined ? { file: s.file } : {}),
        sheet: s.sheet,
        params: { code: s.code, name: s.name, errors: blockers.length, kinds: [...new Set(blockers)].join(',') },
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
    ...(defs.district !== undefined ? { districtName: defs.district } : {}),
    schools,
    groups,
    district: groupTotal('district', 'district', all, members, columns, defs),
    dispersions: computeDispersions(members, defs),
    equity: assessEquity(members, defs),
    completeness: completeness(schools, defs.roster),
    issues: [...validation.issues, ...excludedIssues],
  };
}
