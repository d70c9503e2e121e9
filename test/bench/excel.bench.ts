/**
 * The Excel adapter on the simulated workbook, over the clerk's whole path as the pane runs it:
 * validate (read every school sheet, validate), then consolidate (check the sheets against that
 * read in one sync, read again only what changed, run the job, write the results), for 10, 100 and 1,000 school sheets, with the forms protected as the template makes
 * them and without. Prints round trips (`context.sync()` calls) per step and in all, and the
 * largest request and response each way. Asserts nothing.
 */
import { readAgain, readForJob, writeResults } from '../../src/excel';
import { consolidateBooks, loadDefinitions, validateBooks } from '../../src/taskpane/jobs';
import { cleanSchools, workbookWith } from '../excel/helpers';
import { report } from './util';

const MB = 1024 * 1024;
const hooks = { onProgress: () => {} };

for (const n of [10, 100, 1000]) {
  const { definitions, grids } = cleanSchools(n);
  for (const guarded of [true, false]) {
    const forms = guarded ? grids : grids.map(({ protection: _dropped, ...g }) => g);
    const { sim, uninstall } = workbookWith(definitions, forms);
    const label = `${n} ${guarded ? 'protected' : 'unprotected'} forms`;
    const t0 = performance.now();

    // Validate: the pane reads every sheet and validates.
    const first = await readForJob({});
    const loaded = loadDefinitions({ kind: 'sheets', sheets: first.definitionSheets });
    if (loaded.definitions === null) throw new Error('definitions did not load');
    await validateBooks(loaded.definitions, [first.schoolBook], hooks);
    const validateSyncs = sim.syncCount;

    // Consolidate: check the sheets against validation's read (read again only if changed), run the job, write.
    const before = sim.syncCount;
    const { read } = await readAgain(first);
    const defs = loadDefinitions({ kind: 'sheets', sheets: read.definitionSheets }).definitions!;
    const out = await consolidateBooks(defs, [read.schoolBook], { groupBy: ['stage', 'township'], mode: 'formulas', includeSchoolsWithErrors: false, writeRates: true }, 'zh-CN', 'excel', hooks);
    const readSyncs = sim.syncCount - before;
    await writeResults({ plans: [...out.plans], rateUpdates: [...out.rateUpdates], marks: [...out.marks], markSheets: [...out.markSheets], ...(out.chart ? { chart: out.chart } : {}) });
    const writeSyncs = sim.syncCount - before - readSyncs;
    const ms = performance.now() - t0;

    report(`${label}: syncs to validate`, validateSyncs, '');
    report(`${label}: syncs to consolidate (check ${readSyncs} + write ${writeSyncs})`, readSyncs + writeSyncs, '');
    report(`${label}: syncs in all`, validateSyncs + readSyncs + writeSyncs, '', '≤ 8, + 1 per extra 4 MB');
    report(`${label}: largest request`, sim.maxRequestBytes / MB, 'MB', '< 4');
    report(`${label}: largest response`, sim.maxResponseBytes / MB, 'MB', '< 4');
    report(`${label}: simulated path (wall time, not Excel's)`, ms, 'ms');
    uninstall();
  }
}
