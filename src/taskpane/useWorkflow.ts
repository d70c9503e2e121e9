/**
 * The clerk's workflow as state and actions over a `HuizongService`: one piece of long work at a
 * time, with progress, cancellation and errors kept for the pane to show in the clerk's language.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Issue, Lang } from '../core/types';
import { isCancelled } from './i18n';
import type {
  CellLocation,
  CellPreview,
  ConsolidateChoices,
  DefinitionsView,
  DownloadFile,
  FileInput,
  HuizongService,
  ImportedFile,
  PreviousView,
  Progress,
  ResultView,
  ReturnPackagesResult,
  RunControl,
  ValidationView,
} from './service';

/** The pieces of long work the pane can be doing. */
export type Task = 'preset' | 'loadDefinitions' | 'checkDefinitions' | 'import' | 'previous' | 'returns' | 'validate' | 'consolidate' | 'showCell' | 'openSummary' | 'download';

/** Everything the steps show. */
export interface WorkflowState {
  readonly definitions: DefinitionsView | null;
  readonly files: readonly ImportedFile[];
  /** Last period's values, when loaded for the period-change checks. */
  readonly previous: PreviousView | null;
  readonly validation: ValidationView | null;
  /** The last return packages made, for the line that says so. */
  readonly returns: Omit<ReturnPackagesResult, 'file'> & { readonly fileName: string } | null;
  readonly result: ResultView | null;
  readonly busy: { readonly task: Task; readonly progress: Progress | null } | null;
  /** The last failure, kept raw so a language switch re-words it. */
  readonly error: unknown;
  /** Set after the clerk cancelled: `writing` when the work was already writing (the workbook may have changed). */
  readonly cancelled: boolean | 'writing';
  readonly preview: CellPreview | null;
  /** Which step asked for the preview, so only that step shows it. */
  readonly previewFrom: 'validate' | 'equity';
}

/** What the steps can do. */
export interface WorkflowActions {
  createFromPreset(lang: Lang): Promise<void>;
  loadDefinitions(file: File): Promise<void>;
  /** Standalone: the roster from its own file; a failure keeps what was loaded. */
  loadRoster(file: File): Promise<void>;
  checkDefinitions(): Promise<void>;
  importFiles(files: readonly File[]): Promise<void>;
  clearFiles(): Promise<void>;
  /** Standalone: forgets one file. */
  removeFile(name: string): Promise<void>;
  /** Loads last period's summary from a file or (Excel) a sheet; a failure keeps what was loaded. */
  loadPrevious(from: File | { sheet: string }): Promise<void>;
  clearPrevious(): Promise<void>;
  validate(): Promise<void>;
  /** For a school that sent twice: this issue's submission stands; validates again. */
  keepSubmission(issue: Issue): Promise<void>;
  /** Makes the return packages; resolves the .zip to save, or null when it did not happen. */
  returnPackages(lang: Lang): Promise<ReturnPackagesResult | null>;
  consolidate(choices: ConsolidateChoices, lang: Lang): Promise<void>;
  showCell(at: CellLocation, from?: 'validate' | 'equity'): Promise<void>;
  closePreview(): void;
  openSummary(): Promise<void>;
  download(): Promise<DownloadFile | null>;
  cancel(): void;
  dismissError(): void;
}

const INITIAL: WorkflowState = {
  definitions: null,
  files: [],
  previous: null,
  validation: null,
  returns: null,
  result: null,
  busy: null,
  error: null,
  cancelled: false,
  preview: null,
  previewFrom: 'validate',
};

/** A picked file's bytes. */
export async function readFileInput(file: File): Promise<FileInput> {
  const buffer =
    typeof file.arrayBuffer === 'function'
      ? await file.arrayBuffer()
      : await new Promise<ArrayBuffer>((resolve, reject) => {
          const reader = new FileReader();
          reader.onload = () => resolve(reader.result as ArrayBuffer);
          reader.onerror = () => reject(reader.error ?? new Error(`cannot read ${file.name}`));
          reader.readAsArrayBuffer(file);
        });
  return { name: file.name, bytes: new Uint8Array(buffer) };
}

