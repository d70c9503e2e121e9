/**
 * The printed tables (汇总表) of the district summary, one per section of the definitions (基本情况,
 * 学前教育, 课后服务…), made to be printed, signed and filed: the title "‹地区›‹填报期›‹表名›" and the
 * corner block, the unit line, the indicators and rates of the section under wrapped headers, the
 * schools that report any of them, the stage and township subtotals and the district total, a
 * note on who is in the figures, and the signature lines.
 *
 * Each table prints on A4 landscape at 100%: a section with more columns than fit is split into
 * parts, each repeating the school names, rather than shrunk. Columns are as wide as their largest
 * number, and header rows as tall as their longest wrapped header. The wide summary sheet stays
 * beside these tables for analysis and filtering.
 */
import type { Consolidation, Definitions, GroupTotal, Indicator, Lang, Rate, SchoolResult } from '../core/types';
import { decimalsFormat } from './formats';
import { shownWidth } from './grid';
import { sheetHeading } from './heading';
import { inclusionNote } from './inclusion';
import { rateUnit, stageLabel, withUnit, words } from './labels';
import { safeSheetName } from './names';
import { columnPixels, formatShape, numberWidth, PAPER_MARGINS, printablePixels, WRAP_ALLOWANCE, wrappedHeight, wrappedLines } from './page';
import type { ColumnPlan, ConditionalPlan, PlannedCell, PlannedRow, SheetPlan } from './plan';
import { orderedGroups, summaryFormat, summarySchools } from './summary';

/** Options of the printed tables. */
export interface SectionOptions {
  readonly lang: Lang;
  /** Subtotal rows, in this order: per stage, per township (as on the summary sheet). */
  readonly groupBy: readonly ('stage' | 'township')[];
  /** Sheet names already in the workbook, which the tables' names avoid. */
  readonly taken?: readonly string[];
}

/** One column of a section: an indicator that adds up, or a rate. */
type Item = { readonly kind: 'indicator'; readonly ind: Indicator } | { readonly kind: 'rate'; readonly rate: Rate };

/** Width of the school-name column. */
const NAME_WIDTH = 24;

/** The signature fields of a Chinese statistical form, each with room to write. */
function signatureFields(lang: Lang): string[] {
  if (lang === 'zh-CN') return ['填报单位（盖章）：＿＿＿＿＿＿＿＿＿＿', '单位负责人：＿＿＿＿＿＿', '审核人：＿＿＿＿＿＿', '填表人：＿＿＿＿＿＿', '联系电话：＿＿＿＿＿＿＿＿', '报出日期：　　　　年　　月　　日'];
  return ['Reporting unit (stamp): ______________', 'Head of unit: __________', 'Checked by: __________', 'Filled in by: __________', 'Telephone: ____________', 'Date sent: ____ / ____ / ______'];
}

