/**
 * The `system` section: workflows of system tasks, each against a fresh Bun server.
 *
 * - Dynamic fork: W workflows started at once, each a FORK_JOIN_DYNAMIC of B `bench_branch` worker
 *   tasks, its JOIN, then one more worker task; M worker processes (bench/worker.ts) complete them.
 *   Total = first start sent → every workflow's last task completed; per workflow, the JOIN's lag =
 *   its endTime − the last branch's endTime (server stamps).
 * - Timers: N workflows that WAIT `duration: "5s"`, then one worker task. Lateness = the WAIT's
 *   endTime − (its startTime + 5,000 ms): how late the server's timer loop completed it.
 * - INLINE and jq: N workflows of 5 INLINE, of 5 JSON_JQ_TRANSFORM and of 5 NOOP tasks (system
 *   tasks only: each workflow runs to its end inside its start request), started flat out; server
 *   CPU per task of each, the NOOP chain being the engine's own per-task cost.
 */
import { measureTypicalJq } from "../jq.ts";
import { measureTypicalInline } from "../sandbox.ts";
import { fetchWorkflows, startUnmeasured, startWorkflows, timesOut, withDeadline } from "../lib/client.ts";
import {
  AFTER_REF,
  BRANCH_TASK_TYPE,
  forkStartRequest,
  registerDefinitions,
  SCRIPT_KINDS,
  scriptStartRequest,
  systemDefinitionRequests,
  SYSTEM_TASKS_PER_WORKFLOW,
  TASK_TYPE,
  WAIT_SECONDS,
  waitStartRequest,
  type ScriptKind,
} from "../lib/definitions.ts";
import { cpuWindow, peakRssMb, type CpuWindow } from "../lib/proc.ts";
import { startBatonServer, type BenchServer } from "../lib/server.ts";
import { fmt, summarize, wallNow, type Summary } from "../lib/stats.ts";
import { WorkerPool, type WorkerCounters } from "../lib/worker-pool.ts";

export interface SystemOptions {
  forkWorkflows: number;
  forkBranches: number;
  timerWorkflows: number;
  scriptWorkflows: number;
  /** Which scenarios to run: fork, timers, scripts (all by default). */
  scenarios?: Set<string>;
  /** Rounds of the NOOP / INLINE / JSON_JQ_TRANSFORM chains (each a fresh server per kind); the median round is reported. */
  scriptRounds: number;
  /** Worker processes (M) in the fork and timer scenarios. */
  workers: number;
  /** Task slots per worker process. */
  concurrency: number;
  pollTimeoutMs: number;
  /** Start requests in flight where workflows are started flat out (timers, scripts). */
  startConcurrency: number;
  deadlineMs: number;
  /** Run each server under Bun's CPU profiler into this directory (`baton-system-<scenario>.cpuprofile`). */
  profileDir?: string;
  /** Runs before each scenario (the runner waits for a quiet machine). */
  beforeEach?: () => Promise<void>;
}

interface TaskDoc {
  referenceTaskName: string;
  taskType: string;
  status: string;
  scheduledTime: number;
  startTime: number;
  endTime: number;
}

interface WorkflowDoc {
  workflowId: string;
  status: string;
  createTime: number;
  endTime: number;
  tasks: TaskDoc[];
}

/** The CPU a scenario's window cost, per process group (CPU seconds). */
export interface CpuFigures {
  serverCpuSeconds: number;
  workerCpuSeconds: number;
  ownCpuSeconds: number;
  /** Everything else on the machine meanwhile: > ~0.2 × the window means the figures are shared with other work. */
  otherCpuSeconds: number;
  windowSeconds: number;
}

const serverFor = (o: SystemOptions, name: string) => startBatonServer(o.profileDir ? { profileDir: o.profileDir, profileName: `baton-system-${name}` } : {});

const cpuFigures = (c: CpuWindow): CpuFigures => ({
  serverCpuSeconds: c.server,
  workerCpuSeconds: c.workers,
  ownCpuSeconds: c.own,
  otherCpuSeconds: Math.max(0, c.other),
  windowSeconds: c.seconds,
});

