/**
 * Scenario 1: N workflows of 5 SIMPLE tasks through M worker processes, all over HTTP.
 *
 * The starter runs in this process. Unpaced, it keeps `startConcurrency` start requests in
 * flight until all N are started (the server's maximum, with a backlog, so end-to-end latency is
 * mostly queueing). Paced, it sends starts on a fixed schedule (open loop) so latency is measured
 * below saturation.
 */
import { spawnChild, type Child, type Message } from "../lib/children.ts";
import { registerDefinitions, startRequest, TASKS_PER_WORKFLOW } from "../lib/definitions.ts";
import { cpuSeconds, machineBusySeconds, ownCpuSeconds, peakRssMb } from "../lib/proc.ts";
import { postJson, startBatonServer, type BenchServer, type SqlTally } from "../lib/server.ts";
import { summarize, wallNow, type Summary } from "../lib/stats.ts";

/** Workflows run before measuring. */
const WARM_UP_WORKFLOWS = 100;

export interface ThroughputOptions {
  workers: number;
  concurrency: number;
  workflows: number;
  startConcurrency: number;
  pollTimeoutMs: number;
  /** Workflows per second; omitted = as fast as the server accepts them. */
  rate?: number;
  deadlineMs: number;
  profileDir?: string;
  /** Count the server's SQL statements in the measured window (bench/lib/sql-stats.ts). */
  sqlStatsFile?: string;
  /** The server to measure; a fresh Bun server (bench/lib/server.ts) by default. */
  startServer?: () => Promise<BenchServer>;
}

export interface ThroughputResult {
  workers: number;
  concurrency: number;
  paced: boolean;
  rate?: number;
  started: number;
  completed: number;
  timedOut: boolean;
  wallSeconds: number;
  workflowsPerSecond: number;
  tasksPerSecond: number;
  /** Start request sent → the worker's update of the last task answered (client clocks). */
  endToEndMs: Summary;
  /** The workflow's own createTime → endTime (server stamps). */
  serverWorkflowMs: Summary;
  startRttMs: Summary;
  /** Task scheduledTime → startTime: how long a due task waited for a poll. */
  queueWaitMs: Summary;
  /** Previous task endTime → next task startTime within a workflow (server stamps). */
  transitionToClaimMs: Summary;
  /** Previous task endTime → next task scheduledTime (server stamps). */
  transitionToScheduleMs: Summary;
  serverCpuSeconds: number;
  serverCpuPer1000Workflows: number;
  serverPeakRssMb: number;
  workerCpuSeconds: number;
  /** This process: the starter. */
  starterCpuSeconds: number;
  /** Everything else the machine ran meanwhile (other users' jobs, the kernel): noise. */
  otherCpuSeconds: number;
  requestsPerTask: number;
  updateV2HitRate: number;
  workerErrors: number;
  notCompleted: number;
  sql?: SqlPerTask;
}

export interface SqlPerTask {
  statementsPerTask: number;
  transactionsPerTask: number;
  /** Time inside the driver (prepare + run), per task. */
  msPerTask: number;
  top: { sql: string; perTask: number; msPerTask: number }[];
}

function sqlPerTask(before: SqlTally[], after: SqlTally[], tasks: number): SqlPerTask {
  const base = new Map(before.map((t) => [t.sql, t]));
  const window = after
    .map((t) => ({ sql: t.sql, count: t.count - (base.get(t.sql)?.count ?? 0), ms: t.ms - (base.get(t.sql)?.ms ?? 0) }))
    .filter((t) => t.count > 0)
    .sort((a, b) => b.ms - a.ms);
  const count = window.reduce((s, t) => s + t.count, 0);
  return {
    statementsPerTask: count / tasks,
    transactionsPerTask: (window.find((t) => t.sql === "COMMIT")?.count ?? 0) / tasks,
    msPerTask: window.reduce((s, t) => s + t.ms, 0) / tasks,
    top: window.slice(0, 12).map((t) => ({ sql: t.sql, perTask: t.count / tasks, msPerTask: t.ms / tasks })),
  };
}

interface WorkflowDoc {
  status: string;
  createTime: number;
  endTime: number;
  tasks: { scheduledTime: number; startTime: number; endTime: number }[];
}

