/** The `huizong` command: parses the line, runs one command, prints, and returns the exit code. */
import { createHash } from 'node:crypto';
import { promises as fs, realpathSync } from 'node:fs';
import path from 'node:path';
import { formatIssue } from '../core/messages';
import type { Definitions, Issue, Lang, School } from '../core/types';
import { buildTemplatePlan, type SheetPlan } from '../workbook';
import { EXIT, parseCommandLine, type ConsolidateRequest, type DemoRequest, type ReturnRequest, type SelfCheckRequest, type TemplateRequest, type ValidateRequest } from './args';
import { buildDemoDistrict, demoDefinitionPlans } from '../demo';
import { checkOutput, discoverInputs, writeFileAtomic, type MissingInput, type OutputProblem } from './files';
import { helpText, usageMessage } from './help';
import { COPIES_DEFAULT_LIMIT, planOutputs, planReturns, returnIndexPlan, runJob, selfCheckPageData, selfCheckWords, severityCounts, stampState, withNotes, withPageData, SELF_CHECK_TEMPLATE, type JobResult, type PreviousValues, type SelfCheckState } from '../job';
import { writeBook, type SheetCopy } from './io';
import { loadDefinitions, loadPrevious, loadRoster, type LoadFailure } from './load';
import { issueList, jsonResult, textReport, VERSION } from './output';
import { createProgress, type ProgressStream } from './progress';
import { copiesWithGrids, copyLoader, displayName, inlineReader, processReader, readSchoolFiles, workerCount, type BookReader, type FileRead } from './read';

/** Where the command runs: its folder and streams, and the bundle file worker threads start from. */
export interface CliEnv {
  readonly cwd: string;
  readonly stdout: { write(s: string): unknown };
  readonly stderr: ProgressStream;
  readonly workerScript?: string;
  /** The built self-check page without data (dist/web/selfcheck-template.html); found beside the bundle when absent. */
  readonly selfCheckTemplate?: string;
}

/** Runs `huizong` with `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: readonly string[], env: CliEnv): Promise<number> {
  const parsed = parseCommandLine(argv);
  switch (parsed.kind) {
    case 'help':
      env.stdout.write(`${helpText(parsed.lang, parsed.command)}\n`);
      return EXIT.ok;
    case 'version':
      env.stdout.write(`huizong ${VERSION}\n`);
      return EXIT.ok;
    case 'usage':
      env.stderr.write(`${usageMessage(parsed.problem, parsed.lang, parsed.command)}\n`);
      return EXIT.usage;
    case 'run':
      break;
  }
  const r = parsed.request;
  const ctx = new Context(env, r.lang);
  try {
    switch (r.command) {
      case 'demo':
        return await demo(r, ctx);
      case 'template':
        return await template(r, ctx);
      case 'self-check':
        return await selfCheckPage(r, ctx);
      case 'validate':
      case 'consolidate':
        // A reader process starts while this one finds the definitions and the files: its start-up overlaps their work.
        ctx.reader.warm();
        return await validateOrConsolidate(r, ctx);
      case 'return':
        ctx.reader.warm();
        return await returnPackages(r, ctx);
    }
  } catch (e) {
    if (e instanceof StopError) return e.exitCode;
    throw e;
  } finally {
    ctx.closeReader();
  }
}

/** Stops a command with an exit code after its message was printed. */
class StopError extends Error {
  override name = 'StopError';
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}

/** Printing helpers bound to one run's streams and language. */
class Context {
  constructor(
    readonly env: CliEnv,
    readonly lang: Lang,
  ) {}

  private files: BookReader | undefined;

  /** Where every file of this run is parsed: reader processes started from the bundle (on this thread only without one, in tests). */
  get reader(): BookReader {
    this.files ??= this.env.workerScript !== undefined ? processReader(this.env.workerScript, workerCount(Number.MAX_SAFE_INTEGER)) : inlineReader;
    return this.files;
  }

  closeReader(): void {
    this.files?.close();
    this.files = undefined;
  }

  get zh(): boolean {
    return this.lang === 'zh-CN';
  }

  out(s: string): void {
    this.env.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
  }

  err(s: string): void {
    this.env.stderr.write(s.endsWith('\n') ? s : `${s}\n`);
  }

  /** Prints an I/O or input problem and stops with exit code 2. */
  fail(zh: string, en: string): never {
    this.err(`huizong: ${this.zh ? zh : en}`);
    throw new StopError(EXIT.usage);
  }

  resolve(p: string): string {
    return path.resolve(this.env.cwd, p);
  }

  show(p: string): string {
    return displayName(this.resolve(p), this.env.cwd);
  }