// ---- dynamic fork ----

export interface ForkResult extends CpuFigures {
  workflows: number;
  branches: number;
  workers: number;
  concurrency: number;
  started: number;
  completed: number;
  timedOut: boolean;
  /** First start sent → the last workflow's last task completed (client clock). */
  totalSeconds: number;
  /** Branch tasks completed per second over the total. */
  branchTasksPerSecond: number;
  startRttMs: Summary;
  /** Per workflow: the JOIN's endTime − the last branch's endTime (server stamps). */
  joinLagMs: Summary;
  /** Per workflow: the fork's endTime → the last branch's endTime: how long the branches took. */
  branchesMs: Summary;
  /** Per workflow: the JOIN's endTime → the workflow's endTime (the task after it, through a worker). */
  afterJoinMs: Summary;
  /** Per workflow: createTime → endTime. */
  workflowMs: Summary;
  serverPeakRssMb: number;
  workerErrors: number;
  requestsPerTask: number;
  notCompleted: number;
}

const FORK_WARM_UP_WORKFLOWS = 2;

export async function runDynamicFork(o: SystemOptions): Promise<ForkResult> {
  const server = await serverFor(o, "fork");
  let pool: WorkerPool | undefined;
  try {
    await registerDefinitions(server.baseUrl, systemDefinitionRequests());
    pool = await WorkerPool.start({
      baseUrl: server.baseUrl,
      workers: o.workers,
      concurrency: o.concurrency,
      pollTimeoutMs: o.pollTimeoutMs,
      taskType: BRANCH_TASK_TYPE,
      lastRef: AFTER_REF,
    });
    await startUnmeasured(server.baseUrl, FORK_WARM_UP_WORKFLOWS, (i) => forkStartRequest(-1 - i, o.forkBranches));
    await withDeadline(pool.warm(FORK_WARM_UP_WORKFLOWS), o.deadlineMs, "fork warm-up");
    await Bun.sleep(200);

    const closeWindow = cpuWindow(server.pid, pool.pids());
    const starts = startWorkflows(server.baseUrl, { count: o.forkWorkflows, concurrency: o.forkWorkflows, request: (i) => forkStartRequest(i, o.forkBranches) });
    const timedOut = await timesOut(pool.finished(o.forkWorkflows), o.deadlineMs);
    const cpu = closeWindow();
    const serverPeakRssMb = peakRssMb(server.pid);
    if (timedOut) starts.abandon();
    else await starts.done;
    const counters = await pool.stop();

    const ends = [...pool.doneAt.values()];
    const totalSeconds = ((ends.length > 0 ? Math.max(...ends) : wallNow()) - starts.t0) / 1000;
    const docs = await fetchWorkflows<WorkflowDoc>(server.baseUrl, [...starts.sentAt.keys()], 4);
    const joinLag: number[] = [];
    const branchesMs: number[] = [];
    const afterJoin: number[] = [];
    const workflowMs: number[] = [];
    let notCompleted = 0;
    for (const d of docs) {
      if (d.status !== "COMPLETED") {
        notCompleted++;
        continue;
      }
      const branches = d.tasks.filter((t) => t.referenceTaskName.startsWith(`_${BRANCH_TASK_TYPE}_`));
      const fork = d.tasks.find((t) => t.taskType === "FORK_JOIN_DYNAMIC" || t.referenceTaskName === "fork");
      const join = d.tasks.find((t) => t.taskType === "JOIN");
      if (!join || !fork || branches.length !== o.forkBranches) throw new Error(`workflow ${d.workflowId}: expected a fork, ${o.forkBranches} branches and a JOIN, got ${d.tasks.length} tasks`);
      const lastBranch = Math.max(...branches.map((t) => t.endTime));
      joinLag.push(join.endTime - lastBranch);
      branchesMs.push(lastBranch - fork.endTime);
      afterJoin.push(d.endTime - join.endTime);
      workflowMs.push(d.endTime - d.createTime);
    }
    const completed = pool.doneAt.size;
    const branchTasks = completed * o.forkBranches;
    return {
      workflows: o.forkWorkflows,
      branches: o.forkBranches,
      workers: o.workers,
      concurrency: o.concurrency,
      started: starts.sentAt.size,
      completed,
      timedOut,
      totalSeconds,
      branchTasksPerSecond: branchTasks / totalSeconds,
      startRttMs: summarize(starts.rttMs),
      joinLagMs: summarize(joinLag),
      branchesMs: summarize(branchesMs),
      afterJoinMs: summarize(afterJoin),
      workflowMs: summarize(workflowMs),
      serverPeakRssMb,
      workerErrors: counters.errors,
      requestsPerTask: (counters.polls + counters.updates) / (completed * (o.forkBranches + 1)),
      notCompleted,
      ...cpuFigures(cpu),
    };
  } finally {
    await pool?.kill();
    await server.stop();
  }
}

