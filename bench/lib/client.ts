/** What the scenarios do as an HTTP client of the server: start workflows, read executions back. */
import { postJson } from "./server.ts";
import { wallNow } from "./stats.ts";

export interface StartOptions {
  /** Workflows to start. */
  count: number;
  /** Start requests in flight (count = all at once). */
  concurrency: number;
  /** Workflows per second on a fixed schedule (open loop); omitted = as fast as the server accepts them. */
  rate?: number;
  /** The start request of workflow `i` (0 ≤ i < count). */
  request: (i: number) => unknown;
}

export interface Starts {
  /** When the first start request was sent (`wallNow()`). */
  t0: number;
  /** Workflow id → when its start request was sent. */
  sentAt: Map<string, number>;
  /** Round trip of each successful start. */
  rttMs: number[];
  errors: number;
  /** Resolves when every start has been answered (or skipped after `abandon`). */
  done: Promise<void>;
  /** Sends no further starts (a deadline passed); starts in flight are not waited for. */
  abandon(): void;
}

/** Starts `count` workflows with `concurrency` requests in flight, optionally paced. */
export function startWorkflows(baseUrl: string, o: StartOptions): Starts {
  const sentAt = new Map<string, number>();
  const rttMs: number[] = [];
  let next = 0;
  let giveUp = false;
  const t0 = wallNow();
  const starts: Starts = { t0, sentAt, rttMs, errors: 0, done: Promise.resolve(), abandon: () => void (giveUp = true) };
  const starter = async () => {
    while (next < o.count && !giveUp) {
      const i = next++;
      if (o.rate) {
        const wait = t0 + (i * 1000) / o.rate - wallNow();
        if (wait > 0) await Bun.sleep(wait);
      }
      const sent = wallNow();
      const res = await postJson(`${baseUrl}/api/workflow`, o.request(i));
      const body = await res.text();
      if (!res.ok) {
        starts.errors++;
        console.error(`start: HTTP ${res.status} ${body}`);
        continue;
      }
      rttMs.push(wallNow() - sent);
      sentAt.set(body, sent);
    }
  };
  starts.done = Promise.all(Array.from({ length: Math.min(o.concurrency, o.count) }, starter)).then(() => undefined);
  return starts;
}

/** Starts workflows that are not measured (warm-up) all at once; throws if one is refused. */
export async function startUnmeasured(baseUrl: string, count: number, request: (i: number) => unknown): Promise<string[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const res = await postJson(`${baseUrl}/api/workflow`, request(i));
      const body = await res.text();
      if (!res.ok) throw new Error(`warm-up start: HTTP ${res.status} ${body}`);
      return body;
    }),
  );
}

/** Reads executions back (`GET /api/workflow/{id}`, with their tasks), `readers` at a time; ids that fail are left out. */
export async function fetchWorkflows<T>(baseUrl: string, ids: string[], readers = 8): Promise<T[]> {
  const out: T[] = [];
  let next = 0;
  const reader = async () => {
    while (next < ids.length) {
      const id = ids[next++];
      const res = await fetch(`${baseUrl}/api/workflow/${id}?includeTasks=true`);
      if (res.ok) out.push((await res.json()) as T);
      else await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: readers }, reader));
  return out;
}

/** `p`, or an error saying `what` did not finish within `ms`. */
export async function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves true if `ms` passed before `p` resolved, false otherwise. */
export async function timesOut(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([p.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
