/**
 * The core's plain, serialisable data: definitions, issues, submissions and results.
 * Everything here is JSON-safe so it can cross a Web Worker boundary or be printed by `--json`.
 */

/** The two languages every message and label exists in. */
export type Lang = 'zh-CN' | 'en-US';

/** Text in both languages. */
export interface Bilingual {
  readonly zh: string;
  readonly en: string;
}

// ───────────────────────────── definitions ─────────────────────────────

/** How an indicator's value is typed: a whole count, a decimal, a percent 0–100, a fraction 0–1, free text, or a code kept as text. */
export type IndicatorType = 'integer' | 'decimal' | 'percent' | 'fraction' | 'text' | 'code';

/** How an indicator adds up from schools to a group or the district. */
export type Aggregation = 'sum' | 'mean' | 'min' | 'max' | 'none';

/** One indicator (指标) a school reports. */
export interface Indicator {
  /** Stable code used in expressions and located on the school sheet (e.g. `STAFF`, `A01`). */
  readonly code: string;
  readonly label: Bilingual;
  readonly type: IndicatorType;
  readonly unit?: string;
  readonly required: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly section?: string;
  readonly aggregation: Aggregation;
  /**
   * The smallest change since last period worth a query, in the indicator's unit (2 → 12 students is
   * not news); without it a default by unit applies (see `changeFloorOf`).
   */
  readonly changeFloor?: number;
}

/** Comparison operators allowed in rules and targets. */
export type Comparator = '==' | '!=' | '<' | '<=' | '>' | '>=';

/** Errors must be fixed; warnings (queries) are unusual but possible. */
export type Severity = 'error' | 'warning';

/** What a rule does when operands are missing (DHIS2's missing-value strategy). */
export type MissingStrategy = 'skip_if_any_missing' | 'skip_if_all_missing' | 'never_skip';

/** A validation rule (校验规则): `lhs op rhs` over indicator codes. */
export interface Rule {
  readonly id: string;
  readonly lhs: string;
  readonly op: Comparator;
  readonly rhs: string;
  /** Absolute tolerance for `==` (and `!=`); 0 when absent. */
  readonly tolerance?: number;
  readonly severity: Severity;
  readonly message: Bilingual;
  readonly missing: MissingStrategy;
  /** The bureau's note on the rule: why it holds, where its threshold comes from. */
  readonly note?: string;
}

/** A target a rate is held against, e.g. `>= 96`. */
export interface Target {
  readonly op: Comparator;
  readonly value: number;
}

/** A rate (比率): Σ numerator ÷ Σ denominator × factor at every level. */
export interface Rate {
  readonly code: string;
  readonly label: Bilingual;
  readonly numerator: string;
  readonly denominator: string;
  /** 100 for a percentage, 1 for a ratio such as m² per student. */
  readonly factor: number;
  readonly decimals: number;
  readonly target?: Target;
  /** Code of an indicator in which the school states this rate itself, to cross-check. */
  readonly stated?: string;
  readonly section?: string;
}

/** School stages a roster knows (学段). */
export type Stage = '小学' | '初中' | '九年一贯制' | '完全中学' | '十二年一贯制' | '幼儿园' | '高中' | '职高' | '特教';

/** All stages in display order. */
export const STAGES: readonly Stage[] = ['幼儿园', '小学', '初中', '九年一贯制', '完全中学', '十二年一贯制', '高中', '职高', '特教'];

/** A between-school dispersion (差异系数): enrolment-weighted coefficient of variation for one stage group. */
export interface Dispersion {
  readonly code: string;
  readonly label: Bilingual;
  /** Per-school value Xᵢ, e.g. `BOOKS / STUDENTS`. */
  readonly value: string;
  /** Per-school weight Pᵢ, e.g. `STUDENTS`. */
  readonly weight: string;
  /** Which roster stages take part (e.g. `['小学']`). */
  readonly stages: readonly Stage[];
  /** Schools whose weight is below this are left out (50 students officially). */
  readonly minWeight: number;
  /** The CV must be at most this (e.g. 0.50 for 小学 优质均衡). */
  readonly threshold?: number;
}

/** The two stages of compulsory education a 均衡 standard assesses. */
export type EquityStage = '小学' | '初中';

