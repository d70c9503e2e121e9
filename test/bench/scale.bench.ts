/**
 * A city or a province on one machine: 1,000, 5,000 and 20,000 school files (`HUIZONG_BENCH_SCALE=1000,5000`
 * for fewer), each size measured in its own child processes so that peak memory is that size's own.
 * For each: the floor (unzip + decode every sheet's XML), reading alone, read + validate + consolidate,
 * and the whole `huizong consolidate` command as a clerk runs it (copies of school sheets by their
 * default: left out beyond 300). Prints time per file, peak memory and each ratio to the floor (the
 * median over the runs, each run compared with the two floor runs around it) with its goal; nothing is
 * asserted.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { loadDefinitions, loadRoster } from '../../src/cli/load';
import { READER_ARG, readerMain, readSchoolFiles } from '../../src/cli/read';
import { runCli } from '../../src/cli/run';
import { runJob } from '../../src/job';
import { firstSchools, writeSchools } from './districts';
import { bracketed, fastest, peakRssMb, ratios, report, reportRatio, type Bracketed } from './util';

const SIZES = (process.env.HUIZONG_BENCH_SCALE ?? '1000,5000,20000')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n > 0)
  .sort((a, b) => a - b);

interface Measured {
  readonly ms: number;
  readonly rssMb: number;
  readonly phases?: Record<string, number>;
  readonly schools?: number;
  readonly exit?: number;
}

const xlsxIn = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.xlsx'))
    .map((f) => path.join(dir, f));

/** Unzips every file and decodes its sheet and shared-string XML: the least any reader must do. */
function floor(dir: string): Measured {
  const decoder = new TextDecoder();
  const t0 = performance.now();
  let chars = 0;
  for (const f of xlsxIn(dir)) {
    const zip = unzipSync(readFileSync(f), { filter: (e) => /^xl\/(worksheets\/sheet\d+|sharedStrings)\.xml$/.test(e.name) });
    for (const bytes of Object.values(zip)) chars += decoder.decode(bytes).length;
  }
  if (chars === 0) throw new Error('no sheet XML found');
  return { ms: performance.now() - t0, rssMb: peakRssMb() };
}

/** The command's reader, then the job pipeline's validation and consolidation, books dropped once read. */
async function pipeline(dir: string, roster: string): Promise<Measured> {
  const loaded = await loadDefinitions(undefined);
  if ('failure' in loaded) throw new Error('preset');
  const withRoster = await loadRoster(loaded.definitions, roster);
  if ('failure' in withRoster) throw new Error('roster');
  const defs = withRoster.definitions;
  const files = xlsxIn(dir);
  const t0 = performance.now();
  const reads = await readSchoolFiles(files, defs, { cwd: dir, keepBooks: false, workerScript: process.argv[1]! });
  const t1 = performance.now();
  const job = runJob(reads, defs);
  const t2 = performance.now();
  return { ms: t2 - t0, rssMb: peakRssMb(), phases: { read: t1 - t0, validateConsolidate: t2 - t1 }, schools: job.consolidation.schools.length };
}

/** `huizong consolidate` in this process, as the clerk runs it. */
async function command(dir: string, roster: string, out: string, extra: string[]): Promise<Measured> {
  const sink = { write: () => true };
  const t0 = performance.now();
  const exit = await runCli(['consolidate', dir, '--roster', roster, '--out', out, '--no-progress', ...extra], { cwd: dir, stdout: sink, stderr: sink, workerScript: process.argv[1]! });
  return { ms: performance.now() - t0, rssMb: peakRssMb(), exit };
}

