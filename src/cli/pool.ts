/**
 * A pool of reader processes: every untrusted file is parsed in a child process, with a capped heap
 * and a time limit, so that a file which crashes the engine (a fatal error in native code), loops, or
 * grows without end costs that file only. The child is killed, its file becomes one outcome saying
 * what happened, a fresh child takes the next file, and the run goes on. Children are reused from file
 * to file: starting one costs a fifth of a second, reading a school file a millisecond or two, so tasks
 * go to a child several to a message and its answers come back several to a message (one pipe write
 * per answer cost a child a fifth of its time).
 */
import { fork, type ChildProcess } from 'node:child_process';

/** Why a task gave no answer: it ran past its time, its heap reached the cap, or the process died otherwise. */
export type PoolFailure = 'timeout' | 'memory' | 'crash';

/** A task's answer, or why there is none. */
export type PoolOutcome<R> = { readonly ok: R } | { readonly failed: PoolFailure; readonly detail?: string };

/** Options of {@link ChildPool}. */
export interface PoolOptions {
  /** The script each child runs (this bundle), and its arguments. */
  readonly script: string;
  readonly args: readonly string[];
  /** Children at most; fewer are started while there is less to do. */
  readonly size: number;
  /** The heap cap of each child, in MB. */
  readonly heapMb: number;
}

/**
 * One task as sent: `flush` asks the child to send the answers it holds before starting it (a task
 * given more time than most, or one run alone), so that the time it takes counts against it only.
 */
export interface Sent<T> {
  readonly id: number;
  readonly task: T;
  readonly flush?: boolean;
}
/** One answer: the task's result, or the error it threw. */
export type Answer<R> = { readonly id: number; readonly result: R } | { readonly id: number; readonly error: string };
/** The messages of the pool's protocol, as a child sees them. */
export type ToChild<T, C> = { readonly tasks: readonly Sent<T>[] } | { readonly context: C };
export type FromChild<R> = { readonly ready: true } | { readonly answers: readonly Answer<R>[] };

interface Job<T, R> {
  readonly id: number;
  readonly task: T;
  readonly limitMs: number;
  readonly resolve: (o: PoolOutcome<R>) => void;
  /**
   * Run by itself in its child: set when a child died holding this task and others, so that the one
   * that caused it is found (it fails again, alone) and the others are read again, not blamed.
   */
  alone?: boolean;
}

interface Member<T, R> {
  readonly child: ChildProcess;
  ready: boolean;
  /** Sent, unanswered, in order: the first is being read, the next waits in the child. */
  readonly jobs: Job<T, R>[];
  timer: NodeJS.Timeout | undefined;
  stderr: string;
  dead: boolean;
}

/**
 * Jobs sent to one child before it answers. A child reads a small file in a millisecond or two; with
 * only the next file waiting, it stood idle whenever this process was slow to be scheduled to send the
 * one after (on a busy machine, most of the time).
 */
const DEPTH = 16;

/** A task whose time limit is above this (a file over half a megabyte) has the child's answers sent before it starts. */
const FLUSH_LIMIT_MS = 5_500;

/**
 * Runs tasks in child processes. `run` never rejects: a child that dies, is killed at its time limit
 * or runs out of heap answers its task with a {@link PoolFailure}; the tasks queued behind it go to
 * another child.
 */
export class ChildPool<T, R, C = unknown> {
  private readonly queue: Job<T, R>[] = [];
  private readonly members = new Set<Member<T, R>>();
  private nextId = 1;
  private context: { readonly value: C } | undefined;
  private closed = false;
  private failedStarts = 0;

  constructor(private readonly options: PoolOptions) {}

  /** Sets what every child needs besides its tasks (definitions), sent to each child once. */
  setContext(value: C): void {
    this.context = { value };
    for (const m of this.members) if (m.ready) this.send(m, { context: value });
  }