// ---- timers ----

export interface TimerResult extends CpuFigures {
  /** false: the timer loop alone — no worker runs, the task after each WAIT stays queued. */
  withWorkers: boolean;
  workflows: number;
  started: number;
  /** With workers: workflows COMPLETED; without: WAITs COMPLETED. */
  completed: number;
  timedOut: boolean;
  /** First start sent → last start answered. */
  startSeconds: number;
  /** First start sent → the last workflow's worker task completed (client clock); without workers, → the last WAIT's endTime. */
  totalSeconds: number;
  /** The first WAIT's due time → the last one's: how bunched the timers were. */
  dueSpreadSeconds: number;
  /** The first WAIT's due time → the last WAIT's endTime: how long the server took to fire them all. */
  firingSeconds: number;
  startRttMs: Summary;
  /** WAIT endTime − (startTime + 5,000). */
  latenessMs: Summary;
  /** WAIT endTime → the worker task's startTime (the workflow continues). */
  waitToNextTaskMs: Summary;
  workerErrors: number;
  notCompleted: number;
}

/**
 * With workers (the scenario proper), the run ends when every workflow's worker task is done.
 * Without, it ends when every WAIT has completed (read back after the last one was due): that
 * separates the timer loop's own lateness from the queueing behind the workflows' continuations.
 */
