// `npm run bench`: bundles each test/bench/*.bench.ts with esbuild and runs it in its own Node process,
// so that every benchmark's peak memory (maxRSS) is its own. Benchmarks print measured numbers; nothing is asserted.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const outDir = path.join(root, 'node_modules/.cache/huizong-bench');
mkdirSync(outDir, { recursive: true });

const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

let failed = 0;
for (const file of files) {
  const outfile = path.join(outDir, file.replace(/\.ts$/, '.mjs'));
  await build({
    entryPoints: [path.join(here, file)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  console.log(`\n── ${file} ──`);
  const run = spawnSync(process.execPath, ['--expose-gc', outfile], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
if (failed > 0) {
  console.error(`${failed} benchmark(s) did not finish`);
  process.exit(1);
}
