/**
 * The reader processes' pool against children that do what a hostile file makes a parser do: loop,
 * abort in native code, grow the heap without end, throw. Each costs its own task only; the tasks
 * around it are answered, in a child started again, and nothing is left running.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChildPool } from '../../src/cli/pool';
import { scratch } from './helpers';

let script: string;

// The pool's protocol spoken by hand: `ready`, then the tasks of each message run in turn, each answered at once.
const CHILD = `
process.on('message', (m) => {
  if ('context' in m) { globalThis.context = m.context; return; }
  for (const { id, task: t } of m.tasks) {
    if (t === 'loop') for (;;) {}
    if (t === 'abort') process.abort();
    if (t === 'heap') { const keep = []; for (;;) keep.push(new Array(1e5).fill({ t })); }
    if (t === 'throw') { process.send({ answers: [{ id, error: 'Error: bad' }] }); continue; }
    if (t === 'context') { process.send({ answers: [{ id, result: globalThis.context }] }); continue; }
    if (t === 'answer-then-abort') { process.send({ answers: [{ id, result: { echo: t, pid: process.pid } }] }, () => process.abort()); return; }
    if (t === 'slow') { const until = Date.now() + 500; while (Date.now() < until); }
    process.send({ answers: [{ id, result: { echo: t, pid: process.pid } }] });
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
`;

// A child that sends the answers of the tasks that came together in one message, as the reader process does.
const HOLDING = `
process.on('message', (m) => {
  if ('context' in m) return;
  const answers = [];
  for (const { id, task: t } of m.tasks) {
    if (t === 'loop') for (;;) {}
    if (t === 'abort') process.abort();
    answers.push({ id, result: { echo: t, pid: process.pid, batch: m.tasks.length } });
  }
  process.send({ answers });
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
`;
let holding: string;

beforeAll(() => {
  script = path.join(scratch('huizong-pool-'), 'child.cjs');
  writeFileSync(script, CHILD);
  holding = path.join(path.dirname(script), 'holding.cjs');
  writeFileSync(holding, HOLDING);
});

const pools: ChildPool<string, { echo: string; pid: number }>[] = [];
afterAll(() => pools.forEach((p) => p.close()));

function pool(size: number): ChildPool<string, { echo: string; pid: number }> {
  const p = new ChildPool<string, { echo: string; pid: number }>({ script, args: [], size, heapMb: 64 });
  pools.push(p);
  return p;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('ChildPool', () => {
  it('answers every task in order of asking, reusing its children', async () => {
    const p = pool(2);
    const tasks = Array.from({ length: 40 }, (_, k) => `t${k}`);
    const out = await Promise.all(tasks.map((t) => p.run(t, 10_000)));
    expect(out.map((o) => ('ok' in o ? o.ok.echo : o.failed))).toEqual(tasks);
    const pids = new Set(out.map((o) => ('ok' in o ? o.ok.pid : 0)));
    expect(pids.size).toBeGreaterThanOrEqual(1);
    expect(pids.size).toBeLessThanOrEqual(2);
  });

  it('kills a child that loops at the time limit; the task behind it is answered by a new child', async () => {
    const p = pool(1);
    const t0 = Date.now();
    const [loop, next] = await Promise.all([p.run('loop', 400), p.run('after', 10_000)]);
    expect(loop).toEqual({ failed: 'timeout' });
    expect(next).toMatchObject({ ok: { echo: 'after' } });
    expect(Date.now() - t0).toBeLessThan(8_000);
  });

  it('counts the time limit from the moment a child starts on the task, not from when it was queued', async () => {
    const p = pool(1);
    // Two tasks are in a child at once: the second, counted from when it was sent, would run past 800 ms.
    const out = await Promise.all(['slow', 'slow', 'slow'].map((t) => p.run(t, 800)));
    expect(out.every((o) => 'ok' in o)).toBe(true);
  });

  it('turns a native abort into a crash of that task only', async () => {
    const p = pool(2);
    const out = await Promise.all(['a', 'abort', 'b', 'c'].map((t) => p.run(t, 10_000)));
    expect(out.map((o) => ('ok' in o ? o.ok.echo : o.failed))).toEqual(['a', 'crash', 'b', 'c']);
  });

  it('credits the answer a child sent just before it died, and blames no task for that death but the one it was on', async () => {
    const p = pool(1);
    const out = await Promise.all(['answer-then-abort', 'b', 'c'].map((t) => p.run(t, 10_000)));
    expect(out.map((o) => ('ok' in o ? o.ok.echo : o.failed))).toEqual(['answer-then-abort', expect.stringMatching(/^(b|crash)$/), 'c']);
  });

  it('tells a heap that reached its cap from other crashes', async () => {
    const p = pool(1);
    const [heap, next] = await Promise.all([p.run('heap', 30_000), p.run('next', 30_000)]);
    expect(heap).toMatchObject({ failed: 'memory' });
    expect(next).toMatchObject({ ok: { echo: 'next' } });
  }, 60_000);

  it('answers a thrown error as a crash, and the child goes on', async () => {
    const p = pool(1);
    const [bad, good] = await Promise.all([p.run('throw', 10_000), p.run('good', 10_000)]);
    expect(bad).toEqual({ failed: 'crash', detail: 'Error: bad' });
    expect(good).toMatchObject({ ok: { echo: 'good' } });
  });

  it('gives every child, a replacement too, the context set before', async () => {
    const p = new ChildPool<string, unknown, { defs: string }>({ script, args: [], size: 1, heapMb: 64 });
    p.setContext({ defs: 'D1' });
    expect(await p.run('context', 10_000)).toEqual({ ok: { defs: 'D1' } });
    await p.run('abort', 10_000);
    expect(await p.run('context', 10_000)).toEqual({ ok: { defs: 'D1' } });
    p.close();
  });

  it('leaves no child running once closed', async () => {
    const p = pool(2);
    const out = await Promise.all(['x', 'y', 'z'].map((t) => p.run(t, 10_000)));
    p.close();
    await new Promise((r) => setTimeout(r, 300));
    for (const o of out) if ('ok' in o) expect(alive(o.ok.pid)).toBe(false);
    expect(await p.run('late', 1_000)).toMatchObject({ failed: 'crash' });
  });
});

describe('a child that answers several tasks at once', () => {
  it('blames a loop or a crash on its own task only, the tasks answered with it read again, not blamed', async () => {
    const p = new ChildPool<string, { echo: string; pid: number }>({ script: holding, args: [], size: 1, heapMb: 64 });
    pools.push(p);
    const tasks = ['a', 'b', 'loop', 'c', 'd', 'abort', 'e'];
    const out = await Promise.all(tasks.map((t) => p.run(t, 600)));
    expect(out.map((o) => ('ok' in o ? o.ok.echo : o.failed))).toEqual(['a', 'b', 'timeout', 'c', 'd', 'crash', 'e']);
  }, 30_000);

  it('sends tasks several to a message and takes their answers together', async () => {
    const p = new ChildPool<string, { echo: string; pid: number }>({ script: holding, args: [], size: 1, heapMb: 64 });
    pools.push(p);
    const tasks = Array.from({ length: 64 }, (_, k) => `t${k}`);
    const out = await Promise.all(tasks.map((t) => p.run(t, 10_000)));
    expect(out.map((o) => ('ok' in o ? o.ok.echo : o.failed))).toEqual(tasks);
    expect(new Set(out.map((o) => ('ok' in o ? o.ok.pid : 0))).size).toBe(1);
    const batches = out.map((o) => ('ok' in o ? (o.ok as { batch?: number }).batch ?? 0 : 0));
    expect(Math.max(...batches)).toBeGreaterThan(1);
    expect(Math.max(...batches)).toBeLessThanOrEqual(16);
  });
});

describe('a reader that cannot start', () => {
  it('fails the tasks instead of starting children for ever', async () => {
    const broken = path.join(path.dirname(script), 'broken.cjs');
    writeFileSync(broken, 'process.exit(3);\n');
    const p = new ChildPool<string, unknown>({ script: broken, args: [], size: 1, heapMb: 64 });
    const out = await Promise.all(['a', 'b'].map((t) => p.run(t, 5_000)));
    p.close();
    expect(out.every((o) => 'failed' in o && o.failed === 'crash')).toBe(true);
  }, 60_000);
});
