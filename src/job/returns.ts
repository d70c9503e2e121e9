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
import { PAPER_MARGINS, safeSheetName, severityLabel, sheetHeading, sortIssues, wrappedHeight, wrappedLines, type CellMark, type PlannedRow, type PrintPlan, type SheetPlan } from '../workbook';
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
  /** The district and period the letters and the index are titled with. */
  readonly heading: { readonly district?: string; readonly period?: string };
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
    sign: ['请改正以上问题，于＿＿月＿＿日前重新报送。', '学校负责人（签字）：＿＿＿＿＿＿＿＿　　日期：＿＿＿＿年＿＿月＿＿日'],
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
    sign: ['Please correct the problems above and send the sheet again by ____ / ____.', 'Signed (head of school): ______________   Date: __________'],
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
  const zh = lang === 'zh-CN';
  switch (issue.code) {
    case 'value.below_min':
      return `≥ ${issue.params.min ?? ''}`;
    case 'value.above_max':
      return `≤ ${issue.params.max ?? ''}`;
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
      return issue.params.suggested === undefined ? '' : String(issue.params.suggested);
    case 'value.code_as_number':
      return issue.params.padded ?? '';
    case 'rate.stated_mismatch':
      return issue.params.computed === undefined ? '' : String(issue.params.computed);
    case 'rate.above_100':
      return '≤ 100';
    case 'rule.failed':
      return ruleExpected(issue, lang);
    default:
      return '';
  }
}

/** A rule's side in words with its value: `在校学生数 = 931`. */
function sideText(issue: Issue<'rule.failed'>, side: 'lhs' | 'rhs', lang: Lang): string {
  const p = issue.params;
  const zh = lang === 'zh-CN';
  const words = side === 'lhs' ? ((zh ? p.lhs_zh : p.lhs_en) ?? p.lhs) : ((zh ? p.rhs_zh : p.rhs_en) ?? p.rhs);
  const value = side === 'lhs' ? p.lhsValue : p.rhsValue;
  if (words === undefined || words === null) return value === undefined || value === null ? '' : String(value);
  return value === undefined || value === null ? String(words) : `${String(words)} = ${String(value)}`;
}

/** What a failed rule expects, in words and figures: `≤ 教职工总数（57）`. */
function ruleExpected(issue: Issue<'rule.failed'>, lang: Lang): string {
  const p = issue.params;
  const words = (lang === 'zh-CN' ? p.rhs_zh : p.rhs_en) ?? p.rhs;
  const op = ({ '==': '=', '!=': '≠', '<=': '≤', '>=': '≥', '<': '<', '>': '>' } as Record<string, string>)[String(p.op ?? '')] ?? String(p.op ?? '');
  const value = p.rhsValue;
  const shown = value === undefined || value === null ? '' : lang === 'zh-CN' ? `（${String(value)}）` : ` (${String(value)})`;
  return `${op} ${String(words ?? '')}${shown}`.trim();
}

/** The value the school typed, as the issue keeps it; for a rule, the values involved. */
function typedValue(issue: Issue, lang: Lang): string {
  if (issue.code === 'rule.failed') return sideText(issue, 'lhs', lang);
  if (issue.original !== undefined) return issue.original;
  const p = issue.params;
  const v = ('value' in p ? p.value : undefined) ?? ('original' in p ? p.original : undefined) ?? ('stated' in p ? p.stated : undefined);
  return v === undefined || v === null ? '' : String(v);
}

const keyOf = (file: string | undefined, sheet: string | undefined): string => `${file ?? ''}\u0000${sheet ?? ''}`;

/** Widths of the letter's columns: one A4 portrait page wide at full size. */
const LETTER_WIDTHS = [5, 8, 38, 15, 15, 11] as const;

/** Where a letter and its form copy print: A4 portrait, one page wide. */
const LETTER_PRINT: PrintPlan = { landscape: false, fitToWidth: true, margins: PAPER_MARGINS, center: true };