export async function runTimers(o: SystemOptions, withWorkers = true): Promise<TimerResult> {
  const server = await serverFor(o, withWorkers ? "timers" : "timers-alone");
  let pool: WorkerPool | undefined;
  try {
    await registerDefinitions(server.baseUrl, systemDefinitionRequests());
    if (withWorkers) {
      pool = await WorkerPool.start({
        baseUrl: server.baseUrl,
        workers: o.workers,
        concurrency: o.concurrency,
        pollTimeoutMs: o.pollTimeoutMs,
        taskType: TASK_TYPE,
        lastRef: AFTER_REF,
      });
    }
    // No warm-up: the starts themselves warm the server up long before the first timer is due.
    const closeWindow = cpuWindow(server.pid, pool?.pids() ?? []);
    const starts = startWorkflows(server.baseUrl, { count: o.timerWorkflows, concurrency: o.startConcurrency, request: waitStartRequest });
    let startsAnswered = NaN;
    void starts.done.then(() => (startsAnswered = wallNow()));
    const ids = () => [...starts.sentAt.keys()];
    const waitOf = (d: WorkflowDoc) => d.tasks.find((t) => t.taskType === "WAIT");
    let timedOut: boolean;
    let cpu: CpuWindow;
    let docs: WorkflowDoc[] = [];
    let counters: WorkerCounters | undefined;
    if (pool) {
      timedOut = await timesOut(pool.finished(o.timerWorkflows), o.deadlineMs);
      cpu = closeWindow();
      if (timedOut) starts.abandon();
      else await starts.done;
      counters = await pool.stop();
    } else {
      const deadline = starts.t0 + o.deadlineMs;
      timedOut = await timesOut(starts.done, o.deadlineMs);
      if (timedOut) starts.abandon();
      // Nothing to ask before the last timer is due; then read back until every WAIT is done.
      await Bun.sleep(Math.max(0, startsAnswered + WAIT_SECONDS * 1000 + 300 - wallNow()));
      cpu = closeWindow();
      for (;;) {
        docs = await fetchWorkflows<WorkflowDoc>(server.baseUrl, ids());
        if (docs.every((d) => waitOf(d)?.status === "COMPLETED")) break;
        if (wallNow() > deadline) {
          timedOut = true;
          break;
        }
        await Bun.sleep(250);
      }
    }
    if (pool) docs = await fetchWorkflows<WorkflowDoc>(server.baseUrl, ids());

    const lateness: number[] = [];
    const toNext: number[] = [];
    const due: number[] = [];
    const fired: number[] = [];
    let notCompleted = 0;
    for (const d of docs) {
      const wait = waitOf(d);
      if (wait?.startTime) due.push(wait.startTime + WAIT_SECONDS * 1000);
      const after = d.tasks.find((t) => t.referenceTaskName === AFTER_REF);
      if (wait?.status === "COMPLETED") {
        lateness.push(wait.endTime - (wait.startTime + WAIT_SECONDS * 1000));
        fired.push(wait.endTime);
      }
      if (wait && after?.startTime) toNext.push(after.startTime - wait.endTime);
      if (pool ? d.status !== "COMPLETED" : wait?.status !== "COMPLETED") notCompleted++;
    }
    const ends = pool ? [...pool.doneAt.values()] : fired;
    return {
      withWorkers,
      workflows: o.timerWorkflows,
      started: starts.sentAt.size,
      completed: pool ? pool.doneAt.size : fired.length,
      timedOut,
      startSeconds: (startsAnswered - starts.t0) / 1000,
      totalSeconds: ((ends.length > 0 ? Math.max(...ends) : wallNow()) - starts.t0) / 1000,
      dueSpreadSeconds: due.length > 0 ? (Math.max(...due) - Math.min(...due)) / 1000 : NaN,
      firingSeconds: fired.length > 0 ? (Math.max(...fired) - Math.min(...due)) / 1000 : NaN,
      startRttMs: summarize(starts.rttMs),
      latenessMs: summarize(lateness),
      waitToNextTaskMs: summarize(toNext),
      workerErrors: counters?.errors ?? 0,
      notCompleted,
      ...cpuFigures(cpu),
    };
  } finally {
    await pool?.kill();
    await server.stop();
  }
}

// ---- INLINE, jq, NOOP ----

export interface ScriptResult extends CpuFigures {
  kind: ScriptKind;
  round: number;
  workflows: number;
  tasks: number;
  /** First start sent → the last workflow COMPLETED (its endTime) or the last start answered, whichever is later. */
  seconds: number;
  workflowsPerSecond: number;
  serverCpuMsPerTask: number;
  startRttMs: Summary;
  /** Workflows not yet COMPLETED when every start had been answered (expected 0: system tasks run inside the start). */
  runningAfterStarts: number;
  notCompleted: number;
}

const SCRIPT_WARM_UP_WORKFLOWS = 100;