  /** Starts a child now if there is none, so that its start-up overlaps whatever comes before the first task. */
  warm(): void {
    if (!this.closed && this.members.size === 0) this.spawn();
  }

  /** Runs `task` in a child, given `limitMs` from the moment the child starts on it. */
  run(task: T, limitMs: number): Promise<PoolOutcome<R>> {
    if (this.closed) return Promise.resolve({ failed: 'crash', detail: 'closed' });
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, task, limitMs, resolve });
      this.pump();
    });
  }

  /** Stops every child; tasks still waiting answer `crash`. */
  close(): void {
    this.closed = true;
    for (const j of this.queue.splice(0)) j.resolve({ failed: 'crash', detail: 'closed' });
    for (const m of [...this.members]) this.retire(m, undefined);
  }

  private pump(): void {
    if (this.closed) return;
    // A new child only when the ones there are all have work: a handful of files needs one child.
    const idle = [...this.members].some((m) => !m.ready || m.jobs.length === 0);
    if (!idle && this.queue.length > 0 && this.members.size < this.options.size) this.spawn();
    // Each child takes its share of what is queued, up to DEPTH, so that the last tasks are not all waiting in one child.
    const share = Math.max(1, Math.min(DEPTH, Math.ceil(this.queue.length / Math.max(1, this.members.size))));
    for (const m of this.members) {
      if (!m.ready || m.dead || m.jobs[0]?.alone === true) continue;
      const batch: Sent<T>[] = [];
      while (m.jobs.length < share && this.queue.length > 0) {
        // A task to be run alone goes only to a child with nothing else, and nothing follows it.
        const next = this.queue[0]!;
        if (next.alone === true && m.jobs.length > 0) break;
        const job = this.queue.shift()!;
        m.jobs.push(job);
        batch.push({ id: job.id, task: job.task, ...(job.alone === true || job.limitMs > FLUSH_LIMIT_MS ? { flush: true } : {}) });
        if (m.jobs.length === 1) this.startTimer(m);
        if (job.alone === true) break;
      }
      if (batch.length > 0) this.send(m, { tasks: batch });
    }
  }

  private spawn(): void {
    const child = fork(this.options.script, [...this.options.args], {
      execArgv: [`--max-old-space-size=${this.options.heapMb}`],
      serialization: 'advanced',
      // The child's own output never reaches the clerk: a native crash report is read here, not printed.
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    const m: Member<T, R> = { child, ready: false, jobs: [], timer: undefined, stderr: '', dead: false };
    this.members.add(m);
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      m.stderr = (m.stderr + d).slice(-4096);
    });
    child.on('message', (msg: FromChild<R>) => this.onMessage(m, msg));
    child.on('error', () => this.onDeath(m));
    // 'close', not 'exit': it comes once the channel and standard error are read to their end, so the
    // answers the child sent before it died are taken first, and its last words are all there.
    child.on('close', () => this.onDeath(m));
  }

  private send(m: Member<T, R>, msg: ToChild<T, C>): void {
    try {
      m.child.send(msg);
    } catch {
      this.onDeath(m);
    }
  }

  private startTimer(m: Member<T, R>): void {
    clearTimeout(m.timer);
    const head = m.jobs[0];
    if (head === undefined) return;
    m.timer = setTimeout(() => this.retire(m, 'timeout'), head.limitMs);
  }

  private onMessage(m: Member<T, R>, msg: FromChild<R>): void {
    if (m.dead) return;
    if ('ready' in msg) {
      m.ready = true;
      this.failedStarts = 0;
      if (this.context !== undefined) this.send(m, { context: this.context.value });
      this.pump();
      return;
    }
    const head = m.jobs[0];
    for (const a of msg.answers) {
      const k = m.jobs.findIndex((j) => j.id === a.id);
      if (k < 0) continue;
      const [job] = m.jobs.splice(k, 1);
      job!.resolve('result' in a ? { ok: a.result } : { failed: 'crash', detail: a.error });
    }
    if (m.jobs[0] !== head) this.startTimer(m);
    this.pump();
  }

  /** A child that exited or could not be reached: its current task failed, the rest go back to the queue. */
  private onDeath(m: Member<T, R>): void {
    if (m.dead) return;
    // The heap cap ends a child with V8's own report on its standard error.
    const why: PoolFailure = /heap out of memory|Reached heap limit|Allocation failed/i.test(m.stderr) ? 'memory' : 'crash';
    this.retire(m, why);
  }

  private retire(m: Member<T, R>, why: PoolFailure | undefined): void {
    if (m.dead) return;
    m.dead = true;
    clearTimeout(m.timer);
    this.members.delete(m);
    m.child.removeAllListeners('message');
    if (m.child.exitCode === null && m.child.signalCode === null) m.child.kill('SIGKILL');
    // A child that died before it was ready took no task with it: after a few in a row (a reader that
    // cannot start at all), the next task fails instead, so that a run always ends.
    if (!m.ready && why !== undefined && ++this.failedStarts > 2) {
      this.failedStarts = 0;
      this.queue.shift()?.resolve({ failed: 'crash', detail: m.stderr.slice(-300) || 'the reader did not start' });
    }
    const held = m.jobs.splice(0);
    const failed = (j: Job<T, R>, w: PoolFailure): void => j.resolve({ failed: w, ...(w === 'crash' && m.stderr !== '' ? { detail: m.stderr.slice(-300) } : {}) });
    if (why === undefined || this.closed) {
      for (const j of held) j.resolve({ failed: 'crash', detail: 'closed' });
    } else if (held.length === 0) {
      // It died before it took a task.
    } else if (held.length === 1 || held[0]!.alone === true) {
      // The child was on this task alone: it is the cause.
      const [head, ...rest] = held;
      failed(head!, why);
      this.queue.unshift(...rest);
    } else {
      // Answers it had not yet sent may be among these: each is read again by itself, and only the one that fails again is blamed.
      for (const j of held) j.alone = true;
      this.queue.unshift(...held);
    }
    this.pump();
  }
}

