/**
 * The pane's service inside Excel: reads and writes the open workbook through the Excel adapter
 * (`src/excel`), and runs the core in the Web Worker. Every Office.js call lives in the adapter.
 */
import {
  createDefinitionSheets,
  importSchoolFiles,
  readForJob,
  selectCell,
  writeResults,
} from '../excel';
import { builtinPreset } from '../core/preset';
import type { Definitions, Issue, Lang } from '../core/types';
import { SHEET_NAMES } from '../workbook/names';
import { defaultRunner, type JobRunner } from './runner';
import {
  PaneError,
  throwIfCancelled,
  type ConsolidateChoices,
  type DefinitionsView,
  type FileInput,
  type HuizongService,
  type ImportedFile,
  type ResultView,
  type RunControl,
  type ValidationView,
} from './service';

/** Definitions as read from the workbook, or the reason they cannot be used. */
function definitionsFrom(view: DefinitionsView, definitions: Definitions | null): Definitions {
  if (definitions !== null) return definitions;
  const onlyMissing = view.issues.length > 0 && view.issues.every((i: Issue) => i.code === 'def.missing_sheet');
  throw new PaneError(onlyMissing ? 'no_definitions' : 'definitions_invalid');
}

/** The Excel service. */
export function createExcelService(runner: JobRunner = defaultRunner()): HuizongService {
  let summarySheet: string | null = null;

  const readDefinitions = async (ctl: RunControl): Promise<{ view: DefinitionsView; definitions: Definitions | null }> => {
    ctl.onProgress({ phase: 'reading', fraction: null });
    const read = await readForJob({ schoolSheets: [] });
    throwIfCancelled(ctl.signal);
    ctl.onProgress({ phase: 'checking', fraction: null });
    return await runner.run({ type: 'definitions', source: { kind: 'sheets', sheets: read.definitionSheets } }, ctl);
  };

  const readAll = async (ctl: RunControl) => {
    ctl.onProgress({ phase: 'reading', fraction: null });
    const read = await readForJob({});
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
    async importFiles(files: readonly FileInput[], ctl: RunControl): Promise<ImportedFile[]> {
      ctl.onProgress({ phase: 'importing', fraction: null });
      const read = await readForJob({ schoolSheets: [] });
      throwIfCancelled(ctl.signal);
      // Imported sheets are named by school code, found with the clerk's own layout when the definitions are there.
      const defs = await runner.run({ type: 'definitions', source: { kind: 'sheets', sheets: read.definitionSheets } }, ctl);
      throwIfCancelled(ctl.signal);
      const result = await importSchoolFiles(
        files.map((f) => ({ name: f.name, bytes: f.bytes })),
        read.sheetNames,
        ...(defs.definitions !== null ? [defs.definitions.layout] : []),
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
          issues,
        } satisfies ImportedFile;
      });
    },
    async validate(ctl: RunControl): Promise<ValidationView> {
      const { read, definitions } = await readAll(ctl);
      return await runner.run({ type: 'validate', definitions, books: [read.schoolBook] }, ctl);
    },
    async consolidate(choices: ConsolidateChoices, lang: Lang, ctl: RunControl): Promise<ResultView> {
      const { read, definitions } = await readAll(ctl);
      const out = await runner.run({ type: 'consolidate', definitions, books: [read.schoolBook], choices, lang, target: 'excel' }, ctl);
      throwIfCancelled(ctl.signal);
      ctl.onProgress({ phase: 'writing', fraction: 0 });
      await writeResults(
        {
          plans: [...out.plans],
          rateUpdates: [...out.rateUpdates],
          marks: [...out.marks],
          markSheets: [...out.markSheets],
          ...(out.chart !== undefined ? { chart: out.chart } : {}),
        },
        (fraction) => ctl.onProgress({ phase: 'writing', fraction }),
      );
      summarySheet = out.view.summarySheet;
      return out.view;
    },
    async showCell(issue: Issue): Promise<null> {
      if (issue.sheet !== undefined && issue.cell !== undefined) await selectCell(issue.sheet, issue.cell);
      return null;
    },
    async openSummary(): Promise<void> {
      await selectCell(summarySheet ?? SHEET_NAMES['zh-CN'].summary, 'A1');
    },
  };
}
