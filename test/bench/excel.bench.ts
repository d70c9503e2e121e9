/**
 * The Excel adapter on the simulated workbook: round trips (`context.sync()` calls) and the
 * largest request and response for reading and consolidating 10, 100 and 1,000 school sheets.
 * The goal is a total that does not grow with the schools (6, plus one per extra 4 MB chunk).
 * Prints numbers; asserts nothing.
 */
import { readForJob, writeResults } from '../../src/excel';
import { consolidateBooks, loadDefinitions } from '../../src/taskpane/jobs';
import { cleanSchools, workbookWith } from '../excel/helpers';
import { report } from './util';

const MB = 1024 * 1024;

for (const n of [10, 100, 1000]) {
  const { definitions, grids } = cleanSchools(n);
  const { sim, uninstall } = workbookWith(definitions, grids);
  const t0 = performance.now();
  const read = await readForJob({});
  const readSyncs = sim.syncCount;
  const readMax = sim.maxResponseBytes;
  const loaded = loadDefinitions({ kind: 'sheets', sheets: read.definitionSheets });
  if (loaded.definitions === null) throw new Error('definitions did not load');
  const out = await consolidateBooks(loaded.definitions, [read.schoolBook], { groupBy: ['stage', 'township'], mode: 'formulas', includeSchoolsWithErrors: false, writeRates: true }, 'zh-CN', 'excel', { onProgress: () => {} });
  sim.resetCounters();
  await writeResults({ plans: [...out.plans], rateUpdates: [...out.rateUpdates], marks: [...out.marks], markSheets: [...out.markSheets], ...(out.chart ? { chart: out.chart } : {}) });
  const ms = performance.now() - t0;
  report(`${n} schools: syncs to read`, readSyncs, '', '3, +1 per 4 MB');
  report(`${n} schools: syncs to write`, sim.syncCount, '', '3, +1 per 4 MB');
  report(`${n} schools: syncs in all`, readSyncs + sim.syncCount, '', '≤ 6 + chunks');
  report(`${n} schools: largest response (read)`, readMax / MB, 'MB', '< 4');
  report(`${n} schools: largest request (write)`, sim.maxRequestBytes / MB, 'MB', '< 4');
  report(`${n} schools: simulated run (wall time, not Excel's)`, ms, 'ms');
  uninstall();
}
