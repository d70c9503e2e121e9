/**
 * Return packages (退回修改): for each school sheet with errors or warnings, one workbook holding a first
 * sheet 退回意见 — the school, the period, every problem in plain words (cell, what is wrong, the value
 * typed, what is expected, error or query), errors first, and a line to sign — then the school's own
 * sheet as it sent it, the problem cells filled and annotated. And for the clerk an index of who was
 * sent back and why. Planned here, once, for the command and both panes.
 */
import { parseCellAddress } from '../core/grid';
import { isForSchool, issueKindLabel, issueMessage } from '../core/messages';
import type { Issue, Lang } from '../core/types';
import { safeSheetName, severityLabel, sortIssues, type CellMark, type SheetPlan } from '../workbook';
import type { CopyPlan } from './plan';
import type { JobResult } from './run';

/** One school's return package. */
export interface ReturnPackage {
  /** File name of its workbook: code, name and 退回修改, safe on every file system. */
  readonly fileName: string;
  readonly school: string;
  readonly name: string;
  /** The book and sheet it came from. */
  readonly file?: string;
  readonly sheet: string;
  readonly errors: number;
  readonly warnings: number;
  /** The 退回意见 sheet. */
  readonly plans: readonly SheetPlan[];
  /** The school's sheet, copied as it was sent, its problem cells marked. */
  readonly copy: CopyPlan;
}

/** The clerk's index of return packages, and of files that could not be read at all. */
export interface ReturnIndexRow {
  readonly school: string;
  readonly name: string;
  readonly file: string;
  readonly errors: number;
  readonly warnings: number;
  /** The kinds of problem, in words. */
  readonly kinds: string;
  /** The package's file name; empty for a file no school could be read from. */
  readonly package: string;
}

/** All return packages of a job, and the index. */
export interface ReturnPlan {
  readonly packages: readonly ReturnPackage[];
  readonly index: readonly ReturnIndexRow[];
}

const WORDS = {
  'zh-CN': {
    sheet: '退回意见',
    title: '退回修改意见',
    school: '学校',
    period: '填报期',
    source: '文件 / 工作表',
    counts: (e: number, w: number) => `共 ${e} 个错误（必须修改），${w} 个警告（请核实或说明）`,
    header: ['序号', '单元格', '问题', '填报的值', '应为', '类别'],
    sign: '请改正以上问题后重新报送。学校负责人（签字）：＿＿＿＿＿＿＿＿  日期：＿＿＿＿年＿＿月＿＿日',
    suffix: '退回修改',
    indexHeader: ['学校代码', '学校名称', '文件', '错误', '警告', '问题类别', '退回包'],
    unreadable: '（文件无法读取）',
  },
  'en-US': {
    sheet: 'Corrections',
    title: 'Corrections requested',
    school: 'School',
    period: 'Period',
    source: 'File / sheet',
    counts: (e: number, w: number) => `${e} errors (must be corrected), ${w} warnings (check or explain)`,
    header: ['No.', 'Cell', 'Problem', 'Value sent', 'Expected', 'Kind'],
    sign: 'Please correct the problems above and send the sheet again. Signed (head of school): ______________  Date: __________',
    suffix: 'corrections',
    indexHeader: ['School code', 'School name', 'File', 'Errors', 'Warnings', 'Kinds of problem', 'Package'],
    unreadable: '(file cannot be read)',
  },
} as const;

/**
 * The most UTF-8 bytes of a package's name before its number and extension: file systems allow 255
 * bytes (Linux, macOS) or 255 UTF-16 units (Windows) a name, and a Chinese character takes three bytes.
 */
const NAME_BYTES = 200;

const encoder = new TextEncoder();

/** A name any file system takes: no path separators or reserved characters, at most {@link NAME_BYTES} bytes of UTF-8, cut between characters. */
export function safeFileName(name: string): string {
  const chars = [...name].map((ch) => (ch.charCodeAt(0) < 32 || '\\/:*?"<>|'.includes(ch) ? '_' : ch));
  let bytes = 0;
  let end = 0;
  while (end < chars.length && bytes + encoder.encode(chars[end]).length <= NAME_BYTES) bytes += encoder.encode(chars[end++]).length;
  const cleaned = chars.slice(0, end).join('').replace(/^[.\s]+|[.\s]+$/g, '');
  return cleaned === '' ? 'school' : cleaned;
}

