/**
 * The pane's service inside Excel: reads and writes the open workbook through the Excel adapter
 * (`src/excel`), and runs the job pipeline in the Web Worker. Every Office.js call lives in the
 * adapter; files the host cannot insert are read by the file reader this pane is wired with.
 */
import {
  createDefinitionSheets,
  importSchoolFiles,
  listSheetNames,
  writeIndexSheet,
  isDefinitionSheet,
  isHuizongSheet,
  isOutputSheet,
  readAgain,
  readForJob,
  selectCell,
  writeResults,
  WriteNotStartedError,
  type JobRead,
  type SchoolFileReader,
  type ProtectionStripper,
  type UndoOutcome,
  capabilities,
} from '../excel';
import { builtinPreset } from '../core/preset';
import type { Definitions, Issue, Lang } from '../core/types';
import type { PreviousValues, SelfCheckState } from '../job';
import { withoutStamp } from '../job/stampSheet';
import { selfCheckPageFile } from './selfCheckHtml';
import { SHEET_NAMES } from '../workbook/names';
import type { KeepChoice, PreviousSource } from './protocol';
import { errorCode, isCellEditRefusal } from './i18n';
import { workerReader } from './parse';
import { previousSource } from './previousFile';
import { packReturns, returnNames, type BookWriter } from './returnZip';
import { defaultRunner, type JobRunner } from './runner';
import {
  PaneError,
  throwIfCancelled,
  type CellLocation,
  type ConsolidateChoices,
  type DefinitionsView,
  type FileInput,
  type HuizongService,
  type ImportedFile,
  type PreviousInput,
  type PreviousView,
  type ResultView,
  type ReturnPackagesResult,
  type RunControl,
  type ValidationView,
  type WriteNotice,
} from './service';

/** What the Excel service is wired with. */
export interface ExcelServiceOptions {
  readonly runner?: JobRunner;
  /** Reads school and previous-period files the host cannot insert; by default the .xlsx engine in the worker, under a time limit. */
  readonly readFile?: SchoolFileReader;
  /** Writes return packages as .xlsx files (the .xlsx engine, loaded when first needed). */
  readonly writeFile: BookWriter;
  /** Takes the sheets' protection out of a school file before it is inserted (the .xlsx engine, loaded when first needed). */
  readonly unprotect?: ProtectionStripper;
}

/** What a sheet being rewritten shows until the consolidation is complete, in the clerk's language. */
function bannerText(lang: Lang): string {
  return lang === 'zh-CN' ? '汇总未完成，请在汇总面板中再次汇总' : 'Unfinished: consolidate again in the Huizong pane';
}

/**
 * What consolidating will do to the undo history, from the read validation made (no sync of its own):
 * a protected sheet to write into must be opened, which Excel cannot undo.
 */
function writeNotice(read: JobRead): WriteNotice {
  const protectedSheets = read.protectedSheets.filter((n) => read.schoolBook.sheets.some((g) => g.name === n) || isOutputSheet(n));
  return { undo: protectedSheets.length > 0 ? 'lost' : capabilities().undoGroup ? 'whole' : 'steps', protectedSheets, unfinished: read.unfinished !== undefined };
}

/** Definitions as read from the workbook, or the reason they cannot be used. */
function definitionsFrom(view: DefinitionsView, definitions: Definitions | null): Definitions {
  if (definitions !== null) return definitions;
  const onlyMissing = view.issues.length > 0 && view.issues.every((i: Issue) => i.code === 'def.missing_sheet');
  throw new PaneError(onlyMissing ? 'no_definitions' : 'definitions_invalid');
}

