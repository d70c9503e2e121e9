/** Entry of the `huizong` command (bundled to dist/cli/huizong.cjs). A reader process of the same file, started with its own argument, parses the files. */
import path from 'node:path';
import { sniffLang } from './args';
import { runCli } from './run';
import { READER_ARG, readerMain } from './read';

/** The one line printed for a failure nobody foresaw: what happened and what to do, never a stack trace. */
function unexpected(e: unknown, zh: boolean): string {
  const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return zh
    ? `huizong: 意外错误（${what}）。没有写出不完整的文件；请把这一行和所用的命令告诉维护者。`
    : `huizong: unexpected error (${what}). No half-written file was left; please send this line and the command you ran to the maintainers.`;
}

if (process.argv[2] !== READER_ARG) {
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
    // The reader processes run their own small bundle, beside this one.
    workerScript: path.join(__dirname, 'reader.cjs'),
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
  readerMain();
}