/** What the cell should hold, where the issue says it; empty when it does not. */
function expectedText(issue: Issue, lang: Lang): string {
  const p = issue.params;
  const zh = lang === 'zh-CN';
  switch (issue.code) {
    case 'value.below_min':
      return `≥ ${p.min ?? ''}`;
    case 'value.above_max':
      return `≤ ${p.max ?? ''}`;
    case 'value.not_integer':
      return zh ? '整数' : 'a whole number';
    case 'value.required_missing':
      return zh ? '必填' : 'required';
    case 'value.not_a_number':
    case 'value.bad_thousands':
    case 'value.date_for_number':
    case 'value.formula_error':
    case 'value.formula_uncached':
      return zh ? '数字' : 'a number';
    case 'value.percent_as_fraction':
    case 'value.fraction_as_percent':
      return p.suggested === undefined || p.suggested === null ? '' : String(p.suggested);
    case 'value.code_as_number':
      return p.padded === undefined || p.padded === null ? '' : String(p.padded);
    case 'rate.stated_mismatch':
      return p.computed === undefined || p.computed === null ? '' : String(p.computed);
    case 'rate.above_100':
      return '≤ 100';
    default:
      return '';
  }
}

/** The value the school typed, as the issue keeps it. */
function typedValue(issue: Issue): string {
  if (issue.original !== undefined) return issue.original;
  const v = issue.params.value ?? issue.params.original ?? issue.params.stated;
  return v === undefined || v === null ? '' : String(v);
}

const keyOf = (file: string | undefined, sheet: string | undefined): string => `${file ?? ''}\u0000${sheet ?? ''}`;

/** The 退回意见 sheet for one school. */
function opinionPlan(name: string, school: string, period: string | undefined, source: string, issues: readonly Issue[], lang: Lang): SheetPlan {
  const w = WORDS[lang];
  const errors = issues.filter((i) => i.severity === 'error').length;
  const rows: SheetPlan['rows'][number][] = [
    { role: 'title', cells: [{ value: w.title }] },
    { role: 'note', cells: [{ value: w.school }, { value: `${name}（${school}）` }] },
    ...(period !== undefined ? [{ role: 'note' as const, cells: [{ value: w.period }, { value: period }] }] : []),
    { role: 'note', cells: [{ value: w.source }, { value: source }] },
    { role: 'note', cells: [{ value: w.counts(errors, issues.length - errors) }] },
    { role: 'header', cells: w.header.map((h) => ({ value: h })) },
  ];
  issues.forEach((issue, k) => {
    rows.push({
      role: 'data',
      cells: [
        { value: k + 1 },
        { value: issue.cell ?? '' },
        { value: issueMessage(issue, lang) },
        { value: typedValue(issue) },
        { value: expectedText(issue, lang) },
        { value: `${severityLabel(issue.severity, lang)} · ${issueKindLabel(issue.code, lang)}` },
      ],
    });
  });
  rows.push({ role: 'blank', cells: [] });
  rows.push({ role: 'note', cells: [{ value: w.sign }] });
  return {
    name: w.sheet,
    rows,
    columns: [{ width: 8 }, { width: 10, numberFormat: '@' }, { width: 64 }, { width: 16, numberFormat: '@' }, { width: 16, numberFormat: '@' }, { width: 22 }],
    freeze: { rows: rows.findIndex((r) => r.role === 'header') + 1, cols: 0 },
  };
}

