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
import { EMPTY_SESSION, isEmptySession, type SavedSession, type SessionStore } from './sessionStore';

/** The pieces of long work the pane can be doing. */
export type Task = 'restore' | 'preset' | 'loadDefinitions' | 'checkDefinitions' | 'import' | 'previous' | 'returns' | 'validate' | 'consolidate' | 'showCell' | 'openSummary' | 'download';

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
  /** Work kept from an earlier visit, offered back until the clerk takes it up or discards it. */
  readonly offer: SavedSession | null;
  /** Files just removed or cleared, which the clerk can still bring back. */
  readonly undo: { readonly files: readonly FileInput[]; readonly cleared: boolean } | null;
  /** The browser would not keep the session (its reason), so a reload loses the work. */
  readonly storageFailed: string | null;
  /** A save of the session is under way. */
  readonly saving: boolean;
  /** The district workbook of the last consolidation has been downloaded. */
  readonly resultSaved: boolean;
  /** The clerk's consolidation choices, once changed (kept with the session). */
  readonly choices: ConsolidateChoices | null;
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
  /** The blank 填报表 of the loaded definitions; resolves the file to save, or null when it did not happen. */
  blankForm(lang: Lang): Promise<DownloadFile | null>;
  /** The self-check page for the schools, with the definitions inside; resolves the file to save, or null when it did not happen. */
  selfCheckPage(lang: Lang): Promise<DownloadFile | null>;
  /** The problems given as an .xlsx problem list; resolves the file to save, or null when it did not happen. */
  problemList(issues: readonly Issue[], names: ReadonlyMap<string, string>, lang: Lang): Promise<DownloadFile | null>;
  /** Loads the work kept from an earlier visit again, as if the clerk picked the same files. */
  restore(): Promise<void>;
  /** Forgets the work kept from an earlier visit and stops offering it. */
  discardOffer(): Promise<void>;
  /** Brings back the files just removed or cleared. */
  undoRemove(): Promise<void>;
  dismissUndo(): void;
  /** Records a change of the consolidation choices. */
  setChoices(choices: ConsolidateChoices): void;
  /** Removes everything this page keeps on the machine (for a shared computer). */
  forgetSaved(): Promise<void>;
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
  offer: null,
  undo: null,
  storageFailed: null,
  saving: false,
  resultSaved: false,
  choices: null,
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