function runChild(args: string[]): Measured {
  const r = spawnSync(process.execPath, ['--expose-gc', process.argv[1]!, '--child', ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`child ${args[0]} failed:\n${r.stdout}\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Measured;
}

async function parent(): Promise<void> {
  const largest = SIZES[SIZES.length - 1]!;
  const dir = mkdtempSync(path.join(tmpdir(), 'huizong-bench-scale-'));
  try {
    const t0 = performance.now();
    const district = await writeSchools(dir, largest);
    console.log(`${largest} school files generated in ${((performance.now() - t0) / 1000).toFixed(0)} s (${availableParallelism()} cores)`);
    const rows: { n: number; floors: Measured[]; pipes: Bracketed<Measured>[]; cmds: Bracketed<Measured>[]; copies: Bracketed<Measured>[] }[] = [];
    for (const n of SIZES) {
      // Each size is its own folder of hard links to the first n files, with a roster of those n schools.
      const { sub, roster } = firstSchools(dir, district, n);
      const out = path.join(dir, `district-${n}.xlsx`);
      // Each kind runs once a round, alternating, each run between two runs of the floor: this machine's
      // speed drifts from minute to minute, so each ratio is taken against the two floors around its run
      // and the median printed (times per file are each kind's best). Five rounds at 1,000 files, where a
      // run lasts a second or two and the drift weighs most, three up to 5,000, two beyond.
      const rounds = n <= 1000 ? 5 : n <= 5000 ? 3 : 2;
      const kinds: Record<string, () => Measured> = {
        pipeline: () => runChild(['pipeline', sub, roster]),
        command: () => runChild(['command', sub, roster, out]),
        ...(n <= 1000 ? { copies: () => runChild(['command', sub, roster, out, '--copies']) } : {}),
      };
      const { floors, runs } = bracketed(rounds, () => runChild(['floor', sub]), kinds);
      rows.push({ n, floors, pipes: runs['pipeline']!, cmds: runs['command']!, copies: runs['copies'] ?? [] });
      rmSync(sub, { recursive: true, force: true });
    }
    const only = (list: Bracketed<Measured>[]): Measured[] => list.map((b) => b.run);
    const peak = (list: Bracketed<Measured>[]): number => Math.max(...list.map((b) => b.run.rssMb));
    for (const { n, floors, pipes, cmds, copies } of rows) {
      const pipe = fastest(only(pipes));
      console.log(`\n${n} files (${pipe.schools} schools)`);
      report('  floor: unzip + decode sheet XML (best)', fastest(floors).ms, 'ms');
      reportRatio('  reading, ratio to the floor', ratios(pipes, (m) => m.phases?.read ?? 0), '≤ 3×');
      report('  read + validate + consolidate, per file (best)', pipe.ms / n, 'ms', 'flat from 1,000 to 20,000');
      report('  read + validate + consolidate, peak memory', peak(pipes), 'MB', '< 1024 MB');
      report('  validate + consolidate (best)', Math.min(...only(pipes).map((m) => m.phases?.validateConsolidate ?? 0)), 'ms');
      report('  whole command (copies by default), per file (best)', fastest(only(cmds)).ms / n, 'ms');
      reportRatio('  whole command, ratio to the floor', ratios(cmds, (m) => m.ms), '≤ 5×');
      report('  whole command, peak memory', peak(cmds), 'MB', '< 1024 MB');
      if (copies.length > 0) {
        reportRatio('  whole command with --copies, ratio to the floor', ratios(copies, (m) => m.ms));
        report('  whole command with --copies, peak memory', peak(copies), 'MB');
      }
    }
    const first = rows[0]!;
    const last = rows[rows.length - 1]!;
    if (rows.length > 1) report(`time per file at ${last.n} ÷ at ${first.n} (read + validate + consolidate, best)`, fastest(only(last.pipes)).ms / last.n / (fastest(only(first.pipes)).ms / first.n), '×', '≈ 1 (linear)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function child(kind: string, args: string[]): Promise<void> {
  const m = kind === 'floor' ? floor(args[0]!) : kind === 'pipeline' ? await pipeline(args[0]!, args[1]!) : await command(args[0]!, args[1]!, args[2]!, args.slice(3));
  console.log(JSON.stringify(m));
}

if (process.argv[2] === READER_ARG) {
  readerMain();
} else if (process.argv[2] === '--child') {
  await child(process.argv[3]!, process.argv.slice(4));
} else {
  await parent();
}
