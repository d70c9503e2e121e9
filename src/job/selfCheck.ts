/**
 * A school's check of its own file before it sends it (the bureau's self-check page), and the record
 * the page leaves in the file: a small hidden sheet stating the definitions' fingerprint, the file's
 * content fingerprint, the time and the result. The page, the command and both panes read the same
 * record the same way; the reader sets the sheet aside, so it is never a school's sheet or a problem.
 */
import { compileDefinitions, ruleInWords } from '../core/compile';
import { dataFingerprint, definitionsFingerprint } from '../core/fingerprint';
import type { WorkbookGrid } from '../core/grid';
import type { Bilingual, Definitions, Issue, IssueCode } from '../core/types';
import type { BookRead } from './read';
import { validateBooks } from './run';
import { isStampSheet, withoutStamp, type SelfCheckState } from './stampSheet';

export { STAMP_SHEET, isStampSheet, selfCheckWords, withoutStamp, type SelfCheckState } from './stampSheet';

/** What the record states. */
export interface SelfCheckStamp {
  /** {@link definitionsFingerprint} of the definitions the file was checked against. */
  readonly definitions: string;
  /** {@link contentFingerprint} of the school's sheets when checked. */
  readonly content: string;
  /** When, as an ISO 8601 time. */
  readonly checkedAt: string;
  readonly errors: number;
  readonly warnings: number;
  readonly period?: string;
  readonly title?: string;
}

/** The record's keys, in its column A: a format, not words shown to anybody but who opens the hidden sheet. */
const KEYS = {
  definitions: '指标定义指纹',
  content: '文件内容指纹',
  checkedAt: '自查时间',
  errors: '错误',
  warnings: '警告',
  period: '填报期',
  title: '指标定义',
} as const;

const HEAD = '汇总自查记录：此工作表由教育局下发的自查页面写入，记录本文件的自查结果。请勿修改或删除。';

/** The record as rows of text (column A the key, column B the value). */
export function stampRows(stamp: SelfCheckStamp): string[][] {
  const rows: string[][] = [[HEAD]];
  for (const [key, label] of Object.entries(KEYS) as [keyof SelfCheckStamp, string][]) {
    const v = stamp[key];
    if (v !== undefined) rows.push([label, String(v)]);
  }
  return rows;
}

/** The record in a book, or null when there is none or it does not read as one. */
export function readStamp(book: WorkbookGrid): SelfCheckStamp | null {
  const sheet = book.sheets.find(isStampSheet);
  if (sheet === undefined) return null;
  const byLabel = new Map<string, string>();
  for (const row of sheet.values.slice(0, 40)) {
    const k = row[0];
    const v = row[1];
    if (typeof k === 'string' && v !== null && v !== undefined && typeof v !== 'object') byLabel.set(k.trim(), String(v).trim());
  }
  const get = (key: keyof typeof KEYS): string | undefined => byLabel.get(KEYS[key]);
  const definitions = get('definitions');
  const content = get('content');
  const checkedAt = get('checkedAt');
  const errors = Number(get('errors'));
  const warnings = Number(get('warnings'));
  if (definitions === undefined || content === undefined || checkedAt === undefined || !Number.isInteger(errors) || !Number.isInteger(warnings)) return null;
  const period = get('period');
  const title = get('title');
  return { definitions, content, checkedAt, errors, warnings, ...(period !== undefined ? { period } : {}), ...(title !== undefined ? { title } : {}) };
}

/** The fingerprint of a book's values, the record's sheet set aside: any cell the school changes after its check changes it. */
export function contentFingerprint(book: WorkbookGrid): string {
  return dataFingerprint(withoutStamp(book).sheets.map((s) => ({ name: s.name, values: s.values })));
}

/** A file's self-check state against the definitions in force, and its record when it has one. */
export function selfCheckState(book: WorkbookGrid, defs: Definitions): { readonly state: SelfCheckState; readonly stamp?: SelfCheckStamp } {
  const stamp = readStamp(book);
  return { state: stampState(stamp === null ? undefined : { record: stamp, content: contentFingerprint(book) }, defs), ...(stamp !== null ? { stamp } : {}) };
}

/** The state of a book read (the job's `readBook` keeps its record and content fingerprint) against the definitions in force. */
export function stampState(stamp: { readonly record: SelfCheckStamp; readonly content: string } | undefined, defs: Definitions): SelfCheckState {
  if (stamp === undefined || stamp.record.errors > 0) return 'unchecked';
  if (stamp.record.definitions !== definitionsFingerprint(defs)) return 'definitions_changed';
  if (stamp.record.content !== stamp.content) return 'changed_after';
  return 'checked';
}

/** Problems that need other schools' files or last period's figures: the bureau's, after the files arrive. */
const NEEDS_OTHERS: ReadonlySet<IssueCode> = new Set<IssueCode>([
  'school.duplicate',
  'school.duplicate_identical',
  'school.duplicate_superseded',
  'school.missing',
  'school.excluded',
  'outlier.robust_z',
  'outlier.period_change',
  'output.copies_omitted',
]);

/** Whether an issue is one a school's own check reports: about its file alone, with no other school's and no last period's figures. */
export function isSelfCheckIssue(issue: Issue): boolean {
  return !NEEDS_OTHERS.has(issue.code);
}

/** What a school's own check of one file finds. */
export interface SelfCheckResult {
  /** Every problem the bureau's validation raises for this file alone, in the validation's order. */
  readonly issues: readonly Issue[];
  readonly errors: number;
  readonly warnings: number;
  /** Rules against last period's figures, checked by the bureau once the file has arrived. */
  readonly laterRules: readonly Bilingual[];
  /** The record to write into the file, when it has no errors. */
  readonly stamp: SelfCheckStamp | null;
}

/** Rules the self-check cannot make, in words: those against last period's figures (PREV). */
export function laterRules(defs: Definitions): Bilingual[] {
  return compileDefinitions(defs)
    .rules.filter((r) => r.previous.length > 0)
    .map((r) => {
      const text = (lang: 'zh' | 'en'): string => {
        const rule = ruleInWords(r, lang);
        const message = r.rule.message[lang].trim();
        return message === '' ? rule : lang === 'zh' ? `${message}（${rule}）` : `${message} (${rule})`;
      };
      return { zh: text('zh'), en: text('en') };
    });
}

/**
 * One file checked as the bureau's validation checks it (the job's `validateBooks`, the same call the
 * clerk's validation makes), keeping what is about this file alone; `book` is the workbook read, for its
 * content fingerprint, and `now` the time the record states.
 */
export function selfCheck(read: BookRead, book: WorkbookGrid | null, defs: Definitions, now: Date = new Date()): SelfCheckResult {
  const v = validateBooks([read], defs);
  const issues = v.validation.issues.filter(isSelfCheckIssue);
  let errors = 0;
  let warnings = 0;
  for (const i of issues) {
    if (i.severity === 'error') errors++;
    else if (i.severity === 'warning') warnings++;
  }
  const stamp: SelfCheckStamp | null =
    errors > 0 || book === null || read.submissions.length === 0
      ? null
      : {
          definitions: definitionsFingerprint(defs),
          content: contentFingerprint(book),
          checkedAt: now.toISOString(),
          errors,
          warnings,
          ...(defs.period !== undefined ? { period: defs.period } : {}),
          title: defs.title.zh,
        };
  return { issues, errors, warnings, laterRules: laterRules(defs), stamp };
}
