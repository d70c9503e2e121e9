/**
 * Issues: a stable code, a severity, a location and the parameters its message reads. Each code has
 * its own parameters (`IssueParamsByCode`), so an issue is made with what its code carries and a
 * message reads only what its code has; the compiler holds both ends to the same list. Every
 * parameter is optional: a message still reads well without it.
 */
import type { Severity } from './types';

/** The indicator an issue is about, by its label in both languages; its code stays a detail (`--json`). */
interface Named {
  readonly code?: string;
  readonly label?: string;
  readonly label_en?: string;
}

/** The file an issue is about, by the name the clerk gave it. */
interface InFile {
  readonly file?: string;
}

/** An indicator and the value read for it. */
interface ValueOf extends Named {
  readonly value?: number;
}

/** Why a file could not be read, each with its own words and what to do (file.unreadable's `why`). */
export type UnreadableWhy =
  | 'not_zip'
  | 'corrupt'
  | 'crc'
  | 'size'
  | 'malformed'
  | 'no_workbook'
  | 'name_encoding'
  | 'missing'
  | 'no_read_permission'
  | 'folder'
  | 'link_loop'
  | 'not_a_file'
  | 'damaged'
  | 'html'
  | 'crashed'
  | 'timeout'
  | 'memory'
  | 'xml'
  | 'text'
  | 'missing_strings';

/** The rule an issue is about: its id (a detail) and the bureau's own words for it. */
interface OfRule {
  readonly rule?: string;
  readonly message_zh?: string;
  readonly message_en?: string;
}

/** A stated rate against the rate its own counts give. */
interface StatedRate {
  readonly rate?: string;
  readonly label?: string;
  readonly label_en?: string;
  readonly indicator?: string;
  readonly stated?: number;
  readonly computed?: number;
  readonly exact?: number;
  readonly difference?: number;
  readonly decimals?: number;
  readonly numerator?: number | null;
  readonly denominator?: number | null;
}

/** One school's files when its code came on more than one. */
interface SameCode extends InFile {
  readonly code?: string;
  /** The roster's name of the school. */
  readonly expected?: string;
  /** The file that stands, or stood against this one. */
  readonly other?: string;
}

