/**
 * 导出问题清单: the problems the validation step shows, as one sheet to hand on or sort — school, file, sheet,
 * cell, severity, kind, problem and the value sent — under a filtering table, in the report's order and words.
 */
import { formatIssue, issueKindLabel } from '../core/messages';
import type { Issue, Lang } from '../core/types';
import { severityLabel, words } from '../workbook/labels';
import { ISSUE_COLUMNS } from '../workbook/report';
import { uniqueHeaders } from '../workbook/names';
import type { PlannedCell, SheetPlan } from '../workbook/plan';
import { sortIssues } from '../workbook/report';

/** The sheet's name and the table's, and the file's name, by language. */
export function problemListNames(lang: Lang): { sheet: string; file: string } {
  return lang === 'zh-CN' ? { sheet: '问题清单', file: '问题清单.xlsx' } : { sheet: 'Problems', file: 'Problems.xlsx' };
}

function text(s: string | undefined): PlannedCell {
  return { value: s === undefined || s === '' ? null : s };
}

/** The problem list of `issues`, schools named from `names` (code → name); one row per issue under a header with filters. */
export function problemListPlan(issues: readonly Issue[], names: ReadonlyMap<string, string>, lang: Lang): SheetPlan {
  const w = words(lang);
  const header = uniqueHeaders([w.schoolCode, w.schoolName, w.file, w.sheet, w.cell, w.severity, w.kind, w.message, w.original]);
  const rows = sortIssues(issues).map((issue) => ({
    role: 'data' as const,
    cells: [
      text(issue.school),
      text(issue.school === undefined ? undefined : names.get(issue.school)),
      text(issue.file),
      text(issue.sheet),
      text(issue.cell),
      { value: severityLabel(issue.severity, lang) },
      { value: issueKindLabel(issue.code, lang) },
      { value: formatIssue(issue, lang) },
      text(issue.original),
    ],
  }));
  return {
    name: problemListNames(lang).sheet,
    rows: [{ role: 'header', cells: header.map((h) => ({ value: h })) }, ...rows],
    columns: ISSUE_COLUMNS,
    freeze: { rows: 1, cols: 0 },
    ...(rows.length > 0 ? { table: { name: 'HuizongProblems', r0: 0, c0: 0, r1: rows.length, c1: header.length - 1 } } : {}),
  };
}
