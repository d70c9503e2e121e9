/**
 * Validation: every submission's cells parsed and checked against the definitions (types, required,
 * bounds, percent typed as a fraction, rules, stated rates), the schools checked against the roster
 * (unknown, renamed, duplicate, missing), and outliers across schools and against the last period.
 * Every problem is a value in the result, reported once per school; nothing throws for bad data.
 */
import { compileDefinitions, lookupIn, schoolRates, type CompiledDefinitions, type CompiledRule } from './compile';
import { compareNumbers, evaluate, isEvalError, previousKey, roundHalfAway } from './expr';
import { periodChanges, robustOutliers, sizeIndicatorOf, type LocatedIssue, type OutlierSubject } from './outliers';
import { issueOf } from './issues';
import type { Definitions, Indicator, Issue, RateValue, School, SchoolResult, Submission, ValidationResult, Value } from './types';
import { foldFullWidth, parseCellValue, type ParsedValue } from './value';

/** Options of validation. */
export interface ValidateOptions {
  /** The previous period's values by school code and indicator code, for `outlier.period_change`. */
  readonly previous?: Readonly<Record<string, Readonly<Record<string, number | null>>>>;
  /** Robust z-score beyond which a value is an outlier (default 3.5, Iglewicz–Hoaglin). */
  readonly outlierZ?: number;
  /** Change since the previous period, in percent, beyond which a value is queried (default 50). */
  readonly periodChangePct?: number;
  /**
   * Which submission stands when a school sent more than one: the clerk's choice, by file (and sheet).
   * Without one, a submission marked as a correction (更正, 修正…) in its file or sheet name stands, else the later one.
   */
  readonly keep?: readonly KeepChoice[];
}

/** The submission the clerk chose to stand for a school that sent more than one: by its file, and sheet. */
export interface KeepChoice {
  readonly file?: string;
  readonly sheet?: string;
}

/** The largest magnitude a school's value may have (10^15: exact in a double, far beyond any count or area). */
export const MAX_MAGNITUDE = 1e15;

/** A file or sheet name that says it corrects an earlier submission. */
const CORRECTED = /更正|修正|订正|修改版|更新版|corrected|correction|revised/i;

/** A file name that says it is a copy of another (Windows' 副本 and (2), a Mac's copy). */
const COPY = /副本|复件|\bcopy\b|[(（]\d+[)）]\.[^.]+$/i;

/** The name of a file without its folders. */
const baseName = (file: string): string => file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);

/** How a file of a school that sent more than one was judged: why it does not stand, or why none does. */
type DuplicateVerdict =
  /** The same figures as the file that stands: one submission sent twice. */
  | { readonly kind: 'identical'; readonly other: number }
  /** A file marked as a correction, or the clerk's choice, stands in its place. */
  | { readonly kind: 'superseded'; readonly other: number; readonly chosen: boolean }
  /** Its school name contradicts the roster while another file's agrees: another school's code, probably mistyped. */
  | { readonly kind: 'name'; readonly other: number }
  /** Different figures and no clear winner, or no file whose name agrees: none stands until the clerk chooses. */
  | { readonly kind: 'conflict'; readonly others: readonly number[]; readonly names: boolean };

/** Which submission stands for each school code (`null`: none until the clerk chooses), and the verdict on each other one. */
interface Standing {
  readonly stands: ReadonlyMap<string, number | null>;
  readonly verdicts: ReadonlyMap<number, DuplicateVerdict>;
}

/** The parsed figures of a submission, in indicator order, to tell identical copies from different ones. */
function figures(sub: Submission, indicators: readonly Indicator[]): string {
  return JSON.stringify(indicators.map((ind) => {
    const raw = sub.raw[ind.code];
    return raw === undefined ? null : parseCellValue(raw.value, ind.type, raw.numberFormat).value;
  }));
}

/**
 * For each school code, the submission that stands, judged by what the files hold: the clerk's choice
 * first; never a file whose school name contradicts the roster in place of one that agrees; copies
 * with identical figures are one submission; a file marked as a correction (更正, 修正…) supersedes the
 * others. Files with different figures and no such winner are a conflict: none stands until the clerk chooses.
 */