/** State and actions of the workflow over `service`. */
export function useWorkflow(service: HuizongService): [WorkflowState, WorkflowActions] {
  const [state, setState] = useState<WorkflowState>(INITIAL);
  const controller = useRef<AbortController | null>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      controller.current?.abort();
    };
  }, []);

  const update = useCallback((patch: Partial<WorkflowState> | ((s: WorkflowState) => Partial<WorkflowState>)) => {
    if (!mounted.current) return;
    setState((s) => ({ ...s, ...(typeof patch === 'function' ? patch(s) : patch) }));
  }, []);

  /** Runs one piece of work: busy while it runs, its failure kept for the error bar. */
  const run = useCallback(
    async <T>(task: Task, work: (ctl: RunControl) => Promise<T>): Promise<T | undefined> => {
      controller.current?.abort();
      const ac = new AbortController();
      controller.current = ac;
      update({ busy: { task, progress: null }, error: null, cancelled: false });
      let writing = false;
      const ctl: RunControl = {
        signal: ac.signal,
        onProgress: (progress) => {
          if (progress.phase === 'writing') writing = true;
          if (controller.current === ac) update((s) => (s.busy ? { busy: { task: s.busy.task, progress } } : {}));
        },
      };
      const cancelled = (): boolean | 'writing' => (writing ? 'writing' : true);
      try {
        const result = await work(ctl);
        if (ac.signal.aborted) {
          if (controller.current === ac) update({ cancelled: cancelled() });
          return undefined;
        }
        return result;
      } catch (err) {
        if (controller.current === ac) update(isCancelled(err) || ac.signal.aborted ? { cancelled: cancelled() } : { error: err });
        return undefined;
      } finally {
        if (controller.current === ac) {
          controller.current = null;
          update({ busy: null });
        }
      }
    },
    [update],
  );

  const actions: WorkflowActions = {
    createFromPreset: async (lang) => {
      const view = await run('preset', (ctl) => service.createFromPreset(lang, ctl));
      if (view) update({ definitions: view, validation: null, result: null });
    },
    loadDefinitions: async (file) => {
      const load = service.loadDefinitionsFile;
      if (!load) return;
      const view = await run('loadDefinitions', async (ctl) => load.call(service, await readFileInput(file), ctl));
      if (view) update({ definitions: view, validation: null, result: null });
    },
    loadRoster: async (file) => {
      const load = service.loadRosterFile;
      if (!load) return;
      const view = await run('loadDefinitions', async (ctl) => load.call(service, await readFileInput(file), ctl));
      if (view) update({ definitions: view, validation: null, result: null, returns: null });
    },
    checkDefinitions: async () => {
      const view = await run('checkDefinitions', (ctl) => service.checkDefinitions(ctl));
      if (view) update({ definitions: view });
    },
    importFiles: async (files) => {
      if (files.length === 0) return;
      const imported = await run('import', async (ctl) => service.importFiles(await Promise.all(files.map(readFileInput)), ctl));
      if (imported) update((s) => ({ files: [...s.files.filter((f) => !imported.some((i) => i.name === f.name)), ...imported], validation: null, result: null }));
    },
    clearFiles: async () => {
      const clear = service.clearFiles;
      if (!clear) return;
      const ok = await run('import', async () => {
        await clear.call(service);
        return true;
      });
      if (ok) update({ files: [], validation: null, result: null, preview: null });
    },
    loadPrevious: async (from) => {
      const view = await run('previous', async (ctl) =>
        service.loadPrevious('sheet' in from && typeof from.sheet === 'string' ? { sheet: from.sheet } : { file: await readFileInput(from as File) }, ctl),
      );
      if (view) update({ previous: view, validation: null, result: null });
    },
    clearPrevious: async () => {
      const ok = await run('previous', async () => {
        await service.clearPrevious();
        return true;
      });
      if (ok) update({ previous: null, validation: null, result: null });
    },
    removeFile: async (name) => {
      const remove = service.removeFile;
      if (!remove) return;
      const ok = await run('import', async () => {
        await remove.call(service, name);
        return true;
      });
      if (ok) update((s) => ({ files: s.files.filter((f) => f.name !== name), validation: null, result: null, preview: null, returns: null }));
    },
    validate: async () => {
      const view = await run('validate', (ctl) => service.validate(ctl));
      if (view) update({ validation: view, preview: null, returns: null });
    },
    keepSubmission: async (issue) => {
      const view = await run('validate', async (ctl) => {
        await service.keepSubmission(issue);
        return await service.validate(ctl);
      });
      if (view) update({ validation: view, preview: null, returns: null, result: null });
    },
    returnPackages: async (lang) => {
      const r = await run('returns', (ctl) => service.returnPackages(lang, ctl));
      if (!r) return null;
      update({ returns: { schools: r.schools, fileName: r.file.name, ...(r.indexSheet !== undefined ? { indexSheet: r.indexSheet } : {}) } });
      return r;
    },
    consolidate: async (choices, lang) => {
      const view = await run('consolidate', (ctl) => service.consolidate(choices, lang, ctl));
      if (view) update({ result: view });
    },
    showCell: async (at, from = 'validate') => {
      const preview = await run('showCell', () => service.showCell(at));
      if (preview !== undefined) update({ preview, previewFrom: from });
    },
    closePreview: () => update({ preview: null }),
    openSummary: async () => {
      const open = service.openSummary;
      if (open) await run('openSummary', () => open.call(service));
    },
    download: async () => {
      const get = service.download;
      if (!get) return null;
      return (await run('download', () => get.call(service))) ?? null;
    },
    cancel: () => controller.current?.abort(),
    dismissError: () => update({ error: null, cancelled: false }),
  };
  return [state, actions];
}