/** The parameters of each issue code: what its maker may give and its message may read. */
export interface IssueParamsByCode {
  // definitions
  'def.missing_sheet': { readonly sheet?: string };
  'def.missing_column': { readonly column?: string; readonly sheet?: string };
  /** `expected`: a key of the messages' EXPECTED table, or free text. */
  'def.bad_value': { readonly column?: string; readonly value?: string; readonly expected?: string };
  'def.duplicate_code': { readonly code?: string; readonly first?: string };
  'def.unknown_code': { readonly code?: string; readonly expression?: string };
  'def.bad_operator': { readonly operator?: string };
  'def.bad_expression': { readonly expression?: string; readonly offset?: number; readonly message_zh?: string; readonly message_en?: string };
  'def.cycle': { readonly path?: string };
  'def.bad_stage': { readonly stage?: string };
  'def.duplicate_school': { readonly code?: string; readonly first?: string };
  'def.empty': { readonly sheet?: string };
  // reading a school sheet
  'sheet.not_found': { readonly sheet?: string | null };
  'sheet.header_not_found': { readonly headers?: string };
  'sheet.indicator_not_found': Named;
  'sheet.school_code_missing': { readonly labels?: string };
  'sheet.hidden_form': { readonly sheet?: string; readonly used?: string };
  'file.unreadable': InFile & { readonly why?: UnreadableWhy; readonly reason?: string; readonly part?: string; readonly format?: string };
  'file.encrypted': InFile;
  'file.unsupported_format': InFile & { readonly format?: string; readonly saveAs?: string };
  'file.empty': InFile;
  'file.too_large': InFile & { readonly what?: 'bytes' | 'cells' | 'inflated'; readonly limit?: number; readonly sheet?: string; readonly part?: string };
  'sheet.beyond_grid': InFile & { readonly sheet?: string; readonly cell?: string };
  'sheet.too_large': { readonly sheet?: string; readonly extent?: string; readonly cells?: number };
  // values
  'value.coerced': Named & { readonly value?: number | string | null; readonly coercions?: string };
  'value.not_a_number': Named & { readonly original?: string; readonly reason?: 'too_large' | 'invalid' };
  'value.bad_thousands': Named & { readonly original?: string };
  'value.formula_error': Named & { readonly error?: string };
  'value.formula_uncached': Named;
  'value.date_for_number': Named & { readonly date?: string; readonly original?: string };
  'value.required_missing': Named;
  'value.not_integer': ValueOf;
  'value.below_min': ValueOf & { readonly min?: number };
  'value.above_max': ValueOf & { readonly max?: number };
  'value.percent_as_fraction': ValueOf & { readonly suggested?: number };
  'value.fraction_as_percent': ValueOf & { readonly suggested?: number };
  'value.code_as_number': Named & { readonly original?: string; readonly padded?: string };
  // rules and rates
  'rule.failed': OfRule & {
    /** Every rule that failed on the cell making the same comparison, when more than one did. */
    readonly rules?: string;
    readonly lhs?: string;
    readonly op?: string;
    readonly rhs?: string;
    readonly lhs_zh?: string;
    readonly lhs_en?: string;
    readonly rhs_zh?: string;
    readonly rhs_en?: string;
    readonly lhsValue?: number;
    readonly rhsValue?: number;
    readonly tolerance?: number;
  };
  'rule.eval_error': OfRule & {
    readonly error?: string;
    readonly side?: 'lhs' | 'rhs';
    readonly expression?: string;
    readonly expression_zh?: string;
    readonly expression_en?: string;
  };
  'rate.stated_mismatch': StatedRate;
  'rate.stated_rounding': StatedRate;
  'rate.above_100': ValueOf;
  // schools
  'school.unknown': { readonly code?: string; readonly name?: string | null };
  'school.duplicate': SameCode & { readonly others?: string; readonly count?: number; readonly names?: boolean };
  'school.duplicate_identical': SameCode;
  'school.duplicate_superseded': SameCode & { readonly chosen?: boolean };
  'school.missing': { readonly code?: string; readonly name?: string; readonly stage?: string; readonly township?: string | null };
  'school.name_mismatch': SameCode & { readonly name?: string };
  'school.excluded': { readonly code?: string; readonly name?: string; readonly errors?: number; readonly kinds?: string };
  'school.period_mismatch': { readonly period?: string; readonly expected?: string };
  // outliers
  'outlier.robust_z': ValueOf & {
    /** What schools of its kind report for its size. */
    readonly expected?: number;
    readonly factor?: number;
    readonly size?: number;
    readonly size_label?: string;
    readonly size_label_en?: string;
    readonly stage?: string;
    readonly ownership?: 'public' | 'private';
    readonly area?: 'urban' | 'rural';
    /** The school's size itself is queried: most of its figures are off the same way. */
    readonly size_check?: boolean;
    readonly others?: number;
    readonly z?: number;
  };
  'outlier.period_change': ValueOf & { readonly previous?: number; readonly delta?: number; readonly change?: number; readonly changePct?: number };
  // output
  'output.copies_omitted': { readonly sheets?: number; readonly limit?: number; readonly chosen?: boolean };
}

/** Every issue code the core can produce. Stable: messages are looked up from these. */
export type IssueCode = keyof IssueParamsByCode;

/** The parameters of one code, or of any code. */
export type IssueParams<C extends IssueCode = IssueCode> = IssueParamsByCode[C];

/** Where an issue is and how grave it is: everything but its code and parameters. */
export interface IssueBase {
  readonly severity: Severity | 'info';
  /** School code the issue belongs to, when known. */
  readonly school?: string;
  /** File the sheet came from, when known. */
  readonly file?: string;
  readonly sheet?: string;
  /** A1-style address, e.g. `D14`. */
  readonly cell?: string;
  /** Indicator, rule, rate or dispersion code concerned. */
  readonly subject?: string;
  /** For definition issues: which field of the subject (e.g. `numerator`). */
  readonly field?: string;
  /** The text as the school or clerk typed it. */
  readonly original?: string;
}

/**
 * A problem in the data: a value, never an exception. One member per code, each with its code's
 * parameters; messages are produced from `code` + `params` at the edge.
 */
export type Issue<C extends IssueCode = IssueCode> = { readonly [K in C]: IssueBase & { readonly code: K; readonly params: IssueParamsByCode[K] } }[C];

/**
 * An issue of a code known only as a type parameter (a value problem passed on, a file issue made
 * for any file code): the one place where a code and its parameters are put together unchecked,
 * since the compiler cannot follow a generic code into the union.
 */
export function issueOf<C extends IssueCode>(issue: IssueBase & { readonly code: C; readonly params: IssueParamsByCode[C] }): Issue {
  return issue as unknown as Issue;
}