export async function runScriptChain(kind: ScriptKind, round: number, o: SystemOptions): Promise<ScriptResult> {
  const server: BenchServer = await serverFor(o, kind.toLowerCase());
  try {
    await registerDefinitions(server.baseUrl, systemDefinitionRequests());
    // Warm-up: the JIT, the sandbox or jq's program cache, the database file.
    await withDeadline(startWorkflows(server.baseUrl, { count: SCRIPT_WARM_UP_WORKFLOWS, concurrency: o.startConcurrency, request: (i) => scriptStartRequest(kind, -1 - i) }).done, o.deadlineMs, "warm-up");
    await Bun.sleep(200);

    const closeWindow = cpuWindow(server.pid);
    const starts = startWorkflows(server.baseUrl, { count: o.scriptWorkflows, concurrency: o.startConcurrency, request: (i) => scriptStartRequest(kind, i) });
    const timedOut = await timesOut(starts.done, o.deadlineMs);
    const answered = wallNow();
    const cpu = closeWindow();
    if (timedOut) starts.abandon();

    const ids = [...starts.sentAt.keys()];
    let docs = await fetchWorkflows<WorkflowDoc>(server.baseUrl, ids);
    const runningAfterStarts = docs.filter((d) => d.status === "RUNNING").length;
    // Only if something is still running (it should not be): wait for it, within the deadline.
    while (docs.some((d) => d.status === "RUNNING") && wallNow() < starts.t0 + o.deadlineMs) {
      await Bun.sleep(200);
      docs = await fetchWorkflows<WorkflowDoc>(server.baseUrl, ids);
    }
    const completed = docs.filter((d) => d.status === "COMPLETED");
    const lastEnd = Math.max(answered, ...completed.map((d) => d.endTime));
    const seconds = (lastEnd - starts.t0) / 1000;
    const tasks = completed.length * SYSTEM_TASKS_PER_WORKFLOW;
    return {
      kind,
      round,
      workflows: o.scriptWorkflows,
      tasks,
      seconds,
      workflowsPerSecond: completed.length / seconds,
      serverCpuMsPerTask: (cpu.server / tasks) * 1000,
      startRttMs: summarize(starts.rttMs),
      runningAfterStarts,
      notCompleted: o.scriptWorkflows - completed.length,
      ...cpuFigures(cpu),
    };
  } finally {
    await server.stop();
  }
}

// ---- the section ----

export interface ScriptSummary {
  kind: ScriptKind;
  rounds: number;
  /** Medians over the rounds. */
  workflowsPerSecond: number;
  serverCpuMsPerTask: number;
  /** This kind's CPU per task − the NOOP chain's, per round (same round, servers run one after the other): median, min, max. */
  overNoopMs?: { median: number; min: number; max: number };
  cpuMsPerTaskRange: [number, number];
  workflowsPerSecondRange: [number, number];
  startRttMs: Summary;
  notCompleted: number;
  runningAfterStarts: number;
  /** Largest share of a window that other processes used (noise). */
  worstOtherShare: number;
}

