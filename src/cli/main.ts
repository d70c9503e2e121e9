/** Entry of the `huizong` command (bundled to dist/cli/huizong.cjs). A worker thread of the same file reads school files. */
import { isMainThread } from 'node:worker_threads';
import { runCli } from './run';
import { workerMain } from './read';

if (isMainThread) {
  runCli(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    workerScript: __filename,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`huizong: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 2;
    },
  );
} else {
  workerMain();
}
