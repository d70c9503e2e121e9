/**
 * Files the clerk picks are parsed in the pane's Web Worker, never on the page's own thread, and under
 * a time limit: a file that makes the parser loop or fail stops that worker only, becomes one issue
 * that names it, and the next file is read by a fresh worker. The same in both panes.
 */
import type { Issue } from '../core/types';
import { readTimeLimitMs } from '../job/limits';
import type { JobResults } from './protocol';
import type { JobRunner } from './runner';
import { CancelledError, type RunControl } from './service';

/** A control for a read nobody can cancel but the time limit. */
const uncancelled = (): RunControl => ({ signal: new AbortController().signal, onProgress: () => undefined });

/** Reads one file in `runner`'s worker; `ctl` (when given) lets the clerk cancel. Never rejects but for a cancel. */
export async function readInWorker(runner: JobRunner, bytes: Uint8Array, name: string, ctl: RunControl = uncancelled()): Promise<JobResults['parse']> {
  try {
    return await runner.run({ type: 'parse', bytes, name }, ctl, readTimeLimitMs(bytes.length));
  } catch (e) {
    if (e instanceof CancelledError) throw e;
    // The worker stopped at its time limit or failed: the file is damaged, the session goes on.
    const why = e instanceof Error && e.message === 'timeout' ? 'timeout' : 'crashed';
    const issue: Issue = { code: 'file.unreadable', severity: 'error', file: name, params: { file: name, why } };
    return { book: null, issues: [issue] };
  }
}

/** A reader of files through `runner`'s worker (see {@link readInWorker}). */
export function workerReader(runner: JobRunner): (bytes: Uint8Array, name: string) => Promise<JobResults['parse']> {
  return (bytes, name) => readInWorker(runner, bytes, name);
}