/** Answers a child holds at most before it sends them. */
const ANSWERS_HELD = 16;
/**
 * A child sends the answers it holds before starting another task once this long has passed since it
 * started the first of them: the parent times the first task it has no answer for, so answers held
 * longer would count other tasks' time against it.
 */
const ANSWER_HELD_MS = 25;

/**
 * The body of a child: answers `ready`, then runs each task it is sent with `handle` and sends the
 * results back, several to a message (those of tasks that came together and took 25 ms in all, at
 * most 16); exits when the parent goes away.
 */
export function childMain<T, R, C>(handle: (task: T, context: C | undefined) => R): void {
  const send = process.send?.bind(process);
  if (send === undefined) return;
  let context: C | undefined;
  const held: Answer<R>[] = [];
  let heldSince = 0;
  let flushing = false;
  const flush = (): void => {
    flushing = false;
    if (held.length > 0) send({ answers: held.splice(0) } satisfies FromChild<R>);
  };
  process.on('message', (msg: ToChild<T, C>) => {
    if ('context' in msg) {
      context = msg.context;
      return;
    }
    for (const t of msg.tasks) {
      const start = performance.now();
      if (held.length > 0 && (t.flush === true || start - heldSince > ANSWER_HELD_MS)) flush();
      if (held.length === 0) heldSince = start;
      let answer: Answer<R>;
      try {
        answer = { id: t.id, result: handle(t.task, context) };
      } catch (e) {
        answer = { id: t.id, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
      }
      held.push(answer);
      if (held.length >= ANSWERS_HELD) flush();
    }
    // Tasks that came in the same read of the channel are all run before this: their answers go together.
    if (held.length > 0 && !flushing) {
      flushing = true;
      setImmediate(flush);
    }
  });
  process.on('disconnect', () => process.exit(0));
  send({ ready: true } satisfies FromChild<R>);
}
