/** Small numeric helpers for the benchmark's reports. */

/** Nearest-rank percentile; `undefined` when there are no samples. */
export function percentile(samples: number[], p: number): number | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export interface Summary {
  n: number;
  p50?: number;
  p99?: number;
  mean?: number;
  max?: number;
}

export function summarize(samples: number[]): Summary {
  if (samples.length === 0) return { n: 0 };
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  return { n: samples.length, p50: percentile(samples, 50), p99: percentile(samples, 99), mean, max: Math.max(...samples) };
}

export function fmt(value: number | undefined, digits = 1): string {
  if (value === undefined || !Number.isFinite(value)) return "n/a";
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/**
 * Wall-clock time with sub-millisecond resolution. It agrees with `Date.now()` (the clock the
 * server stamps tasks with) to within a millisecond, so it can be compared with server stamps
 * taken in another process on this machine.
 */
export function wallNow(): number {
  return performance.timeOrigin + performance.now();
}

export function verdict(ok: boolean | undefined): string {
  return ok === undefined ? "n/a" : ok ? "PASS" : "MISS";
}

/** Runs `fn` n times and returns each run's duration in microseconds. */
export function measureMicros(fn: (i: number) => void, n: number): number[] {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    fn(i);
    samples.push((performance.now() - t0) * 1000);
  }
  return samples;
}

/** One printed line: n, p50, p99 and mean of samples in microseconds. */
export function microsLine(label: string, samples: number[]): string {
  const s = summarize(samples);
  return `${label.padEnd(44)} n=${String(s.n).padStart(6)}  p50 ${fmt(s.p50).padStart(9)} µs  p99 ${fmt(s.p99).padStart(9)} µs  mean ${fmt(s.mean).padStart(9)} µs`;
}