/** Both assessed stages, in display order. */
export const EQUITY_STAGES: readonly EquityStage[] = ['小学', '初中'];

/** The stage parts a school that spans stages is split into (高中 parts are not assessed but take their share). */
export type PartStage = '小学' | '初中' | '高中';

/**
 * How a standard decides: `composite` — the mean of the indicators' CVs (综合差异系数) within the
 * stage's limit (基本均衡); `each` — every indicator's CV within the limit, and where floors are set,
 * every school meeting them (优质均衡).
 */
export type EquityTest = 'composite' | 'each';

/** One resource indicator of a 均衡 standard (L1…Ln). */
export interface EquityIndicator {
  readonly code: string;
  readonly label: Bilingual;
  /** Per-school value Xᵢ over the school's indicators, e.g. `AREA_TEACHING / STUDENTS`. */
  readonly value: string;
  /** The per-school floor (优质均衡 底线) per stage, when the standard sets one. */
  readonly floors?: Readonly<Partial<Record<EquityStage, number>>>;
  /** The bureau's note on the row (备注): where a threshold or the weight comes from. */
  readonly note?: string;
}

/** A 均衡 standard: its indicators, the weight, the CV limit per stage and the test it applies. */
export interface EquityStandard {
  readonly code: string;
  readonly label: Bilingual;
  readonly test: EquityTest;
  /**
   * The weight Pᵢ (a school's students): an expression over the indicators, most often one code
   * (`STUDENTS`); `SUM(STUDENTS_PRIMARY, STUDENTS_JUNIOR)` for a form that has only stage rows.
   */
  readonly weight: string;
  /** A stage's own weight, in place of `weight` for the schools (and parts) of that stage. */
  readonly weights?: Readonly<Partial<Record<EquityStage, string>>>;
  /** The CV limit per stage: on the 综合 (composite) or on each indicator (each). */
  readonly thresholds: Readonly<Record<EquityStage, number>>;
  /** Schools (or stage parts) with fewer students are not assessed (50 officially). */
  readonly minWeight: number;
  readonly indicators: readonly EquityIndicator[];
}

/** Indicator codes holding a school's students per stage: how a school spanning stages is split. */
export type StageStudents = Readonly<Partial<Record<PartStage, string>>>;

/** One school in the roster (学校名册). */
export interface School {
  /** Text, keeps leading zeros (学校标识码 is 10 digits). */
  readonly code: string;
  readonly name: string;
  readonly stage: Stage;
  readonly township?: string;
  /** 公办 or 民办, when the roster says: outliers are compared within schools of the same kind. */
  readonly ownership?: 'public' | 'private';
  /** 城区 or 农村, when the roster says: outliers are compared within schools of the same kind. */
  readonly area?: 'urban' | 'rural';
  /** Students per stage of a school spanning stages, when the roster keeps them (the form's figures come first). */
  readonly students?: Readonly<Partial<Record<PartStage, number>>>;
}

/** Where a form layout finds things; labels are matched after trimming and removing spaces and colons. */
export interface FormLayout {
  readonly kind: 'form';
  /** Sheet name to prefer; otherwise the first sheet that looks like a form. */
  readonly sheetName?: string;
  readonly schoolCodeLabels: readonly string[];
  readonly schoolNameLabels: readonly string[];
  readonly periodLabels: readonly string[];
  /** Header labels of the indicator table's columns. */
  readonly codeHeaders: readonly string[];
  readonly labelHeaders: readonly string[];
  readonly unitHeaders: readonly string[];
  readonly valueHeaders: readonly string[];
}

/** One row per school, indicator codes or labels as headers (what online forms export). */
export interface TableLayout {
  readonly kind: 'table';
  readonly sheetName?: string;
  readonly schoolCodeHeaders: readonly string[];
  readonly schoolNameHeaders: readonly string[];
}

/** How a school sheet is read. */
export type SheetLayout = FormLayout | TableLayout;

/** The corner block of a national statistical form: 表号, 制表机关, 批准机关/批准文号, 有效期至. */
export interface FormIdentity {
  readonly number?: string;
  readonly issuer?: string;
  readonly approval?: string;
  readonly validUntil?: string;
}

