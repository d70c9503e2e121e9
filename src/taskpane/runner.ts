/**
 * Runs jobs in a Web Worker (or, where there is none, inline in a lazily loaded chunk) and turns
 * the message protocol into promises with progress and cancellation.
 */
import type { JobRequest, JobResults, WorkerRequest, WorkerResponse } from './protocol';
import { CancelledError, PaneError, type RunControl } from './service';

/** Something that runs jobs. */
export interface JobRunner {
  /**
   * Runs one job. With `limitMs`, a worker still busy after that long is stopped and the job rejects
   * with a `PaneError` (`worker_failed`, detail `timeout`); the next job starts a fresh worker.
   */
  run<T extends JobRequest>(req: T, ctl: RunControl, limitMs?: number): Promise<JobResults[T['type']]>;
  /** Stops the worker, if any. */
  dispose(): void;
}

/**
 * The worker could not start here: the browser refused to create it, its script or a chunk it needs did not
 * load (a page opened from disk in some browsers). Nothing ran; the job can run inline instead.
 */
export class WorkerUnavailableError extends Error {
  override readonly name = 'WorkerUnavailableError';
}

/**
 * Runs jobs in a dedicated Web Worker; cancelling terminates it and the next job starts a fresh one,
 * as do a worker that fails (a crash, a heap the browser refuses to grow) and one past its time limit.
 */
export function createWorkerRunner(makeWorker: () => Worker = () => new Worker(new URL('./worker.ts', import.meta.url))): JobRunner {
  let worker: Worker | null = null;
  /** Whether the current worker has ever answered: an error before that means it never started. */
  let answered = false;
  let nextId = 1;
  return {
    run<T extends JobRequest>(req: T, ctl: RunControl, limitMs?: number): Promise<JobResults[T['type']]> {
      if (ctl.signal.aborted) return Promise.reject(new CancelledError());
      if (worker === null) {
        try {
          worker = makeWorker();
          answered = false;
        } catch (e) {
          return Promise.reject(new WorkerUnavailableError(e instanceof Error ? e.message : String(e)));
        }
      }
      const w = worker;
      const id = nextId++;
      return new Promise<JobResults[T['type']]>((resolve, reject) => {
        const timer = limitMs === undefined ? undefined : setTimeout(() => stop(new PaneError('worker_failed', {}, 'timeout')), limitMs);
        /** Ends this job with `error` and the worker with it: whatever it was doing is abandoned. */
        const stop = (error: Error): void => {
          done();
          w.terminate();
          if (worker === w) worker = null;
          reject(error);
        };
        const done = (): void => {
          clearTimeout(timer);
          w.removeEventListener('message', onMessage);
          w.removeEventListener('error', onError);
          ctl.signal.removeEventListener('abort', onAbort);
        };
        const onMessage = (e: MessageEvent<WorkerResponse>): void => {
          const msg = e.data;
          answered = true;
          if (msg.id !== id) return;
          if (msg.type === 'progress') {
            ctl.onProgress(msg.progress);
            return;
          }
          done();
          if (msg.type === 'result') resolve(msg.result as JobResults[T['type']]);
          // A chunk the worker could not load: the worker cannot work here, and nothing ran.
          else if (msg.name === 'ChunkLoadError') reject(new WorkerUnavailableError(msg.message));
          else reject(new PaneError('worker_failed', {}, `${msg.name}: ${msg.message}`));
        };
        const onError = (e: ErrorEvent): void => {
          // An error event carries no message when the worker's script itself did not load.
          const message = typeof e.message === 'string' && e.message !== '' ? e.message : 'the worker did not start';
          stop(answered ? new PaneError('worker_failed', {}, message) : new WorkerUnavailableError(message));
        };
        const onAbort = (): void => stop(new CancelledError());
        w.addEventListener('message', onMessage);
        w.addEventListener('error', onError);
        ctl.signal.addEventListener('abort', onAbort);
        w.postMessage({ ...req, id } satisfies WorkerRequest);
      });
    },
    dispose(): void {
      worker?.terminate();
      worker = null;
    },
  };
}

/** Runs jobs on this thread, yielding between books so the page can paint and the clerk can cancel. */
export function createInlineRunner(): JobRunner {
  return {
    async run<T extends JobRequest>(req: T, ctl: RunControl): Promise<JobResults[T['type']]> {
      // On this thread nothing can be stopped from outside: the time limit is the worker's alone.
      const { runJobRequest } = await import('./jobs');
      const checkpoint = async (): Promise<void> => {
        await new Promise((r) => setTimeout(r, 0));
        if (ctl.signal.aborted) throw new CancelledError();
      };
      if (ctl.signal.aborted) throw new CancelledError();
      return await runJobRequest(req, { onProgress: ctl.onProgress, checkpoint });
    },
    dispose(): void {},
  };
}

/**
 * Runs jobs with `first` until it proves unavailable here (`WorkerUnavailableError`); from then on, and for
 * that job too, with `fallback`, calling `onFallback` once with the reason so the pane can say so.
 */
export function createFallbackRunner(first: JobRunner, fallback: () => JobRunner, onFallback: (reason: string) => void): JobRunner {
  let current: JobRunner = first;
  let fellBack = false;
  return {
    async run<T extends JobRequest>(req: T, ctl: RunControl, limitMs?: number): Promise<JobResults[T['type']]> {
      try {
        return await current.run(req, ctl, limitMs);
      } catch (e) {
        if (!(e instanceof WorkerUnavailableError) || fellBack) throw e;
        fellBack = true;
        current.dispose();
        current = fallback();
        onFallback(e.message);
        return await current.run(req, ctl);
      }
    },
    dispose(): void {
      current.dispose();
    },
  };
}

/**
 * A worker runner where Web Workers exist and start, otherwise inline; `onInline` hears why when the jobs
 * run inline, so that the clerk is told (the page is then busy while a job runs).
 */
export function defaultRunner(onInline: (reason: string) => void = () => {}): JobRunner {
  if (typeof Worker !== 'function') {
    onInline('Web Worker');
    return createInlineRunner();
  }
  return createFallbackRunner(createWorkerRunner(), createInlineRunner, onInline);
}
