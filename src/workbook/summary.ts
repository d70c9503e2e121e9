/**
 * The district summary sheet (全区汇总): one row per included school, then subtotal rows per
 * stage and township and the district total, with either plain values or live formulas that
 * reference the imported school sheets.
 *
 * Layout: title, note, header, school rows — the Excel table covers the header and the school
 * rows only — then one blank row, the subtotal rows and the total row. Excel tables cannot hold
 * subtotal rows in the middle, and a table's own total row holds one formula per column, not
 * one row per group. The blank row keeps Excel (and Office.js) from growing the table over the
 * subtotals when cells right under a table are written, and the .xlsx writer renders the same cells.
 *
 * Rates are Σ numerator ÷ Σ denominator × factor at every level. A rate whose numerator or
 * denominator is a single indicator that adds up by sum reads that indicator's column in the same
 * row. Any other side (a sum of indicators, a constant such as `1` that adds up to the school
 * count, a function) gets a column of its own holding each school's value of that side, so that
 * subtotal rows add up the sides and the rate formula is the same in every row: the inputs are
 * added up first, the rate is computed after.
 */
import { cellAddress, columnLetters } from '../core/grid';
import { inWords, parsed as parseSide } from '../core/compile';
import { referencedCodes, toExcelFormula, type Expr } from '../core/expr';
import { STAGES, type Consolidation, type Definitions, type GroupTotal, type Indicator, type Issue, type Lang, type Rate, type SchoolResult } from '../core/types';
import { decimalsFormat } from './formats';
import { rateUnit, stageLabel, withUnit, words } from './labels';
import { formulaString, SHEET_NAMES, sheetRef, TABLE_NAMES, uniqueHeaders } from './names';
import { sheetHeading } from './heading';
import { inclusionNote } from './inclusion';
import { PAPER_MARGINS, widenForNumbers, wrappedHeight } from './page';
import type { ColumnPlan, ConditionalPlan, PlannedCell, PlannedRow, SheetPlan } from './plan';

/** Options for the summary sheet. */
export interface SummaryOptions {
  readonly lang: Lang;
  /** Plain numbers, or live formulas over the school sheets (each formula cell also carries its value). */
  readonly mode: 'values' | 'formulas';
  /** Subtotal rows, in this order: per stage, per township. */
  readonly groupBy: readonly ('stage' | 'township')[];
  /** For formulas mode: the sheet holding each school's data in the output workbook; undefined writes that school's values. */
  readonly schoolSheet?: (school: SchoolResult) => string | undefined;
  /** Shown in the note row; now when absent. */
  readonly generated?: Date | string;
  /** A block of 差异系数 under the total (values only); default true when the consolidation has any. */
  readonly dispersions?: boolean;
}

/** Where the first school row is (zero-based): after the title, note and header rows. */
export const SUMMARY_HEADER_ROW = 2;

/** Issue codes after which a school's cell no longer holds the number the core read (text turned into a number, an error, a date). */
const NOT_LIVE = new Set<string>([
  'value.coerced',
  'value.not_a_number',
  'value.bad_thousands',
  'value.formula_error',
  'value.date_for_number',
  'value.percent_as_fraction',
  'value.fraction_as_percent',
  'value.code_as_number',
]);

type Side = 'numerator' | 'denominator';

/** One column of the summary. */
type Column =
  | { readonly kind: 'code' | 'name' | 'stage' | 'township' }
  | { readonly kind: 'indicator'; readonly ind: Indicator }
  | { readonly kind: 'side'; readonly rate: Rate; readonly side: Side; readonly expr: Expr | null }
  | { readonly kind: 'rate'; readonly rate: Rate; num: number; den: number };

/** The number shown for an indicator or side: only finite numbers, anything else is blank. */
function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function isNumeric(ind: Indicator): boolean {
  return ind.type !== 'text' && ind.type !== 'code';
}

/** Number format of an indicator column of the summary: a mean is never whole. */
export function summaryFormat(ind: Indicator): string {
  if (ind.aggregation === 'mean') return '#,##0.00';
  switch (ind.type) {
    case 'integer':
      return '#,##0';
    case 'percent':
      return '0.00';
    case 'fraction':
      return '0.0000';
    default:
      return '#,##0.00';
  }
}

