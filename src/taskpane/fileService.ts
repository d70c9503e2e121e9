/**
 * The pane's service on the standalone page: school files and definitions held in memory, read and
 * written by the .xlsx engine (`src/xlsx`) in the browser, the core run in the Web Worker, the
 * district workbook handed over as a download.
 */
import type { SheetGrid, WorkbookGrid } from '../core/grid';
import { isCellError, parseCellAddress } from '../core/grid';
import type { Definitions, Issue, Lang } from '../core/types';
import type { SheetPlan } from '../workbook/plan';
import type { SheetCopy } from '../xlsx';
import type { PreviousValues, RosterSource } from '../job';
import { isStampSheet } from '../job/stampSheet';
import { selfCheckPageFile } from './selfCheckHtml';
import type { DefinitionsSource, JobResults, KeepChoice } from './protocol';
import { readInWorker } from './parse';
import { previousSource } from './previousFile';
import { problemListNames, problemListPlan } from './problemList';
import { packReturns, returnNames } from './returnZip';
import { createNoticeBoard } from './noticeBoard';
import { defaultRunner, type JobRunner } from './runner';
import {
  PaneError,
  throwIfCancelled,
  type CellPreview,
  type CellLocation,
  type ConsolidateChoices,
  type DefinitionsView,
  type DownloadFile,
  type FileInput,
  type HuizongService,
  type ImportedFile,
  type PreviousInput,
  type PreviousView,
  type ResultView,
  type ReturnPackagesResult,
  type RunControl,
  type ValidationView,
} from './service';

/** What the service needs of the .xlsx engine (loaded lazily: it is large); files are read in the worker (see `parse.ts`). */
export interface XlsxEngine {
  writeXlsx(plans: readonly SheetPlan[], copies?: readonly SheetCopy[]): Promise<Uint8Array>;
}

/** Options of the file service. */
export interface FileServiceOptions {
  readonly runner?: JobRunner;
  /** Loads the .xlsx engine; `import('../xlsx')` by default. */
  readonly engine?: () => Promise<XlsxEngine>;
  /** Name of the downloaded workbook, by language. */
  readonly downloadName?: (lang: Lang) => string;
  /** The time written into the summary; the clock by default. */
  readonly now?: () => Date;
}

/** The text a cell shows in a preview. */
function cellText(v: SheetGrid['values'][number][number] | undefined): string {
  if (v === null || v === undefined) return '';
  if (isCellError(v)) return v.error;
  return String(v);
}

/** The label of the row a cell is on: the leftmost text cell before it that is not a code (a unit sits nearer the value). */
function rowLabel(sheet: SheetGrid, row: number, col: number): string | undefined {
  const cells = sheet.values[row] ?? [];
  for (let c = 0; c < col; c++) {
    const v = cells[c];
    // A label has some non-ASCII (Chinese) text; a code is plain ASCII.
    if (typeof v === 'string' && v.trim() !== '' && /[^\u0020-\u007e]/.test(v.trim())) return v.trim();
  }
  return undefined;
}

