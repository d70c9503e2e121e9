/**
 * 均衡: the 义务教育 基本均衡 and 优质均衡 assessments over the district's schools, the official way.
 *
 * Per standard and stage (小学, 初中): each indicator's enrolment-weighted 差异系数 (see
 * `weightedCv`), the 综合 (plain mean of the CVs), the test against the stage's limit, and for
 * standards with floors each school's floor checks and verdict. A school that spans stages
 * (九年一贯制, 完全中学, 十二年一贯制) is split into stage parts: each part's students come from the
 * stage-students indicators, its share of every resource is its students weighted by SPLIT_WEIGHTS
 * over the school's weighted students, and each part then counts as a school of its stage. The
 * stage students come from the school's form or, when it gives none, from the roster. A standard's
 * weight is an expression, and may differ by stage (a form with stage rows and no total).
 */
import { lookupIn, parsed } from './compile';
import { evaluate, isEvalError, referencedCodes, type Expr } from './expr';
import { weightedCv } from './dispersion';
import {
  EQUITY_STAGES,
  type Definitions,
  type EquityExclusion,
  type EquityFloorCheck,
  type EquityIndicatorResult,
  type EquityResult,
  type EquitySchoolRow,
  type EquityStage,
  type EquityStageResult,
  type EquityStandard,
  type PartStage,
  type SchoolResult,
  type Stage,
  type StageStudents,
} from './types';

/** Stage weights of schools spanning stages: 小学 : 初中 = 1 : 1.1, 初中 : 高中 = 1 : 1.2, and 1 : 1.1 : 1.32. */
export const SPLIT_WEIGHTS: Readonly<Partial<Record<Stage, readonly (readonly [PartStage, number])[]>>> = {
  九年一贯制: [
    ['小学', 1],
    ['初中', 1.1],
  ],
  完全中学: [
    ['初中', 1],
    ['高中', 1.2],
  ],
  十二年一贯制: [
    ['小学', 1],
    ['初中', 1.1],
    ['高中', 1.32],
  ],
};

/** 优质均衡: a school may fall short of one floor, by no more than 15%. */
export const FLOOR_SHORTFALLS_ALLOWED = 1;
export const FLOOR_SHORT_SHARE = 0.85;

/** How many schools are named as pulling each CV up. */
const PULLS = 3;

/** Order of the schools pulling a CV up: the larger share first, then by code. */
function comparePulls(share: number, school: string, other: { readonly share: number; readonly school: string }): number {
  return other.share - share || (school < other.school ? -1 : school > other.school ? 1 : 0);
}

/** One stage part of a school: the figures the standard's expressions see. */
interface Part {
  readonly school: SchoolResult;
  readonly stage: EquityStage;
  readonly weight: number;
  readonly share: number;
  readonly lookup: (code: string) => number | null;
}

type Exclusion = EquityResult['excluded'][number];

/** The weight expression of each assessed stage: the stage's own, else the standard's. */
function weightExprs(standard: Pick<EquityStandard, 'weight' | 'weights'>): Readonly<Record<EquityStage, Expr | null>> {
  return { 小学: parsed(standard.weights?.小学 ?? standard.weight), 初中: parsed(standard.weights?.初中 ?? standard.weight) };
}

/** The code an expression is when it is one reference (`STUDENTS`), else undefined. */
function soleCode(e: Expr | null): string | undefined {
  return e?.kind === 'ref' ? e.code : undefined;
}

/**
 * The stage parts of every school that takes part, and every school or part left out with its reason.
 * A school of one stage weighs what its stage's weight expression gives over its figures. A part of
 * a school spanning stages weighs its stage's students; its figures are the school's, each at the
 * part's share, except its students: its own stage's stage-students figure (and a weight that is one
 * code) reads as the part's students, the other stages' as 0, so a value over students is per student
 * of the part whichever way the standard writes its students.
 */
