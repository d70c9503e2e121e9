/**
 * The command end to end on 1,000 school files: read + validate + consolidate + write the district
 * workbook, against the floor of merely unzipping the same files and decoding their sheet XML, in the
 * same run. Measured twice: as the clerk runs it (copies of school sheets left out beyond
 * COPIES_DEFAULT_LIMIT, as at this size), and with `--copies`, every school sheet copied into the
 * workbook — whose parts then outweigh the school files several times, so the floor of that run
 * includes deflating them. Each measurement runs in its own child process so that its peak memory is
 * its own; files are read in one reader process, and in as many as the command would start. Every kind runs once a round,
 * five rounds, each run between two runs of the floor; a ratio is taken against those two and the
 * median printed, with the goal beside it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { demoDefinitions, generateManySchools, schoolFormPlan } from '../../src/demo';
import { discoverInputs, writeFileAtomic } from '../../src/cli/files';
import { writeBook } from '../../src/cli/io';
import { COPIES_DEFAULT_LIMIT, planOutputs, runJob } from '../../src/job';
import { loadDefinitions, loadRoster } from '../../src/cli/load';
import { copiesWithGrids, READER_ARG, readerMain, readSchoolFiles, workerCount } from '../../src/cli/read';
import { zipParts } from '../../src/cli/zip';
import { bracketed, fastest, peakRssMb, ratios, report, reportRatio } from './util';

const COUNT = Number(process.env.HUIZONG_BENCH_FILES ?? 1000);
/** Rounds of every kind of run. */
const ROUNDS = 5;

interface Measured {
  readonly ms: number;
  readonly rssMb: number;
  readonly phases?: Record<string, number>;
  readonly workers?: number;
  readonly files?: number;
  readonly copies?: number;
  readonly outputMb?: number;
  readonly rawMb?: number;
  readonly schools?: number;
  readonly issues?: number;
}

/** Unzips every file and decodes its sheet and shared-string XML: the least any reader must do. */
function floor(dir: string): Measured {
  const files = readdirSync(dir).filter((f) => f.endsWith('.xlsx'));
  const decoder = new TextDecoder();
  const t0 = performance.now();
  let chars = 0;
  for (const f of files) {
    const zip = unzipSync(readFileSync(path.join(dir, f)), { filter: (e) => /^xl\/(worksheets\/sheet\d+|sharedStrings)\.xml$/.test(e.name) });
    for (const bytes of Object.values(zip)) chars += decoder.decode(bytes).length;
  }
  const ms = performance.now() - t0;
  if (chars === 0) throw new Error('no sheet XML found');
  return { ms, rssMb: peakRssMb(), files: files.length };
}

/** The command's own steps, timed one by one; `copies` forces the copies of school sheets on (`--copies`), else the default decides. */
async function endToEnd(dir: string, roster: string, out: string, copies: boolean): Promise<Measured> {
  const t0 = performance.now();
  const loaded = await loadDefinitions(undefined);
  if ('failure' in loaded) throw new Error('preset');
  const withRoster = await loadRoster(loaded.definitions, roster);
  if ('failure' in withRoster) throw new Error('roster');
  const defs = withRoster.definitions;
  const found = await discoverInputs([dir], process.cwd(), [out]);
  const t1 = performance.now();
  // Books are kept only when their sheets are copied, as the command does.
  const keepBooks = copies || found.files.length <= COPIES_DEFAULT_LIMIT;
  const reads = await readSchoolFiles(found.files, defs, { cwd: process.cwd(), keepBooks, workerScript: process.argv[1]! });
  const t2 = performance.now();
  const job = runJob(reads, defs, { groupBy: ['stage', 'township'] });
  const t3 = performance.now();
  const planned = planOutputs(job, defs, { lang: 'zh-CN', mode: 'values', groupBy: ['stage', 'township'], target: 'file', ...(copies ? { copies: true } : {}) });
  const written = await copiesWithGrids(planned.copies, reads);
  const bytes = await writeBook(planned.plans, written);
  const t4 = performance.now();
  await writeFileAtomic(out, bytes);
  const t5 = performance.now();
  return {
    ms: t5 - t0,
    rssMb: peakRssMb(),
    workers: workerCount(found.files.length),
    files: found.files.length,
    copies: written.length,
    schools: job.consolidation.schools.length,
    issues: job.consolidation.issues.length,
    phases: { setup: t1 - t0, read: t2 - t1, validateConsolidate: t3 - t2, buildWorkbook: t4 - t3, writeFile: t5 - t4 },
  };
}

/**
 * Zips again the parts of the workbook at `file` as the command zips them (deflate, CRC, archive):
 * the least any writer of that workbook must do, as the input floor is the least any reader must.
 */
function outputFloor(file: string): Measured {
  const parts = unzipSync(readFileSync(file));
  let raw = 0;
  for (const b of Object.values(parts)) raw += b.length;
  const t0 = performance.now();
  const zipped = zipParts(parts);
  const ms = performance.now() - t0;
  return { ms, rssMb: peakRssMb(), outputMb: zipped.length / 1024 / 1024, rawMb: raw / 1024 / 1024 };
}

