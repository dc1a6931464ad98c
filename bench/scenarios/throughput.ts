/**
 * Scenario 1: N workflows of 5 SIMPLE tasks through M worker processes, all over HTTP.
 *
 * The starter runs in this process. Unpaced, it keeps `startConcurrency` start requests in
 * flight until all N are started (the server's maximum, with a backlog, so end-to-end latency is
 * mostly queueing). Paced, it sends starts on a fixed schedule (open loop) so latency is measured
 * below saturation.
 */
import { fetchWorkflows, startUnmeasured, startWorkflows, timesOut, withDeadline } from "../lib/client.ts";
import { registerDefinitions, startRequest, TASKS_PER_WORKFLOW } from "../lib/definitions.ts";
import { cpuWindow, peakRssMb } from "../lib/proc.ts";
import { startBatonServer, type BenchServer, type SqlTally } from "../lib/server.ts";
import { WorkerPool } from "../lib/worker-pool.ts";
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
  let pool: WorkerPool | undefined;
  try {
    await registerDefinitions(server.baseUrl);
    pool = await WorkerPool.start({ baseUrl: server.baseUrl, workers: o.workers, concurrency: o.concurrency, pollTimeoutMs: o.pollTimeoutMs });
    // A fresh server runs its first requests unoptimised (JIT) and on an empty database: run some
    // workflows unmeasured first, so the figures describe the steady state.
    const warmUpCount = Math.min(WARM_UP_WORKFLOWS, o.workflows);
    await startUnmeasured(server.baseUrl, warmUpCount, (i) => startRequest(-1 - i));
    await withDeadline(pool.warm(warmUpCount), o.deadlineMs, "warm-up");
    // Let the polls parked by the warm-up settle.
    await Bun.sleep(200);

    const sql0 = await server.sqlSnapshot();
    const closeWindow = cpuWindow(server.pid, pool.pids());
    const starts = startWorkflows(server.baseUrl, { count: o.workflows, concurrency: o.startConcurrency, rate: o.rate, request: startRequest });
    const timedOut = await timesOut(pool.finished(o.workflows), o.deadlineMs);
    const cpu = closeWindow();
    const serverPeakRssMb = peakRssMb(server.pid);
    const sql1 = await server.sqlSnapshot();
    // After a timeout, starts still in flight may never answer: do not wait for them.
    if (timedOut) starts.abandon();
    else await starts.done;
    const counters = await pool.stop();

    const t0 = starts.t0;
    const ends = [...pool.doneAt.values()];
    const lastDone = ends.length > 0 ? Math.max(...ends) : wallNow();
    const wallSeconds = (lastDone - t0) / 1000;
    const completed = pool.doneAt.size;
    const e2e: number[] = [];
    for (const [id, sent] of starts.sentAt) {
      const done = pool.doneAt.get(id);
      if (done !== undefined) e2e.push(done - sent);
    }

    const docs = await fetchWorkflows<WorkflowDoc>(server.baseUrl, [...starts.sentAt.keys()]);
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
    if (starts.errors > 0) console.error(`${starts.errors} start requests failed`);
    return {
      workers: o.workers,
      concurrency: o.concurrency,
      paced: o.rate !== undefined,
      rate: o.rate,
      started: starts.sentAt.size,
      completed,
      timedOut,
      wallSeconds,
      workflowsPerSecond: completed / wallSeconds,
      tasksPerSecond: tasks / wallSeconds,
      endToEndMs: summarize(e2e),
      serverWorkflowMs: summarize(serverWorkflow),
      startRttMs: summarize(starts.rttMs),
      queueWaitMs: summarize(queueWait),
      transitionToClaimMs: summarize(toClaim),
      transitionToScheduleMs: summarize(toSchedule),
      serverCpuSeconds: cpu.server,
      serverCpuPer1000Workflows: completed > 0 ? (cpu.server / completed) * 1000 : NaN,
      serverPeakRssMb,
      workerCpuSeconds: cpu.workers,
      starterCpuSeconds: cpu.own,
      otherCpuSeconds: cpu.other,
      requestsPerTask: tasks > 0 ? (counters.polls + counters.updates) / tasks : NaN,
      updateV2HitRate: counters.updates > 0 ? counters.v2Hits / counters.updates : NaN,
      workerErrors: counters.errors,
      notCompleted,
      sql: o.sqlStatsFile ? sqlPerTask(sql0, sql1, tasks) : undefined,
    };
  } finally {
    await pool?.kill();
    await server.stop();
  }
}