export async function runThroughput(o: ThroughputOptions): Promise<ThroughputResult> {
  const server = o.startServer
    ? await o.startServer()
    : await startBatonServer({
        ...(o.profileDir ? { profileDir: o.profileDir, profileName: `baton-M${o.workers}${o.rate ? "-paced" : ""}` } : {}),
        sqlStatsFile: o.sqlStatsFile,
      });
  const workers: Child[] = [];
  try {
    await registerDefinitions(server.baseUrl);
    const doneAt = new Map<string, number>();
    let allDone: () => void = () => {};
    const finished = new Promise<void>((resolve) => (allDone = resolve));
    let warmedUp = 0;
    let warmUpDone: () => void = () => {};
    const warm = new Promise<void>((resolve) => (warmUpDone = resolve));
    const warmUpCount = Math.min(WARM_UP_WORKFLOWS, o.workflows);
    const onMessage = (m: Message) => {
      if (m.type !== "done") return false;
      for (const [id, at, n] of m.items as [string, number, number][]) {
        if (n < 0) {
          if (++warmedUp >= warmUpCount) warmUpDone();
        } else doneAt.set(id, at);
      }
      if (doneAt.size >= o.workflows) allDone();
      return true;
    };
    for (let i = 0; i < o.workers; i++) {
      workers.push(
        spawnChild(
          "worker.ts",
          {
            BENCH_BASE_URL: server.baseUrl,
            BENCH_MODE: "throughput",
            BENCH_CONCURRENCY: String(o.concurrency),
            BENCH_POLL_TIMEOUT: String(o.pollTimeoutMs),
            BENCH_WORKER_ID: `w${i}`,
          },
          onMessage,
        ),
      );
    }
    await Promise.all(workers.map((w) => w.next("ready")));
    // A fresh server runs its first requests unoptimised (JIT) and on an empty database: run some
    // workflows unmeasured first, so the figures describe the steady state.
    await Promise.all(
      Array.from({ length: warmUpCount }, async (_, i) => {
        const res = await postJson(`${server.baseUrl}/api/workflow`, startRequest(-1 - i));
        if (!res.ok) throw new Error(`warm-up start: HTTP ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
      }),
    );
    await withDeadline(warm, o.deadlineMs, "warm-up");
    // Let the polls parked by the warm-up settle.
    await Bun.sleep(200);

    const sql0 = await server.sqlSnapshot();
    const workerCpu0 = workers.reduce((s, w) => s + cpuSeconds(w.pid), 0);
    const serverCpu0 = cpuSeconds(server.pid);
    const machine0 = machineBusySeconds();
    const own0 = ownCpuSeconds();
    const sentAt = new Map<string, number>();
    const startRtt: number[] = [];
    const t0 = wallNow();
    let nextIndex = 0;
    let giveUp = false;
    let startErrors = 0;
    const starter = async () => {
      while (nextIndex < o.workflows && !giveUp) {
        const i = nextIndex++;
        if (o.rate) {
          const due = t0 + (i * 1000) / o.rate;
          const wait = due - wallNow();
          if (wait > 0) await Bun.sleep(wait);
        }
        const sent = wallNow();
        const res = await postJson(`${server.baseUrl}/api/workflow`, startRequest(i));
        const body = await res.text();
        if (!res.ok) {
          startErrors++;
          console.error(`start: HTTP ${res.status} ${body}`);
          continue;
        }
        startRtt.push(wallNow() - sent);
        sentAt.set(body, sent);
      }
    };
    const starters = Promise.all(Array.from({ length: o.startConcurrency }, starter));
    let deadline: ReturnType<typeof setTimeout> | undefined;
    const timedOut = await Promise.race([finished.then(() => false), new Promise<boolean>((resolve) => (deadline = setTimeout(() => resolve(true), o.deadlineMs)))]);
    clearTimeout(deadline);
    const serverCpu1 = cpuSeconds(server.pid);
    const workerCpu1 = workers.reduce((s, w) => s + cpuSeconds(w.pid), 0);
    const serverPeakRssMb = peakRssMb(server.pid);
    const machineBusy = machineBusySeconds() - machine0;
    const starterCpu = ownCpuSeconds() - own0;
    const sql1 = await server.sqlSnapshot();
    giveUp = timedOut;
    // After a timeout, starts still in flight may never answer: do not wait for them.
    if (!timedOut) await starters;

    const counters = { polls: 0, emptyPolls: 0, polledTasks: 0, updates: 0, v2Hits: 0, errors: 0 };
    for (const w of workers) w.send({ type: "stop" });
    for (const w of workers) {
      const c = (await w.next("counters", 10_000)).counters as typeof counters;
      for (const k of Object.keys(counters) as (keyof typeof counters)[]) counters[k] += c[k];
    }

    const ends = [...doneAt.values()];
    const lastDone = ends.length > 0 ? Math.max(...ends) : wallNow();
    const wallSeconds = (lastDone - t0) / 1000;
    const completed = doneAt.size;
    const e2e: number[] = [];
    for (const [id, sent] of sentAt) {
      const done = doneAt.get(id);
      if (done !== undefined) e2e.push(done - sent);
    }

    const docs = await fetchWorkflows(server.baseUrl, [...sentAt.keys()]);
    const serverWorkflow: number[] = [];
    const queueWait: number[] = [];
    const toClaim: number[] = [];
    const toSchedule: number[] = [];
    let notCompleted = 0;
    for (const d of docs) {
      if (d.status !== "COMPLETED") {
        notCompleted++;
        continue;
      }
      serverWorkflow.push(d.endTime - d.createTime);
      d.tasks.forEach((t, k) => {
        queueWait.push(t.startTime - t.scheduledTime);
        if (k === 0) return;
        toClaim.push(t.startTime - d.tasks[k - 1].endTime);
        toSchedule.push(t.scheduledTime - d.tasks[k - 1].endTime);
      });
    }
    const tasks = completed * TASKS_PER_WORKFLOW;
    if (startErrors > 0) console.error(`${startErrors} start requests failed`);
    return {
      workers: o.workers,
      concurrency: o.concurrency,
      paced: o.rate !== undefined,
      rate: o.rate,
      started: sentAt.size,
      completed,
      timedOut,
      wallSeconds,
      workflowsPerSecond: completed / wallSeconds,
      tasksPerSecond: tasks / wallSeconds,
      endToEndMs: summarize(e2e),
      serverWorkflowMs: summarize(serverWorkflow),
      startRttMs: summarize(startRtt),
      queueWaitMs: summarize(queueWait),
      transitionToClaimMs: summarize(toClaim),
      transitionToScheduleMs: summarize(toSchedule),
      serverCpuSeconds: serverCpu1 - serverCpu0,
      serverCpuPer1000Workflows: completed > 0 ? ((serverCpu1 - serverCpu0) / completed) * 1000 : NaN,
      serverPeakRssMb,
      workerCpuSeconds: workerCpu1 - workerCpu0,
      starterCpuSeconds: starterCpu,
      otherCpuSeconds: machineBusy - (serverCpu1 - serverCpu0) - (workerCpu1 - workerCpu0) - starterCpu,
      requestsPerTask: tasks > 0 ? (counters.polls + counters.updates) / tasks : NaN,
      updateV2HitRate: counters.updates > 0 ? counters.v2Hits / counters.updates : NaN,
      workerErrors: counters.errors,
      notCompleted,
      sql: o.sqlStatsFile ? sqlPerTask(sql0, sql1, tasks) : undefined,
    };
  } finally {
    await Promise.all(workers.map((w) => w.kill()));
    await server.stop();
  }
}

/** Reads the executions back after the measured window, a few at a time. */
async function fetchWorkflows(baseUrl: string, ids: string[]): Promise<WorkflowDoc[]> {
  const out: WorkflowDoc[] = [];
  let next = 0;
  const reader = async () => {
    while (next < ids.length) {
      const id = ids[next++];
      const res = await fetch(`${baseUrl}/api/workflow/${id}?includeTasks=true`);
      if (res.ok) out.push((await res.json()) as WorkflowDoc);
    }
  };
  await Promise.all(Array.from({ length: 8 }, reader));
  return out;
}

async function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
