/**
 * Eighty school files, each with one stray cell in the last row of its sheet (a space typed in A1048576,
 * or a note there), against eighty clean ones: what the far cell costs in reading, validating and copying
 * the school sheets into the district workbook. Each kind runs in its own child process, as the command
 * runs (files parsed in reader processes, books kept for the copies), and prints the CPU time of the
 * whole run (this process and its reader processes), its phases' wall time, the heap the kept books hold
 * once read, and peak memory. Nothing is asserted.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { demoDefinitions, generateManySchools, schoolFormPlan } from '../../src/demo';
import { discoverInputs } from '../../src/cli/files';
import { writeBook } from '../../src/cli/io';
import { loadDefinitions, loadRoster } from '../../src/cli/load';
import { copiesWithGrids, processReader, READER_ARG, readerMain, readSchoolFiles } from '../../src/cli/read';
import { planOutputs, runJob } from '../../src/job';
import { peakRssMb, report } from './util';

const COUNT = 80;
/** Runs of each kind, the best shown (`HUIZONG_BENCH_ROUNDS`). */
const ROUNDS = Number(process.env.HUIZONG_BENCH_ROUNDS ?? 3);
/** The kinds to run (`HUIZONG_BENCH_KINDS=clean,space`), all by default. */
const ONLY = process.env.HUIZONG_BENCH_KINDS?.split(',');

interface Measured {
  readonly cpuMs: number;
  readonly ms: number;
  readonly keptMb: number;
  readonly rssMb: number;
  readonly phases: Record<string, number>;
  readonly schools: number;
  readonly copies: number;
}

const KINDS = {
  clean: { label: 'clean school files, for comparison', row: '' },
  space: { label: 'a space typed in A1048576', row: '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t xml:space="preserve"> </t></is></c></row>' },
  note: { label: 'a note typed in A1048576', row: '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>备注：无</t></is></c></row>' },
} as const;
type Kind = keyof typeof KINDS;

/** CPU time of this process and of the child processes it has waited for (its reader processes), in ms. */
function cpuMs(): number {
  const own = process.cpuUsage();
  // Fields 16 and 17 of /proc/self/stat: CPU of children waited for, in clock ticks (100 a second).
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const children = (Number(fields[13]) + Number(fields[14])) * 10;
  return (own.user + own.system) / 1000 + children;
}

function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

/** The command's steps with every school sheet copied into the workbook: read (books kept), validate and consolidate, build the workbook. */
async function consolidate(dir: string, roster: string): Promise<Measured> {
  const loaded = await loadDefinitions(undefined);
  if ('failure' in loaded) throw new Error('preset');
  const withRoster = await loadRoster(loaded.definitions, roster);
  if ('failure' in withRoster) throw new Error('roster');
  const defs = withRoster.definitions;
  const found = await discoverInputs([dir], dir, []);
  const base = heapMb();
  const cpu0 = cpuMs();
  const t0 = performance.now();
  const reader = processReader(process.argv[1]!, 1);
  const reads = await readSchoolFiles(found.files, defs, { cwd: dir, keepBooks: true, reader });
  const t1 = performance.now();
  const keptMb = heapMb() - base;
  const t2 = performance.now();
  const job = runJob(reads, defs, { groupBy: ['stage', 'township'] });
  const t3 = performance.now();
  const planned = planOutputs(job, defs, { lang: 'zh-CN', mode: 'values', groupBy: ['stage', 'township'], target: 'file', copies: true });
  const copies = await copiesWithGrids(planned.copies, reads, reader);
  const bytes = await writeBook(planned.plans, copies);
  const t4 = performance.now();
  reader.close();
  // The reader process is waited for before its CPU time counts.
  await new Promise((r) => setTimeout(r, 200));
  const cpu = cpuMs() - cpu0;
  if (bytes.length === 0) throw new Error('no workbook');
  return {
    cpuMs: cpu,
    ms: t4 - t0 - (t2 - t1),
    keptMb,
    rssMb: peakRssMb(),
    phases: { read: t1 - t0, validateConsolidate: t3 - t2, buildWorkbook: t4 - t3 },
    schools: job.consolidation.schools.length,
    copies: copies.length,
  };
}

function runChild(dir: string, roster: string): Measured {
  const r = spawnSync(process.execPath, ['--expose-gc', process.argv[1]!, '--child', dir, roster], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`child failed:\n${r.stdout}\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Measured;
}

async function parent(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'huizong-bench-farcell-'));
  try {
    const schools = generateManySchools(COUNT);
    const defs = demoDefinitions(schools);
    const roster = path.join(dir, 'roster.json');
    writeFileSync(roster, JSON.stringify({ roster: defs.roster }));
    for (const kind of Object.keys(KINDS) as Kind[]) mkdirSync(path.join(dir, kind));
    for (const s of schools) {
      const parts = unzipSync(await writeBook([schoolFormPlan(defs, s)]));
      const sheet = strFromU8(parts['xl/worksheets/sheet1.xml']!);
      for (const kind of Object.keys(KINDS) as Kind[]) {
        const xml = sheet.replace('</sheetData>', `${KINDS[kind].row}</sheetData>`).replace(/<dimension ref="[^"]*"\/>/, kind === 'clean' ? '$&' : '<dimension ref="A1:A1048576"/>');
        writeFileSync(path.join(dir, kind, `${s.code}.xlsx`), zipSync({ ...parts, 'xl/worksheets/sheet1.xml': strToU8(xml) }));
      }
    }
    console.log(`${COUNT} school files of each kind; every school sheet copied into the district workbook; ${ROUNDS} rounds, best shown`);
    for (const kind of Object.keys(KINDS) as Kind[]) {
      if (ONLY !== undefined && !ONLY.includes(kind)) continue;
      const runs: Measured[] = [];
      for (let k = 0; k < ROUNDS; k++) runs.push(runChild(path.join(dir, kind), roster));
      const best = runs.reduce((a, b) => (b.cpuMs < a.cpuMs ? b : a));
      console.log(`${KINDS[kind].label} (${best.schools} schools read, ${best.copies} sheets copied)`);
      report('  CPU time, whole run (reader process included)', best.cpuMs, 'ms');
      report('  CPU time per file', best.cpuMs / COUNT, 'ms');
      report('  wall time: read', best.phases['read']!, 'ms');
      report('  wall time: validate and consolidate', best.phases['validateConsolidate']!, 'ms');
      report('  wall time: build the workbook with the copies', best.phases['buildWorkbook']!, 'ms');
      report('  heap the kept books hold', best.keptMb, 'MB');
      report('  peak memory (whole process)', best.rssMb, 'MB');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === READER_ARG) readerMain();
else if (process.argv[2] === '--child') console.log(JSON.stringify(await consolidate(process.argv[3]!, process.argv[4]!)));
else await parent();
