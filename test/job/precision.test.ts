/**
 * One shown precision per rate, from its definition, wherever the rate is shown: the wide summary's
 * column, the printed section table, the chart's data, the pane's chart and table, and the text report.
 */
import { describe, expect, it } from 'vitest';
import { planDemoDistrict } from '../../src/demo';
import { textReport } from '../../src/cli/output';
import { planOutputs, readBook, runJob } from '../../src/job';
import { formatRate } from '../../src/taskpane/format';
import { decimalsFormat } from '../../src/workbook/formats';
import { planToGrid } from '../../src/workbook/grid';

const demo = planDemoDistrict();
const defs = demo.definitions;
const books = demo.sheets.map((f) => ({ source: f.name, sheets: [{ ...planToGrid(f.plan), name: '填报表' }] }));
const job = runJob(
  books.map((b) => readBook(b, defs)),
  defs,
);
const c = job.consolidation;

describe('a rate shows one precision everywhere', () => {
  it('in the sheets: the summary column and the section table column carry the decimals of the definition', () => {
    const { plans } = planOutputs(job, defs, { lang: 'zh-CN', mode: 'values', target: 'file', copies: false, generated: '2026-12-05 10:00' });
    const rates = defs.rates.filter((r) => r.decimals !== 2);
    // The demo has rates shown to 1 decimal, so a fixed 2 anywhere would show.
    expect(rates.length).toBeGreaterThan(0);
    for (const rate of defs.rates) {
      const want = decimalsFormat(rate.decimals);
      const holders = plans.filter((p) => p.rows.some((r) => r.role === 'header' && r.cells.some((x) => String(x.value ?? '').startsWith(rate.label.zh))));
      expect(holders.length, rate.code).toBeGreaterThanOrEqual(2);
      for (const p of holders) {
        const header = p.rows.find((r) => r.role === 'header' && r.cells.some((x) => String(x.value ?? '').startsWith(rate.label.zh)))!;
        const col = header.cells.findIndex((x) => String(x.value ?? '').startsWith(rate.label.zh));
        expect(p.columns?.[col]?.numberFormat, `${p.name}: ${rate.code}`).toBe(want);
      }
    }
  });

  it('in the chart Excel draws: its data has the decimals of the charted rate', () => {
    const out = planOutputs(job, defs, { lang: 'zh-CN', mode: 'values', target: 'workbook' });
    const rate = defs.rates.find((r) => out.chart !== undefined && out.chart.title.startsWith(r.label.zh))!;
    expect(out.chart?.decimals).toBe(rate.decimals);
  });

  it('in the text report and the pane: the district value with the same digits', () => {
    const report = textReport(c, defs, 'zh-CN', books.length);
    for (const rate of defs.rates) {
      const v = c.district.rates[rate.code]?.value;
      if (typeof v !== 'number') continue;
      const pane = formatRate(v, rate.factor, rate.decimals, 'zh-CN');
      const digits = pane.replace(/[^\d.]/g, '');
      expect(digits.split('.')[1]?.length ?? 0, rate.code).toBe(rate.decimals);
      expect(report, rate.code).toMatch(new RegExp(`${rate.label.zh}\\s+${digits.replace('.', '\\.')}`));
    }
  });
});
