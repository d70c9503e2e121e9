/** Issues grouped by school (or by file when no school is known), for the validation step. */
import { issueKindLabel } from '../core/messages';
import type { Issue, IssueCode, Lang } from '../core/types';
import { sortIssues } from '../workbook/report';
import type { ValidationView } from './service';

/** One school's (or file's) issues. */
export interface IssueGroup {
  /** Stable key: `school:<code>`, `file:<name>` or `none`. */
  readonly key: string;
  readonly code?: string;
  readonly name: string;
  readonly file?: string;
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
  /** The issues that pass the filter, errors first, in sheet order. */
  readonly issues: readonly Issue[];
  /** All the group's issues, whatever the filter. */
  readonly all: readonly Issue[];
}

function groupKey(issue: Issue): string {
  if (issue.school !== undefined && issue.school !== '') return `school:${issue.school}`;
  if (issue.file !== undefined) return `file:${issue.file}`;
  return 'none';
}

/** Groups issues by school; groups with errors first, then warnings, then by code. Groups whose issues are all filtered out are left out. */
export function groupIssues(view: ValidationView, keep: (issue: Issue) => boolean, noSchool: string): IssueGroup[] {
  const names = new Map<string, { name: string; file?: string }>();
  for (const s of view.schools) if (!names.has(s.code)) names.set(s.code, { name: s.name, ...(s.file !== undefined ? { file: s.file } : {}) });
  const byKey = new Map<string, Issue[]>();
  for (const issue of sortIssues(view.issues)) {
    const k = groupKey(issue);
    const list = byKey.get(k) ?? [];
    list.push(issue);
    byKey.set(k, list);
  }
  const groups: IssueGroup[] = [];
  for (const [key, all] of byKey) {
    const issues = all.filter(keep);
    if (issues.length === 0) continue;
    const first = all[0]!;
    const code = key.startsWith('school:') ? key.slice(7) : undefined;
    const known = code !== undefined ? names.get(code) : undefined;
    const paramName = 'name' in first.params && typeof first.params.name === 'string' ? first.params.name : undefined;
    const name = known?.name || paramName || code || first.file || noSchool;
    const file = known?.file ?? first.file;
    groups.push({
      key,
      ...(code !== undefined ? { code } : {}),
      name,
      ...(file !== undefined ? { file } : {}),
      errors: all.filter((i) => i.severity === 'error').length,
      warnings: all.filter((i) => i.severity === 'warning').length,
      infos: all.filter((i) => i.severity === 'info').length,
      issues,
      all,
    });
  }
  return groups.sort((a, b) => Number(b.errors > 0) - Number(a.errors > 0) || Number(b.warnings > 0) - Number(a.warnings > 0) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The kinds present among the issues: one entry per distinct label, in label order. */
export function issueKinds(issues: readonly Issue[], lang: Lang): { code: IssueCode; label: string }[] {
  const byLabel = new Map<string, IssueCode>();
  for (const i of issues) {
    const label = issueKindLabel(i.code, lang);
    if (!byLabel.has(label)) byLabel.set(label, i.code);
  }
  return [...byLabel].map(([label, code]) => ({ code, label })).sort((a, b) => a.label.localeCompare(b.label, lang));
}
