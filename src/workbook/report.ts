/**
 * The validation report sheet (校验报告): one row per issue, in the clerk's language, sorted so
 * that each school's problems read together, errors first, in the order of its sheet.
 */
import { parseCellAddress, SHEET_ROWS } from '../core/grid';
import { formatIssue, issueKindLabel } from '../core/messages';
import type { Consolidation, Issue, Lang } from '../core/types';
import { severityLabel, words } from './labels';
import { SHEET_NAMES, TABLE_NAMES, uniqueHeaders } from './names';
import type { PlannedCell, PlannedRow, SheetPlan } from './plan';
import { footerOf, placeOf, sheetHeading } from './heading';

const SEVERITY_RANK: Record<Issue['severity'], number> = { error: 0, warning: 1, info: 2 };

function text(s: string | undefined | null): PlannedCell {
  return { value: s === undefined || s === null || s === '' ? null : s };
}

function cellOrder(cell: string | undefined): [number, number] {
  const at = cell === undefined ? null : parseCellAddress(cell);
  return at === null ? [-1, -1] : [at.row, at.col];
}

/** The headers of a list of problems, one per issue: the report's and the pane's exported list. */
export function issueHeaders(lang: Lang): string[] {
  const w = words(lang);
  return uniqueHeaders([w.schoolCode, w.schoolName, w.file, w.sheet, w.cell, w.severity, w.kind, w.message, w.original]);
}

/** One issue's row in a list of problems (school, its name from `names`, file, sheet, cell, severity, kind, message, value sent). */
export function issueCells(issue: Issue, names: ReadonlyMap<string, string>, lang: Lang): PlannedCell[] {
  return [
    text(issue.school),
    text(issue.school === undefined ? undefined : names.get(issue.school)),
    text(issue.file),
    text(issue.sheet),
    text(issue.cell),
    { value: severityLabel(issue.severity, lang) },
    { value: issueKindLabel(issue.code, lang) },
    { value: formatIssue(issue, lang) },
    text(issue.original),
  ];
}

/** The columns of a list of problems, one per issue (school, file, sheet, cell, severity, kind, …, value sent): the report's and the pane's exported list. */
export const ISSUE_COLUMNS: NonNullable<SheetPlan['columns']> = [
  { width: 14, numberFormat: '@' },
  { width: 24, numberFormat: '@' },
  { width: 22, numberFormat: '@' },
  { width: 14, numberFormat: '@' },
  { width: 8, numberFormat: '@' },
  { width: 8 },
  { width: 14 },
  { width: 60 },
  { width: 18, numberFormat: '@' },
];
/** Issues in report order: by school (issues without a school first), severity, file and sheet, then cell in reading order. */
export function sortIssues(issues: readonly Issue[]): Issue[] {
  return [...issues].sort((a, b) => {
    const sa = a.school ?? '';
    const sb = b.school ?? '';
    if (sa !== sb) return sa < sb ? -1 : 1;
    const sev = SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity];
    if (sev !== 0) return sev;
    const fa = `${a.file ?? ''}\u0000${a.sheet ?? ''}`;
    const fb = `${b.file ?? ''}\u0000${b.sheet ?? ''}`;
    if (fa !== fb) return fa < fb ? -1 : 1;
    const [ra, ca] = cellOrder(a.cell);
    const [rb, cb] = cellOrder(b.cell);
    return ra - rb || ca - cb;
  });
}

/**
 * The issues a report of at most `room` rows lists: all of them when they fit; else errors first, then
 * warnings, then notes, up to `room`, in report order.
 */
function listed(issues: readonly Issue[], room: number): Issue[] {
  if (issues.length <= room) return sortIssues(issues);
  const bySeverity = [...issues].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
  return sortIssues(bySeverity.slice(0, room));
}

/**
 * The validation report: a title row with the counts, a header, one row per issue; a table over header and issues.
 * Beyond `maxRows` (a sheet's rows) it lists the errors first and says how many it left out.
 */
export function buildReportPlan(c: Consolidation, lang: Lang, maxRows = SHEET_ROWS): SheetPlan {
  const w = words(lang);
  const names = new Map<string, string>();
  for (const s of c.completeness.missing) names.set(s.code, s.name);
  for (const s of c.schools) names.set(s.code, s.name);

  // Title, header and a closing line take three rows; a province's problems may not all fit in one sheet.
  const issues = listed(c.issues, maxRows - 3);
  const cut = issues.length < c.issues.length;
  const count = (sev: Issue['severity']): number => c.issues.filter((i) => i.severity === sev).length;
  const header = issueHeaders(lang);

  const heading = sheetHeading({ lang, name: w.reportTitle(count('error'), count('warning'), count('info')), ...placeOf(c) });
  const rows: PlannedRow[] = [...heading.rows, { role: 'header', cells: header.map((h) => ({ value: h })) }];
  for (const issue of issues) {
    rows.push({ role: 'data', cells: issueCells(issue, names, lang) });
  }
  if (issues.length === 0) rows.push({ role: 'note', cells: [{ value: w.noIssues }] });
  if (cut) rows.push({ role: 'note', cells: [{ value: w.reportCut(issues.length, c.issues.length) }] });

  return {
    name: SHEET_NAMES[lang].report,
    rows,
    columns: ISSUE_COLUMNS,
    freeze: { rows: 2, cols: 0 },
    print: { landscape: true, fitToWidth: true, repeatRows: { r0: 1, r1: 1 }, footer: footerOf(c, lang) },
    ...(issues.length > 0 ? { table: { name: TABLE_NAMES.report, r0: 1, c0: 0, r1: 1 + issues.length, c1: header.length - 1 } } : {}),
  };
}