  failLoad(what: { zh: string; en: string }, f: LoadFailure, issues: readonly Issue[]): never {
    for (const i of issues) if (i.severity === 'error') this.err(`  ${formatIssue(i, this.lang)}`);
    const reason = reasonText(f.reason, this.lang, f.period);
    this.fail(`无法读取${what.zh}“${this.show(f.file)}”：${reason}`, `Cannot read the ${what.en} "${this.show(f.file)}": ${reason}`);
  }
}

function reasonText(reason: string, lang: Lang, period?: string): string {
  const zh = lang === 'zh-CN';
  switch (reason) {
    case 'same_period':
      return zh
        ? `它的填报期${period !== undefined ? `“${period}”` : ''}与本期相同，是本期的汇总而不是上期的；请用 --previous 指定上一期的汇总`
        : `it is for${period !== undefined ? ` "${period}",` : ''} this same period: it is this period's summary, not last period's; give last period's summary with --previous`;
    case 'ENOENT':
      return zh ? '文件不存在' : 'no such file';
    case 'EACCES':
    case 'EPERM':
      return zh ? '没有读取权限' : 'permission denied';
    case 'EISDIR':
      return zh ? '这是一个目录' : 'it is a folder';
    case 'ELOOP':
      return zh ? '它是一个循环的符号链接' : 'it is a link that loops back on itself';
    case 'not_a_file':
      return zh ? '它不是普通文件' : 'it is not a regular file';
    case 'too_large':
      return zh ? '文件过大，不像定义、名册或汇总文件' : 'it is far too large to be definitions, a roster or a summary';
    case 'definitions':
      return zh ? '其中没有可用的定义' : 'it holds no usable definitions';
    case 'roster':
      return zh ? '其中没有可用的学校名册' : 'it holds no usable school roster';
    case 'previous':
      return zh ? '它不是 huizong 写出的全区汇总或 --json 输出' : 'it is neither a district workbook written by huizong nor its --json output';
    case 'unreadable':
      return zh ? '不是可读取的工作簿' : 'not a readable workbook';
    default:
      return reason;
  }
}

/** Why writing a file failed, by its error code, with what to do about it. */
function writeReasonText(code: string, lang: Lang): string {
  const zh = lang === 'zh-CN';
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return zh ? '没有写入该目录的权限，请换一个有权限的目录' : 'no permission to write in that folder; choose a folder you can write to';
    case 'EROFS':
      return zh ? '该位置是只读的，请换一个目录' : 'that place is read-only; choose another folder';
    case 'ENOSPC':
    case 'EDQUOT':
      return zh ? '磁盘空间不足，请清理磁盘或换一个磁盘' : 'the disk is full; free some space or choose another disk';
    case 'ENAMETOOLONG':
      return zh ? '文件名或路径太长，请用短一些的名字' : 'the file name or path is too long; use a shorter one';
    case 'EISDIR':
      return zh ? '同名的是一个目录' : 'a folder has that name';
    case 'ENOTDIR':
    case 'ENOENT':
      return zh ? '所在目录无法创建（路径中有同名文件？）' : 'its folder cannot be created (is a file in the way?)';
    default:
      return code;
  }
}

/** An output that must not be written, in words, with what to do instead. */
function outputProblemText(p: OutputProblem, shown: string, ctx: Context): [string, string] {
  switch (p.kind) {
    case 'is_input':
      return [
        `输出文件“${shown}”也是输入文件“${ctx.show(p.input)}”，写出会覆盖它。未写出任何文件，请换一个输出文件名或目录。`,
        `The output "${shown}" is also the input "${ctx.show(p.input)}": writing it would overwrite that file. Nothing was written; choose another output name or folder.`,
      ];
    case 'read_only':
      return [`“${shown}”是只读文件，未覆盖。请先取消只读，或换一个输出文件名。`, `"${shown}" is read-only and was not replaced. Make it writable first, or choose another output name.`];
    case 'is_folder':
      return [`“${shown}”是一个目录，请给出 .xlsx 文件名。`, `"${shown}" is a folder; give an .xlsx file name.`];
    case 'not_a_file':
      return [`“${shown}”不是普通文件，未覆盖。请换一个输出文件名。`, `"${shown}" is not a regular file and was not replaced; choose another output name.`];
  }
}

/** Stops with exit code 2 when `out` must not be written: it is one of `inputs`, read-only, or not a file. */
async function guardOutput(out: string, inputs: readonly (string | undefined)[], ctx: Context): Promise<void> {
  const problem = await checkOutput(out, inputs.filter((i): i is string => i !== undefined));
  if (problem !== null) ctx.fail(...outputProblemText(problem, ctx.show(out), ctx));
}