/** Plans a return package for every school sheet with errors or warnings, and the index. */
export function planReturns(job: JobResult, lang: Lang, period?: string): ReturnPlan {
  const w = WORDS[lang];
  const c = job.consolidation;
  // Each sheet's problems: errors and warnings only (notes are the clerk's, not the school's).
  const bySheet = new Map<string, Issue[]>();
  const fileOnly = new Map<string, Issue[]>();
  for (const issue of sortIssues(c.issues)) {
    // Only what the school itself must act on: notes, and the clerk's own choices between duplicate files, stay home.
    if (!isForSchool(issue)) continue;
    if (issue.sheet === undefined) {
      if (issue.file !== undefined) fileOnly.set(issue.file, [...(fileOnly.get(issue.file) ?? []), issue]);
      continue;
    }
    const k = keyOf(issue.file, issue.sheet);
    const list = bySheet.get(k);
    if (list === undefined) bySheet.set(k, [issue]);
    else list.push(issue);
  }
  const packages: ReturnPackage[] = [];
  const index: ReturnIndexRow[] = [];
  const usedNames = new Set<string>();
  const seen = new Set<string>();
  for (const s of c.schools) {
    const k = keyOf(s.file, s.sheet);
    if (seen.has(k)) continue;
    seen.add(k);
    const issues = bySheet.get(k);
    if (issues === undefined || issues.length === 0) continue;
    // Errors first, then warnings; each in the order of the sheet.
    const ordered = [...issues.filter((i) => i.severity === 'error'), ...issues.filter((i) => i.severity !== 'error')];
    const errors = ordered.filter((i) => i.severity === 'error').length;
    // The number goes after the name already cut to size, so that it is never cut off again.
    const base = safeFileName(`${s.code}_${s.name}_${w.suffix}`);
    let fileName = base;
    for (let n = 2; usedNames.has(fileName.toLowerCase()); n++) fileName = `${base}_${n}`;
    usedNames.add(fileName.toLowerCase());
    fileName = `${fileName}.xlsx`;
    const copyName = safeSheetName(s.sheet, [w.sheet]);
    const marks: CellMark[] = ordered
      .filter((i) => i.cell !== undefined && parseCellAddress(i.cell) !== null)
      .map((i) => ({ sheet: copyName, cell: i.cell!, severity: i.severity === 'error' ? 'error' : 'warning', message: issueMessage(i, lang) }));
    const source = `${s.file ?? ''}${s.file !== undefined ? ' / ' : ''}${s.sheet}`;
    packages.push({
      fileName,
      school: s.code,
      name: s.name,
      ...(s.file !== undefined ? { file: s.file } : {}),
      sheet: s.sheet,
      errors,
      warnings: ordered.length - errors,
      plans: [opinionPlan(s.name, s.code, period, source, ordered, lang)],
      copy: { ...(s.file !== undefined ? { file: s.file } : {}), sheet: s.sheet, name: copyName, updates: [], marks },
    });
    index.push({
      school: s.code,
      name: s.name,
      file: source,
      errors,
      warnings: ordered.length - errors,
      kinds: [...new Set(ordered.map((i) => issueKindLabel(i.code, lang)))].join(lang === 'zh-CN' ? '、' : ', '),
      package: fileName,
    });
  }
  for (const [file, issues] of fileOnly) {
    const errors = issues.filter((i) => i.severity === 'error').length;
    index.push({ school: '', name: w.unreadable, file, errors, warnings: issues.length - errors, kinds: [...new Set(issues.map((i) => issueKindLabel(i.code, lang)))].join(lang === 'zh-CN' ? '、' : ', '), package: '' });
  }
  return { packages, index };
}

/** The index as a sheet: codes and names as text (a CSV opened in Excel would turn 0340102001 into a number). */
export function returnIndexPlan(index: readonly ReturnIndexRow[], lang: Lang): SheetPlan {
  const w = WORDS[lang];
  const sent = index.filter((r) => r.package !== '').length;
  const title = lang === 'zh-CN' ? `退回汇总：${sent} 所学校需要修改` : `Sent back: ${sent} school sheets to correct`;
  return {
    name: lang === 'zh-CN' ? '退回汇总' : 'Sent back',
    rows: [
      { role: 'title', cells: [{ value: title }] },
      { role: 'header', cells: w.indexHeader.map((h) => ({ value: h })) },
      ...index.map((r) => ({
        role: 'data' as const,
        cells: [{ value: r.school }, { value: r.name }, { value: r.file }, { value: r.errors }, { value: r.warnings }, { value: r.kinds }, { value: r.package }],
      })),
    ],
    columns: [{ width: 14, numberFormat: '@' }, { width: 24, numberFormat: '@' }, { width: 40, numberFormat: '@' }, { width: 8 }, { width: 8 }, { width: 40 }, { width: 44, numberFormat: '@' }],
    freeze: { rows: 2, cols: 0 },
  };
}