function standingSubmissions(submissions: readonly Submission[], defs: Definitions, roster: ReadonlyMap<string, { school: School }>, keep: ValidateOptions['keep'] = []): Standing {
  const byCode = new Map<string, number[]>();
  submissions.forEach((sub, index) => {
    const code = sub.schoolCode.trim();
    if (code === '') return;
    const list = byCode.get(code);
    if (list === undefined) byCode.set(code, [index]);
    else list.push(index);
  });
  // By the file's whole name: two batch folders may each hold a file of the same name. Where one side is a bare name (the pane's files), by the name alone.
  const bare = (f: string): boolean => !/[\\/]/.test(f);
  const sameFile = (a: string, b: string): boolean => a === b || ((bare(a) || bare(b)) && baseName(a) === baseName(b));
  const kept = (sub: Submission): boolean => keep.some((k) => (k.file === undefined || (sub.file !== undefined && sameFile(sub.file, k.file))) && (k.sheet === undefined || sub.sheet === k.sheet));
  const stands = new Map<string, number | null>();
  const verdicts = new Map<number, DuplicateVerdict>();
  for (const [code, list] of byCode) {
    if (list.length === 1) {
      stands.set(code, list[0]!);
      continue;
    }
    const expected = roster.get(code)?.school.name;
    const contradicts = (i: number): boolean => {
      const name = submissions[i]!.schoolName?.trim() ?? '';
      return expected !== undefined && name !== '' && !sameName(name, expected);
    };
    const marked = (i: number): boolean => CORRECTED.test(`${baseName(submissions[i]!.file ?? '')} ${submissions[i]!.sheet}`);
    const prints = new Map(list.map((i) => [i, figures(submissions[i]!, defs.indicators)]));
    const chosen = list.filter((i) => kept(submissions[i]!));
    const winner = (candidates: readonly number[]): number => (candidates.filter(marked).at(-1) ?? candidates.at(-1))!;
    const settle = (stand: number, byChoice: boolean): void => {
      stands.set(code, stand);
      for (const i of list) {
        if (i === stand) continue;
        if (!byChoice && contradicts(i) && !contradicts(stand)) verdicts.set(i, { kind: 'name', other: stand });
        else if (prints.get(i) === prints.get(stand)) verdicts.set(i, { kind: 'identical', other: stand });
        else verdicts.set(i, { kind: 'superseded', other: stand, chosen: byChoice });
      }
    };
    if (chosen.length > 0) {
      settle(chosen.at(-1)!, true);
      continue;
    }
    const agreeing = list.filter((i) => !contradicts(i));
    if (agreeing.length === 0) {
      stands.set(code, null);
      for (const i of list) verdicts.set(i, { kind: 'conflict', others: list.filter((j) => j !== i), names: true });
      continue;
    }
    const distinct = new Set(agreeing.map((i) => prints.get(i)));
    const corrections = agreeing.filter(marked);
    if (agreeing.length === 1 || distinct.size === 1 || corrections.length > 0) {
      // Copies of one submission: the one not named as a copy stands (whatever the order the files came in); a correction stands over the rest.
      settle(corrections.length > 0 ? winner(corrections) : (agreeing.find((i) => !COPY.test(baseName(submissions[i]!.file ?? ''))) ?? agreeing[0]!), false);
      continue;
    }
    stands.set(code, null);
    for (const i of list) {
      if (contradicts(i)) verdicts.set(i, { kind: 'name', other: agreeing.at(-1)! });
      else verdicts.set(i, { kind: 'conflict', others: agreeing.filter((j) => j !== i), names: false });
    }
  }
  return { stands, verdicts };
}

/** How a file is named in a message: its name without folders, and the sheet when a file holds several forms. */
function fileLabel(sub: Submission): string {
  return sub.file !== undefined ? baseName(sub.file) : sub.sheet;
}

/** The one issue a file of a school that sent more than one gets: a note, a query for the school, or the clerk's conflict to settle. */
function duplicateIssue(w: Work, verdict: DuplicateVerdict, submissions: readonly Submission[], school: School | undefined): Issue {
  const sub = w.sub;
  const at = { ...where(w), ...(sub.schoolCodeCell !== undefined ? { cell: sub.schoolCodeCell } : {}) };
  const base = { code: w.code, file: fileLabel(sub), ...(school !== undefined ? { expected: school.name } : {}) };
  switch (verdict.kind) {
    case 'identical':
      return { code: 'school.duplicate_identical', severity: 'info', ...at, params: { ...base, other: fileLabel(submissions[verdict.other]!) } };
    case 'superseded':
      return { code: 'school.duplicate_superseded', severity: 'info', ...at, params: { ...base, other: fileLabel(submissions[verdict.other]!), chosen: verdict.chosen } };
    case 'name':
      return {
        code: 'school.name_mismatch',
        severity: 'warning',
        ...at,
        params: { ...base, name: sub.schoolName?.trim() ?? '', other: fileLabel(submissions[verdict.other]!) },
      };
    case 'conflict':
      return {
        code: 'school.duplicate',
        severity: 'error',
        ...at,
        params: { ...base, others: verdict.others.map((i) => fileLabel(submissions[i]!)).join('、'), count: verdict.others.length + 1, names: verdict.names },
      };
  }
}