/** Definitions from --definitions (or the preset), the roster from --roster; stops with 2 on failure or definition errors. */
async function definitionsFor(r: { definitions?: string; roster?: string }, ctx: Context): Promise<Definitions> {
  const loaded = await loadDefinitions(r.definitions === undefined ? undefined : ctx.resolve(r.definitions), ctx.reader);
  if ('failure' in loaded) ctx.failLoad({ zh: '定义', en: 'definitions' }, loaded.failure, loaded.issues);
  let defs = loaded.definitions;
  const issues: Issue[] = [...loaded.issues];
  if (r.roster !== undefined) {
    const withRoster = await loadRoster(defs, ctx.resolve(r.roster), ctx.reader);
    if ('failure' in withRoster) ctx.failLoad({ zh: '学校名册', en: 'roster' }, withRoster.failure, withRoster.issues);
    defs = withRoster.definitions;
    issues.push(...withRoster.issues);
  }
  for (const i of issues) ctx.err(`  ${formatIssue(i, ctx.lang)}`);
  const defErrors = loaded.issues.filter((i) => i.severity === 'error').length;
  const rosterErrors = issues.length - loaded.issues.length === 0 ? 0 : issues.slice(loaded.issues.length).filter((i) => i.severity === 'error').length;
  if (defErrors > 0) ctx.fail(`定义中有 ${defErrors} 个错误，请先改正。`, `The definitions have ${defErrors} errors; correct them first.`);
  if (rosterErrors > 0) ctx.fail(`学校名册中有 ${rosterErrors} 个错误，请先改正。`, `The school roster has ${rosterErrors} errors; correct them first.`);
  return defs;
}

async function previousFor(file: string | undefined, defs: Definitions, ctx: Context): Promise<PreviousValues | undefined> {
  if (file === undefined) return undefined;
  const p = await loadPrevious(defs, ctx.resolve(file), ctx.reader);
  if ('failure' in p) ctx.failLoad({ zh: '上期数据', en: 'previous period' }, p.failure, []);
  return p.previous;
}

function missingText(m: MissingInput, lang: Lang): string {
  const zh = lang === 'zh-CN';
  switch (m.reason) {
    case 'not_found':
      return zh ? `找不到“${m.input}”。` : `"${m.input}" does not exist.`;
    case 'no_match':
      return zh ? `没有文件匹配“${m.input}”。` : `No file matches "${m.input}".`;
    case 'empty_folder':
      return zh ? `目录“${m.input}”中没有任何文件。` : `The folder "${m.input}" holds no file.`;
  }
}

/** Reads the school files with a progress bar (on a terminal only). */
async function readAll(files: readonly string[], defs: Definitions, keepBooks: boolean, progress: boolean, ctx: Context): Promise<FileRead[]> {
  const bar = createProgress(ctx.env.stderr, files.length, ctx.zh ? '读取' : 'Reading', { enabled: progress });
  try {
    return await readSchoolFiles(files, defs, {
      cwd: ctx.env.cwd,
      keepBooks,
      reader: ctx.reader,
      onFile: (f) => bar.tick(f),
    });
  } finally {
    bar.done();
  }
}

function exitFor(job: JobResult): number {
  return severityCounts(job.consolidation.issues).errors > 0 ? EXIT.errors : EXIT.ok;
}

function fileSummary(reads: readonly FileRead[], defs: Definitions): { file: string; submissions: number; issues: number; selfCheck: SelfCheckState }[] {
  return reads.map((r) => ({ file: r.file, submissions: r.submissions.length, issues: r.issues.length, selfCheck: stampState(r.stamp, defs) }));
}

/**
 * Each file's self-check state: one line when every file is in the same state (fifty lines of 未自查 say
 * nothing more), else a count of each state and then each file, one line each.
 */
function selfCheckReport(reads: readonly FileRead[], defs: Definitions, zh: boolean): string {
  const states = reads.map((r) => ({ file: r.file, state: stampState(r.stamp, defs) }));
  const line = (x: (typeof states)[number]): string => `${selfCheckWords(x.state, zh)}${zh ? '\u3000' : ': '}${x.file}`;
  if (states.length === 1) return `${zh ? '学校自查：' : 'Self-check: '}${line(states[0]!)}`;
  const order: SelfCheckState[] = ['checked', 'definitions_changed', 'changed_after', 'unchecked'];
  const counts = order.map((s) => ({ s, n: states.filter((x) => x.state === s).length })).filter((c) => c.n > 0);
  if (counts.length === 1) {
    const { s, n } = counts[0]!;
    return zh ? `学校自查：${n} 个文件均为“${selfCheckWords(s, true)}”` : `Self-check: all ${n} files “${selfCheckWords(s, false)}”`;
  }
  const head = zh ? `学校自查：${counts.map((c) => `${selfCheckWords(c.s, true)} ${c.n} 个文件`).join('，')}` : `Self-check: ${counts.map((c) => `${c.n} ${selfCheckWords(c.s, false).toLowerCase()}`).join(', ')}`;
  return [head, ...states.map((x) => `  ${line(x)}`)].join('\n');
}

