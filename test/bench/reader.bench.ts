/**
 * The reader processes at scale: `huizong consolidate` (the built command, dist/cli/huizong.cjs, in a
 * process of its own, as the clerk runs it) on 100 and 1,000 small school files, against the same
 * command with every file read on its own thread (no reader process, no isolation: the floor the
 * processes add to). `HUIZONG_BENCH_BASELINE=/path/to/other/huizong.cjs` runs another build of the
 * command beside it (an earlier commit's, built elsewhere), run for run. Each kind runs
 * `HUIZONG_BENCH_ROUNDS` times (5 by default), alternating, and the median wall time and CPU time (the
 * command and its reader processes) are printed with their range and the machine's load average, as the
 * two cores are shared and wall time moves with the load. Then where the time of the reader processes
 * goes: starting one, and what one file's answer weighs when it crosses between processes. Nothing is
 * asserted. Build the command first (`npm run build:cli`).
 */
import { fork, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { serialize } from 'node:v8';
import { loadDefinitions, loadRoster } from '../../src/cli/load';
import { readOneFile, workerCount } from '../../src/cli/read';
import { runCli } from '../../src/cli/run';
import { firstSchools, writeSchools } from './districts';
import { median, report } from './util';

const SIZES = (process.env.HUIZONG_BENCH_READER ?? '100,1000').split(',').map(Number);
const ROUNDS = Number(process.env.HUIZONG_BENCH_ROUNDS ?? 5);
const CLI = path.resolve('dist/cli/huizong.cjs');
const BASELINE = process.env.HUIZONG_BENCH_BASELINE;

interface Run {
  readonly ms: number;
  readonly cpuMs: number;
  readonly load: number;
}

/** CPU time of the child processes this one has waited for, and theirs, in ms (fields 16 and 17 of /proc/self/stat, in ticks of 10 ms). */
function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

/** Runs `args` with Node, timed: wall time, and the CPU time of the process and every process it started. */
function timed(args: string[], env: Record<string, string> = {}): Run {
  const load = loadavg()[0]!;
  const cpu0 = childrenCpuMs();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, ...env } });
  const ms = performance.now() - t0;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  return { ms, cpuMs: childrenCpuMs() - cpu0, load };
}

/** A build of the command, in its own process, as the clerk runs it. */
const command = (cli: string, dir: string, roster: string, out: string, env: Record<string, string> = {}): Run => timed([cli, 'consolidate', dir, '--roster', roster, '--out', out, '--no-progress'], env);

/** The same command with every file read on this bench's own thread: no reader process. */
const inline = (dir: string, roster: string, out: string): Run => timed([process.argv[1]!, '--inline', dir, roster, out]);

/** Time from starting a reader process to its first word: what each reader process costs before any file. */
async function startUp(script: string): Promise<number> {
  const t0 = performance.now();
  const child = fork(script, ['--huizong-reader'], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
  await new Promise<void>((resolve) => child.once('message', () => resolve()));
  const ms = performance.now() - t0;
  child.kill();
  return ms;
}

function show(label: string, runs: readonly Run[]): void {
  const ms = runs.map((r) => r.ms);
  const cpu = runs.map((r) => r.cpuMs);
  const loads = runs.map((r) => r.load);
  console.log(label);
  report('    wall time', median(ms), 'ms');
  report('    CPU time (the command and its reader processes)', median(cpu), 'ms');
  console.log(`${''.padEnd(8)}[${runs.length} runs: wall ${Math.min(...ms).toFixed(0)}–${Math.max(...ms).toFixed(0)} ms, CPU ${Math.min(...cpu).toFixed(0)}–${Math.max(...cpu).toFixed(0)} ms; load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}]`);
}

async function parent(): Promise<void> {
  if (!existsSync(CLI)) throw new Error('build the command first: npm run build:cli');
  const dir = mkdtempSync(path.join(tmpdir(), 'huizong-bench-reader-'));
  try {
    const largest = Math.max(...SIZES);
    const district = await writeSchools(dir, largest);
    console.log(`${availableParallelism()} cores; the command starts ${workerCount(largest)} reader process(es) here`);
    for (const n of SIZES) {
      const { sub, roster } = firstSchools(dir, district, n);
      const out = path.join(dir, `district-${n}.xlsx`);
      const cmd: Run[] = [];
      const two: Run[] = [];
      const base: Run[] = [];
      const own: Run[] = [];
      command(CLI, sub, roster, out);
      for (let k = 0; k < ROUNDS; k++) {
        cmd.push(command(CLI, sub, roster, out));
        if (BASELINE !== undefined) base.push(command(BASELINE, sub, roster, out));
        own.push(inline(sub, roster, out));
        if (workerCount(n) !== 2) two.push(command(CLI, sub, roster, out, { HUIZONG_WORKERS: '2' }));
      }
      console.log(`\nhuizong consolidate, ${n} school files${n <= 300 ? ' (every school sheet copied into the workbook, so every book crosses to the command)' : ''}`);
      show(`  files read in ${workerCount(n)} reader process(es), as the clerk runs it`, cmd);
      if (two.length > 0) show('  the same in 2 reader processes (HUIZONG_WORKERS=2)', two);
      if (BASELINE !== undefined) show(`  the baseline build (${BASELINE})`, base);
      show("  files read on the command's own thread (no isolation)", own);
      report('  wall time the reader processes add', median(cmd.map((r) => r.ms)) - median(own.map((r) => r.ms)), 'ms');
      if (BASELINE !== undefined) report('  the same for the baseline build', median(base.map((r) => r.ms)) - median(own.map((r) => r.ms)), 'ms');
    }

    const reader = path.join(path.dirname(CLI), 'reader.cjs');
    for (const [label, script] of [['one reader process (reader.cjs), started until ready', reader], ['the whole command bundle started as a reader, for comparison', CLI], ...(BASELINE !== undefined ? [['the baseline build started as a reader', BASELINE]] : [])] as const) {
      if (!existsSync(script)) continue;
      const starts: number[] = [];
      for (let k = 0; k < ROUNDS; k++) starts.push(await startUp(script));
      report(label, median(starts), 'ms');
    }

    // What one file's answer weighs between processes, with and without its book.
    const loaded = await loadDefinitions(undefined);
    if ('failure' in loaded) throw new Error('preset');
    const withRoster = await loadRoster(loaded.definitions, path.join(dir, `roster-${SIZES[0]}.json`));
    if ('failure' in withRoster) throw new Error('roster');
    const file = path.join(district.all, readdirSync(district.all).sort()[0]!);
    report('one answer, submissions only (serialised)', serialize(readOneFile(file, 'a.xlsx', withRoster.definitions, false)).length / 1024, 'KB');
    report('one answer with its book (serialised)', serialize(readOneFile(file, 'a.xlsx', withRoster.definitions, true)).length / 1024, 'KB');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function inlineChild(dir: string, roster: string, out: string): Promise<void> {
  const sink = { write: () => true };
  process.exitCode = await runCli(['consolidate', dir, '--roster', roster, '--out', out, '--no-progress'], { cwd: dir, stdout: sink, stderr: sink });
}

if (process.argv[2] === '--inline') await inlineChild(process.argv[3]!, process.argv[4]!, process.argv[5]!);
else await parent();
