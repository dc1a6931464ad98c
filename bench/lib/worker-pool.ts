/**
 * M worker processes (bench/worker.ts, throughput mode) polling one task type, and what they
 * report: when each workflow's last task was completed. Workflows whose input `n` is negative are
 * warm-up workflows, counted apart.
 */
import { spawnChild, type Child, type Message } from "./children.ts";
import { cpuSeconds } from "./proc.ts";

export interface WorkerPoolOptions {
  baseUrl: string;
  workers: number;
  /** Task slots per process (the batch poll's `count` ceiling). */
  concurrency: number;
  pollTimeoutMs: number;
  /** The task type polled; bench/worker.ts's default (`bench_task`) when omitted. */
  taskType?: string;
  /** The reference name whose completion ends a workflow; the chain's last task when omitted. */
  lastRef?: string;
}

export interface WorkerCounters {
  polls: number;
  emptyPolls: number;
  polledTasks: number;
  updates: number;
  v2Hits: number;
  errors: number;
}

export class WorkerPool {
  readonly children: Child[] = [];
  /** Measured workflow id → when a worker saw its last task's update answered (`wallNow()`). */
  readonly doneAt = new Map<string, number>();
  private warmedUp = 0;
  private waiters: { ready: () => boolean; resolve: () => void }[] = [];

  private constructor() {}

  /** Spawns the processes and resolves once each has sent its first poll. */
  static async start(o: WorkerPoolOptions): Promise<WorkerPool> {
    const pool = new WorkerPool();
    const onMessage = (m: Message) => {
      if (m.type !== "done") return false;
      for (const [id, at, n] of m.items as [string, number, number][]) {
        if (n < 0) pool.warmedUp++;
        else pool.doneAt.set(id, at);
      }
      const pending = pool.waiters;
      pool.waiters = [];
      for (const w of pending) {
        if (w.ready()) w.resolve();
        else pool.waiters.push(w);
      }
      return true;
    };
    for (let i = 0; i < o.workers; i++) {
      const env: Record<string, string> = {
        BENCH_BASE_URL: o.baseUrl,
        BENCH_MODE: "throughput",
        BENCH_CONCURRENCY: String(o.concurrency),
        BENCH_POLL_TIMEOUT: String(o.pollTimeoutMs),
        BENCH_WORKER_ID: `w${i}`,
      };
      if (o.taskType) env.BENCH_TASK_TYPE = o.taskType;
      if (o.lastRef) env.BENCH_LAST_REF = o.lastRef;
      pool.children.push(spawnChild("worker.ts", env, onMessage));
    }
    try {
      await Promise.all(pool.children.map((w) => w.next("ready")));
    } catch (err) {
      await pool.kill();
      throw err;
    }
    return pool;
  }

  private until(ready: () => boolean): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ ready, resolve }));
  }

  /** Resolves once `count` warm-up workflows are done. */
  warm(count: number): Promise<void> {
    return this.until(() => this.warmedUp >= count);
  }

  /** Resolves once `count` measured workflows are done. */
  finished(count: number): Promise<void> {
    return this.until(() => this.doneAt.size >= count);
  }

  pids(): number[] {
    return this.children.map((w) => w.pid);
  }

  /** CPU seconds the worker processes have used so far. */
  cpuSeconds(): number {
    return this.children.reduce((s, w) => s + cpuSeconds(w.pid), 0);
  }

  /** Asks every worker to stop and returns their request counters, summed. */
  async stop(): Promise<WorkerCounters> {
    const counters: WorkerCounters = { polls: 0, emptyPolls: 0, polledTasks: 0, updates: 0, v2Hits: 0, errors: 0 };
    for (const w of this.children) w.send({ type: "stop" });
    for (const w of this.children) {
      const c = (await w.next("counters", 10_000)).counters as WorkerCounters;
      for (const k of Object.keys(counters) as (keyof WorkerCounters)[]) counters[k] += c[k];
    }
    return counters;
  }

  /** Ends the processes (a long poll may still be parked in them). */
  async kill(): Promise<void> {
    await Promise.all(this.children.map((w) => w.kill()));
  }
}