/** The built self-check page: given in the environment, or beside the bundle (dist/web next to dist/cli). */
async function selfCheckTemplate(ctx: Context): Promise<string> {
  const candidates = [ctx.env.selfCheckTemplate, ctx.env.workerScript === undefined ? undefined : path.join(path.dirname(ctx.env.workerScript), '..', 'web', SELF_CHECK_TEMPLATE)].filter((p): p is string => p !== undefined);
  for (const p of candidates) {
    const text = await fs.readFile(p, 'utf8').catch(() => null);
    if (text !== null) return text;
  }
  return ctx.fail(
    `找不到自查页面的程序文件（${SELF_CHECK_TEMPLATE}）。请在项目目录中运行 npm run build:cli 后再试。`,
    `The self-check page's program file (${SELF_CHECK_TEMPLATE}) is missing. Run npm run build:cli in the project folder and try again.`,
  );
}

/** `huizong self-check`: the page for the schools, one offline HTML file with the definitions (and roster) inside. */
async function selfCheckPage(r: SelfCheckRequest, ctx: Context): Promise<number> {
  const defs = await definitionsFor(r, ctx);
  const out = ctx.resolve(r.out);
  if (!/\.html?$/i.test(out)) ctx.fail(`输出文件“${r.out}”须以 .html 结尾。`, `The output "${r.out}" must end in .html.`);
  await guardOutput(out, [r.definitions, r.roster].map((f) => (f === undefined ? undefined : ctx.resolve(f))), ctx);
  const template = await selfCheckTemplate(ctx);
  let html: string;
  try {
    html = withPageData(template, selfCheckPageData(defs));
  } catch {
    return ctx.fail(`自查页面的程序文件（${SELF_CHECK_TEMPLATE}）已损坏。请运行 npm run build:cli 重新生成。`, `The self-check page's program file (${SELF_CHECK_TEMPLATE}) is damaged. Run npm run build:cli to make it again.`);
  }
  await writeOutput(out, html, ctx);
  if (r.json) ctx.out(JSON.stringify({ tool: 'huizong', version: VERSION, command: 'self-check', exitCode: 0, ok: true, output: { page: ctx.show(out) } }, null, 2));
  else {
    const schools = defs.roster.length;
    ctx.out(
      ctx.zh
        ? `已写出自查页面：${ctx.show(out)}（${defs.period ?? ''} ${defs.title.zh}，${schools > 0 ? `名册 ${schools} 所学校` : '未附名册：不核对学校代码'}）。发给学校，双击即可在浏览器中打开。`
        : `Self-check page written: ${ctx.show(out)} (${defs.period ?? ''} ${defs.title.en}, ${schools > 0 ? `roster of ${schools} schools` : 'no roster: school codes are not checked'}). Send it to the schools; it opens in a browser by double-click.`,
    );
  }
  return EXIT.ok;
}

