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