/** Everything a bureau defines, as kept in definition sheets or JSON. */
export interface Definitions {
  readonly title: Bilingual;
  /** The period this collection is for, e.g. `2026 秋季`. */
  readonly period?: string;
  /** The district or county the bureau reports for (地区), the first words of every printed title. */
  readonly district?: string;
  /** The corner block of a printed statistical form, where the form has one. */
  readonly form?: FormIdentity;
  readonly indicators: readonly Indicator[];
  readonly rules: readonly Rule[];
  readonly rates: readonly Rate[];
  readonly dispersions: readonly Dispersion[];
  /** 均衡 standards (基本均衡, 优质均衡) assessed over the schools. */
  readonly standards?: readonly EquityStandard[];
  /** Where each stage's students are, to split schools that span stages. */
  readonly stageStudents?: StageStudents;
  readonly roster: readonly School[];
  readonly layout: SheetLayout;
}

// ───────────────────────────── issues ─────────────────────────────

import type { Issue } from './issues';
export type { Issue, IssueBase, IssueCode, IssueParams, IssueParamsByCode, UnreadableWhy } from './issues';

// ───────────────────────────── values and submissions ─────────────────────────────

/** A parsed indicator value: a number, text, or missing. */
export type Value = number | string | null;

/** One indicator value read from a school sheet, with where it was and how it was read. */
export interface ValueCell {
  readonly value: Value;
  /** A1 address on the sheet it came from. */
  readonly cell?: string;
  /** The cell's text or value before parsing, when it differed from `value`. */
  readonly original?: string;
}

/** One school's submission as read from one sheet (a form sheet, or one row of a table sheet). */
export interface Submission {
  /** School code as found (text); empty when the sheet had none. */
  readonly schoolCode: string;
  readonly schoolName?: string;
  readonly period?: string;
  readonly file?: string;
  readonly sheet: string;
  /** Where the school code was found, for messages. */
  readonly schoolCodeCell?: string;
  /** Where the sheet states its period, when it does. */
  readonly periodCell?: string;
  /** Raw cells by indicator code, as located on the sheet (not yet parsed). */
  readonly raw: Readonly<
    Record<
      string,
      {
        readonly value: import('./grid').CellValue;
        readonly cell: string;
        readonly numberFormat?: string | null;
        /** The cell holds a formula whose result the file did not save (written by a program that does not calculate). */
        readonly uncached?: boolean;
      }
    >
  >;
}

// ───────────────────────────── results ─────────────────────────────

/** Whether a rate meets its target. */
export type TargetStatus = 'met' | 'not_met' | 'no_target' | 'undefined';

/** A rate at one level: its summed parts and the value, `null` when the denominator is 0 or missing. */
export interface RateValue {
  readonly numerator: number | null;
  readonly denominator: number | null;
  readonly value: number | null;
  readonly status: TargetStatus;
}

/** A validated school: parsed values, their cells, its rates and issue counts. */
export interface SchoolResult {
  readonly code: string;
  readonly name: string;
  readonly stage?: Stage;
  readonly township?: string;
  readonly file?: string;
  readonly sheet: string;
  readonly values: Readonly<Record<string, Value>>;
  /** A1 address of each indicator's value cell on the school sheet. */
  readonly cells: Readonly<Record<string, string>>;
  readonly rates: Readonly<Record<string, RateValue>>;
  readonly errors: number;
  readonly warnings: number;
  /** False when left out of totals (blocking errors and the clerk chose to exclude, or a duplicate). */
  readonly included: boolean;
}

/** What validation returns: one result per accepted submission, and every issue found. */
export interface ValidationResult {
  readonly schools: readonly SchoolResult[];
  readonly issues: readonly Issue[];
}

/** A subtotal row (stage or township) or the district total. */
export interface GroupTotal {
  readonly kind: 'stage' | 'township' | 'district';
  /** Stage name, township name, or `district`. */
  readonly key: string;
  readonly schoolCount: number;
  readonly values: Readonly<Record<string, number | null>>;
  readonly rates: Readonly<Record<string, RateValue>>;
}

/** One dispersion result (差异系数) for one definition. */
export interface DispersionResult {
  readonly code: string;
  readonly schoolCount: number;
  /** Weighted mean X̄ = Σ PᵢXᵢ ÷ Σ Pᵢ. */
  readonly mean: number | null;
  /** Weighted standard deviation S. */
  readonly sd: number | null;
  /** CV = S ÷ X̄. */
  readonly cv: number | null;
  readonly threshold?: number;
  readonly met: boolean | null;
  /** Schools left out and why (`below_min_weight`, `missing_value`, `stage`). */
  readonly excluded: readonly { readonly school: string; readonly reason: string }[];
}