/** The columns: school identity, indicators (those that add up, and any a rate refers to), rates, then rate sides needing their own column. */
function planColumns(defs: Definitions): Column[] {
  const byCode = new Map(defs.indicators.map((i) => [i.code, i]));
  const parsed = defs.rates.map((rate) => ({ rate, numerator: parseSide(rate.numerator), denominator: parseSide(rate.denominator) }));
  const referenced = new Set<string>();
  for (const p of parsed) for (const e of [p.numerator, p.denominator]) if (e) for (const c of referencedCodes(e)) referenced.add(c);

  const columns: Column[] = [{ kind: 'code' }, { kind: 'name' }, { kind: 'stage' }, { kind: 'township' }];
  const indicatorCol = new Map<string, number>();
  for (const ind of defs.indicators) {
    if (!isNumeric(ind)) continue;
    if (ind.aggregation === 'none' && !referenced.has(ind.code)) continue;
    indicatorCol.set(ind.code, columns.length);
    columns.push({ kind: 'indicator', ind });
  }
  const rateCols: Column[] = [];
  const sideCols: Column[] = [];
  const firstSide = columns.length + defs.rates.length;
  for (const p of parsed) {
    const at = { numerator: -1, denominator: -1 };
    for (const side of ['numerator', 'denominator'] as const) {
      const e = p[side];
      // A bare reference to a summed indicator: its own column already adds up right.
      if (e?.kind === 'ref' && byCode.get(e.code)?.aggregation === 'sum' && indicatorCol.has(e.code)) {
        at[side] = indicatorCol.get(e.code)!;
      } else {
        at[side] = firstSide + sideCols.length;
        sideCols.push({ kind: 'side', rate: p.rate, side, expr: e });
      }
    }
    rateCols.push({ kind: 'rate', rate: p.rate, num: at.numerator, den: at.denominator });
  }
  return [...columns, ...rateCols, ...sideCols];
}

/** A rate side in the reader's words: its indicators' names (`公办园在园幼儿数 + 普惠性民办园在园幼儿数`); a constant 1 counts schools. */
function sideWords(col: Extract<Column, { kind: 'side' }>, defs: Definitions, lang: Lang): string {
  if (col.expr?.kind === 'number' && col.expr.value === 1) return lang === 'zh-CN' ? '学校数（所）' : 'schools';
  const source = col.side === 'numerator' ? col.rate.numerator : col.rate.denominator;
  return inWords(source, defs)[lang === 'zh-CN' ? 'zh' : 'en'];
}

function header(col: Column, lang: Lang, defs: Definitions): string {
  const w = words(lang);
  const key = lang === 'zh-CN' ? 'zh' : 'en';
  switch (col.kind) {
    case 'code':
      return w.schoolCode;
    case 'name':
      return w.schoolName;
    case 'stage':
      return w.stage;
    case 'township':
      return w.township;
    case 'indicator':
      return withUnit(col.ind.label[key], col.ind.type === 'percent' ? (col.ind.unit ?? '%') : col.ind.unit, lang);
    case 'rate':
      return withUnit(col.rate.label[key], rateUnit(col.rate.factor), lang);
    case 'side': {
      const part = col.side === 'numerator' ? (lang === 'zh-CN' ? '分子' : 'numerator') : lang === 'zh-CN' ? '分母' : 'denominator';
      return lang === 'zh-CN' ? `${col.rate.label.zh}的${part}：${sideWords(col, defs, lang)}` : `${col.rate.label.en}, ${part}: ${sideWords(col, defs, lang)}`;
    }
  }
}

function columnFormat(col: Column, defs: Definitions): ColumnPlan {
  switch (col.kind) {
    case 'code':
      return { width: 14, numberFormat: '@' };
    case 'name':
      return { width: 28, numberFormat: '@' };
    case 'stage':
    case 'township':
      return { width: 12, numberFormat: '@' };
    case 'indicator':
      return { width: 12, numberFormat: summaryFormat(col.ind) };
    case 'rate':
      return { width: 12, numberFormat: decimalsFormat(col.rate.decimals) };
    case 'side': {
      const codes = col.expr ? referencedCodes(col.expr) : [];
      const byCode = new Map(defs.indicators.map((i) => [i.code, i]));
      const whole = codes.every((c) => byCode.get(c)?.type === 'integer');
      return { width: 14, numberFormat: whole ? '#,##0' : '#,##0.00' };
    }
  }
}