export function equityParts(
  schools: readonly SchoolResult[],
  standard: Pick<EquityStandard, 'weight' | 'weights' | 'minWeight'>,
  stageStudents: StageStudents,
  rosterStudents?: ReadonlyMap<string, Readonly<Partial<Record<PartStage, number>>>>,
): { parts: Part[]; excluded: Exclusion[] } {
  const { minWeight } = standard;
  const weights = weightExprs(standard);
  const studentCodes = new Set([soleCode(weights.小学), soleCode(weights.初中)].filter((c): c is string => c !== undefined));
  const parts: Part[] = [];
  const excluded: Exclusion[] = [];
  for (const s of schools) {
    if (s.stage === undefined) {
      excluded.push({ school: s.code, reason: 'stage' });
      continue;
    }
    if (s.stage === '特教') {
      excluded.push({ school: s.code, reason: 'special_education' });
      continue;
    }
    const base = lookupIn(s.values);
    if (s.stage === '小学' || s.stage === '初中') {
      const expr = weights[s.stage];
      const weight = valueOf(expr, base);
      if (weight === null) {
        // Name the figure that is missing: the first the weight reads that the school left blank.
        const blank = expr === null ? undefined : referencedCodes(expr).find((c) => base(c) === null);
        excluded.push({ school: s.code, reason: 'missing_value', stage: s.stage, ...(blank !== undefined ? { indicator: blank } : {}) });
        continue;
      }
      if (!(weight >= minWeight) || weight <= 0) {
        excluded.push({ school: s.code, reason: 'below_min_weight', stage: s.stage });
        continue;
      }
      parts.push({ school: s, stage: s.stage, weight, share: 1, lookup: base });
      continue;
    }
    const split = SPLIT_WEIGHTS[s.stage];
    if (split === undefined) continue; // 幼儿园, 高中, 职高: not compulsory education
    // The form's figures for this term first; the roster's when the form has none for any stage.
    const fromForm = split.map(([stage]) => {
      const code = stageStudents[stage];
      return code === undefined ? null : base(code);
    });
    const kept = rosterStudents?.get(s.code);
    const fromRoster = split.map(([stage]) => kept?.[stage] ?? null);
    const students = fromForm.every((n) => n === null) && kept !== undefined ? fromRoster : fromForm;
    if (students.some((n) => n === null || n < 0)) {
      excluded.push({ school: s.code, reason: 'stage_students_missing' });
      continue;
    }
    let weighted = 0;
    split.forEach(([, w], k) => (weighted += w * students[k]!));
    split.forEach(([stage, w], k) => {
      const n = students[k]!;
      if (stage === '高中' || n === 0) return;
      if (n < minWeight) {
        excluded.push({ school: s.code, reason: 'below_min_weight', stage });
        return;
      }
      const share = (w * n) / weighted;
      const own = new Map<string, number>();
      for (const code of studentCodes) own.set(code, n);
      for (const [other, code] of Object.entries(stageStudents)) if (code !== undefined) own.set(code, other === stage ? n : 0);
      const lookup = (code: string): number | null => {
        const mine = own.get(code);
        if (mine !== undefined) return mine;
        const v = base(code);
        return v === null ? null : v * share;
      };
      parts.push({ school: s, stage, weight: n, share, lookup });
    });
  }
  return { parts, excluded };
}

/** A per-school value: a finite number, or `null` when it cannot be computed. */
function valueOf(expr: Expr | null, lookup: (code: string) => number | null): number | null {
  if (expr === null) return null;
  const v = evaluate(expr, lookup);
  return v === null || isEvalError(v) || !Number.isFinite(v) ? null : v;
}

/** Whether a school's floor checks pass: every floor met, or one short and that one at 85% of its floor or more. */
export function floorsMet(checks: readonly (EquityFloorCheck | null)[]): boolean | null {
  const real = checks.filter((c): c is EquityFloorCheck => c !== null);
  if (real.length === 0 || real.some((c) => c.reached === null)) return null;
  const short = real.filter((c) => !c.met);
  if (short.length === 0) return true;
  return short.length <= FLOOR_SHORTFALLS_ALLOWED && short.every((c) => c.reached! >= FLOOR_SHORT_SHARE);
}

