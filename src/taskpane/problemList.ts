/**
 * 导出问题清单: the problems the validation step shows, as one sheet to hand on or sort — school, file, sheet,
 * cell, severity, kind, problem and the value sent — under a filtering table, in the report's order and words.
 */
import type { Issue, Lang } from '../core/types';
import type { SheetPlan } from '../workbook/plan';
import { ISSUE_COLUMNS, issueCells, issueHeaders, sortIssues } from '../workbook/report';

/** The sheet's name and the table's, and the file's name, by language. */
export function problemListNames(lang: Lang): { sheet: string; file: string } {
  return lang === 'zh-CN' ? { sheet: '问题清单', file: '问题清单.xlsx' } : { sheet: 'Problems', file: 'Problems.xlsx' };
}

/** The problem list of `issues`, schools named from `names` (code → name); one row per issue under a header with filters. */
export function problemListPlan(issues: readonly Issue[], names: ReadonlyMap<string, string>, lang: Lang): SheetPlan {
  const header = issueHeaders(lang);
  const rows = sortIssues(issues).map((issue) => ({ role: 'data' as const, cells: issueCells(issue, names, lang) }));
  return {
    name: problemListNames(lang).sheet,
    rows: [{ role: 'header', cells: header.map((h) => ({ value: h })) }, ...rows],
    columns: ISSUE_COLUMNS,
    freeze: { rows: 1, cols: 0 },
    ...(rows.length > 0 ? { table: { name: 'HuizongProblems', r0: 0, c0: 0, r1: rows.length, c1: header.length - 1 } } : {}),
  };
}