function stageRank(stage: string | undefined): number {
  const i = STAGES.indexOf(stage as (typeof STAGES)[number]);
  return i === -1 ? STAGES.length : i;
}

function compareText(a: string, b: string): number {
  return a === b ? 0 : a.localeCompare(b, 'zh-CN') || (a < b ? -1 : 1);
}

/** Included schools in summary order: by stage, township, then code. */
export function summarySchools(c: Consolidation): SchoolResult[] {
  return c.schools
    .filter((s) => s.included)
    .sort((a, b) => stageRank(a.stage) - stageRank(b.stage) || compareText(a.township ?? '', b.township ?? '') || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

export function orderedGroups(c: Consolidation, groupBy: readonly ('stage' | 'township')[]): GroupTotal[] {
  const out: GroupTotal[] = [];
  for (const kind of groupBy) {
    const groups = c.groups.filter((g) => g.kind === kind);
    groups.sort(kind === 'stage' ? (a, b) => stageRank(a.key) - stageRank(b.key) || compareText(a.key, b.key) : (a, b) => compareText(a.key, b.key));
    out.push(...groups);
  }
  return out;
}

function formatNow(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** A SUMIFS-style criterion matching exactly `text` (wildcards escaped). */
function exactCriterion(text: string): string {
  return formulaString(`=${text.replace(/[~*?]/g, '~$&')}`);
}

/** The rate formula over two cells of one row: blank when the denominator is zero or blank. */
function rateFormula(rate: Rate, row: number, numCol: number, denCol: number): string {
  const factor = rate.factor === 1 ? '' : `*${rate.factor}`;
  return `=IFERROR(${cellAddress(row, numCol)}/${cellAddress(row, denCol)}${factor},"")`;
}

/** True when an expression is plain arithmetic over codes (a missing code makes the whole side missing). */
function isArithmetic(e: Expr): boolean {
  switch (e.kind) {
    case 'number':
    case 'ref':
      return true;
    case 'unary':
      return isArithmetic(e.arg);
    case 'binary':
      return isArithmetic(e.left) && isArithmetic(e.right);
    case 'compare':
    case 'call':
      return false;
  }
}

/**
 * The district summary: school rows, subtotal rows per `groupBy`, the district total, then the
 * 差异系数 block; an Excel table over the header and school rows; frozen header and first two
 * columns; rate columns (and each CV) highlighted against their targets.
 */
export function buildSummaryPlan(c: Consolidation, defs: Definitions, o: SummaryOptions): SheetPlan {
  const { lang } = o;
  const w = words(lang);
  const key = lang === 'zh-CN' ? 'zh' : 'en';
  const columns = planColumns(defs);
  const width = columns.length;
  const schools = summarySchools(c);
  const formulas = o.mode === 'formulas';

  const headerRow = SUMMARY_HEADER_ROW;
  const first = headerRow + 1;
  const last = headerRow + schools.length;
  const groups = orderedGroups(c, o.groupBy);
  const blankRow = last + 1;
  const firstGroup = blankRow + 1;
  const totalRow = firstGroup + groups.length;
  const colOf = new Map<string, number>();
  columns.forEach((col, i) => {
    if (col.kind === 'indicator') colOf.set(col.ind.code, i);
  });

  const generated = o.generated === undefined ? formatNow(new Date()) : typeof o.generated === 'string' ? o.generated : formatNow(o.generated);
  const note = [
    c.period ? `${w.period}${lang === 'zh-CN' ? '：' : ': '}${c.period}` : '',
    `${w.generated}${lang === 'zh-CN' ? '：' : ': '}${generated}`,
    w.rateRule,
  ]
    .filter((s) => s !== '')
    .join(lang === 'zh-CN' ? '　' : ' · ');

  const heading = sheetHeading({
    lang,
    name: `${c.title[key]} — ${SHEET_NAMES[lang].summary}`,
    ...(c.districtName !== undefined ? { district: c.districtName } : {}),
    ...(c.period !== undefined ? { period: c.period } : {}),
    lines: [note],
  });
  const planned = columns.map((col) => columnFormat(col, defs));
  const headers = uniqueHeaders(columns.map((col) => header(col, lang, defs)));
  const rows: PlannedRow[] = [
    ...heading.rows,
    { role: 'header', cells: headers.map((h) => ({ value: h })) },
  ];

  const valueIssues = new Map<string, Issue[]>();
  if (formulas) {
    for (const issue of c.issues) {
      if (issue.school === undefined || issue.cell === undefined || !NOT_LIVE.has(issue.code)) continue;
      const list = valueIssues.get(issue.school) ?? [];
      list.push(issue);
      valueIssues.set(issue.school, list);
    }
  }

  // ── school rows ──
  schools.forEach((s, k) => {
    const r = first + k;
    const sheet = formulas ? o.schoolSheet?.(s) : undefined;
    const notLive = new Set<string>();
    for (const issue of valueIssues.get(s.code) ?? []) if (issue.sheet === undefined || issue.sheet === s.sheet) notLive.add(issue.cell!);
    // Live indicator cells, by code: where the school sheet holds each value.
    const source = new Map<string, string>();
    const cells = columns.map((col): PlannedCell => {
      switch (col.kind) {
        case 'code':
          return { value: s.code };
        case 'name':
          return { value: s.name };
        case 'stage':
          return { value: stageLabel(s.stage, lang) || null };
        case 'township':
          return { value: s.township || null };
        case 'indicator': {
          const value = num(s.values[col.ind.code]);
          const at = s.cells[col.ind.code];
          // Percent and fraction cells mean different things under different number formats, so they stay values.
          const live = sheet !== undefined && at !== undefined && !notLive.has(at) && (col.ind.type === 'integer' || col.ind.type === 'decimal');
          if (!live) return { value };
          const ref = sheetRef(sheet, at);
          source.set(col.ind.code, ref);
          // A formula cannot leave a cell blank; "" keeps a blank input out of sums and counts.
          return { formula: `=IF(ISBLANK(${ref}),"",${ref})`, value };
        }
        case 'side':
          return sideCell(col, s.rates[col.rate.code]?.[col.side] ?? null, r, source);
        case 'rate':
          return rateCell(col, s.rates[col.rate.code]?.value ?? null, r);
      }
    });
    rows.push({ role: 'data', cells });
  });

  /**
   * A rate side of a school row, computed from the row's own cells. Plain arithmetic is guarded
   * so that a missing input makes the side missing, as in the core (Excel counts blanks as 0).
   * Functions (ISBLANK, COALESCE, IF…) read the school sheet itself where the row cell is live,
   * because the row holds "" for a blank input and ISBLANK("") is false.
   */
  function sideCell(col: Extract<Column, { kind: 'side' }>, value: number | null, r: number, source: ReadonlyMap<string, string>): PlannedCell {
    if (!formulas || col.expr === null) return { value: num(value) };
    const codes = referencedCodes(col.expr);
    if (codes.some((code) => !colOf.has(code))) return { value: num(value) };
    const row = (code: string): string => cellAddress(r, colOf.get(code)!);
    if (!isArithmetic(col.expr)) return { formula: `=${toExcelFormula(col.expr, (code) => source.get(code) ?? row(code))}`, value: num(value) };
    // As in the core: the side is missing only when every input is; otherwise a blank input counts as 0 (N("") is 0).
    const body = toExcelFormula(col.expr, (code) => `N(${row(code)})`);
    const guarded = codes.length > 0 ? `IF(COUNT(${codes.map(row).join(',')})=0,"",${body})` : body;
    return { formula: `=${guarded}`, value: num(value) };
  }

  function rateCell(col: Extract<Column, { kind: 'rate' }>, value: number | null, r: number): PlannedCell {
    if (!formulas) return { value: num(value) };
    return { formula: rateFormula(col.rate, r, col.num, col.den), value: num(value) };
  }

  // ── subtotal and total rows ──
  const liveTotals = formulas && schools.length > 0;
  const span = (col: number): string => `${columnLetters(col)}$${first + 1}:${columnLetters(col)}$${last + 1}`;
  const totalCells = (g: GroupTotal, criterion: { col: number; text: string } | null): PlannedCell[] =>
    columns.map((col, i): PlannedCell => {
      switch (col.kind) {
        case 'code':
          return { value: null };
        case 'name': {
          const label = g.kind === 'district' ? w.districtTotal : `${g.kind === 'stage' ? stageLabel(g.key, lang) : g.key} ${w.subtotal}`;
          return { value: lang === 'zh-CN' ? `${label}（${w.schools(g.schoolCount)}）` : `${label} (${w.schools(g.schoolCount)})` };
        }
        case 'stage':
          return { value: g.kind === 'stage' ? stageLabel(g.key, lang) : null };
        case 'township':
          return { value: g.kind === 'township' ? g.key : null };
        case 'indicator': {
          const value = num(g.values[col.ind.code]);
          if (!liveTotals || col.ind.aggregation === 'none') return { value };
          return { formula: aggregate(col.ind.aggregation, i, criterion), value };
        }
        case 'side': {
          const value = num(g.rates[col.rate.code]?.[col.side]);
          const other = sideColumn(col.rate, col.side === 'numerator' ? 'denominator' : 'numerator');
          return liveTotals ? { formula: pairedSide(i, other, criterion), value } : { value };
        }
        case 'rate': {
          const value = num(g.rates[col.rate.code]?.value);
          if (!liveTotals) return { value };
          const factor = col.rate.factor === 1 ? '' : `*${col.rate.factor}`;
          return { formula: `=IFERROR(${pairedSum(col.num, col.den, criterion)}/${pairedSum(col.den, col.num, criterion)}${factor},"")`, value };
        }
      }
    });

  /** The column holding one side of a rate in the school rows. */
  function sideColumn(rate: Rate, side: Side): number {
    const rc = columns.find((c): c is Extract<Column, { kind: 'rate' }> => c.kind === 'rate' && c.rate.code === rate.code)!;
    return side === 'numerator' ? rc.num : rc.den;
  }

  /**
   * A group's sum of one rate side over the schools that have both sides, as the core sums them
   * (a school without the numerator does not pull the rate down). A numeric criterion matches
   * numbers only, so the blanks and "" of missing sides drop out.
   */
  function pairedSum(col: number, otherCol: number, criterion: { col: number; text: string } | null): string {
    return `SUMIFS(${span(col)},${span(otherCol)},">-1E+300",${span(col)},">-1E+300"${critArgs(criterion)})`;
  }

  /** The same, blank when no school of the group has both sides (the core gives no value then). */
  function pairedSide(col: number, otherCol: number, criterion: { col: number; text: string } | null): string {
    return `=IF(COUNTIFS(${span(otherCol)},">-1E+300",${span(col)},">-1E+300"${critArgs(criterion)})=0,"",${pairedSum(col, otherCol, criterion)})`;
  }

  /** A group's criterion as the trailing arguments of a *IFS function: `,$C$4:$C$9,"=小学"`, or nothing for the district. */
  function critArgs(criterion: { col: number; text: string } | null): string {
    if (criterion === null) return '';
    return `,$${columnLetters(criterion.col)}$${first + 1}:$${columnLetters(criterion.col)}$${last + 1},${exactCriterion(criterion.text)}`;
  }

  /**
   * A group's aggregate of an indicator column. Where no school of the group has a number, the
   * core gives no value, so the formula gives "" rather than SUM's 0 or MIN's 0.
   */
  function aggregate(how: Exclude<Indicator['aggregation'], 'none'>, col: number, criterion: { col: number; text: string } | null): string {
    const range = span(col);
    if (how === 'mean') return criterion === null ? `=IFERROR(AVERAGE(${range}),"")` : `=IFERROR(AVERAGEIFS(${range}${critArgs(criterion)}),"")`;
    const fn = criterion === null ? { sum: 'SUM', min: 'MIN', max: 'MAX' }[how] : { sum: 'SUMIFS', min: 'MINIFS', max: 'MAXIFS' }[how];
    const count = criterion === null ? `COUNT(${range})` : `COUNTIFS(${range},">-1E+300"${critArgs(criterion)})`;
    return `=IF(${count}=0,"",${fn}(${range}${critArgs(criterion)}))`;
  }

  rows.push({ role: 'blank', cells: [] });
  groups.forEach((g) => {
    const criterion = g.kind === 'stage' ? { col: 2, text: stageLabel(g.key, lang) } : g.kind === 'township' ? { col: 3, text: g.key } : null;
    rows.push({ role: 'subtotal', cells: totalCells(g, criterion) });
  });
  rows.push({ role: 'total', cells: totalCells(c.district, null) });
  // Who is in the total, and who is not and why, right under it.
  rows.push({ role: 'note', cells: [{ value: null }, { value: inclusionNote(c, lang) }] });

  // Columns as wide as their largest number (no "###"), and the header tall enough for the longest header wrapped in its column.
  const widths = widenForNumbers(planned, rows);
  const columnPlans: ColumnPlan[] = planned.map((p, k) => ({ ...p, width: widths[k]! }));
  rows[headerRow] = { ...rows[headerRow]!, height: wrappedHeight(headers, widths) };

  // ── formats, table, highlights ──
  const conditionals: ConditionalPlan[] = [];
  const cellFormats: [number, number, string][] = [];
  if (o.dispersions !== false && c.dispersions.length > 0) {
    rows.push({ role: 'blank', cells: [] });
    rows.push({ role: 'note', cells: [{ value: w.dispersionHeading }] });
    rows.push({ role: 'header', cells: w.dispersionHeaders.map((h) => ({ value: h })) });
    const byCode = new Map(defs.dispersions.map((d) => [d.code, d]));
    for (const d of c.dispersions) {
      const def = byCode.get(d.code);
      const r = rows.length;
      rows.push({
        role: 'data',
        cells: [
          { value: d.code },
          { value: def ? def.label[key] : d.code },
          { value: def ? def.stages.map((st) => stageLabel(st, lang)).join(lang === 'zh-CN' ? '、' : ', ') : null },
          { value: d.schoolCount },
          { value: num(d.mean) },
          { value: num(d.sd) },
          { value: num(d.cv) },
          { value: d.threshold ?? null },
          { value: d.met === null ? null : d.met ? w.met : w.notMet },
        ],
      });
      cellFormats.push([r, 3, '0'], [r, 4, '#,##0.000'], [r, 5, '#,##0.000'], [r, 6, '0.000'], [r, 7, '0.00']);
      if (d.threshold !== undefined) conditionals.push({ r0: r, c0: 6, r1: r, c1: 6, op: '<=', value: d.threshold });
    }
  }
  columns.forEach((col, i) => {
    if (col.kind !== 'rate' || col.rate.target === undefined) return;
    const { op, value } = col.rate.target;
    if (schools.length > 0) conditionals.push({ r0: first, c0: i, r1: last, c1: i, op, value });
    conditionals.push({ r0: firstGroup, c0: i, r1: totalRow, c1: i, op, value });
  });

  return {
    name: SHEET_NAMES[lang].summary,
    rows,
    columns: columnPlans,
    freeze: { rows: headerRow + 1, cols: 2 },
    // Several pages wide at full size, the codes, names and headers on every page: never shrunk onto one.
    print: {
      landscape: true,
      fitToWidth: false,
      scale: 100,
      repeatRows: { r0: headerRow, r1: headerRow },
      repeatCols: { c0: 0, c1: 1 },
      margins: PAPER_MARGINS,
      footer: [c.districtName ?? '', c.title[key], c.period ?? ''].filter((x) => x !== '').join(' '),
    },
    ...(schools.length > 0 ? { table: { name: TABLE_NAMES.summary, r0: headerRow, c0: 0, r1: last, c1: width - 1 } } : {}),
    conditionals,
    ...(cellFormats.length > 0 ? { cellFormats } : {}),
  };
}
