/**
 * Office.js in a browser page, played by the Excel simulator: bundled and served in place of
 * `office.js`, so the Excel pane's own bundle runs unchanged on the simulator's `Office.onReady`,
 * `Excel.run`, proxies and `sync`. The simulator is `window.__sim`, for the test to look inside
 * (sheets, cells, selection) and to act as the clerk (typing into a cell) or as a failing Excel.
 * The host it plays (`?profile=web|windows|mac|oldWindows|minimum`, Windows at 1.20 by default) sets
 * its requirement sets and which undo rules apply.
 */
import { ExcelSim, PROFILES, type ProfileName } from '../excel/sim';

const asked = new URLSearchParams(globalThis.location?.search ?? '').get('profile');
const profile: ProfileName = asked !== null && asked in PROFILES ? (asked as ProfileName) : 'windows';
const sim = new ExcelSim({ profile });
sim.addSheet('Sheet1');

const office = sim.office;
const info = { host: 'Excel', platform: PROFILES[profile].platform === 'web' ? 'OfficeOnline' : PROFILES[profile].platform === 'mac' ? 'Mac' : 'PC' } as const;
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