function assessStage(standard: EquityStandard, exprs: readonly (Expr | null)[], stage: EquityStage, parts: readonly Part[], excluded: Exclusion[]): EquityStageResult {
  const threshold = standard.thresholds[stage];
  const rows: EquitySchoolRow[] = parts.map((p) => {
    const values = exprs.map((e) => valueOf(e, p.lookup));
    const floors = standard.indicators.map((ind, j): EquityFloorCheck | null => {
      const floor = ind.floors?.[stage];
      if (floor === undefined) return null;
      const v = values[j]!;
      return { floor, met: v !== null && v >= floor, reached: v === null ? null : floor > 0 ? v / floor : null };
    });
    return {
      school: p.school.code,
      name: p.school.name,
      ...(p.school.stage !== undefined ? { stage: p.school.stage } : {}),
      weight: p.weight,
      share: p.share,
      values,
      floors,
      shortfalls: floors.filter((f) => f !== null && !f.met).length,
      met: floorsMet(floors),
    };
  });

  const indicators = standard.indicators.map((ind, j): EquityIndicatorResult => {
    const points: { school: string; value: number; weight: number }[] = [];
    rows.forEach((r) => {
      const v = r.values[j]!;
      if (v === null) excluded.push({ school: r.school, reason: 'missing_value', stage, indicator: ind.code });
      else points.push({ school: r.school, value: v, weight: r.weight });
    });
    const cv = weightedCv(points);
    let pulls: EquityIndicatorResult['pulls'] = [];
    if (cv !== null && cv.sd > 0) {
      const total = cv.sd * cv.sd * points.reduce((a, p) => a + p.weight, 0);
      // The first PULLS in order of share (then code), kept as they come: no sort of every school.
      const top: EquityIndicatorResult['pulls'][number][] = [];
      for (const p of points) {
        const share = (p.weight * (p.value - cv.mean) ** 2) / total;
        const last = top[top.length - 1];
        if (top.length === PULLS && last !== undefined && comparePulls(share, p.school, last) >= 0) continue;
        let at = top.length;
        while (at > 0 && comparePulls(share, p.school, top[at - 1]!) < 0) at--;
        top.splice(at, 0, { school: p.school, share, below: p.value < cv.mean });
        if (top.length > PULLS) top.pop();
      }
      pulls = top;
    }
    return {
      code: ind.code,
      schoolCount: points.length,
      mean: cv?.mean ?? null,
      sd: cv?.sd ?? null,
      cv: cv?.cv ?? null,
      met: standard.test === 'each' && cv !== null ? cv.cv <= threshold : null,
      pulls,
    };
  });

  const cvs = indicators.map((i) => i.cv);
  const composite = cvs.length > 0 && cvs.every((v) => v !== null) ? (cvs as number[]).reduce((a, v) => a + v, 0) / cvs.length : null;
  const cvMet = standard.test === 'composite' ? (composite === null ? null : composite <= threshold) : indicators.some((i) => i.met === null) ? null : indicators.every((i) => i.met);
  const hasFloors = standard.indicators.some((i) => i.floors?.[stage] !== undefined);
  const schoolsMet = !hasFloors || standard.test === 'composite' ? null : rows.some((r) => r.met === false) ? false : rows.some((r) => r.met === null) ? null : true;
  const met = cvMet === false || schoolsMet === false ? false : cvMet === null || (hasFloors && standard.test === 'each' && schoolsMet === null) ? null : true;
  return { stage, threshold, indicators, composite, cvMet, schoolsMet, met, schools: rows };
}

const parsedStandards = new WeakMap<EquityStandard, readonly (Expr | null)[]>();

/** The value expressions of a standard's indicators, parsed once per standard (as rules and rates are per definitions). */
function standardExprs(standard: EquityStandard): readonly (Expr | null)[] {
  let exprs = parsedStandards.get(standard);
  if (exprs === undefined) {
    exprs = standard.indicators.map((i) => parsed(i.value));
    parsedStandards.set(standard, exprs);
  }
  return exprs;
}

/** One standard over the schools (the included ones): both stages, and every exclusion. */
export function assessStandard(
  standard: EquityStandard,
  schools: readonly SchoolResult[],
  stageStudents: StageStudents = {},
  rosterStudents?: ReadonlyMap<string, Readonly<Partial<Record<PartStage, number>>>>,
): EquityResult {
  const { parts, excluded } = equityParts(schools, standard, stageStudents, rosterStudents);
  const exprs = standardExprs(standard);
  const stages = EQUITY_STAGES.map((stage) =>
    assessStage(
      standard,
      exprs,
      stage,
      parts.filter((p) => p.stage === stage),
      excluded,
    ),
  );
  return { code: standard.code, stages, excluded };
}

/** Every standard of the definitions over the schools. */
export function assessEquity(schools: readonly SchoolResult[], defs: Pick<Definitions, 'standards' | 'stageStudents' | 'roster'>): EquityResult[] {
  const standards = defs.standards ?? [];
  if (standards.length === 0) return [];
  const rosterStudents = new Map(defs.roster.flatMap((s) => (s.students !== undefined ? [[s.code, s.students] as const] : [])));
  return standards.map((s) => assessStandard(s, schools, defs.stageStudents ?? {}, rosterStudents));
}

/** Reasons in the order a list of exclusions is shown. */
export const EQUITY_EXCLUSIONS: readonly EquityExclusion[] = ['special_education', 'below_min_weight', 'stage_students_missing', 'missing_value', 'stage'];
