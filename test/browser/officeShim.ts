/**
 * Office.js in a browser page, played by the Excel simulator: bundled and served in place of
 * `office.js`, so the Excel pane's own bundle runs unchanged on the simulator's `Office.onReady`,
 * `Excel.run`, proxies and `sync`. The simulator is `window.__sim`, for the test to look inside
 * (sheets, cells, selection) and to act as the clerk (typing into a cell) or as a failing Excel.
 */
import { ExcelSim } from '../excel/sim';

const sim = new ExcelSim();
sim.addSheet('Sheet1');

const office = sim.office;
const info = { host: 'Excel', platform: 'PC' } as const;
const g = globalThis as Record<string, unknown>;
g['Excel'] = sim.excel;
g['Office'] = {
  HostType: { Excel: 'Excel' },
  context: { ...office.context, displayLanguage: 'zh-CN' },
  onReady(callback?: (i: typeof info) => void): Promise<typeof info> {
    return new Promise((resolve) =>
      setTimeout(() => {
        callback?.(info);
        resolve(info);
      }, 0),
    );
  },
};
g['__sim'] = sim;