/** The standalone service. */
export function createFileService(options: FileServiceOptions = {}): HuizongService {
  const notices = createNoticeBoard();
  const runner = options.runner ?? defaultRunner((reason) => notices.add({ code: 'inline_jobs', detail: reason }));
  const engine = options.engine ?? (async () => (await import('../xlsx')) as unknown as XlsxEngine);
  const downloadName = options.downloadName ?? ((lang: Lang) => (lang === 'zh-CN' ? '全区汇总.xlsx' : 'District summary.xlsx'));

  let definitions: Definitions | null = null;
  /** Where the held definitions came from, so that checking them reads the same source again. */
  let source: DefinitionsSource | null = null;
  /** A roster loaded from its own file: applied again whenever the definitions are read again. */
  let roster: { readonly source: RosterSource; readonly name: string } | null = null;

  /** The definitions read from `from`, with the roster file (if any) applied; the view says what was loaded. */
  const readDefinitions = async (from: DefinitionsSource, ctl: RunControl): Promise<JobResults['definitions']> => {
    const r = await runner.run({ type: 'definitions', source: from }, ctl);
    if (roster === null || r.definitions === null) return r;
    const withIt = await runner.run({ type: 'roster', definitions: r.definitions, source: roster.source }, ctl);
    if (withIt.definitions === null) return r;
    return { definitions: withIt.definitions, view: { ...r.view, schools: withIt.definitions.roster.length, rosterName: roster.name, issues: [...r.view.issues, ...withIt.issues] } };
  };
  const books = new Map<string, WorkbookGrid>();
  let output: DownloadFile | null = null;
  let previous: { readonly values: PreviousValues; readonly view: PreviousView } | null = null;
  /** The clerk's choice per school of the submission that stands. */
  const kept = new Map<string, KeepChoice>();
  const withPrevious = (): { previous?: PreviousValues; keep?: KeepChoice[] } => ({
    ...(previous !== null ? { previous: previous.values } : {}),
    ...(kept.size > 0 ? { keep: [...kept.values()] } : {}),
  });

  const ready = (): Definitions => {
    if (definitions === null) throw new PaneError(source === null ? 'no_definitions' : 'definitions_invalid');
    return definitions;
  };
  const schoolBooks = (): WorkbookGrid[] => {
    if (books.size === 0) throw new PaneError('no_school_files');
    return [...books.values()];
  };

  return {
    kind: 'file',
    async createFromPreset(_lang: Lang, ctl: RunControl): Promise<DefinitionsView> {
      ctl.onProgress({ phase: 'checking', fraction: null });
      source = { kind: 'preset' };
      const r = await readDefinitions(source, ctl);
      definitions = r.definitions;
      output = null;
      return r.view;
    },
    async loadDefinitionsFile(file: FileInput, ctl: RunControl): Promise<DefinitionsView> {
      ctl.onProgress({ phase: 'reading', fraction: null });
      const lower = file.name.toLowerCase();
      let r: JobResults['definitions'];
      let from: DefinitionsSource;
      if (lower.endsWith('.json')) {
        let json: unknown;
        try {
          json = JSON.parse(new TextDecoder('utf-8').decode(file.bytes));
        } catch (e) {
          throw new PaneError('unsupported_file', { file: file.name }, e instanceof Error ? e.message : String(e));
        }
        ctl.onProgress({ phase: 'checking', fraction: null });
        from = { kind: 'json', json, name: file.name };
        r = await readDefinitions(from, ctl);
      } else if (/\.xls[xm]$/.test(lower)) {
        const read = await readInWorker(runner, file.bytes, file.name, ctl);
        throwIfCancelled(ctl.signal);
        ctl.onProgress({ phase: 'checking', fraction: null });
        from = { kind: 'sheets', sheets: read.book?.sheets ?? [], name: file.name };
        r = await readDefinitions(from, ctl);
        if (!read.book) r = { ...r, view: { ...r.view, issues: [...read.issues, ...r.view.issues] } };
      } else {
        throw new PaneError('unsupported_file', { file: file.name });
      }
      definitions = r.definitions;
      source = from;
      output = null;
      return r.view;
    },
    async checkDefinitions(ctl: RunControl): Promise<DefinitionsView> {
      if (source === null) throw new PaneError('no_definitions');
      ctl.onProgress({ phase: 'checking', fraction: null });
      const r = await readDefinitions(source, ctl);
      definitions = r.definitions;
      return r.view;
    },
    async loadRosterFile(file: FileInput, ctl: RunControl): Promise<DefinitionsView> {
      const base = ready();
      ctl.onProgress({ phase: 'reading', fraction: null });
      let from: RosterSource;
      if (file.name.toLowerCase().endsWith('.json')) {
        try {
          from = { kind: 'json', json: JSON.parse(new TextDecoder('utf-8').decode(file.bytes).replace(/^\uFEFF/, '')) as unknown, name: file.name };
        } catch (e) {
          throw new PaneError('roster_invalid', { file: file.name }, e instanceof Error ? e.message : String(e));
        }
      } else {
        const read = await readInWorker(runner, file.bytes, file.name, ctl);
        if (!read.book) throw new PaneError('roster_invalid', { file: file.name });
        from = { kind: 'sheets', sheets: read.book.sheets, name: file.name };
      }
      throwIfCancelled(ctl.signal);
      ctl.onProgress({ phase: 'checking', fraction: null });
      const r = await runner.run({ type: 'roster', definitions: base, source: from }, ctl);
      // A roster that cannot be used leaves the definitions and the roster loaded before as they were.
      if (r.definitions === null || r.issues.some((i) => i.severity === 'error')) throw new PaneError('roster_invalid', { file: file.name });
      roster = { source: from, name: file.name };
      const again = await readDefinitions(source!, ctl);
      if (again.definitions === null) throw new PaneError('roster_invalid', { file: file.name });
      definitions = again.definitions;
      output = null;
      return again.view;
    },
    async importFiles(files: readonly FileInput[], ctl: RunControl): Promise<ImportedFile[]> {
      const out: ImportedFile[] = [];
      for (let i = 0; i < files.length; i++) {
        const f = files[i]!;
        ctl.onProgress({ phase: 'importing', fraction: i / files.length });
        throwIfCancelled(ctl.signal);
        const r = await readInWorker(runner, f.bytes, f.name, ctl);
        const issues = r.issues.map((issue) => (issue.file === undefined ? { ...issue, file: f.name } : issue));
        if (r.book) {
          books.set(f.name, { ...r.book, source: f.name });
          out.push({ name: f.name, status: 'ok', sheets: r.book.sheets.filter((s) => !isStampSheet(s)).map((s) => s.name), issues });
        } else {
          books.delete(f.name);
          out.push({ name: f.name, status: 'failed', sheets: [], issues });
        }
      }
      // With the definitions loaded, a file that holds no school's sheet (notes, a roster, a .txt) is not
      // imported as a school: it fails here, with the reader's reason, instead of later as a school with no code.
      const read = out.filter((f) => f.status === 'ok');
      if (definitions !== null && read.length > 0) {
        const found = await runner.run({ type: 'inspect', definitions, books: read.map((f) => books.get(f.name)!) }, ctl);
        read.forEach((f, k) => {
          const r = found[k]!;
          if (r.submissions > 0) {
            out[out.indexOf(f)] = { ...f, selfCheck: r.selfCheck };
            return;
          }
          books.delete(f.name);
          out[out.indexOf(f)] = { ...f, status: 'failed', issues: [...f.issues, ...r.issues] };
        });
      }
      ctl.onProgress({ phase: 'importing', fraction: 1 });
      output = null;
      return out;
    },
    async clearFiles(): Promise<void> {
      books.clear();
      output = null;
    },
    async removeFile(name: string): Promise<void> {
      books.delete(name);
      output = null;
    },
    async loadPrevious(input: PreviousInput, ctl: RunControl): Promise<PreviousView> {
      if (!('file' in input)) throw new PaneError('previous_invalid', { file: input.sheet });
      const defs = ready();
      ctl.onProgress({ phase: 'reading', fraction: null });
      const source = await previousSource(input.file, (bytes, name) => readInWorker(runner, bytes, name, ctl));
      throwIfCancelled(ctl.signal);
      const r = await runner.run({ type: 'previous', definitions: defs, source }, ctl);
      if (r.samePeriod !== undefined) throw new PaneError('previous_same_period', { file: input.file.name, period: r.samePeriod });
      if (r.values === null) throw new PaneError('previous_invalid', { file: input.file.name });
      const view: PreviousView = { name: input.file.name, from: 'file', schools: r.schools };
      previous = { values: r.values, view };
      output = null;
      return view;
    },
    async clearPrevious(): Promise<void> {
      previous = null;
      output = null;
    },
    async keepSubmission(issue: Issue): Promise<void> {
      if (issue.school === undefined) return;
      kept.set(issue.school, { ...(issue.file !== undefined ? { file: issue.file } : {}), ...(issue.sheet !== undefined ? { sheet: issue.sheet } : {}) });
      output = null;
    },
    async validate(ctl: RunControl): Promise<ValidationView> {
      return await runner.run({ type: 'validate', definitions: ready(), books: schoolBooks(), ...withPrevious() }, ctl);
    },
    async consolidate(choices: ConsolidateChoices, lang: Lang, ctl: RunControl): Promise<ResultView> {
      const out = await runner.run({ type: 'consolidate', definitions: ready(), books: schoolBooks(), choices, lang, target: 'file', ...withPrevious(), ...(options.now ? { generated: options.now() } : {}) }, ctl);
      throwIfCancelled(ctl.signal);
      ctl.onProgress({ phase: 'building', fraction: null });
      const xlsx = await engine();
      const copies: SheetCopy[] = [];
      for (const c of out.copies) {
        const grid = (c.file !== undefined ? books.get(c.file) : undefined)?.sheets.find((g) => g.name === c.sheet);
        if (grid !== undefined) copies.push({ grid, name: c.name, updates: c.updates, marks: c.marks, ...(c.print !== undefined ? { print: c.print } : {}) });
      }
      const bytes = await xlsx.writeXlsx(out.plans, copies);
      throwIfCancelled(ctl.signal);
      output = { name: downloadName(lang), bytes };
      return out.view;
    },
    async showCell(issue: CellLocation): Promise<CellPreview | null> {
      if (issue.sheet === undefined || issue.cell === undefined) return null;
      const book = issue.file !== undefined ? books.get(issue.file) : [...books.values()].find((b) => b.sheets.some((s) => s.name === issue.sheet));
      const sheet = book?.sheets.find((s) => s.name === issue.sheet);
      const at = parseCellAddress(issue.cell);
      const value = sheet && at ? cellText(sheet.values[at.row]?.[at.col]) : (issue.original ?? '');
      const label = sheet && at ? rowLabel(sheet, at.row, at.col) : undefined;
      return {
        ...(issue.file !== undefined ? { file: issue.file } : {}),
        sheet: issue.sheet,
        cell: issue.cell,
        value,
        ...(label !== undefined ? { label } : {}),
      };
    },
    async returnPackages(lang: Lang, ctl: RunControl): Promise<ReturnPackagesResult> {
      const r = await runner.run({ type: 'returns', definitions: ready(), books: schoolBooks(), lang, ...withPrevious() }, ctl);
      throwIfCancelled(ctl.signal);
      ctl.onProgress({ phase: 'building', fraction: null });
      const xlsx = await engine();
      const gridOf = (file: string | undefined, sheet: string) => (file !== undefined ? books.get(file) : undefined)?.sheets.find((g) => g.name === sheet);
      const bytes = await packReturns(r, gridOf, (plans, copies) => xlsx.writeXlsx(plans, copies), lang);
      throwIfCancelled(ctl.signal);
      return { file: { name: returnNames(lang).zip, bytes }, schools: r.packages.length };
    },
    async download(): Promise<DownloadFile> {
      if (output === null) throw new PaneError('nothing_to_download');
      return output;
    },
    async blankForm(lang: Lang): Promise<DownloadFile> {
      const defs = ready();
      const [xlsx, { buildTemplatePlan }] = await Promise.all([engine(), import('../workbook/template')]);
      return { name: lang === 'zh-CN' ? '填报表.xlsx' : 'Submission form.xlsx', bytes: await xlsx.writeXlsx([buildTemplatePlan(defs, lang)]) };
    },
    async selfCheckPage(lang: Lang, ctl: RunControl): Promise<DownloadFile> {
      const defs = ready();
      ctl.onProgress({ phase: 'building', fraction: null });
      return await selfCheckPageFile(defs, lang);
    },
    async problemList(issues: readonly Issue[], names: ReadonlyMap<string, string>, lang: Lang): Promise<DownloadFile> {
      const xlsx = await engine();
      return { name: problemListNames(lang).file, bytes: await xlsx.writeXlsx([problemListPlan(issues, names, lang)]) };
    },
    watchNotices: (listener) => notices.watch(listener),
  };
}