/** The Excel service. */
export function createExcelService(options: ExcelServiceOptions): HuizongService {
  const runner = options.runner ?? defaultRunner();
  const readFile = options.readFile ?? workerReader(runner);
  let summarySheet: string | null = null;
  let previous: { readonly values: PreviousValues; readonly view: PreviousView } | null = null;
  /** The clerk's choice per school of the sheet that stands. */
  const kept = new Map<string, KeepChoice>();
  const choices = (): { previous?: PreviousValues; keep?: KeepChoice[] } => ({
    ...(previous !== null ? { previous: previous.values } : {}),
    ...(kept.size > 0 ? { keep: [...kept.values()] } : {}),
  });

  const readDefinitions = async (ctl: RunControl): Promise<{ view: DefinitionsView; definitions: Definitions | null }> => {
    ctl.onProgress({ phase: 'reading', fraction: null });
    const read = await readForJob({ schoolSheets: [] });
    throwIfCancelled(ctl.signal);
    ctl.onProgress({ phase: 'checking', fraction: null });
    return await runner.run({ type: 'definitions', source: { kind: 'sheets', sheets: read.definitionSheets } }, ctl);
  };

  /** The last full read of every sheet (validation's), for consolidation to reuse when nothing changed since. */
  let lastRead: JobRead | null = null;

  const readAll = async (ctl: RunControl, schoolSheets?: readonly string[], reuse = false) => {
    ctl.onProgress({ phase: 'reading', fraction: null });
    const read = reuse && lastRead !== null && schoolSheets === undefined ? (await readAgain(lastRead)).read : await readForJob(schoolSheets === undefined ? {} : { schoolSheets });
    if (schoolSheets === undefined) lastRead = read;
    throwIfCancelled(ctl.signal);
    const defs = await runner.run({ type: 'definitions', source: { kind: 'sheets', sheets: read.definitionSheets } }, ctl);
    const definitions = definitionsFrom(defs.view, defs.definitions);
    return { read, definitions };
  };

  return {
    kind: 'excel',
    async createFromPreset(lang: Lang, ctl: RunControl): Promise<DefinitionsView> {
      ctl.onProgress({ phase: 'writing', fraction: null });
      await createDefinitionSheets(builtinPreset(), lang);
      return (await readDefinitions(ctl)).view;
    },
    async checkDefinitions(ctl: RunControl): Promise<DefinitionsView> {
      return (await readDefinitions(ctl)).view;
    },
    async selfCheckPage(lang: Lang, ctl: RunControl) {
      const defs = await readDefinitions(ctl);
      throwIfCancelled(ctl.signal);
      ctl.onProgress({ phase: 'building', fraction: null });
      return await selfCheckPageFile(definitionsFrom(defs.view, defs.definitions), lang);
    },
    async importFiles(files: readonly FileInput[], ctl: RunControl): Promise<ImportedFile[]> {
      ctl.onProgress({ phase: 'importing', fraction: null });
      const read = await readForJob({ schoolSheets: [] });
      throwIfCancelled(ctl.signal);
      // Imported sheets are named by school code, found with the clerk's own layout when the definitions are there.
      const defs = await runner.run({ type: 'definitions', source: { kind: 'sheets', sheets: read.definitionSheets } }, ctl);
      throwIfCancelled(ctl.signal);
      // Where each file stands against its school's self-check record, read from the file itself: the record's sheet is not taken into the workbook.
      // Each file is parsed once: a file the host cannot insert is written from the book read here.
      const states = new Map<string, SelfCheckState>();
      const parsed = new Map<string, { readonly bytes: Uint8Array; readonly read: Awaited<ReturnType<typeof readFile>> }>();
      if (defs.definitions !== null) {
        for (const f of files) {
          parsed.set(f.name, { bytes: f.bytes, read: await readFile(f.bytes, f.name) });
          throwIfCancelled(ctl.signal);
        }
        const withBook = files.filter((f) => parsed.get(f.name)?.read.book != null);
        if (withBook.length > 0) {
          const found = await runner.run({ type: 'inspect', definitions: defs.definitions, books: withBook.map((f) => parsed.get(f.name)!.read.book!) }, ctl);
          withBook.forEach((f, k) => {
            if (found[k] !== undefined) states.set(f.name, found[k].selfCheck);
          });
        }
      }
      const readSchool: typeof readFile = async (bytes, name) => {
        const seen = parsed.get(name);
        const r = seen !== undefined && seen.bytes === bytes ? seen.read : await readFile(bytes, name);
        return r.book === null ? r : { ...r, book: withoutStamp(r.book) };
      };
      const result = await importSchoolFiles(
        files.map((f) => ({ name: f.name, bytes: f.bytes })),
        read.sheetNames,
        { readFile: readSchool, ...(options.unprotect !== undefined ? { unprotect: options.unprotect } : {}), ...(defs.definitions !== null ? { layout: defs.definitions.layout } : {}) },
      );
      return files.map((f) => {
        const imported = result.imported.filter((i) => i.file === f.name);
        const issues = result.issues.filter((i) => i.file === f.name);
        const via = imported.some((i) => i.via === 'values') ? 'values' : imported.length > 0 ? 'insert' : undefined;
        return {
          name: f.name,
          status: imported.length > 0 ? 'ok' : 'failed',
          sheets: imported.map((i) => i.sheet),
          ...(via !== undefined ? { via } : {}),
          ...(imported.length > 0 && states.has(f.name) ? { selfCheck: states.get(f.name)! } : {}),
          issues,
        } satisfies ImportedFile;
      });
    },
    async loadPrevious(input: PreviousInput, ctl: RunControl): Promise<PreviousView> {
      ctl.onProgress({ phase: 'reading', fraction: null });
      let source: PreviousSource;
      let definitions: Definitions;
      if ('sheet' in input) {
        const read = await readForJob({ schoolSheets: [input.sheet], merges: false });
        throwIfCancelled(ctl.signal);
        const grid = read.schoolBook.sheets[0];
        if (grid === undefined) throw new PaneError('previous_invalid', { file: input.sheet });
        source = { kind: 'sheets', sheets: [grid], sheet: grid.name, name: grid.name };
        const defs = await runner.run({ type: 'definitions', source: { kind: 'sheets', sheets: read.definitionSheets } }, ctl);
        definitions = definitionsFrom(defs.view, defs.definitions);
      } else {
        source = await previousSource(input.file, readFile);
        throwIfCancelled(ctl.signal);
        definitions = (await readAll(ctl, [])).definitions;
      }
      const r = await runner.run({ type: 'previous', definitions, source }, ctl);
      const name = 'sheet' in input ? input.sheet : input.file.name;
      if (r.samePeriod !== undefined) throw new PaneError('previous_same_period', { file: name, period: r.samePeriod });
      if (r.values === null) throw new PaneError('previous_invalid', { file: name });
      const view: PreviousView = { name, from: 'sheet' in input ? 'sheet' : 'file', schools: r.schools };
      previous = { values: r.values, view };
      return view;
    },
    async clearPrevious(): Promise<void> {
      previous = null;
    },
    async previousSheets(): Promise<string[]> {
      // One sync for the names alone. Any sheet but the definitions and Huizong's own working sheets; this
      // run's summary counts (it is last period's until consolidation replaces it).
      return (await listSheetNames()).filter((n) => !isDefinitionSheet(n) && (!isHuizongSheet(n) || n === SHEET_NAMES['zh-CN'].summary || n === SHEET_NAMES['en-US'].summary));
    },
    async keepSubmission(issue: Issue): Promise<void> {
      if (issue.school !== undefined && issue.sheet !== undefined) kept.set(issue.school, { sheet: issue.sheet });
    },
    async validate(ctl: RunControl): Promise<ValidationView> {
      const { read, definitions } = await readAll(ctl);
      const view = await runner.run({ type: 'validate', definitions, books: [read.schoolBook], ...choices() }, ctl);
      return { ...view, write: writeNotice(read) };
    },
    async consolidate(consolidateChoices: ConsolidateChoices, lang: Lang, ctl: RunControl): Promise<ResultView> {
      // The sheets as validation read them, checked in one sync and read again only if they changed.
      const { read, definitions } = await readAll(ctl, undefined, true);
      lastRead = null;
      const out = await runner.run(
        { type: 'consolidate', definitions, books: [read.schoolBook], choices: consolidateChoices, lang, target: 'excel', ...choices() },
        ctl,
      );
      throwIfCancelled(ctl.signal);
      ctl.onProgress({ phase: 'writing', fraction: 0 });
      let written: { readonly locked: readonly string[]; readonly undo: UndoOutcome; readonly lacking: readonly string[] };
      try {
        written = await writeResults(
          {
            plans: [...out.plans],
            rateUpdates: [...out.rateUpdates],
            marks: [...out.marks],
            markSheets: [...out.markSheets],
            ...(out.chart !== undefined ? { chart: out.chart } : {}),
            banner: bannerText(lang),
          },
          (fraction) => ctl.onProgress({ phase: 'writing', fraction }),
        );
      } catch (e) {
        // The look before writing failed: nothing was written.
        if (e instanceof WriteNotStartedError) {
          if (isCellEditRefusal(e)) throw e;
          throw new PaneError('write_not_started', {}, e.message);
        }
        // Office.js errors carry a code; anything else with one stopped the write part-way.
        if (errorCode(e) !== undefined && !isCellEditRefusal(e)) throw new PaneError('write_unfinished', {}, e instanceof Error ? e.message : String(e));
        throw e;
      }
      summarySheet = out.view.summarySheet;
      return { ...out.view, lockedSheets: [...written.locked], undo: written.undo, ...(written.lacking.length > 0 ? { printSetupLacking: written.lacking.join(', ') } : {}) };
    },
    async returnPackages(lang: Lang, ctl: RunControl): Promise<ReturnPackagesResult> {
      const { read, definitions } = await readAll(ctl);
      const r = await runner.run({ type: 'returns', definitions, books: [read.schoolBook], lang, ...choices() }, ctl);
      throwIfCancelled(ctl.signal);
      ctl.onProgress({ phase: 'building', fraction: null });
      const bytes = await packReturns(r, (_file, sheet) => read.schoolBook.sheets.find((g) => g.name === sheet), options.writeFile, lang);
      throwIfCancelled(ctl.signal);
      // Not every Excel lets an add-in download a file: the index also goes into the workbook.
      ctl.onProgress({ phase: 'writing', fraction: null });
      await writeIndexSheet(r.indexPlan);
      return { file: { name: returnNames(lang).zip, bytes }, schools: r.packages.length, indexSheet: r.indexPlan.name };
    },
    async showCell(issue: CellLocation): Promise<null> {
      if (issue.sheet !== undefined && issue.cell !== undefined) await selectCell(issue.sheet, issue.cell);
      return null;
    },
    async openSummary(): Promise<void> {
      await selectCell(summarySheet ?? SHEET_NAMES['zh-CN'].summary, 'A1');
    },
  };
}