/** State and actions of the workflow over `service`; with a `store`, the clerk's inputs are kept there and offered back on the next visit. */
export function useWorkflow(service: HuizongService, store?: SessionStore): [WorkflowState, WorkflowActions] {
  const [state, setState] = useState<WorkflowState>(INITIAL);
  const controller = useRef<AbortController | null>(null);
  const mounted = useRef(true);
  /** The inputs of this visit, as the session keeps them. */
  const inputs = useRef<SavedSession>(EMPTY_SESSION);
  /** Saves run one after another, the last one winning. */
  const saving = useRef<Promise<void>>(Promise.resolve());
  const saves = useRef(0);
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

  useEffect(() => {
    if (store === undefined) return;
    store.load().then(
      (found) => {
        // Offered only while the clerk has not started anew.
        if (found !== null && isEmptySession(inputs.current)) update({ offer: found });
      },
      (e: unknown) => update({ storageFailed: e instanceof Error ? e.message : String(e) }),
    );
  }, [store, update]);

  /** Records a change to the inputs and keeps them in the store. */
  const remember = useCallback(
    (change: (s: SavedSession) => Partial<SavedSession>) => {
      inputs.current = { ...inputs.current, ...change(inputs.current), savedAt: Date.now() };
      if (store === undefined) return;
      const snapshot = inputs.current;
      const mine = ++saves.current;
      update({ saving: true, offer: null });
      saving.current = saving.current
        .then(() => store.save(snapshot))
        .then(
          () => update(saves.current === mine ? { saving: false, storageFailed: null } : { storageFailed: null }),
          (e: unknown) => update({ saving: saves.current === mine ? false : true, storageFailed: e instanceof Error ? e.message : String(e) }),
        );
    },
    [store, update],
  );

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

  /** Imports files (picked, or kept) and records them. */
  const importInputs = async (read: () => Promise<FileInput[]>): Promise<void> => {
    const done = await run('import', async (ctl) => {
      const picked = await read();
      return { picked, imported: await service.importFiles(picked, ctl) };
    });
    if (!done) return;
    const { picked, imported } = done;
    update((s) => ({ files: [...s.files.filter((f) => !imported.some((i) => i.name === f.name)), ...imported], validation: null, result: null, undo: null }));
    remember((s) => ({ files: [...s.files.filter((f) => !picked.some((p) => p.name === f.name)), ...picked] }));
  };

  const actions: WorkflowActions = {
    createFromPreset: async (lang) => {
      const view = await run('preset', (ctl) => service.createFromPreset(lang, ctl));
      if (view) {
        update({ definitions: view, validation: null, result: null });
        remember(() => ({ definitions: { kind: 'preset' } }));
      }
    },
    loadDefinitions: async (file) => {
      const load = service.loadDefinitionsFile;
      if (!load) return;
      const done = await run('loadDefinitions', async (ctl) => {
        const input = await readFileInput(file);
        return { input, view: await load.call(service, input, ctl) };
      });
      if (done) {
        update({ definitions: done.view, validation: null, result: null });
        remember(() => ({ definitions: { kind: 'file', file: done.input } }));
      }
    },
    loadRoster: async (file) => {
      const load = service.loadRosterFile;
      if (!load) return;
      const done = await run('loadDefinitions', async (ctl) => {
        const input = await readFileInput(file);
        return { input, view: await load.call(service, input, ctl) };
      });
      if (done) {
        update({ definitions: done.view, validation: null, result: null, returns: null });
        remember(() => ({ roster: done.input }));
      }
    },
    checkDefinitions: async () => {
      const view = await run('checkDefinitions', (ctl) => service.checkDefinitions(ctl));
      if (view) update({ definitions: view });
    },
    importFiles: async (files) => {
      if (files.length === 0) return;
      await importInputs(() => Promise.all(files.map(readFileInput)));
    },
    clearFiles: async () => {
      const clear = service.clearFiles;
      if (!clear) return;
      const ok = await run('import', async () => {
        await clear.call(service);
        return true;
      });
      if (ok) {
        update({ files: [], validation: null, result: null, preview: null, undo: { files: inputs.current.files, cleared: true } });
        remember(() => ({ files: [], keep: [] }));
      }
    },
    loadPrevious: async (from) => {
      const done = await run('previous', async (ctl) => {
        if ('sheet' in from && typeof from.sheet === 'string') return { view: await service.loadPrevious({ sheet: from.sheet }, ctl), input: null };
        const input = await readFileInput(from as File);
        return { view: await service.loadPrevious({ file: input }, ctl), input };
      });
      if (done) {
        update({ previous: done.view, validation: null, result: null });
        remember(() => ({ previous: done.input }));
      }
    },
    clearPrevious: async () => {
      const ok = await run('previous', async () => {
        await service.clearPrevious();
        return true;
      });
      if (ok) {
        update({ previous: null, validation: null, result: null });
        remember(() => ({ previous: null }));
      }
    },
    removeFile: async (name) => {
      const remove = service.removeFile;
      if (!remove) return;
      const ok = await run('import', async () => {
        await remove.call(service, name);
        return true;
      });
      if (ok) {
        const removed = inputs.current.files.filter((f) => f.name === name);
        update((s) => ({ files: s.files.filter((f) => f.name !== name), validation: null, result: null, preview: null, returns: null, undo: { files: removed, cleared: false } }));
        remember((s) => ({ files: s.files.filter((f) => f.name !== name), keep: s.keep.filter((i) => i.file !== name) }));
      }
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
      if (view) {
        update({ validation: view, preview: null, returns: null, result: null });
        remember((s) => ({ keep: [...s.keep.filter((i) => i.school !== issue.school), issue] }));
      }
    },
    returnPackages: async (lang) => {
      const r = await run('returns', (ctl) => service.returnPackages(lang, ctl));
      if (!r) return null;
      update({ returns: { schools: r.schools, fileName: r.file.name, ...(r.indexSheet !== undefined ? { indexSheet: r.indexSheet } : {}) } });
      return r;
    },
    consolidate: async (choices, lang) => {
      const view = await run('consolidate', (ctl) => service.consolidate(choices, lang, ctl));
      if (view) update({ result: view, resultSaved: false });
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
      const file = (await run('download', () => get.call(service))) ?? null;
      if (file !== null) update({ resultSaved: true });
      return file;
    },
    blankForm: async (lang) => {
      const make = service.blankForm;
      if (!make) return null;
      return (await run('download', () => make.call(service, lang))) ?? null;
    },
    selfCheckPage: async (lang) => {
      const make = service.selfCheckPage;
      if (!make) return null;
      return (await run('download', (ctl) => make.call(service, lang, ctl))) ?? null;
    },
    problemList: async (issues, names, lang) => {
      const make = service.problemList;
      if (!make) return null;
      return (await run('download', () => make.call(service, issues, names, lang))) ?? null;
    },
    cancel: () => controller.current?.abort(),
    dismissError: () => update({ error: null, cancelled: false }),
    restore: async () => {
      const saved = state.offer;
      if (saved === null) return;
      update({ offer: null });
      const restored = await run('restore', async (ctl) => {
        let definitions: DefinitionsView | null = null;
        if (saved.definitions?.kind === 'preset') definitions = await service.createFromPreset('zh-CN', ctl);
        else if (saved.definitions?.kind === 'file' && service.loadDefinitionsFile) definitions = await service.loadDefinitionsFile(saved.definitions.file, ctl);
        if (saved.roster !== null && service.loadRosterFile && definitions !== null) definitions = await service.loadRosterFile(saved.roster, ctl);
        const files = saved.files.length > 0 ? await service.importFiles(saved.files, ctl) : [];
        const previous = saved.previous !== null && definitions !== null ? await service.loadPrevious({ file: saved.previous }, ctl) : null;
        for (const issue of saved.keep) await service.keepSubmission(issue);
        return { definitions, files, previous };
      });
      if (restored) {
        update({ definitions: restored.definitions, files: restored.files, previous: restored.previous, validation: null, result: null, returns: null, choices: saved.choices ?? null });
        inputs.current = saved;
      } else {
        // What failed is in the error bar; the kept session stays, to be offered again.
        update({ offer: saved });
      }
    },
    discardOffer: async () => {
      update({ offer: null });
      try {
        await store?.clear();
      } catch (e) {
        update({ storageFailed: e instanceof Error ? e.message : String(e) });
      }
    },
    undoRemove: async () => {
      const undo = state.undo;
      if (undo === null) return;
      update({ undo: null });
      await importInputs(async () => [...undo.files]);
    },
    dismissUndo: () => update({ undo: null }),
    setChoices: (choices) => {
      update({ choices });
      remember(() => ({ choices }));
    },
    forgetSaved: async () => {
      await saving.current;
      await store?.clear();
      inputs.current = EMPTY_SESSION;
      update({ offer: null });
    },
  };
  return [state, actions];
}
