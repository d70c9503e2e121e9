/** Entry of the `huizong` command (bundled to dist/cli/huizong.cjs). A worker thread of the same file reads school files. */
import { isMainThread } from 'node:worker_threads';
import { sniffLang } from './args';
import { runCli } from './run';
import { workerMain } from './read';

/** The one line printed for a failure nobody foresaw: what happened and what to do, never a stack trace. */
function unexpected(e: unknown, zh: boolean): string {
  const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return zh
    ? `huizong: 意外错误（${what}）。没有写出不完整的文件；请把这一行和所用的命令告诉维护者。`
    : `huizong: unexpected error (${what}). No half-written file was left; please send this line and the command you ran to the maintainers.`;
}

if (isMainThread) {
  const zh = sniffLang(process.argv.slice(2)) === 'zh-CN';
  // A reader that stops early (`huizong validate … | head`) closes the pipe: stop quietly, as other tools do.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
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
      process.stderr.write(`${unexpected(e, zh)}\n`);
      process.exitCode = 2;
    },
  );
} else {
  workerMain();
}