/** Default robust z-score threshold. */
export const DEFAULT_OUTLIER_Z = 3.5;
/** Default period-change threshold, in percent. */
export const DEFAULT_PERIOD_CHANGE_PCT = 50;

/** One submission as it goes through validation. */
interface Work {
  readonly index: number;
  readonly sub: Submission;
  readonly code: string;
  readonly rosterIndex: number;
  readonly school: School | undefined;
  /** Whether this submission stands for its school (not a duplicate set aside, nor one of a conflict). */
  readonly stands: boolean;
  /** Why this file does not stand, when its school sent more than one. */
  readonly verdict: DuplicateVerdict | undefined;
  readonly values: Record<string, Value>;
  readonly cells: Record<string, string>;
  /** Indicators whose cell already has a problem (parse error, bound), so later checks stay quiet on them. */
  readonly flagged: Set<string>;
  readonly issues: Issue[];
  rates: Record<string, RateValue>;
  /** The values as rules read them: missing as missing, or missing as 0 (made once per school, not per rule). */
  readonly lookup: (code: string) => number | null;
  readonly lookupOrZero: (code: string) => number;
  /** The school's values last period, when loaded: what `PREV(X)` reads. */
  readonly previous: Readonly<Record<string, number | null>> | undefined;
  /** Indicators a rule already compared with last period and reported: the blanket period check leaves them be. */
  readonly comparedWithPrevious: Set<string>;
}

type Where = Pick<Issue, 'school' | 'file' | 'sheet' | 'cell' | 'subject'>;

function where(w: Work, subject?: string, cellOf?: string): Where {
  const cell = cellOf !== undefined ? w.cells[cellOf] : undefined;
  return {
    school: w.code,
    ...(w.sub.file !== undefined ? { file: w.sub.file } : {}),
    sheet: w.sub.sheet,
    ...(cell !== undefined ? { cell } : {}),
    ...(subject !== undefined ? { subject } : {}),
  };
}

/** Names compared without spaces and with full-width brackets folded: 第一小学（东校区） equals 第一小学 (东校区). */
function sameName(a: string, b: string): boolean {
  if (a === b) return true;
  const norm = (s: string): string =>
    foldFullWidth(s)
      .replace(/[\s\u00a0]+/g, '')
      .replace(/（/g, '(')
      .replace(/）/g, ')');
  return norm(a) === norm(b);
}

