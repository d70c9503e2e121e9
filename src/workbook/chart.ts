/**
 * Data for a chart of each school's rate against its target, one chart per targeted rate, and a
 * data sheet holding the series (a native Excel chart is drawn from cells, not from literals).
 */
import { cellAddress } from '../core/grid';
import type { Comparator, Consolidation, Definitions, Lang } from '../core/types';
import { decimalsFormat } from './formats';
import { sheetHeading } from './heading';
import { rateUnit, withUnit, words } from './labels';
import { SHEET_NAMES } from './names';
import type { ColumnPlan, PlannedRow, SheetPlan } from './plan';

/** One chart: a bar per school, and the target as a line. */
export interface ChartData {
  /** Rate code. */
  readonly rate: string;
  /** Sheet the chart goes on. */
  readonly sheet: string;
  readonly title: string;
  readonly categories: string[];
  readonly values: number[];
  readonly target?: number;
  readonly op?: Comparator;
  readonly decimals: number;
}

/** Options for `buildRateCharts`. */
export interface ChartOptions {
  /** Sheet the charts go on; the chart sheet by default. */
  readonly sheet?: string;
  /** Also chart rates without a target (no target line). Default false. */
  readonly untargeted?: boolean;
}

/**
 * One chart per rate with a target: included schools with a defined rate, highest first (ties by
 * name), their names as categories. Rates no school has a value for are left out.
 */
export function buildRateCharts(c: Consolidation, defs: Definitions, lang: Lang, options: ChartOptions = {}): ChartData[] {
  const key = lang === 'zh-CN' ? 'zh' : 'en';
  const sheet = options.sheet ?? SHEET_NAMES[lang].chart;
  const charts: ChartData[] = [];
  for (const rate of defs.rates) {
    if (rate.target === undefined && !options.untargeted) continue;
    const points: { name: string; code: string; value: number }[] = [];
    for (const s of c.schools) {
      const v = s.rates[rate.code]?.value;
      if (s.included && typeof v === 'number' && Number.isFinite(v)) points.push({ name: s.name || s.code, code: s.code, value: v });
    }
    if (points.length === 0) continue;
    points.sort((a, b) => b.value - a.value || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || (a.code < b.code ? -1 : 1));
    const target = rate.target;
    const unit = rateUnit(rate.factor);
    const goal = target === undefined ? '' : lang === 'zh-CN' ? `（目标 ${target.op} ${target.value}）` : ` (target ${target.op} ${target.value})`;
    charts.push({
      rate: rate.code,
      sheet,
      title: `${withUnit(rate.label[key], unit, lang)}${goal}`,
      categories: points.map((p) => p.name),
      values: points.map((p) => p.value),
      ...(target !== undefined ? { target: target.value, op: target.op } : {}),
      decimals: rate.decimals,
    });
  }
  return charts;
}

/** Where one chart's series sit on the chart data sheet (A1 ranges on that sheet). */
export interface ChartRanges {
  readonly rate: string;
  readonly title: string;
  readonly categories: string;
  readonly values: string;
  /** The target repeated on every row, drawn as a line; absent without a target. */
  readonly target?: string;
  /** Top-left cell of the block, where an adapter may anchor the chart beside it. */
  readonly anchor: string;
}

/**
 * The chart data sheet: for each chart a block of three columns (school, rate, target) side by
 * side, one column apart, and where each block's series are.
 */
export function buildChartPlan(charts: readonly ChartData[], lang: Lang, sheet: string = SHEET_NAMES[lang].chart, place: { district?: string; period?: string } = {}): { plan: SheetPlan; ranges: ChartRanges[] } {
  const w = words(lang);
  const heading = sheetHeading({ lang, name: SHEET_NAMES[lang].chart, ...place, width: Math.max(1, charts.length * 4 - 1) });
  // Under the heading, each block: its chart's title, the header, then one row per school.
  const top = heading.rows.length;
  const height = charts.reduce((m, ch) => Math.max(m, ch.categories.length), 0);
  const rows: { role: PlannedRow['role']; cells: ({ value: string | number | null })[] }[] = [];
  for (let r = 0; r < height + 2; r++) rows.push({ role: r === 0 ? 'note' : r === 1 ? 'header' : 'data', cells: [] });
  const ranges: ChartRanges[] = [];
  const cellFormats: [number, number, string][] = [];
  const columns: ColumnPlan[] = [];
  charts.forEach((ch, i) => {
    const c0 = i * 4;
    const put = (r: number, c: number, value: string | number | null): void => {
      const row = rows[r]!;
      while (row.cells.length < c) row.cells.push({ value: null });
      row.cells[c] = { value };
    };
    put(0, c0, ch.title);
    put(1, c0, w.schoolName);
    put(1, c0 + 1, w.rate);
    if (ch.target !== undefined) put(1, c0 + 2, w.target);
    ch.categories.forEach((name, k) => {
      put(2 + k, c0, name);
      put(2 + k, c0 + 1, ch.values[k] ?? null);
      cellFormats.push([top + 2 + k, c0 + 1, decimalsFormat(ch.decimals)]);
      if (ch.target !== undefined) put(2 + k, c0 + 2, ch.target);
    });
    const first = top + 2;
    const last = top + 1 + ch.categories.length;
    ranges.push({
      rate: ch.rate,
      title: ch.title,
      categories: `${cellAddress(first, c0)}:${cellAddress(last, c0)}`,
      values: `${cellAddress(first, c0 + 1)}:${cellAddress(last, c0 + 1)}`,
      ...(ch.target !== undefined ? { target: `${cellAddress(first, c0 + 2)}:${cellAddress(last, c0 + 2)}` } : {}),
      anchor: cellAddress(top, c0),
    });
    columns.push({ width: 24, numberFormat: '@' }, { width: 10 }, { width: 8 }, { width: 3 });
  });
  return { plan: { name: sheet, rows: [...heading.rows, ...rows], columns, cellFormats, ...(heading.merges.length > 0 ? { merges: heading.merges } : {}) }, ranges };
}