/** The 退回意见 sheet for one school: A4 portrait, one page wide, the header row on every page. */
function opinionPlan(name: string, school: string, heading: { district?: string; period?: string }, source: string, issues: readonly Issue[], lang: Lang): SheetPlan {
  const w = WORDS[lang];
  const errors = issues.filter((i) => i.severity === 'error').length;
  const width = LETTER_WIDTHS.length;
  const across = LETTER_WIDTHS.reduce((a, b) => a + b, 0);
  const top = sheetHeading({ lang, name: w.title, ...heading, width });
  const merges = [...top.merges];
  const rows: PlannedRow[] = [...top.rows];
  const line = (text: string): void => {
    merges.push({ r0: rows.length, c0: 0, r1: rows.length, c1: width - 1 });
    rows.push({ role: 'note', cells: [{ value: text }], wrap: true, height: wrappedHeight([text], [across]) });
  };
  const sep = lang === 'zh-CN' ? '：' : ': ';
  line(`${w.school}${sep}${name}（${school}）`);
  line(`${w.source}${sep}${source}`);
  line(w.counts(errors, issues.length - errors));
  const headerRow = rows.length;
  rows.push({ role: 'header', cells: w.header.map((h) => ({ value: h })) });
  issues.forEach((issue, k) => {
    const texts = [String(k + 1), issue.cell ?? '', issueMessage(issue, lang), typedValue(issue, lang), expectedText(issue, lang), `${severityLabel(issue.severity, lang)} · ${issueKindLabel(issue.code, lang)}`];
    rows.push({ role: 'data', cells: texts.map((t, c) => ({ value: c === 0 ? k + 1 : t })), height: wrappedHeight(texts, LETTER_WIDTHS) });
  });
  rows.push({ role: 'blank', cells: [] });
  for (const text of w.sign) {
    merges.push({ r0: rows.length, c0: 0, r1: rows.length, c1: width - 1 });
    rows.push({ role: 'data', cells: [{ value: text }], wrap: true, height: wrappedHeight([text], [across]) });
  }
  return {
    name: w.sheet,
    rows,
    columns: LETTER_WIDTHS.map((wd, c) => ({ width: wd, ...(c === 1 || c === 3 || c === 4 ? { numberFormat: '@' } : {}), ...(c >= 2 ? { wrap: true } : {}) })),
    merges,
    freeze: { rows: headerRow + 1, cols: 0 },
    print: { ...LETTER_PRINT, repeatRows: { r0: headerRow, r1: headerRow }, footer: `${name}（${school}）` },
  };
}

/** Plans a return package for every school sheet with errors or warnings, and the index. */
export function planReturns(job: JobResult, lang: Lang, period?: string): ReturnPlan {
  const w = WORDS[lang];
  const c = job.consolidation;
  const heading = { ...(c.districtName !== undefined ? { district: c.districtName } : {}), ...(period !== undefined ? { period } : {}) };
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
      plans: [opinionPlan(s.name, s.code, heading, source, ordered, lang)],
      copy: { ...(s.file !== undefined ? { file: s.file } : {}), sheet: s.sheet, name: copyName, updates: [], marks, print: LETTER_PRINT },
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
  return { packages, index, heading };
}

/** Widths of the index's columns: A4 landscape, each school on one line, fitted at a readable scale (about forty schools a page). */
const INDEX_WIDTHS = [12, 22, 5, 5, 24, 48, 46] as const;

/** The most lines any of the texts wraps to in its column. */
function wrappedLinesOf(texts: readonly string[], widths: readonly number[]): number {
  return Math.max(1, ...texts.map((t, k) => wrappedLines(t, widths[k] ?? 8.43)));
}

/** A source without its folders (`学校/甲.xlsx / 填报表` → `甲.xlsx / 填报表`): the folder is the clerk's own. */
function baseName(source: string): string {
  const [file = '', ...rest] = source.split(' / ');
  const at = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return [at < 0 ? file : file.slice(at + 1), ...rest].join(' / ');
}

/** The index as a sheet: codes and names as text (a CSV opened in Excel would turn 0340102001 into a number). */
export function returnIndexPlan(index: readonly ReturnIndexRow[], lang: Lang, heading: { district?: string; period?: string } = {}): SheetPlan {
  const w = WORDS[lang];
  const sent = index.filter((r) => r.package !== '').length;
  const name = lang === 'zh-CN' ? `退回汇总：${sent} 所学校需要修改` : `Sent back: ${sent} school sheets to correct`;
  const top = sheetHeading({ lang, name, ...heading, width: INDEX_WIDTHS.length });
  const headerRow = top.rows.length;
  const header = [w.indexHeader[0], w.indexHeader[1], w.indexHeader[3], w.indexHeader[4], w.indexHeader[5], w.indexHeader[2], w.indexHeader[6]];
  const rows: PlannedRow[] = [...top.rows, { role: 'header', cells: header.map((h) => ({ value: h })) }];
  for (const r of index) {
    const texts = [r.school, r.name, String(r.errors), String(r.warnings), r.kinds, baseName(r.file), r.package];
    rows.push({
      role: 'data',
      cells: [{ value: r.school }, { value: r.name }, { value: r.errors }, { value: r.warnings }, { value: r.kinds }, { value: texts[5]! }, { value: r.package }],
      // One line keeps the sheet's own row height: about forty schools to an A4 page.
      ...(wrappedLinesOf(texts, INDEX_WIDTHS) > 1 ? { height: wrappedHeight(texts, INDEX_WIDTHS) } : {}),
    });
  }
  return {
    name: lang === 'zh-CN' ? '退回汇总' : 'Sent back',
    rows,
    // The counts centred: a count right against the kinds' text beside it would read as one number with it. Every
    // column wraps, so a row of two lines holds each cell in its middle, not some at the bottom.
    columns: INDEX_WIDTHS.map((wd, c) => ({ width: wd, ...(c === 2 || c === 3 ? { align: 'center' as const } : { numberFormat: '@' }), wrap: true })),
    merges: top.merges,
    freeze: { rows: headerRow + 1, cols: 0 },
    print: { landscape: true, fitToWidth: true, margins: PAPER_MARGINS, center: true, repeatRows: { r0: headerRow, r1: headerRow }, footer: name },
  };
}