/** Number of decimals a number shows, e.g. 88.84 → 2, 89 → 0. */
function decimalsOf(x: number): number {
  const s = String(Number(x.toPrecision(15)));
  if (s.includes('e')) return 15;
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

function plain(n: number): number {
  return Number(n.toPrecision(15));
}

/** How `PREV(X)` asks the lookup for X's last-period value (see `previousKey`). */
const PREV_SUFFIX = previousKey('');

const NUMERIC_TYPES = new Set<Indicator['type']>(['integer', 'decimal', 'percent', 'fraction']);
const NO_ORIGINAL: { original?: string } = {};

/** Reports a value that breaks one of its indicator's own bounds or types. */
function fail(
  w: Work,
  ind: Indicator,
  value: number,
  original: { original?: string },
  code: 'value.not_integer' | 'value.below_min' | 'value.above_max' | 'rate.above_100' | 'value.fraction_as_percent',
  severity: 'error' | 'warning',
  bound: { readonly min?: number; readonly max?: number; readonly suggested?: number },
): void {
  w.issues.push(issueOf({ code, severity, ...where(w, ind.code, ind.code), ...original, params: { code: ind.code, label: ind.label.zh, label_en: ind.label.en, value, ...bound } }));
  w.flagged.add(ind.code);
  // A value already reported as wrong is not reported again as a stated-rate mismatch.
  if (severity === 'error') w.flagged.add(`${ind.code}\u0000error`);
}

/**
 * For each indicator, the plain numbers its cell may hold with nothing to report: numeric, finite,
 * within ±10^15 and the indicator's bounds, whole for an integer, at most 100 for a percent and 1 for
 * a fraction without a maximum of their own. `checkCell` would find nothing in such a number; most
 * cells of most schools hold one, so they are stored without it.
 */
interface PlainRange {
  readonly numeric: boolean;
  readonly integer: boolean;
  readonly min: number;
  readonly max: number;
}

function plainRange(ind: Indicator): PlainRange {
  const cap = ind.max ?? (ind.type === 'percent' ? 100 : ind.type === 'fraction' ? 1 : MAX_MAGNITUDE);
  return {
    numeric: NUMERIC_TYPES.has(ind.type),
    integer: ind.type === 'integer',
    min: Math.max(ind.min ?? -MAX_MAGNITUDE, -MAX_MAGNITUDE),
    max: Math.min(cap, MAX_MAGNITUDE),
  };
}

/** Parses one cell of one indicator and applies the checks that need only that cell. */
function checkCell(w: Work, ind: Indicator, raw: Submission['raw'][string] | undefined): void {
  const code = ind.code;
  let value: Value = null;
  let parsed: ParsedValue | undefined;
  if (raw !== undefined) {
    w.cells[code] = raw.cell;
    const v = raw.value;
    // Most cells hold a plain number without a number format, which parseCellValue returns as it is:
    // skip building a parse result for them (this loop runs for every cell of every school).
    if (typeof v === 'number' && raw.numberFormat == null && Number.isFinite(v) && NUMERIC_TYPES.has(ind.type)) value = v;
    else {
      parsed = parseCellValue(v, ind.type, raw.numberFormat);
      value = parsed.value;
    }
  }
  w.values[code] = value;
  const original = parsed?.original !== undefined ? { original: parsed.original } : NO_ORIGINAL;
  if (parsed?.problem !== undefined) {
    w.issues.push(
      issueOf({
        code: parsed.problem.code,
        severity: value === null ? 'error' : 'warning',
        ...where(w, code, code),
        ...original,
        params: { ...parsed.problem.params, code, label: ind.label.zh, label_en: ind.label.en },
      }),
    );
    w.flagged.add(code);
  } else if (parsed !== undefined && parsed.coercions.length > 0 && parsed.original !== undefined) {
    w.issues.push({
      code: 'value.coerced',
      severity: 'info',
      ...where(w, code, code),
      ...original,
      params: { code, label: ind.label.zh, label_en: ind.label.en, coercions: parsed.coercions.join(','), value },
    });
  }
  if (value === null) {
    if (raw?.uncached === true && !w.flagged.has(code)) {
      w.issues.push({ code: 'value.formula_uncached', severity: 'error', ...where(w, code, code), params: { code, label: ind.label.zh, label_en: ind.label.en } });
      w.flagged.add(code);
      return;
    }
    if (ind.required && !w.flagged.has(code)) {
      w.issues.push({ code: 'value.required_missing', severity: 'error', ...where(w, code, code), params: { code, label: ind.label.zh, label_en: ind.label.en } });
      w.flagged.add(code);
    }
    return;
  }
  if (typeof value !== 'number') return;
  // Beyond 10^15 a count is no count, and sums of such values overflow to nothing: an error, not a blank total.
  if (Math.abs(value) > MAX_MAGNITUDE) {
    fail(w, ind, value, original, value > 0 ? 'value.above_max' : 'value.below_min', 'error', value > 0 ? { max: MAX_MAGNITUDE } : { min: -MAX_MAGNITUDE });
    return;
  }
  if (ind.type === 'integer' && !Number.isInteger(value)) {
    // Float noise from a formula (1946.0000000000002) is the integer it means, not a wrong value.
    const near = Math.round(value);
    if (Math.abs(value - near) <= 1e-9 * Math.max(1, Math.abs(value))) {
      value = near;
      w.values[code] = near;
    } else fail(w, ind, value, original, 'value.not_integer', 'error', {});
  }
  if (ind.min !== undefined && value < ind.min) fail(w, ind, value, original, 'value.below_min', 'error', { min: ind.min });
  else if (ind.max !== undefined && value > ind.max) fail(w, ind, value, original, 'value.above_max', 'error', { max: ind.max });
  else if (ind.type === 'percent' && ind.max === undefined && value > 100) fail(w, ind, value, original, 'rate.above_100', 'warning', {});
  else if (ind.type === 'fraction' && ind.max === undefined && value > 1) {
    fail(w, ind, value, original, 'value.fraction_as_percent', 'warning', { suggested: plain(value / 100) });
    w.flagged.add(`${code}\u0000percent`);
  }
}

/** Evaluates one rule for one school, with its missing-value strategy. */
function checkRule(w: Work, r: CompiledRule): void {
  const { rule, lhs, rhs, refs } = r;
  if (lhs === null || rhs === null) return; // definition checks report expressions that do not parse
  // A rule about last period is checked only with last period loaded and the school's values then.
  const before = w.previous;
  if (r.previous.length > 0 && (before === undefined || r.previous.some((c) => typeof before[c] !== 'number'))) return;
  let present = 0;
  for (const c of refs) if (typeof w.values[c] === 'number') present++;
  if (rule.missing === 'skip_if_any_missing' && present < refs.length) return;
  if (rule.missing === 'skip_if_all_missing' && refs.length > 0 && present === 0) return;
  // Rules about a cell that could not be read say nothing new.
  for (const c of refs) if (w.flagged.has(c) && w.values[c] === null) return;
  const current = rule.missing === 'skip_if_any_missing' ? w.lookup : w.lookupOrZero;
  const lookup = r.previous.length === 0 || before === undefined ? current : (code: string): number | null => (code.endsWith(PREV_SUFFIX) ? (before[code.slice(0, -PREV_SUFFIX.length)] ?? null) : current(code));
  const l = evaluate(lhs, lookup);
  const rv = evaluate(rhs, lookup);
  // Located at the first operand found on the sheet; built only for a rule that fails (most pass).
  const at = (): Where => where(w, rule.id, refs.find((c) => w.cells[c] !== undefined));
  if (isEvalError(l) || isEvalError(rv)) {
    w.issues.push({
      code: 'rule.eval_error',
      severity: 'warning',
      ...at(),
      params: {
        rule: rule.id,
        error: isEvalError(l) ? l.error : (rv as { error: string }).error,
        side: isEvalError(l) ? 'lhs' : 'rhs',
        expression: isEvalError(l) ? rule.lhs : rule.rhs,
        expression_zh: isEvalError(l) ? r.words.lhs.zh : r.words.rhs.zh,
        expression_en: isEvalError(l) ? r.words.lhs.en : r.words.rhs.en,
        message_zh: rule.message.zh,
        message_en: rule.message.en,
      },
    });
    return;
  }
  if (l === null || rv === null) return;
  const tol = rule.tolerance ?? 0;
  let ok: boolean;
  if (rule.op === '==' && tol > 0) ok = Math.abs(l - rv) <= tol + 1e-9 * Math.max(1, Math.abs(l), Math.abs(rv));
  else if (rule.op === '!=' && tol > 0) ok = Math.abs(l - rv) > tol;
  else ok = compareNumbers(l, rule.op, rv);
  if (ok) return;
  for (const c of r.previous) w.comparedWithPrevious.add(c);
  w.issues.push({
    code: 'rule.failed',
    severity: rule.severity,
    ...at(),
    params: {
      rule: rule.id,
      lhs: rule.lhs,
      op: rule.op,
      rhs: rule.rhs,
      lhs_zh: r.words.lhs.zh,
      lhs_en: r.words.lhs.en,
      rhs_zh: r.words.rhs.zh,
      rhs_en: r.words.rhs.en,
      lhsValue: plain(l),
      rhsValue: plain(rv),
      ...(tol > 0 ? { tolerance: tol } : {}),
      message_zh: rule.message.zh,
      message_en: rule.message.en,
    },
  });
}

/**
 * Percent-type cells holding 0 < v ≤ 1 (0.95 typed for 95 %). Flagged when the school's own counts
 * give a rate above 1 for the rate that states this indicator, or, without such a rate, when most
 * schools report the indicator above 1 (or too few report it to tell).
 */
function checkPercentAsFraction(works: readonly Work[], defs: Definitions): void {
  const statedBy = new Map<string, string>();
  for (const r of defs.rates) if (r.stated !== undefined && !statedBy.has(r.stated)) statedBy.set(r.stated, r.code);
  for (const ind of defs.indicators) {
    if (ind.type !== 'percent') continue;
    let above = 0;
    let small = 0;
    for (const w of works) {
      const v = w.values[ind.code];
      if (typeof v !== 'number') continue;
      if (v > 1) above++;
      else if (v > 0) small++;
    }
    if (small === 0) continue;
    const crowd = above > small || above + small < 3;
    const rate = statedBy.get(ind.code);
    for (const w of works) {
      const v = w.values[ind.code];
      if (typeof v !== 'number' || !(v > 0 && v <= 1) || w.flagged.has(ind.code)) continue;
      const computed = rate !== undefined ? (w.rates[rate]?.value ?? null) : null;
      if (computed !== null ? computed > 1 : crowd) {
        w.issues.push({ code: 'value.percent_as_fraction', severity: 'warning', ...where(w, ind.code, ind.code), params: { code: ind.code, label: ind.label.zh, label_en: ind.label.en, value: v, suggested: plain(v * 100) } });
        w.flagged.add(ind.code);
        w.flagged.add(`${ind.code}\u0000fraction`);
      }
    }
  }
}

/**
 * A stated rate must match the school's own counts at the precision it is stated with (at most the
 * rate's decimals). A stated value already reported as wrong (out of bounds) is not compared again.
 */
function checkStatedRates(w: Work, compiled: CompiledDefinitions): void {
  for (const { rate } of compiled.rates) {
    if (rate.stated === undefined) continue;
    const stated = w.values[rate.stated];
    const computed = w.rates[rate.code];
    if (typeof stated !== 'number' || !computed || computed.value === null) continue;
    if (w.flagged.has(`${rate.stated}\u0000error`)) continue;
    const ind = compiled.indicatorByCode.get(rate.stated);
    // The scale the school typed on: a percent typed as 0.95, or a fraction-type cell holding 95 (already a percent).
    const typedAsPercent = w.flagged.has(`${rate.stated}\u0000percent`);
    const scaled =
      w.flagged.has(`${rate.stated}\u0000fraction`) || (ind?.type === 'fraction' && rate.factor === 100 && !typedAsPercent) ? plain(stated * 100) : stated;
    const d = Math.min(rate.decimals, decimalsOf(scaled));
    const a = roundHalfAway(scaled, d);
    const b = roundHalfAway(computed.value, d);
    // The stated figure is the computed one rounded at the stated decimals, half either way: within half a unit.
    const unit = 10 ** -d;
    const gap = Math.abs(a - computed.value);
    const slack = 1e-9 * Math.max(1, Math.abs(computed.value));
    if (gap <= unit / 2 + slack) continue;
    // One unit off in the last decimal, against the computed rate as rounded at those decimals, is rounding.
    const rounding = Math.abs(a - b) <= unit + slack;
    w.issues.push({
      code: rounding ? 'rate.stated_rounding' : 'rate.stated_mismatch',
      severity: rounding ? 'info' : 'warning',
      ...where(w, rate.code, rate.stated),
      params: {
        rate: rate.code,
        label: rate.label.zh,
        indicator: rate.stated,
        label_en: rate.label.en,
        stated: scaled,
        computed: b,
        exact: roundHalfAway(computed.value, d + 1),
        difference: plain(roundHalfAway(Math.abs(a - b), d)),
        decimals: d,
        numerator: computed.numerator === null ? null : plain(computed.numerator),
        denominator: computed.denominator === null ? null : plain(computed.denominator),
      },
    });
  }
}

/** Whether two periods are the same once width, spaces and punctuation are set aside; null when either is blank. */
function samePeriod(a: string, b: string): boolean | null {
  const norm = (s: string): string => s.normalize('NFKC').replace(/[\s\p{P}]/gu, '');
  const x = norm(a);
  const y = norm(b);
  return x === '' || y === '' ? null : x === y;
}

/** Identity of an issue within one submission: the same problem is reported once. */
function issueKey(i: Issue): string {
  return `${i.code}\u0000${i.cell ?? ''}\u0000${i.subject ?? ''}`;
}

/** The comparison a failed rule makes, as written, without spaces: two rules making it say the same thing. */
function comparisonOf(issue: Issue<'rule.failed'>): string {
  const p = issue.params;
  return `${String(p.lhs ?? '')}\u0000${String(p.op ?? '')}\u0000${String(p.rhs ?? '')}`.replace(/\s+/g, '');
}

/**
 * Rules that fail on the same cell by making the same comparison are one problem: the first kept, at
 * the stronger severity, naming every such rule in its `rules` detail. Other issues pass unchanged.
 */
function oneProblemPerCell(issues: readonly Issue[]): readonly Issue[] {
  let failed = 0;
  for (const i of issues) if (i.code === 'rule.failed') failed++;
  if (failed < 2) return issues;
  const firstOf = new Map<string, { readonly at: number; readonly issue: Issue<'rule.failed'> }>();
  const out: Issue[] = [];
  for (const issue of issues) {
    if (issue.code !== 'rule.failed') {
      out.push(issue);
      continue;
    }
    const key = `${issue.cell ?? ''}\u0000${comparisonOf(issue)}`;
    const first = firstOf.get(key);
    if (first === undefined) {
      firstOf.set(key, { at: out.length, issue });
      out.push(issue);
      continue;
    }
    const { at, issue: kept } = first;
    const rules = [String(kept.params.rules ?? kept.params.rule ?? kept.subject ?? ''), String(issue.params.rule ?? issue.subject ?? '')].filter((r) => r !== '').join(', ');
    // The stronger rule's words stand: an error over a warning, else the first.
    const base = issue.severity === 'error' && kept.severity !== 'error' ? issue : kept;
    const merged: Issue<'rule.failed'> = { ...base, params: { ...base.params, rules } };
    out[at] = merged;
    firstOf.set(key, { at, issue: merged });
  }
  return out;
}

/** Model order: roster order, then code, then submission order. */
function compareWorks(a: Work, b: Work): number {
  return a.rosterIndex - b.rosterIndex || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) || a.index - b.index;
}

