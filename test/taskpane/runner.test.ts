import { describe, expect, it } from 'vitest';
import type { WorkerRequest, WorkerResponse } from '../../src/taskpane/protocol';
import { readInWorker } from '../../src/taskpane/parse';
import { createFallbackRunner, createWorkerRunner, WorkerUnavailableError, type JobRunner } from '../../src/taskpane/runner';
import { CancelledError, PaneError, type Progress, type RunControl } from '../../src/taskpane/service';

/** A stand-in Worker: records what it is sent and lets the test answer. */
class FakeWorker extends EventTarget {
  sent: WorkerRequest[] = [];
  terminated = false;
  postMessage(msg: WorkerRequest): void {
    this.sent.push(msg);
  }
  terminate(): void {
    this.terminated = true;
  }
  reply(msg: WorkerResponse): void {
    const e = new Event('message') as MessageEvent<WorkerResponse>;
    Object.defineProperty(e, 'data', { value: msg });
    this.dispatchEvent(e);
  }
}

function control(): RunControl & { seen: Progress[]; ac: AbortController } {
  const ac = new AbortController();
  const seen: Progress[] = [];
  return { signal: ac.signal, onProgress: (p) => seen.push(p), seen, ac };
}

describe('worker runner', () => {
  it('sends the request with an id, relays progress and resolves with the result', async () => {
    const workers: FakeWorker[] = [];
    const runner = createWorkerRunner(() => {
      const w = new FakeWorker();
      workers.push(w);
      return w as unknown as Worker;
    });
    const ctl = control();
    const done = runner.run({ type: 'definitions', source: { kind: 'preset' } }, ctl);
    const w = workers[0]!;
    const { id } = w.sent[0]!;
    expect(w.sent[0]).toEqual({ type: 'definitions', source: { kind: 'preset' }, id });
    w.reply({ type: 'progress', id: id + 100, progress: { phase: 'reading', fraction: 0.9 } });
    w.reply({ type: 'progress', id, progress: { phase: 'checking', fraction: null } });
    const result = { view: { ready: true, source: 'preset' as const, indicators: 1, rules: 0, rates: 0, dispersions: 0, standards: 0, schools: 0, issues: [] }, definitions: null };
    w.reply({ type: 'result', id, result });
    await expect(done).resolves.toEqual(result);
    expect(ctl.seen).toEqual([{ phase: 'checking', fraction: null }]);
    // The same worker serves the next job.
    void runner.run({ type: 'definitions', source: { kind: 'preset' } }, control());
    expect(workers).toHaveLength(1);
    expect(w.sent[1]!.id).toBeGreaterThan(id);
  });

  it('rejects with a PaneError carrying the worker’s error', async () => {
    const w = new FakeWorker();
    const runner = createWorkerRunner(() => w as unknown as Worker);
    const done = runner.run({ type: 'definitions', source: { kind: 'preset' } }, control());
    w.reply({ type: 'error', id: w.sent[0]!.id, name: 'TypeError', message: 'x is undefined' });
    const err = await done.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PaneError);
    expect((err as PaneError).code).toBe('worker_failed');
    expect((err as PaneError).message).toBe('TypeError: x is undefined');
  });

  it('terminates the worker on cancel and starts a fresh one for the next job', async () => {
    const workers: FakeWorker[] = [];
    const runner = createWorkerRunner(() => {
      const w = new FakeWorker();
      workers.push(w);
      return w as unknown as Worker;
    });
    const ctl = control();
    const done = runner.run({ type: 'definitions', source: { kind: 'preset' } }, ctl);
    ctl.ac.abort();
    await expect(done).rejects.toBeInstanceOf(CancelledError);
    expect(workers[0]!.terminated).toBe(true);
    void runner.run({ type: 'definitions', source: { kind: 'preset' } }, control());
    expect(workers).toHaveLength(2);
  });

  it('refuses at once when already cancelled', async () => {
    const runner = createWorkerRunner(() => new FakeWorker() as unknown as Worker);
    const ctl = control();
    ctl.ac.abort();
    await expect(runner.run({ type: 'definitions', source: { kind: 'preset' } }, ctl)).rejects.toBeInstanceOf(CancelledError);
  });

  it('stops a worker past the time limit, and the next job runs in a fresh one', async () => {
    const workers: FakeWorker[] = [];
    const runner = createWorkerRunner(() => {
      const w = new FakeWorker();
      workers.push(w);
      return w as unknown as Worker;
    });
    const stuck = runner.run({ type: 'parse', bytes: new Uint8Array([1, 2, 3]), name: 'loop.xls' }, control(), 30);
    const err = await stuck.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PaneError);
    expect((err as PaneError).message).toBe('timeout');
    expect(workers[0]!.terminated).toBe(true);
    const next = runner.run({ type: 'definitions', source: { kind: 'preset' } }, control(), 5_000);
    expect(workers).toHaveLength(2);
    const w = workers[1]!;
    w.reply({ type: 'result', id: w.sent[0]!.id, result: { view: null, definitions: null } as never });
    await expect(next).resolves.toEqual({ view: null, definitions: null });
  });

  it('answers in time without stopping the worker', async () => {
    const w = new FakeWorker();
    const runner = createWorkerRunner(() => w as unknown as Worker);
    const done = runner.run({ type: 'parse', bytes: new Uint8Array(0), name: 'a.xlsx' }, control(), 60_000);
    w.reply({ type: 'result', id: w.sent[0]!.id, result: { book: null, issues: [] } });
    await expect(done).resolves.toEqual({ book: null, issues: [] });
    expect(w.terminated).toBe(false);
  });
});

