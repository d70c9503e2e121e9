/**
 * The pane's Web Worker: runs the core off the UI thread so Excel never finds the pane
 * unresponsive. Cancelling terminates the worker; the pane starts a new one for the next job.
 */
// First: a worker started by the single-file page loads its chunks from the text it was given.
import './inlineChunks';
import { runJobRequest } from './jobs';
import type { WorkerRequest, WorkerResponse } from './protocol';

const scope = self as unknown as { postMessage(message: WorkerResponse): void; onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null };

scope.onmessage = (e: MessageEvent<WorkerRequest>) => {
  const { id, ...req } = e.data;
  runJobRequest(req, { onProgress: (progress) => scope.postMessage({ type: 'progress', id, progress }) }).then(
    (result) => scope.postMessage({ type: 'result', id, result }),
    (err: unknown) =>
      scope.postMessage({
        type: 'error',
        id,
        name: err instanceof Error ? err.name : 'Error',
        message: err instanceof Error ? err.message : String(err),
      }),
  );
};