/** The signature lines, as many fields to a line as fit across `width` (column-width units); never a field split over two lines. */
export function signatureLines(lang: Lang, width = 140): string[] {
  const gap = lang === 'zh-CN' ? '　　' : '    ';
  const lines: string[] = [];
  let line = '';
  for (const field of signatureFields(lang)) {
    const next = line === '' ? field : `${line}${gap}${field}`;
    if (line !== '' && wrappedLines(next, width, WRAP_ALLOWANCE) > 1) {
      lines.push(line);
      line = field;
    } else line = next;
  }
  if (line !== '') lines.push(line);
  return lines;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The sections of the definitions in their order, each with its indicators that add up and its rates. */
export function sectionItems(defs: Definitions, lang: Lang): { name: string; items: Item[] }[] {
  const other = words(lang).otherSection;
  const sections = new Map<string, Item[]>();
  const add = (section: string | undefined, item: Item): void => {
    const name = section !== undefined && section.trim() !== '' ? section.trim() : other;
    const list = sections.get(name);
    if (list === undefined) sections.set(name, [item]);
    else list.push(item);
  };
  for (const ind of defs.indicators) {
    if (ind.type === 'text' || ind.type === 'code' || ind.aggregation === 'none') continue;
    add(ind.section, { kind: 'indicator', ind });
  }
  for (const rate of defs.rates) add(rate.section, { kind: 'rate', rate });
  return [...sections].map(([name, items]) => ({ name, items }));
}

function itemHeader(item: Item, lang: Lang): string {
  const key = lang === 'zh-CN' ? 'zh' : 'en';
  if (item.kind === 'rate') return withUnit(item.rate.label[key], rateUnit(item.rate.factor), lang);
  return withUnit(item.ind.label[key], item.ind.type === 'percent' ? (item.ind.unit ?? '%') : item.ind.unit, lang);
}

function itemFormat(item: Item): string {
  return item.kind === 'rate' ? decimalsFormat(item.rate.decimals) : summaryFormat(item.ind);
}

function schoolValue(item: Item, s: SchoolResult): number | null {
  return item.kind === 'rate' ? num(s.rates[item.rate.code]?.value) : num(s.values[item.ind.code]);
}

function groupValue(item: Item, g: GroupTotal): number | null {
  return item.kind === 'rate' ? num(g.rates[item.rate.code]?.value) : num(g.values[item.ind.code]);
}


/** A column's width: room for its largest number as shown, and for its header in at most about four lines. */
function itemWidth(header: string, format: string, values: readonly (number | null)[]): number {
  const { decimals, thousands } = formatShape(format);
  const numbers = numberWidth(values, decimals, thousands);
  const forHeader = Math.ceil(shownWidth(header) / 4) + 2;
  return Math.max(numbers, Math.min(14, Math.max(9, forHeader)));
}

/** Splits the items into runs that fit across the page beside the school names. */
function pagesAcross(widths: readonly number[]): number[][] {
  // A little room to spare: fonts other than the sheet's own (a reader without Calibri or Carlito) set digits a bit wider.
  const room = Math.floor(printablePixels(true, PAPER_MARGINS) * 0.95) - columnPixels(NAME_WIDTH);
  const out: number[][] = [];
  let run: number[] = [];
  let used = 0;
  widths.forEach((w, k) => {
    const px = columnPixels(w);
    if (run.length > 0 && used + px > room) {
      out.push(run);
      run = [];
      used = 0;
    }
    run.push(k);
    used += px;
  });
  if (run.length > 0) out.push(run);
  return out;
}

/** The printed tables, one (or, for a wide section, several) per section. */
export function buildSectionPlans(c: Consolidation, defs: Definitions, o: SectionOptions): SheetPlan[] {
  const { lang } = o;
  const zh = lang === 'zh-CN';
  const w = words(lang);
  const schools = summarySchools(c);
  const groups = [...orderedGroups(c, o.groupBy), c.district];
  const note = inclusionNote(c, lang);
  const taken = [...(o.taken ?? [])];
  const plans: SheetPlan[] = [];

  sectionItems(defs, lang).forEach((section, k) => {
    const headers = section.items.map((item) => itemHeader(item, lang));
    const formats = section.items.map(itemFormat);
    const widths = section.items.map((item, j) =>
      itemWidth(headers[j]!, formats[j]!, [...schools.map((s) => schoolValue(item, s)), ...groups.map((g) => groupValue(item, g))]),
    );
    const parts = pagesAcross(widths);
    // A section's note in brackets (who fills it in) belongs on the form, not in the table's name.
    const short = section.name.replace(/\s*[（(][^）)]*[）)]\s*$/, '') || section.name;
    parts.forEach((part, p) => {
      const suffix = parts.length > 1 ? (zh ? `（${p + 1}/${parts.length}）` : ` (${p + 1}/${parts.length})`) : '';
      const tableName = zh ? `${short}汇总表${suffix}` : `${short} summary${suffix}`;
      const sheetName = safeSheetName(`${zh ? '表' : 'T'}${k + 1}${parts.length > 1 ? `-${p + 1}` : ''} ${short}`, taken);
      taken.push(sheetName);
      plans.push(sectionPlan(sheetName, tableName, part.map((j) => ({ item: section.items[j]!, header: headers[j]!, format: formats[j]!, width: widths[j]! }))));
    });
  });
  return plans;

  function sectionPlan(sheetName: string, tableName: string, cols: { item: Item; header: string; format: string; width: number }[]): SheetPlan {
    const width = cols.length + 1;
    const units = [...new Set(cols.map((col) => (col.item.kind === 'rate' ? rateUnit(col.item.rate.factor) : col.item.ind.type === 'percent' ? (col.item.ind.unit ?? '%') : col.item.ind.unit)).filter((u): u is string => u !== undefined && u !== ''))];
    const unitLine = units.length === 0 ? '' : zh ? `单位：${units.join('、')}` : `Units: ${units.join(', ')}`;
    const columnWidths = [NAME_WIDTH, ...cols.map((col) => col.width)];
    const heading = sheetHeading({
      lang,
      name: tableName,
      ...(c.districtName !== undefined ? { district: c.districtName } : {}),
      ...(c.period !== undefined ? { period: c.period } : {}),
      ...(defs.form !== undefined ? { form: defs.form } : {}),
      lines: [unitLine],
      width,
      columnWidths,
    });
    const rows: PlannedRow[] = [...heading.rows];
    const merges = [...heading.merges];
    const headerTexts = [w.schoolName, ...cols.map((col) => col.header)];
    const headerRow = rows.length;
    rows.push({ role: 'header', cells: headerTexts.map((h) => ({ value: h })), height: wrappedHeight(headerTexts, columnWidths) });

    // Only the schools that report something of this section: a kindergarten table lists kindergartens.
    const firstData = rows.length;
    for (const s of schools) {
      const values = cols.map((col) => schoolValue(col.item, s));
      if (values.every((v) => v === null)) continue;
      rows.push({ role: 'data', cells: [{ value: s.name }, ...values.map((v): PlannedCell => ({ value: v }))] });
    }
    const lastData = rows.length - 1;
    const firstGroup = rows.length;
    for (const g of groups) {
      const values = cols.map((col) => groupValue(col.item, g));
      if (g.kind !== 'district' && values.every((v) => v === null)) continue;
      const label = g.kind === 'district' ? w.districtTotal : `${g.kind === 'stage' ? stageLabel(g.key, lang) : g.key} ${w.subtotal}`;
      rows.push({ role: g.kind === 'district' ? 'total' : 'subtotal', cells: [{ value: zh ? `${label}（${w.schools(g.schoolCount)}）` : `${label} (${w.schools(g.schoolCount)})` }, ...values.map((v): PlannedCell => ({ value: v }))] });
    }
    const lastGroup = rows.length - 1;

    // Who is in the figures, then the signature lines: each merged across the table.
    const tableWidth = columnWidths.reduce((a, b) => a + b, 0);
    const noteRow = rows.length;
    rows.push({ role: 'note', cells: [{ value: note }], wrap: true, height: wrappedHeight([note], [tableWidth], WRAP_ALLOWANCE) });
    merges.push({ r0: noteRow, c0: 0, r1: noteRow, c1: width - 1 });
    rows.push({ role: 'blank', cells: [] });
    for (const line of signatureLines(lang, tableWidth)) {
      const r = rows.length;
      rows.push({ role: 'data', cells: [{ value: line }], wrap: true, height: wrappedHeight([line], [tableWidth], WRAP_ALLOWANCE) });
      merges.push({ r0: r, c0: 0, r1: r, c1: width - 1 });
    }

    const conditionals: ConditionalPlan[] = [];
    cols.forEach((col, j) => {
      if (col.item.kind !== 'rate' || col.item.rate.target === undefined) return;
      const { op, value } = col.item.rate.target;
      if (lastData >= firstData) conditionals.push({ r0: firstData, c0: j + 1, r1: lastData, c1: j + 1, op, value });
      conditionals.push({ r0: firstGroup, c0: j + 1, r1: lastGroup, c1: j + 1, op, value });
    });
    const columns: ColumnPlan[] = [{ width: NAME_WIDTH, numberFormat: '@' }, ...cols.map((col) => ({ width: col.width, numberFormat: col.format }))];
    return {
      name: sheetName,
      rows,
      columns,
      merges,
      freeze: { rows: headerRow + 1, cols: 1 },
      conditionals,
      print: {
        landscape: true,
        fitToWidth: false,
        scale: 100,
        repeatRows: { r0: headerRow, r1: headerRow },
        margins: PAPER_MARGINS,
        center: true,
        footer: [c.districtName ?? '', c.period ?? '', tableName].filter((x) => x !== '').join(' '),
      },
    };
  }
}