/** Why a school (or one stage part of it) takes no part in a 均衡 assessment. */
export type EquityExclusion = 'stage' | 'special_education' | 'below_min_weight' | 'stage_students_missing' | 'missing_value';

/** One school's floor for one indicator: met, or the share of the floor it reaches. */
export interface EquityFloorCheck {
  readonly floor: number;
  readonly met: boolean;
  /** Value ÷ floor; `null` when the value is missing. */
  readonly reached: number | null;
}

/** One school (or one stage part of a school spanning stages) in one stage of a standard. */
export interface EquitySchoolRow {
  readonly school: string;
  readonly name: string;
  /** The school's own stage (九年一贯制 for a part of a nine-year school). */
  readonly stage?: Stage;
  /** Pᵢ: the part's students. */
  readonly weight: number;
  /** The part's share of the school's resources (1 when not split). */
  readonly share: number;
  /** Xᵢ per indicator, in the standard's order; `null` when not computable. */
  readonly values: readonly (number | null)[];
  /** Per indicator, the floor check; `null` where the indicator has no floor for the stage. */
  readonly floors: readonly (EquityFloorCheck | null)[];
  /** Floors not met. */
  readonly shortfalls: number;
  /** Whether the school meets the floors (at most one short, and that one at 85% or more); `null` with no floors or a missing value. */
  readonly met: boolean | null;
}

/** One indicator's 差异系数 in one stage. */
export interface EquityIndicatorResult {
  readonly code: string;
  readonly schoolCount: number;
  readonly mean: number | null;
  readonly sd: number | null;
  readonly cv: number | null;
  /** For the `each` test: the CV within the stage's limit. */
  readonly met: boolean | null;
  /** The schools that add most to the spread: each one's share of Σ Pᵢ(Xᵢ − X̄)², largest first. */
  readonly pulls: readonly { readonly school: string; readonly share: number; readonly below: boolean }[];
}

/** One stage of a standard: the published 监测结果 row set and the school rows. */
export interface EquityStageResult {
  readonly stage: EquityStage;
  readonly threshold: number;
  readonly indicators: readonly EquityIndicatorResult[];
  /** 综合: the plain mean of the indicators' CVs; `null` when any is missing. */
  readonly composite: number | null;
  /** The CV test: the composite (composite test) or every CV (each test) within the limit. */
  readonly cvMet: boolean | null;
  /** Every school meets its floors; `null` when the standard sets none for the stage. */
  readonly schoolsMet: boolean | null;
  readonly met: boolean | null;
  readonly schools: readonly EquitySchoolRow[];
}

/** A standard assessed over the district. */
export interface EquityResult {
  readonly code: string;
  readonly stages: readonly EquityStageResult[];
  readonly excluded: readonly { readonly school: string; readonly reason: EquityExclusion; readonly stage?: PartStage; readonly indicator?: string }[];
}

/** Submitted ÷ expected, with the missing schools. */
export interface Completeness {
  readonly expected: number;
  readonly submitted: number;
  readonly ratio: number | null;
  readonly missing: readonly School[];
  /** Codes that submitted but are not in the roster. */
  readonly unknown: readonly string[];
}

/** Options for consolidation. */
export interface ConsolidateOptions {
  /** Include schools with blocking errors in the totals (default false: they are left out and reported). */
  readonly includeSchoolsWithErrors?: boolean;
  readonly groupBy?: readonly ('stage' | 'township')[];
}

/** The consolidated district: a plain model that both adapters render. */
export interface Consolidation {
  readonly title: Bilingual;
  readonly period?: string;
  /** The district's name as the definitions give it (地区), for printed titles. */
  readonly districtName?: string;
  readonly schools: readonly SchoolResult[];
  readonly groups: readonly GroupTotal[];
  readonly district: GroupTotal;
  readonly dispersions: readonly DispersionResult[];
  /** One result per 均衡 standard of the definitions. */
  readonly equity: readonly EquityResult[];
  readonly completeness: Completeness;
  readonly issues: readonly Issue[];
}
