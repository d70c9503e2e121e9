/** A one-line progress bar on stderr, drawn only when stderr is a terminal. */

/** Where the bar is drawn: a writable stream that may be a terminal. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(chunk: string): unknown;
}

/** Counts steps toward a total and redraws at most every `intervalMs`. */
export interface Progress {
  tick(label?: string): void;
  done(): void;
}

const NOOP: Progress = { tick() {}, done() {} };

/** A bar for `total` steps titled `title`; a no-op when disabled, when not a terminal, or for fewer than `minTotal` steps. */
export function createProgress(
  stream: ProgressStream,
  total: number,
  title: string,
  options: { enabled?: boolean; minTotal?: number; intervalMs?: number; now?: () => number } = {},
): Progress {
  const { enabled = true, minTotal = 20, intervalMs = 80, now = () => Date.now() } = options;
  if (!enabled || stream.isTTY !== true || total < minTotal) return NOOP;
  let count = 0;
  let last = -Infinity;
  let drawn = false;
  const draw = (label: string): void => {
    const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - 40));
    const filled = Math.round((count / total) * width);
    const pct = String(Math.floor((count / total) * 100)).padStart(3);
    const room = Math.max(0, (stream.columns ?? 80) - width - title.length - 24);
    const name = label.length > room ? `…${label.slice(label.length - room + 1)}` : label;
    stream.write(`\r\x1b[2K${title} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${pct}% ${count}/${total} ${name}`);
    drawn = true;
  };
  return {
    tick(label = '') {
      count = Math.min(total, count + 1);
      const t = now();
      if (t - last >= intervalMs || count === total) {
        last = t;
        draw(label);
      }
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}