export interface SystemResult {
  fork?: ForkResult;
  timers?: TimerResult;
  /** The same timers with no worker running: the timer loop alone. */
  timersAlone?: TimerResult;
  /** Every round of every kind. */
  scripts: ScriptResult[];
  scriptSummary: ScriptSummary[];
  /** In-process micro-benchmarks of the same script and query (bench/sandbox.ts, bench/jq.ts), µs per evaluation. */
  micro?: { inlineUs: Summary; jqUs: Summary };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function summarizeScripts(all: ScriptResult[]): ScriptSummary[] {
  const noop = all.filter((r) => r.kind === "NOOP");
  return SCRIPT_KINDS.flatMap((kind) => {
    const runs = all.filter((r) => r.kind === kind);
    if (runs.length === 0) return [];
    const cpu = runs.map((r) => r.serverCpuMsPerTask);
    const wfs = runs.map((r) => r.workflowsPerSecond);
    const diffs = kind === "NOOP" ? [] : runs.flatMap((r) => {
      const n = noop.find((x) => x.round === r.round);
      return n ? [r.serverCpuMsPerTask - n.serverCpuMsPerTask] : [];
    });
    const mid = runs.find((r) => r.serverCpuMsPerTask === median(cpu)) ?? runs[0];
    return [{
      kind,
      rounds: runs.length,
      workflowsPerSecond: median(wfs),
      serverCpuMsPerTask: median(cpu),
      overNoopMs: diffs.length > 0 ? { median: median(diffs), min: Math.min(...diffs), max: Math.max(...diffs) } : undefined,
      cpuMsPerTaskRange: [Math.min(...cpu), Math.max(...cpu)] as [number, number],
      workflowsPerSecondRange: [Math.min(...wfs), Math.max(...wfs)] as [number, number],
      startRttMs: mid.startRttMs,
      notCompleted: runs.reduce((s, r) => s + r.notCompleted, 0),
      runningAfterStarts: runs.reduce((s, r) => s + r.runningAfterStarts, 0),
      worstOtherShare: Math.max(...runs.map((r) => r.otherCpuSeconds / r.windowSeconds)),
    }];
  });
}

/** Runs each scenario; a failed one is reported and the rest go on. */
export async function runSystem(o: SystemOptions, attempt: <T>(label: string, f: () => Promise<T>) => Promise<T | undefined>): Promise<SystemResult> {
  const result: SystemResult = { scripts: [], scriptSummary: [] };
  const before = o.beforeEach ?? (async () => {});
  const wanted = (name: string) => !o.scenarios || o.scenarios.has(name);
  if (wanted("fork")) {
    await before();
    result.fork = await attempt("dynamic fork", () => runDynamicFork(o));
    if (result.fork) printFork(result.fork);
  }
  if (wanted("timers")) {
    await before();
    result.timers = await attempt("timers", () => runTimers(o));
    if (result.timers) printTimers(result.timers);
    await before();
    result.timersAlone = await attempt("timers without workers", () => runTimers(o, false));
    if (result.timersAlone) printTimers(result.timersAlone);
  }
  if (wanted("scripts")) {
    for (let round = 1; round <= o.scriptRounds; round++) {
      for (const kind of SCRIPT_KINDS) {
        await before();
        const r = await attempt(`${kind} chain`, () => runScriptChain(kind, round, o));
        if (r) result.scripts.push(r);
      }
    }
    result.scriptSummary = summarizeScripts(result.scripts);
    await before();
    result.micro = await attempt("micro-benchmarks", async () => ({ inlineUs: await measureTypicalInline(5000), jqUs: measureTypicalJq(5000) }));
    printScripts(result, o);
  }
  return result;
}

const ms = (s: Summary, digits = 0) => `p50 ${fmt(s.p50, digits)} / p99 ${fmt(s.p99, digits)} / max ${fmt(s.max, digits)} ms`;
const share = (c: CpuFigures, seconds: number) =>
  `server ${fmt(c.serverCpuSeconds, 2)} CPU-s (${fmt((c.serverCpuSeconds / seconds) * 100, 0)}% of one core), workers ${fmt(c.workerCpuSeconds, 2)}, ` +
  `this process ${fmt(c.ownCpuSeconds, 2)}, other processes ${fmt(c.otherCpuSeconds, 2)} CPU-s` +
  (c.otherCpuSeconds / c.windowSeconds > 0.2 ? " ⚠ machine shared with other work" : "");

function printFork(r: ForkResult): void {
  console.log(
    `dynamic fork: ${r.completed}/${r.workflows} workflows × ${r.branches} branches, M=${r.workers} × ${r.concurrency} slots: ` +
      `total ${fmt(r.totalSeconds, 2)} s${r.timedOut ? " (DEADLINE HIT)" : ""} → ${fmt(r.branchTasksPerSecond, 0)} branch tasks/s`,
  );
  console.log(`  last branch endTime → JOIN endTime:     ${ms(r.joinLagMs)}`);
  console.log(`  fork endTime → last branch endTime:     ${ms(r.branchesMs)}`);
  console.log(`  JOIN endTime → workflow endTime:        ${ms(r.afterJoinMs)} (the task after the JOIN, through a worker)`);
  console.log(`  workflow createTime → endTime:          ${ms(r.workflowMs)}; start round trip ${ms(r.startRttMs)}`);
  console.log(
    `  ${share(r, r.totalSeconds)}; server ${fmt((r.serverCpuSeconds / (r.completed * (r.branches + 3))) * 1000, 2)} ms CPU per task (branches, fork, JOIN, the task after), ` +
      `peak RSS ${fmt(r.serverPeakRssMb, 0)} MiB; ${fmt(r.requestsPerTask, 2)} worker requests per worker task` +
      (r.workerErrors ? `, ${r.workerErrors} worker errors` : "") +
      (r.notCompleted ? `, ${r.notCompleted} NOT COMPLETED` : ""),
  );
}

function printTimers(r: TimerResult): void {
  const what = r.withWorkers
    ? `timers: ${r.completed}/${r.workflows} workflows WAIT ${WAIT_SECONDS}s then one worker task`
    : `the timer loop alone (the same, no worker running; the task after the WAIT stays queued): ${r.completed}/${r.workflows} WAITs completed`;
  console.log(
    `${what}: total ${fmt(r.totalSeconds, 2)} s${r.timedOut ? " (DEADLINE HIT)" : ""} ` +
      `(starting them took ${fmt(r.startSeconds, 2)} s, so the timers came due over ${fmt(r.dueSpreadSeconds, 2)} s; start round trip ${ms(r.startRttMs, 1)})`,
  );
  console.log(`  timer lateness, WAIT endTime − (startTime + ${WAIT_SECONDS * 1000}): ${ms(r.latenessMs)}`);
  console.log(
    `  first due → last WAIT completed:         ${fmt(r.firingSeconds, 2)} s (${fmt(r.latenessMs.n / r.firingSeconds, 0)} timers/s; ` +
      `they came due at ${fmt(r.latenessMs.n / r.dueSpreadSeconds, 0)}/s)`,
  );
  if (r.withWorkers) console.log(`  WAIT endTime → next task startTime:      ${ms(r.waitToNextTaskMs)}`);
  console.log(`  ${share(r, r.totalSeconds)}` + (r.workerErrors ? `, ${r.workerErrors} worker errors` : "") + (r.notCompleted ? `, ${r.notCompleted} NOT COMPLETED` : ""));
}

function printScripts(result: SystemResult, o: SystemOptions): void {
  const microOf = (kind: ScriptKind) => (kind === "INLINE" ? result.micro?.inlineUs : kind === "JSON_JQ_TRANSFORM" ? result.micro?.jqUs : undefined);
  const us = (x: number) => fmt(x * 1000, 0);
  console.log(`chains of ${SYSTEM_TASKS_PER_WORKFLOW} system tasks, ${o.scriptWorkflows} workflows started flat out (${o.startConcurrency} in flight), medians of ${o.scriptRounds} round(s) [min–max]:`);
  for (const r of result.scriptSummary) {
    const micro = microOf(r.kind);
    console.log(
      `  ${r.kind.padEnd(17)} ${fmt(r.workflowsPerSecond, 0).padStart(5)} wf/s [${fmt(r.workflowsPerSecondRange[0], 0)}–${fmt(r.workflowsPerSecondRange[1], 0)}]; ` +
        `server ${us(r.serverCpuMsPerTask)} µs CPU per task [${us(r.cpuMsPerTaskRange[0])}–${us(r.cpuMsPerTaskRange[1])}]` +
        (r.overNoopMs ? `; − NOOP = ${us(r.overNoopMs.median)} µs per task [${us(r.overNoopMs.min)}–${us(r.overNoopMs.max)}]` : " (the engine's own per-task cost)") +
        (micro ? `; in process p50 ${fmt(micro.p50, 0)} µs, mean ${fmt(micro.mean, 0)}` : "") +
        `; start round trip p50 ${fmt(r.startRttMs.p50, 1)} ms` +
        (r.worstOtherShare > 0.2 ? ` ⚠ other processes used up to ${fmt(r.worstOtherShare * 100, 0)}% of a core` : "") +
        (r.runningAfterStarts ? `, ${r.runningAfterStarts} still RUNNING after their start answered` : "") +
        (r.notCompleted ? `, ${r.notCompleted} NOT COMPLETED` : ""),
    );
  }
  if (result.micro) {
    console.log(
      `  in-process micro-benchmarks of the same code, p50 / p99 / mean: INLINE ${fmt(result.micro.inlineUs.p50, 0)} / ${fmt(result.micro.inlineUs.p99, 0)} / ${fmt(result.micro.inlineUs.mean, 0)} µs (bench/sandbox.ts), ` +
        `jq ${fmt(result.micro.jqUs.p50, 0)} / ${fmt(result.micro.jqUs.p99, 0)} / ${fmt(result.micro.jqUs.mean, 0)} µs (bench/jq.ts)`,
    );
  }
}
