/** The rate chart: its data sheet (a native chart is drawn from cells) and the chart over it. */
import type { Lang } from '../core/types';
import { buildChartPlan, type ChartRanges } from '../workbook/chart';
import { SHEET_NAMES } from '../workbook/names';
import type { ChartRequest, SheetPlan } from '../workbook/plan';
import { parseRect, rectAddress } from './address';
import { op, type Op } from './chunk';

export type { ChartRequest } from '../workbook/plan';

function langOf(sheet: string): Lang {
  return sheet === SHEET_NAMES['en-US'].chart ? 'en-US' : 'zh-CN';
}

/** The chart's data sheet and where its series are. */
export function chartPlan(req: ChartRequest): { plan: SheetPlan; ranges: ChartRanges | undefined } {
  const { plan, ranges } = buildChartPlan(
    [
      {
        rate: 'rate',
        sheet: req.sheet,
        title: req.title,
        categories: req.categories,
        values: req.values,
        ...(req.target !== undefined ? { target: req.target } : {}),
        decimals: req.decimals,
      },
    ],
    langOf(req.sheet),
    req.sheet,
    { ...(req.district !== undefined ? { district: req.district } : {}), ...(req.period !== undefined ? { period: req.period } : {}) },
  );
  return { plan, ranges: ranges[0] };
}

/** The calls that draw the chart: clustered columns per school, the target as a line, to the right of the data. */
export function chartOps(sheet: () => Excel.Worksheet, title: string, ranges: ChartRanges): Op[] {
  const cats = parseRect(ranges.categories);
  const last = parseRect(ranges.target ?? ranges.values);
  if (cats === null || last === null) return [];
  // The header row above the series names them.
  const source = rectAddress({ r0: cats.r0 - 1, c0: cats.c0, r1: cats.r1, c1: last.c1 });
  // Beside the block, from its title row down.
  const at = rectAddress({ r0: cats.r0 - 2, c0: last.c1 + 2, r1: cats.r0 + 19, c1: last.c1 + 12 });
  const withTarget = ranges.target !== undefined;
  return [
    op(256 + title.length * 3, () => {
      const ws = sheet();
      const chart = ws.charts.add('ColumnClustered', ws.getRange(source), 'Columns');
      chart.title.text = title;
      chart.legend.position = 'Bottom';
      if (withTarget) chart.series.getItemAt(1).chartType = 'Line';
      const [start, end] = at.split(':');
      chart.setPosition(start!, end);
    }),
  ];
}