function runChild(args: string[], env: Record<string, string> = {}): Measured {
  const r = spawnSync(process.execPath, ['--expose-gc', process.argv[1]!, '--child', ...args], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`child ${args[0]} failed:\n${r.stdout}\n${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop()!;
  return JSON.parse(line) as Measured;
}


async function parent(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'huizong-bench-e2e-'));
  const schoolsDir = path.join(dir, 'schools');
  mkdirSync(schoolsDir);
  try {
    const schools = generateManySchools(COUNT);
    const defs = demoDefinitions(schools);
    const tGen = performance.now();
    for (const s of schools) writeFileSync(path.join(schoolsDir, `${s.code}.xlsx`), await writeBook([schoolFormPlan(defs, s)]));
    const rosterFile = path.join(dir, 'roster.json');
    writeFileSync(rosterFile, JSON.stringify({ roster: defs.roster }));
    const genMs = performance.now() - tGen;
    const out = path.join(dir, 'district.xlsx');
    const cores = availableParallelism();
    console.log(`${COUNT} school files (${cores} cores); generating them took ${(genMs / 1000).toFixed(1)} s`);

    // Every kind runs once a round, alternating, so that neither gets a warmer disk cache, each run
    // bracketed by two runs of the floor; a ratio is taken against those two, and the median printed
    // (times shown are each kind's best).
    const { floors, runs } = bracketed(ROUNDS, () => runChild(['floor', schoolsDir]), {
      plain: () => runChild(['e2e', schoolsDir, rosterFile, out, 'default'], { HUIZONG_WORKERS: '1' }),
      pooled: () => runChild(['e2e', schoolsDir, rosterFile, out, 'default'], { HUIZONG_WORKERS: String(workerCount(COUNT)) }),
      copied: () => runChild(['e2e', schoolsDir, rosterFile, out, 'copies'], { HUIZONG_WORKERS: '1' }),
      // The workbook the run with copies just wrote.
      outFloor: () => runChild(['output-floor', out]),
    });
    const f = fastest(floors);
    const o = fastest(runs.outFloor.map((b) => b.run));
    report('floor: unzip + decode sheet XML, 1 thread (best)', f.ms, 'ms');
    report('floor: peak memory', f.rssMb, 'MB');
    const phases = (m: Measured): void => {
      report('  end to end (best)', m.ms, 'ms');
      for (const [phase, ms] of Object.entries(m.phases ?? {})) report(`    ${phase}`, ms, 'ms');
    };
    const read = (m: Measured): number => m.phases?.read ?? 0;
    for (const [label, list] of [
      ['as the clerk runs it (copies of school sheets left out at this size), reading in one reader process', runs.plain],
      [`the same, reading in ${fastest(runs.pooled.map((b) => b.run)).workers ?? 0} reader process(es)`, runs.pooled],
    ] as const) {
      console.log(label);
      phases(fastest(list.map((b) => b.run)));
      report('  peak memory', Math.max(...list.map((b) => b.run.rssMb)), 'MB', '< 1024 MB');
      reportRatio('  ratio to the floor', ratios(list, (m) => m.ms), '≤ 5×');
      reportRatio('  reading only, ratio to the floor', ratios(list, read), '≤ 3×');
      reportRatio('  read + validate + consolidate, ratio to the floor', ratios(list, (m) => read(m) + (m.phases?.validateConsolidate ?? 0)));
    }
    const c = fastest(runs.copied.map((b) => b.run));
    console.log(`with --copies: ${c.copies ?? 0} school sheets copied into the workbook, reading in one reader process`);
    phases(c);
    report('  peak memory', Math.max(...runs.copied.map((b) => b.run.rssMb)), 'MB', '< 1024 MB');
    reportRatio('  ratio to the floor', ratios(runs.copied, (m) => m.ms));
    reportRatio('  reading only (every book kept for its copy), ratio to the floor', ratios(runs.copied, read));
    report(`  output floor: zip the workbook's ${(o.rawMb ?? 0).toFixed(1)} MB of parts (${(o.outputMb ?? 0).toFixed(1)} MB zipped)`, o.ms, 'ms');
    // Against both floors: the input floor around the run, and zipping the workbook that run wrote.
    reportRatio('  ratio to both floors (reading the schools, zipping the workbook)', runs.copied.map((b, k) => b.run.ms / (b.floor + runs.outFloor[k]!.run.ms)));
    console.log(`(${c.schools} schools consolidated, ${c.issues} issues)`);
    console.log(`(the command itself would read in ${workerCount(COUNT)} reader process(es) here)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function child(kind: string, args: string[]): Promise<void> {
  const m = kind === 'floor' ? floor(args[0]!) : kind === 'output-floor' ? outputFloor(args[0]!) : await endToEnd(args[0]!, args[1]!, args[2]!, args[3] === 'copies');
  console.log(JSON.stringify(m));
}

if (process.argv[2] === READER_ARG) {
  readerMain();
} else if (process.argv[2] === '--child') {
  await child(process.argv[3]!, process.argv.slice(4));
} else {
  await parent();
}