async function writeOutput(target: string, content: readonly SheetPlan[] | string, ctx: Context, copies: readonly SheetCopy[] = []): Promise<void> {
  let bytes: Uint8Array | string;
  try {
    bytes = typeof content === 'string' ? content : await writeBook(content, copies);
  } catch (e) {
    ctx.fail(`无法生成工作簿：${e instanceof Error ? e.message : String(e)}`, `Cannot build the workbook: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    await writeFileAtomic(target, bytes);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    ctx.fail(`无法写入“${ctx.show(target)}”：${writeReasonText(code, ctx.lang)}`, `Cannot write "${ctx.show(target)}": ${writeReasonText(code, ctx.lang)}`);
  }
}

async function validateOrConsolidate(r: ValidateRequest | ConsolidateRequest, ctx: Context): Promise<number> {
  const defs = await definitionsFor(r, ctx);
  const previous = await previousFor(r.previous, defs, ctx);
  const out = r.command === 'consolidate' ? ctx.resolve(r.out) : undefined;
  if (out !== undefined && !out.toLowerCase().endsWith('.xlsx')) {
    ctx.fail(`输出文件“${r.command === 'consolidate' ? r.out : ''}”须以 .xlsx 结尾。`, `The output "${r.command === 'consolidate' ? r.out : ''}" must end in .xlsx.`);
  }
  const found = await discoverInputs(r.inputs, ctx.env.cwd);
  if (found.missing.length > 0) {
    for (const m of found.missing) ctx.err(`huizong: ${missingText(m, ctx.lang)}`);
    throw new StopError(EXIT.usage);
  }
  // Checked before any school file is read: a wrong --out costs the clerk nothing.
  if (out !== undefined) await guardOutput(out, [...[r.definitions, r.roster, r.previous].map((f) => (f === undefined ? undefined : ctx.resolve(f))), ...found.files], ctx);
  // Books are kept only when their sheets will be copied into the output; otherwise each is dropped once read.
  const keepBooks = r.command === 'consolidate' && (r.copies ?? found.files.length <= COPIES_DEFAULT_LIMIT);
  const keep = keepChoice(r.keep, found.files, ctx);
  const reads = await readAll(found.files, defs, keepBooks, r.progress, ctx);
  const groupBy = r.command === 'consolidate' ? r.groupBy : (['stage', 'township'] as const);
  const job = runJob(reads, defs, { ...(previous ? { previous } : {}), ...keep, includeSchoolsWithErrors: r.command === 'consolidate' && r.includeErrors, groupBy });
  const code = exitFor(job);

  let output: Record<string, string> | undefined;
  let consolidation = job.consolidation;
  if (r.command === 'consolidate' && out !== undefined) {
    const planned = planOutputs(job, defs, {
      lang: r.lang,
      mode: r.formulas ? 'formulas' : 'values',
      groupBy: r.groupBy,
      target: 'file',
      ...(r.copies !== undefined ? { copies: r.copies } : {}),
      ...generatedTime(),
    });
    await writeOutput(out, planned.plans, ctx, await copiesWithGrids(planned.copies, reads, ctx.reader));
    output = { workbook: ctx.show(out) };
    consolidation = withNotes(consolidation, planned.notes);
  }
  if (r.json) {
    ctx.out(JSON.stringify(jsonResult({ command: r.command, lang: r.lang, exitCode: code, consolidation, files: fileSummary(reads, defs), standards: defs.standards, ...(output ? { output } : {}) }), null, 2));
    return code;
  }
  if (r.command === 'validate' && consolidation.issues.length > 0) ctx.out(issueList(consolidation.issues, r.lang));
  ctx.out(textReport(consolidation, defs, r.lang, reads.length));
  if (reads.length > 0) ctx.out(selfCheckReport(reads, defs, ctx.zh));
  if (output) ctx.out(ctx.zh ? `已写出：${output.workbook}` : `Written: ${output.workbook}`);
  return code;
}

/**
 * `--keep` files as the job's choice: each matched to the input it is by real file (through links and
 * other spellings of its path), named as the command names that input. One that names no input stops
 * the command: keeping nothing silently would let the wrong file stand.
 */
function keepChoice(keep: readonly string[] | undefined, inputs: readonly string[], ctx: Context): { keep?: { file: string }[] } {
  if (keep === undefined) return {};
  const real = (p: string): string => {
    try {
      return realpathSync.native(p);
    } catch {
      return path.resolve(p);
    }
  };
  const byReal = new Map(inputs.map((f) => [real(f), f]));
  const out: { file: string }[] = [];
  for (const k of keep) {
    const input = byReal.get(real(ctx.resolve(k)));
    if (input === undefined) {
      ctx.fail(
        `--keep 给出的“${k}”不是本次读取的学校文件之一，未做任何处理。请给出要保留的那个学校文件的路径。`,
        `--keep "${k}" is none of the school files read; nothing was done. Give the path of the school file to keep.`,
      );
    }
    out.push({ file: displayName(input, ctx.env.cwd) });
  }
  return { keep: out };
}

/** The input folder that holds `target` (or is it), if any: an output there would be read as a submission next time. */
async function inputFolderHolding(target: string, inputs: readonly string[], ctx: Context): Promise<string | undefined> {
  const real = async (p: string): Promise<string> => await fs.realpath(p).catch(() => path.resolve(p));
  // The output folder may not exist yet: its nearest existing parent decides where it will be.
  let probe = target;
  while (!(await fs.stat(probe).catch(() => null)) && path.dirname(probe) !== probe) probe = path.dirname(probe);
  const at = path.join(await real(probe), path.relative(probe, target));
  for (const input of inputs) {
    const abs = ctx.resolve(input);
    if (!(await fs.stat(abs).catch(() => null))?.isDirectory()) continue;
    const dir = await real(abs);
    const rel = path.relative(dir, at);
    if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) return input;
  }
  return undefined;
}

/** The index of a return-package folder, by language. */
const RETURN_INDEX: Record<Lang, string> = { 'zh-CN': '退回汇总.xlsx', 'en-US': 'Sent back.xlsx' };

/**
 * `huizong return`: validates, then writes a return package for every school sheet with problems and
 * the index into a new folder — built aside under a temporary name and renamed into place, so the
 * clerk finds either the whole folder or none. A folder that exists and is not empty is left alone.
 */
async function returnPackages(r: ReturnRequest, ctx: Context): Promise<number> {
  const defs = await definitionsFor(r, ctx);
  const previous = await previousFor(r.previous, defs, ctx);
  const outDir = ctx.resolve(r.out);
  const existing = await fs.stat(outDir).catch(() => null);
  if (existing !== null && (!existing.isDirectory() || (await fs.readdir(outDir)).length > 0)) {
    ctx.fail(
      `“${ctx.show(outDir)}”已存在且不是空目录，退回包不会写入那里。请用 --out 指定一个新目录。`,
      `"${ctx.show(outDir)}" exists and is not an empty folder; the return packages are not written there. Give a new folder with --out.`,
    );
  }
  const found = await discoverInputs(r.inputs, ctx.env.cwd);
  if (found.missing.length > 0) {
    for (const m of found.missing) ctx.err(`huizong: ${missingText(m, ctx.lang)}`);
    throw new StopError(EXIT.usage);
  }
  // Packages inside a folder of school files would be read back as submissions, and a stale one would stand.
  const holder = await inputFolderHolding(outDir, r.inputs, ctx);
  if (holder !== undefined) {
    ctx.fail(
      `退回包目录“${ctx.show(outDir)}”在学校文件目录“${holder}”之内，下次读取时会被当作学校报送的文件。未写出任何文件；请用 --out 指定该目录之外的新目录。`,
      `The return folder "${ctx.show(outDir)}" is inside the school files' folder "${holder}", where the packages would be read as submissions next time. Nothing was written; give a new folder outside it with --out.`,
    );
  }
  const keep = keepChoice(r.keep, found.files, ctx);
  // School files are read again, one at a time, when their package is written: memory stays flat.
  const reads = await readAll(found.files, defs, false, r.progress, ctx);
  const job = runJob(reads, defs, { ...(previous ? { previous } : {}), ...keep });
  const code = exitFor(job);
  const plan = planReturns(job, r.lang, defs.period);

  const temp = path.join(path.dirname(outDir), `.hz-${Date.now().toString(36)}-${process.pid}.tmp`);
  try {
    await fs.mkdir(temp, { recursive: false });
    const load = copyLoader(reads, false, ctx.reader);
    for (const p of plan.packages) await fs.writeFile(path.join(temp, p.fileName), await writeBook(p.plans, await load([p.copy])));
    await fs.writeFile(path.join(temp, RETURN_INDEX[r.lang]), await writeBook([returnIndexPlan(plan.index, r.lang, plan.heading)]));
    if (existing !== null) await fs.rmdir(outDir);
    await fs.rename(temp, outDir);
  } catch (e) {
    // Only the folder this run made is removed, never anything else.
    await fs.rm(temp, { recursive: true, force: true }).catch(() => undefined);
    const reason = (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
    ctx.fail(`无法写出退回包“${ctx.show(outDir)}”：${writeReasonText(reason, ctx.lang)}`, `Cannot write the return packages "${ctx.show(outDir)}": ${writeReasonText(reason, ctx.lang)}`);
  }
  if (r.json) {
    ctx.out(
      JSON.stringify(
        { tool: 'huizong', version: VERSION, command: 'return', exitCode: code, ok: code === 0, output: { folder: ctx.show(outDir), index: ctx.show(path.join(outDir, RETURN_INDEX[r.lang])) }, packages: plan.index },
        null,
        2,
      ),
    );
    return code;
  }
  const schools = plan.packages.length;
  ctx.out(
    ctx.zh
      ? `读取 ${reads.length} 个文件：${schools} 所学校的填报表需要退回修改${plan.index.length > schools ? `，另有 ${plan.index.length - schools} 个文件无法读取` : ''}。`
      : `${reads.length} files read: ${schools} school sheets to send back${plan.index.length > schools ? `, and ${plan.index.length - schools} files that cannot be read` : ''}.`,
  );
  for (const row of plan.index) {
    ctx.out(
      ctx.zh
        ? `  ${row.school || '—'} ${row.name}：${row.errors} 个错误，${row.warnings} 个警告（${row.kinds}）`
        : `  ${row.school || '—'} ${row.name}: ${row.errors} error${row.errors === 1 ? '' : 's'}, ${row.warnings} warning${row.warnings === 1 ? '' : 's'} (${row.kinds})`,
    );
  }
  ctx.out(ctx.zh ? `已写出：${ctx.show(outDir)}/（索引：${RETURN_INDEX[r.lang]}）` : `Written: ${ctx.show(outDir)}/ (index: ${RETURN_INDEX[r.lang]})`);
  return code;
}

async function template(r: TemplateRequest, ctx: Context): Promise<number> {
  const defs = await definitionsFor(r, ctx);
  let school: School | undefined;
  if (r.school !== undefined) {
    school = defs.roster.find((s) => s.code === r.school);
    if (!school) {
      ctx.err(
        ctx.zh
          ? `huizong: 名册中没有学校代码 ${r.school}，模板只填入代码。`
          : `huizong: the roster has no school ${r.school}; the template gets the code only.`,
      );
      school = { code: r.school, name: '', stage: '小学' };
    }
  }
  const out = ctx.resolve(r.out);
  if (!out.toLowerCase().endsWith('.xlsx')) ctx.fail(`输出文件“${r.out}”须以 .xlsx 结尾。`, `The output "${r.out}" must end in .xlsx.`);
  await guardOutput(out, [r.definitions, r.roster].map((f) => (f === undefined ? undefined : ctx.resolve(f))), ctx);
  await writeOutput(out, [buildTemplatePlan(defs, r.lang, school)], ctx);
  if (r.json) ctx.out(JSON.stringify({ tool: 'huizong', version: VERSION, command: 'template', exitCode: 0, ok: true, output: { template: ctx.show(out) } }, null, 2));
  else ctx.out(ctx.zh ? `已写出模板：${ctx.show(out)}` : `Template written: ${ctx.show(out)}`);
  return EXIT.ok;
}

async function demo(r: DemoRequest, ctx: Context): Promise<number> {
  const dir = ctx.resolve(r.out);
  const district = await buildDemoDistrict(r.seed);
  const { definitions: definitionPlans, roster: rosterPlan } = demoDefinitionPlans(district.definitions);
  const definitionsFile = path.join(dir, '定义.xlsx');
  const rosterFile = path.join(dir, '学校名册.xlsx');
  const schoolsDir = path.join(dir, 'schools');
  const outFile = path.join(dir, '全区汇总.xlsx');

  // The demo writes only into a folder that is new, empty, or one it wrote before (its marker lists
  // the files it wrote, each with its digest); a rerun removes exactly those files, never anything else,
  // and none at all once one of them was changed after the demo wrote it.
  const previous = await demoFolderState(dir);
  if (previous === 'foreign') {
    ctx.fail(
      `目录“${ctx.show(dir)}”中已有文件，且不是 huizong demo 写出的；为免覆盖其中的文件，示例没有写入任何东西。请用 --out 指定一个新的或空的目录。`,
      `The folder "${ctx.show(dir)}" already holds files that huizong demo did not write; to keep them safe the demo wrote nothing. Give a new or empty folder with --out.`,
    );
  }
  if ('changed' in previous) {
    const list = previous.changed.map((f) => ctx.show(path.join(dir, f))).join(ctx.zh ? '、' : ', ');
    ctx.fail(
      `目录“${ctx.show(dir)}”中的 ${previous.changed.length} 个文件在示例写出后被改过（${list}）；为免覆盖这些改动，示例没有写入任何东西。请用 --out 指定一个新的或空的目录。`,
      `${previous.changed.length} file(s) in "${ctx.show(dir)}" changed after the demo wrote them (${list}); to keep those changes the demo wrote nothing. Give a new or empty folder with --out.`,
    );
  }
  const files: { rel: string; bytes: Uint8Array }[] = [
    { rel: path.relative(dir, definitionsFile), bytes: await writeBook(definitionPlans) },
    ...(rosterPlan ? [{ rel: path.relative(dir, rosterFile), bytes: await writeBook([rosterPlan]) }] : []),
    ...district.files.map((f) => ({ rel: path.join('schools', f.name), bytes: f.bytes })),
  ];
  const digests: Record<string, string> = Object.fromEntries(files.map((f) => [f.rel, digest(f.bytes)]));
  const marker = (): string => JSON.stringify({ tool: 'huizong demo', files: [...files.map((f) => f.rel), path.relative(dir, outFile)], digests }, null, 2);
  for (const f of previous.files) await fs.rm(path.join(dir, f), { force: true }).catch(() => undefined);
  await writeOutput(path.join(dir, DEMO_MARKER), marker(), ctx);
  for (const f of files) {
    const target = path.join(dir, f.rel);
    try {
      await writeFileAtomic(target, f.bytes);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? String(e);
      ctx.fail(`无法写入“${ctx.show(target)}”：${writeReasonText(code, ctx.lang)}`, `Cannot write "${ctx.show(target)}": ${writeReasonText(code, ctx.lang)}`);
    }
  }

  // From here on the demo is exactly `huizong consolidate` over the files it wrote.
  const req: ConsolidateRequest = {
    command: 'consolidate',
    lang: r.lang,
    json: r.json,
    progress: r.progress,
    definitions: definitionsFile,
    ...(rosterPlan ? { roster: rosterFile } : {}),
    inputs: [schoolsDir],
    out: outFile,
    formulas: r.formulas,
    includeErrors: false,
    groupBy: ['stage', 'township'],
  };
  if (!r.json) {
    ctx.out(
      ctx.zh
        ? `示例区县（种子 ${r.seed}）：${district.roster.length} 所学校，${district.files.length} 个填报文件。`
        : `Demo district (seed ${r.seed}): ${district.roster.length} schools, ${district.files.length} school files.`,
    );
    ctx.out(ctx.zh ? `  定义：\u3000\u3000${ctx.show(definitionsFile)}` : `  Definitions: ${ctx.show(definitionsFile)}`);
    if (rosterPlan) ctx.out(ctx.zh ? `  学校名册：${ctx.show(rosterFile)}` : `  Roster:      ${ctx.show(rosterFile)}`);
    ctx.out(ctx.zh ? `  填报表：\u3000${ctx.show(schoolsDir)}/` : `  Schools:     ${ctx.show(schoolsDir)}/`);
    ctx.out('');
  }
  await validateOrConsolidate(req, ctx);
  // The summary's digest too, now that it is written: a later rerun leaves it alone once the clerk changed it.
  const summary = await fs.readFile(outFile).catch(() => null);
  if (summary !== null) {
    digests[path.relative(dir, outFile)] = digest(summary);
    await writeOutput(path.join(dir, DEMO_MARKER), marker(), ctx);
  }
  if (!r.json) {
    const cmd = `huizong consolidate --definitions ${quote(ctx.show(definitionsFile))}${rosterPlan ? ` --roster ${quote(ctx.show(rosterFile))}` : ''} ${quote(ctx.show(schoolsDir))} --out ${quote(ctx.show(outFile))}`;
    ctx.out('');
    ctx.out(ctx.zh ? `同样的结果可以用：${cmd}` : `The same result comes from: ${cmd}`);
  }
  // The demo's mistakes are on purpose: finding them is success.
  return EXIT.ok;
}

/** The time written into the summary: `SOURCE_DATE_EPOCH` (seconds) when set, for reproducible output; otherwise now. */
function generatedTime(): { generated?: Date } {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  return epoch !== undefined && /^\d+$/.test(epoch) ? { generated: new Date(Number(epoch) * 1000) } : {};
}

/** The file in a demo folder that lists what the demo wrote there. */
const DEMO_MARKER = '.huizong-demo.json';

/** The SHA-256 of a file's bytes, as the demo's marker keeps it. */
function digest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * What a demo may do with `dir`: remove nothing when it does not exist or is empty; remove the files an
 * earlier demo wrote there when its marker says so, nothing else is in the folder and none of them
 * changed since (by the digest the marker keeps); `changed` names those that did; `foreign` otherwise.
 */
async function demoFolderState(dir: string): Promise<{ files: string[] } | { changed: string[] } | 'foreign'> {
  const st = await fs.stat(dir).catch(() => null);
  if (st === null) return { files: [] };
  if (!st.isDirectory()) return 'foreign';
  const present = (await fs.readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => !e.isDirectory() && !/^\.hz-[0-9a-f]+\.tmp$/.test(e.name)).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
  if (present.length === 0) return { files: [] };
  let listed: string[];
  let digests: Record<string, unknown>;
  try {
    const marker = JSON.parse(await fs.readFile(path.join(dir, DEMO_MARKER), 'utf8')) as { tool?: unknown; files?: unknown; digests?: unknown };
    if (marker.tool !== 'huizong demo' || !Array.isArray(marker.files) || !marker.files.every((f) => typeof f === 'string')) return 'foreign';
    listed = marker.files as string[];
    digests = typeof marker.digests === 'object' && marker.digests !== null ? (marker.digests as Record<string, unknown>) : {};
  } catch {
    return 'foreign';
  }
  const own = new Set([...listed.map((f) => path.normalize(f)), DEMO_MARKER]);
  // A file the demo did not write (a real submission dropped into its folder) makes the folder the clerk's.
  if (present.some((f) => !own.has(path.normalize(f)))) return 'foreign';
  const files = listed.filter((f) => !path.isAbsolute(f) && !path.normalize(f).startsWith('..'));
  const changed: string[] = [];
  for (const f of files) {
    const was = digests[f];
    if (typeof was !== 'string') continue;
    const now = await fs.readFile(path.join(dir, f)).catch(() => null);
    if (now !== null && digest(now) !== was) changed.push(f);
  }
  return changed.length > 0 ? { changed } : { files };
}

function quote(s: string): string {
  return /^[\w./\-\u4e00-\u9fff]+$/.test(s) ? s : `"${s.replace(/"/g, '\\"')}"`;
}
