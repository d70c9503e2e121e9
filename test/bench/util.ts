/** Small helpers shared by the benchmarks: wall time and peak memory, measured, never asserted. */

/** Runs `fn` `runs` times after `warmup` runs and returns the median and best wall time in ms. */
export async function timeIt(fn: () => unknown | Promise<unknown>, runs = 5, warmup = 1): Promise<{ median: number; best: number }> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, best: times[0]! };
}

/** Peak resident memory of this process so far, in MB (the benchmark runs in its own process). */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Prints one result line with a goal beside it, so the number can be read against it. */
export function report(label: string, value: number, unit: string, goal?: string): void {
  const shown = value >= 100 ? value.toFixed(0) : value.toFixed(2);
  console.log(`${label.padEnd(58)} ${shown.padStart(10)} ${unit.padEnd(4)}${goal ? `  (goal ${goal})` : ''}`);
}

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const m = Math.floor(v.length / 2);
  return v.length % 2 === 1 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

/** One run of a kind, with the floor it is compared with: the mean of the floor runs just before and just after it. */
export interface Bracketed<M> {
  readonly run: M;
  readonly floor: number;
}

/**
 * Runs every kind in turn, `rounds` times, with the floor run before the first kind and after each one,
 * so that every run is bracketed by two floor runs a few seconds apart. This machine's speed drifts
 * from minute to minute: a ratio to the mean of the two floors around a run is a ratio measured at one
 * speed, where a ratio of best times would divide one moment's run by another moment's floor.
 */
export function bracketed<M extends { readonly ms: number }, K extends string>(rounds: number, floor: () => M, kinds: Readonly<Record<K, () => M>>): { floors: M[]; runs: Record<K, Bracketed<M>[]> } {
  const floors: M[] = [];
  const runs = Object.fromEntries(Object.keys(kinds).map((k) => [k, [] as Bracketed<M>[]])) as Record<K, Bracketed<M>[]>;
  let before = floor();
  floors.push(before);
  for (let r = 0; r < rounds; r++) {
    for (const k of Object.keys(kinds) as K[]) {
      const run = kinds[k]();
      const after = floor();
      floors.push(after);
      runs[k].push({ run, floor: (before.ms + after.ms) / 2 });
      before = after;
    }
  }
  return { floors, runs };
}

/** The fastest of the runs. */
export function fastest<M extends { readonly ms: number }>(list: readonly M[]): M {
  return list.reduce((a, b) => (b.ms < a.ms ? b : a));
}

/** Each run's `part` over the floor around it. */
export function ratios<M>(list: readonly Bracketed<M>[], part: (m: M) => number): number[] {
  return list.map((b) => part(b.run) / b.floor);
}

/** Prints the median of ratios measured one per run (see {@link bracketed}), with their range. */
export function reportRatio(label: string, ratios: readonly number[], goal?: string): void {
  const range = ratios.length > 1 ? `  [${ratios.length} runs: ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}]` : '';
  console.log(`${label.padEnd(58)} ${median(ratios).toFixed(2).padStart(10)} ${'×'.padEnd(4)}${goal ? `  (goal ${goal})` : ''}${range}`);
}