/** Validates submissions against the definitions: one school result per submission with a school code, and every issue found. */
export function validate(submissions: readonly Submission[], defs: Definitions, options: ValidateOptions = {}): ValidationResult {
  const compiled = compileDefinitions(defs);
  const roster = new Map<string, { school: School; index: number }>();
  defs.roster.forEach((school, index) => {
    if (!roster.has(school.code)) roster.set(school.code, { school, index });
  });
  const checkRoster = roster.size > 0;
  const indicators = defs.indicators;
  // Every school's values (and, when its sheet has every indicator, its cells) are copied from one
  // template built with all the codes at once: V8 then gives them all one compact shape, rather than
  // the slow dictionary an object turns into when 200 properties are added one by one. Lookups by
  // code across schools (rules, outliers, totals) are about twice as fast, and building them cheaper.
  const blankValues: Record<string, Value> = Object.fromEntries(indicators.map((i) => [i.code, null]));
  const blankCells: Record<string, string> = Object.fromEntries(indicators.map((i) => [i.code, '']));
  const ranges = indicators.map(plainRange);
  let sameCells: { readonly at: readonly string[]; readonly cells: Record<string, string> } | undefined;
  const raws: (Submission['raw'][string] | undefined)[] = new Array(indicators.length);

  // Pass 1: each submission's own cells, rules and rates.
  const works: Work[] = [];
  const standing = standingSubmissions(submissions, defs, roster, options.keep);
  submissions.forEach((sub, index) => {
    const code = sub.schoolCode.trim();
    if (code === '') return; // the sheet reader reports sheet.school_code_missing; no school to attach values to
    const entry = roster.get(code);
    const verdict = standing.verdicts.get(index);
    // One buffer for every school's cells, in indicator order: filled here, used before the next school.
    const source = sub.raw;
    let complete = true;
    for (let i = 0; i < indicators.length; i++) {
      const raw = source[indicators[i]!.code];
      raws[i] = raw;
      if (raw === undefined) complete = false;
    }
    const values: Record<string, Value> = { ...blankValues };
    // Schools fill in one template, so most have every cell at the same address: they share one record of them.
    let cells: Record<string, string> = {};
    let sharing = false;
    if (complete) {
      sameCells ??= { at: raws.map((r) => r!.cell), cells: Object.fromEntries(indicators.map((ind, i) => [ind.code, raws[i]!.cell])) };
      const at = sameCells.at;
      sharing = raws.every((r, i) => r!.cell === at[i]);
      cells = sharing ? sameCells.cells : { ...blankCells };
    }
    const w: Work = {
      index,
      sub,
      code,
      rosterIndex: entry?.index ?? Number.MAX_SAFE_INTEGER,
      school: entry?.school,
      stands: standing.stands.get(code) === index,
      verdict,
      values,
      cells,
      flagged: new Set(),
      issues: [],
      rates: {},
      lookup: lookupIn(values),
      lookupOrZero: (c) => {
        const v = values[c];
        return typeof v === 'number' ? v : 0;
      },
      previous: options.previous !== undefined && Object.prototype.hasOwnProperty.call(options.previous, code) ? options.previous[code] : undefined,
      comparedWithPrevious: new Set(),
    };
    works.push(w);
    if (verdict !== undefined) {
      w.issues.push(duplicateIssue(w, verdict, submissions, entry?.school));
      indicators.forEach((ind, i) => {
        const raw = raws[i];
        if (raw !== undefined) w.cells[ind.code] = raw.cell;
        w.values[ind.code] = raw === undefined ? null : parseCellValue(raw.value, ind.type, raw.numberFormat).value;
      });
      w.rates = schoolRates(compiled.rates, w.values);
      return;
    }
    if (checkRoster && !entry) {
      w.issues.push({
        code: 'school.unknown',
        severity: 'error',
        ...where(w),
        ...(sub.schoolCodeCell !== undefined ? { cell: sub.schoolCodeCell } : {}),
        params: { code, name: sub.schoolName ?? null },
      });
    } else if (entry && sub.schoolName !== undefined && sub.schoolName.trim() !== '' && !sameName(sub.schoolName, entry.school.name)) {
      w.issues.push({ code: 'school.name_mismatch', severity: 'warning', ...where(w), params: { code, name: sub.schoolName.trim(), expected: entry.school.name } });
    }
    // A sheet still carrying an earlier period's 填报期 is last term's copy, or last term's figures.
    if (defs.period !== undefined && sub.period !== undefined && samePeriod(sub.period, defs.period) === false) {
      w.issues.push({
        code: 'school.period_mismatch',
        severity: 'warning',
        ...where(w),
        ...(sub.periodCell !== undefined ? { cell: sub.periodCell } : {}),
        params: { period: sub.period.trim(), expected: defs.period },
      });
    }
    for (let i = 0; i < indicators.length; i++) {
      const raw = raws[i];
      if (raw !== undefined && raw.numberFormat == null) {
        const v = raw.value;
        const range = ranges[i]!;
        // NaN fails both comparisons, so only finite numbers within range pass.
        if (typeof v === 'number' && range.numeric && v >= range.min && v <= range.max && (!range.integer || Number.isInteger(v))) {
          const code = indicators[i]!.code;
          if (!sharing) cells[code] = raw.cell;
          values[code] = v;
          continue;
        }
      }
      checkCell(w, indicators[i]!, raw);
    }
    for (const r of compiled.rules) checkRule(w, r);
    w.rates = schoolRates(compiled.rates, w.values);
  });

  // Pass 2: checks across schools, over the accepted submissions.
  const accepted = works.filter((w) => w.stands);
  checkPercentAsFraction(accepted, defs);
  for (const w of accepted) checkStatedRates(w, compiled);
  const subjects: OutlierSubject[] = accepted.map((w) => ({
    school: w.code,
    ...(w.school !== undefined ? { stage: w.school.stage } : {}),
    ...(w.school?.ownership !== undefined ? { ownership: w.school.ownership } : {}),
    ...(w.school?.area !== undefined ? { area: w.school.area } : {}),
    ...(w.sub.file !== undefined ? { file: w.sub.file } : {}),
    sheet: w.sub.sheet,
    values: w.values,
    cells: w.cells,
  }));
  const located: LocatedIssue[] = robustOutliers(subjects, defs.indicators, options.outlierZ ?? DEFAULT_OUTLIER_Z, sizeIndicatorOf(defs));
  if (options.previous) {
    located.push(...periodChanges(subjects, defs.indicators, options.previous, options.periodChangePct ?? DEFAULT_PERIOD_CHANGE_PCT, (at, code) => accepted[at]!.comparedWithPrevious.has(code)));
  }
  for (const { at, issue } of located) {
    // A value already queried for being unreadable or out of bounds is not queried again as an outlier.
    const w = accepted[at]!;
    if (issue.subject !== undefined && w.flagged.has(issue.subject)) continue;
    w.issues.push(issue);
  }

  // Assemble in model order, each problem once per submission.
  works.sort(compareWorks);
  const schools: SchoolResult[] = [];
  const issues: Issue[] = [];
  for (const w of works) {
    const seen = new Set<string>();
    let errors = 0;
    let warnings = 0;
    for (const issue of oneProblemPerCell(w.issues)) {
      const key = issueKey(issue);
      if (seen.has(key)) continue;
      seen.add(key);
      issues.push(issue);
      if (issue.severity === 'error') errors++;
      else if (issue.severity === 'warning') warnings++;
    }
    // A file sent under another school's code is named as it names itself: its return goes to that school.
    const own = w.sub.schoolName?.trim();
    const name = (w.verdict?.kind === 'name' ? own : undefined) ?? w.school?.name ?? own ?? '';
    schools.push({
      code: w.code,
      name,
      ...(w.school !== undefined ? { stage: w.school.stage } : {}),
      ...(w.school?.township !== undefined ? { township: w.school.township } : {}),
      ...(w.sub.file !== undefined ? { file: w.sub.file } : {}),
      sheet: w.sub.sheet,
      values: w.values,
      cells: w.cells,
      rates: w.rates,
      errors,
      warnings,
      included: w.stands,
    });
  }
  for (const { school } of roster.values()) {
    if (standing.stands.has(school.code)) continue;
    issues.push({ code: 'school.missing', severity: 'warning', school: school.code, params: { code: school.code, name: school.name, stage: school.stage, township: school.township ?? null } });
  }
  return { schools, issues };
}