describe('files read in the worker', () => {
  it('makes a file whose worker fails or stops one located issue, and goes on with the next file in a fresh worker', async () => {
    const workers: FakeWorker[] = [];
    const runner = createWorkerRunner(() => {
      const w = new FakeWorker();
      workers.push(w);
      return w as unknown as Worker;
    });
    const crashed = readInWorker(runner, new Uint8Array([0xd0, 0xcf]), '坏.xls');
    workers[0]!.dispatchEvent(Object.assign(new Event('error'), { message: 'out of memory' }));
    expect(await crashed).toEqual({ book: null, issues: [{ code: 'file.unreadable', severity: 'error', file: '坏.xls', params: { file: '坏.xls', why: 'crashed' } }] });
    const good = readInWorker(runner, new Uint8Array([0x50, 0x4b]), '好.xlsx');
    const w = workers[1]!;
    expect(w.sent[0]).toMatchObject({ type: 'parse', name: '好.xlsx' });
    const book = { source: '好.xlsx', sheets: [] };
    w.reply({ type: 'result', id: w.sent[0]!.id, result: { book, issues: [] } });
    expect(await good).toEqual({ book, issues: [] });
  });

  it('still lets the clerk cancel a read', async () => {
    const runner = createWorkerRunner(() => new FakeWorker() as unknown as Worker);
    const ctl = control();
    const read = readInWorker(runner, new Uint8Array(8), 'a.xlsx', ctl);
    ctl.ac.abort();
    await expect(read).rejects.toBeInstanceOf(CancelledError);
  });
});

describe('a worker that cannot start', () => {
  const preset = { type: 'definitions', source: { kind: 'preset' } } as const;
  const result = { view: { ready: true, source: 'preset' as const, indicators: 1, rules: 0, rates: 0, dispersions: 0, standards: 0, schools: 0, issues: [] }, definitions: null };

  it('is told apart from a job that failed: refused, never started, or a chunk it could not load', async () => {
    const refused = createWorkerRunner(() => {
      throw new DOMException('Script cannot be accessed from origin null', 'SecurityError');
    });
    await expect(refused.run(preset, control())).rejects.toBeInstanceOf(WorkerUnavailableError);

    const w = new FakeWorker();
    const silent = createWorkerRunner(() => w as unknown as Worker);
    const never = silent.run(preset, control());
    w.dispatchEvent(new Event('error'));
    await expect(never).rejects.toBeInstanceOf(WorkerUnavailableError);

    const v = new FakeWorker();
    const chunk = createWorkerRunner(() => v as unknown as Worker);
    const missing = chunk.run(preset, control());
    v.reply({ type: 'error', id: v.sent[0]!.id, name: 'ChunkLoadError', message: 'Loading chunk 518 failed.' });
    await expect(missing).rejects.toBeInstanceOf(WorkerUnavailableError);

    // Once the worker has answered, an error is the job's failure.
    const u = new FakeWorker();
    const started = createWorkerRunner(() => u as unknown as Worker);
    const first = started.run(preset, control());
    u.reply({ type: 'progress', id: u.sent[0]!.id, progress: { phase: 'checking', fraction: null } });
    u.dispatchEvent(new Event('error'));
    await expect(first).rejects.toBeInstanceOf(PaneError);
  });

  it('hands the job and every later one to the fallback, saying why once', async () => {
    const reasons: string[] = [];
    const ran: string[] = [];
    let attempts = 0;
    const worker: JobRunner = {
      run: async () => {
        attempts++;
        throw new WorkerUnavailableError('no worker from file://');
      },
      dispose: () => {},
    };
    const inline: JobRunner = {
      run: async (req) => {
        ran.push(req.type);
        return result as never;
      },
      dispose: () => {},
    };
    const runner = createFallbackRunner(worker, () => inline, (why) => reasons.push(why));
    await expect(runner.run(preset, control())).resolves.toEqual(result);
    await expect(runner.run(preset, control())).resolves.toEqual(result);
    expect(attempts).toBe(1);
    expect(ran).toEqual(['definitions', 'definitions']);
    expect(reasons).toEqual(['no worker from file://']);
  });

  it('passes a job’s own failure through without falling back', async () => {
    const reasons: string[] = [];
    const worker: JobRunner = {
      run: async () => {
        throw new PaneError('worker_failed', {}, 'TypeError: x');
      },
      dispose: () => {},
    };
    const runner = createFallbackRunner(worker, () => worker, (why) => reasons.push(why));
    await expect(runner.run(preset, control())).rejects.toBeInstanceOf(PaneError);
    expect(reasons).toEqual([]);
  });
});
