/**
 * `npm run bench`: measures Baton on this machine and prints the figures (see docs/benchmarks.md).
 * Not a test: nothing here fails on a slow result; the targets are printed as PASS/MISS only.
 *
 * Environment (all optional):
 *   BENCH_WORKFLOWS=2000         workflows per throughput scenario
 *   BENCH_WORKERS=1,4,16         worker process counts (M), one throughput scenario each
 *   BENCH_CONCURRENCY=8          task slots per worker process (the batch poll's `count` ceiling)
 *   BENCH_START_CONCURRENCY=16   start requests in flight while starting flat out
 *   BENCH_POLL_TIMEOUT=1000      long-poll `timeout` (ms) of the throughput workers
 *   BENCH_SAMPLES=200            workflows in the wake-up / per-transition scenario
 *   BENCH_PACED=1                also run each M at half its measured rate, for unsaturated latency
 *   BENCH_DEADLINE_MS=60000      a scenario stops waiting after this long and reports what finished
 *   BENCH_BASELINE_MS=4000       duration of each baseline measurement
 *   BENCH_ONLY=baselines,latency,throughput,system,workers   run only these sections
 *   BENCH_FORK_WORKFLOWS=50      system section: dynamic-fork workflows started at once
 *   BENCH_FORK_BRANCHES=100      system section: branches (worker tasks) per dynamic fork
 *   BENCH_TIMER_WORKFLOWS=1000   system section: workflows that WAIT 5 s then run one worker task
 *   BENCH_SCRIPT_WORKFLOWS=500   system section: workflows of 5 INLINE / 5 JSON_JQ_TRANSFORM / 5 NOOP tasks each
 *   BENCH_SCRIPT_ROUNDS=3        system section: rounds of those three chains (fresh servers each); medians are reported
 *   BENCH_SYSTEM_WORKERS=4       system section: worker processes (M) in the fork and timer scenarios
 *   BENCH_SYSTEM=fork,timers,scripts   system section: only these scenarios
 *   BENCH_COUNT_WORKFLOWS=100    workers section: workflows per way of working in the request/query counts
 *   BENCH_WORKERS_WORKFLOWS=300  workers section: workflows in the throughput check against local workerd (miniflare)
 *   BENCH_WORKERS_M=4            workers section: worker processes (M) in that check
 *   BENCH_PROFILE=<dir>          run the throughput (and system) servers under `bun --cpu-prof` into <dir>
 *                                (summarise with `bun bench/profile-summary.ts <dir>/<file>.cpuprofile`)
 *   BENCH_SQL_STATS=1            count the SQL the throughput servers run (adds a little overhead)
 *   BENCH_QUIET_WAIT_MS=30000    before each scenario, wait up to this long for other jobs on the machine to go idle
 *   BENCH_JSON=<file>            also write every figure as JSON
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { TASKS_PER_WORKFLOW } from "./lib/definitions.ts";
import { loadAverage, machineInfo, waitForQuiet } from "./lib/proc.ts";
import { fmt, verdict, type Summary } from "./lib/stats.ts";
import { runHttpBaseline, runSqliteBaseline, type HttpBaseline, type SqliteBaseline } from "./scenarios/baselines.ts";
import { runLatency, type LatencyResult } from "./scenarios/latency.ts";
import { runSystem, type SystemResult } from "./scenarios/system.ts";
import { runThroughput, type ThroughputResult } from "./scenarios/throughput.ts";
import { startMiniflareServer } from "./lib/worker-server.ts";
import { countsToJson, printWorkersCounts, runWorkersCounts, type WorkersCounts } from "./workers-counts.ts";

const env = process.env;
const num = (name: string, fallback: number) => (env[name] ? Number(env[name]) : fallback);
const config = {
  workflows: num("BENCH_WORKFLOWS", 2000),
  workers: (env.BENCH_WORKERS ?? "1,4,16").split(",").map(Number),
  concurrency: num("BENCH_CONCURRENCY", 8),
  startConcurrency: num("BENCH_START_CONCURRENCY", 16),
  pollTimeoutMs: num("BENCH_POLL_TIMEOUT", 1000),
  samples: num("BENCH_SAMPLES", 200),
  paced: env.BENCH_PACED !== "0",
  deadlineMs: num("BENCH_DEADLINE_MS", 60_000),
  baselineMs: num("BENCH_BASELINE_MS", 4000),
  only: env.BENCH_ONLY ? new Set(env.BENCH_ONLY.split(",")) : undefined,
  profileDir: env.BENCH_PROFILE ? resolve(env.BENCH_PROFILE) : undefined,
  quietWaitMs: num("BENCH_QUIET_WAIT_MS", 30_000),
  sqlStats: env.BENCH_SQL_STATS === "1",
  countWorkflows: num("BENCH_COUNT_WORKFLOWS", 100),
  workersWorkflows: num("BENCH_WORKERS_WORKFLOWS", 300),
  workersM: num("BENCH_WORKERS_M", 4),
  forkWorkflows: num("BENCH_FORK_WORKFLOWS", 50),
  forkBranches: num("BENCH_FORK_BRANCHES", 100),
  timerWorkflows: num("BENCH_TIMER_WORKFLOWS", 1000),
  scriptWorkflows: num("BENCH_SCRIPT_WORKFLOWS", 500),
  scriptRounds: num("BENCH_SCRIPT_ROUNDS", 3),
  systemWorkers: num("BENCH_SYSTEM_WORKERS", 4),
  systemScenarios: env.BENCH_SYSTEM ? new Set(env.BENCH_SYSTEM.split(",")) : undefined,
};
const runs = (section: string) => !config.only || config.only.has(section);

/**
 * Write transactions Baton makes per task: the claim (poll or the update-v2 hand-off) and the
 * update each commit once, and the start commits once per workflow.
 */
const COMMITS_PER_TASK = 2 + 1 / TASKS_PER_WORKFLOW;
/** A worker without the update-v2 hand-off spends two requests per task: a poll and an update. */
const REQUESTS_PER_TASK = 2;

const TARGET_TASKS_PER_SECOND = 1000;
const TARGET_TRANSITION_P50_MS = 5;
const TARGET_WAKE_P50_MS = 2;

const ms = (s: Summary) => `p50 ${fmt(s.p50, 2)} / p99 ${fmt(s.p99, 2)} ms`;
const pad = (s: string, n: number) => s.padEnd(n);
const padl = (s: string, n: number) => s.padStart(n);

const machine = machineInfo();
console.log(`Baton benchmark — ${new Date().toISOString()}`);
console.log(`machine: ${machine.nproc} CPUs, ${machine.cpuModel}, Linux ${machine.kernel}, Bun ${machine.bun}`);
const load = loadAverage();
// Everything here shares the same cores with whatever else runs: a busy machine skews every figure.
console.log(`load average at start: ${fmt(load, 2)}${load > 0.5 ? "  ⚠ the machine is busy; figures will be low and noisy" : ""}`);
console.log(
  `config: ${config.workflows} workflows × ${TASKS_PER_WORKFLOW} SIMPLE tasks (one task type), workers M ∈ {${config.workers.join(", ")}} × ${config.concurrency} slots, ` +
    `long-poll timeout ${config.pollTimeoutMs} ms, ${config.startConcurrency} starts in flight`,
);
if (config.profileDir) {
  mkdirSync(config.profileDir, { recursive: true });
  console.log(`profiling the throughput and system servers into ${config.profileDir}`);
}

/** Runs one scenario; a failure (say, a server that does not start) is reported and the run goes on. */
async function attempt<T>(label: string, scenario: () => Promise<T>): Promise<T | undefined> {
  try {
    return await scenario();
  } catch (err) {
    console.log(`  ✗ ${label} failed: ${(err as Error).message}`);
    return undefined;
  }
}

/** Before each scenario: wait (bounded) for other jobs on the machine to calm down, and say so if they do not. */
async function quiet(): Promise<void> {
  const busy = await waitForQuiet(config.quietWaitMs);
  if (busy >= 0.15) console.log(`  ⚠ other processes keep ${fmt(busy * 100, 0)}% of a core busy; measuring anyway`);
}

const results: {
  machine: typeof machine & { loadAverage: number };
  config: typeof config;
  sqlite: SqliteBaseline[];
  http: HttpBaseline[];
  latency?: LatencyResult;
  throughput: ThroughputResult[];
  paced: ThroughputResult[];
  system?: SystemResult;
  workers?: WorkersCounts;
  /** The Workers build in local workerd: a functional check. */
  workersThroughput?: ThroughputResult;
} = { machine: { ...machine, loadAverage: load }, config, sqlite: [], http: [], throughput: [], paced: [] };

// ---- baselines ----
if (runs("baselines")) {
  console.log("\n== Baselines ==");
  const drivers = { client: "@libsql/client batch (as Baton)", libsql: "libsql, prepared once", bun: "bun:sqlite, prepared once" } as const;
  for (const [driver, label] of Object.entries(drivers)) {
    await quiet();
    const b = await attempt(`SQLite baseline (${driver})`, () => runSqliteBaseline(driver, config.baselineMs));
    if (!b) continue;
    results.sqlite.push(b);
    console.log(
      `SQLite ${pad(label + ":", 34)} ${padl(fmt(b.commitsPerSecond, 0), 6)} commits/s, ${fmt(b.cpuMsPerCommit, 3)} ms CPU per commit, ` +
        `commit ${ms(b.commitMs)} max ${fmt(b.commitMs.max, 1)} ms; ${b.commitsOver5ms} commits > 5 ms took ${fmt((b.msInCommitsOver5ms / 1000 / b.seconds) * 100, 0)}% of the time`,
    );
  }
  console.log("  (each commit: update an execution row, upsert a task row, add/remove a queue message; WAL, synchronous=NORMAL)");
  for (const m of config.workers) {
    await quiet();
    const h = await attempt(`HTTP baseline (${m} clients)`, () => runHttpBaseline(m, config.concurrency, config.baselineMs));
    if (!h) continue;
    results.http.push(h);
    console.log(
      `HTTP (Hono on Bun, POST small JSON) ${m} client process(es) × ${config.concurrency} connections: ${fmt(h.requestsPerSecond, 0)} req/s, ` +
        `server ${fmt(h.serverCpuPer1000Requests, 3)} CPU-s per 1,000 requests${h.errors ? `, ${h.errors} errors` : ""}`,
    );
  }
}

// ---- latency on an idle server ----
if (runs("latency")) {
  console.log(`\n== Idle server: long-poll wake-up and per-transition overhead (${config.samples} workflows, one at a time) ==`);
  await quiet();
  const l = (results.latency = await attempt("latency scenario", () => runLatency(config.samples)));
  if (l) printLatency(l);
}

function printLatency(l: LatencyResult): void {
  console.log(`long-poll wake-up, task scheduledTime → worker has it:  ${ms(l.wakeServerStampMs)}   ${verdict(l.wakeServerStampMs.p50! < TARGET_WAKE_P50_MS)} (target p50 < ${TARGET_WAKE_P50_MS} ms)`);
  console.log(`  start request sent → worker has the task:            ${ms(l.wakeFromStartSentMs)}`);
  console.log(`  start request's own round trip:                      ${ms(l.startRttMs)}`);
  console.log(`  worker has task − start answered (negative = before): ${ms(l.wakeAfterStartAnswerMs)}`);
  console.log(`per transition, update-v2 answered with the next task: ${ms(l.handoffRttMs)}`);
  console.log(`  HTTP floor, GET /health on the same server/client:   ${ms(l.healthRttMs)}`);
  console.log(`  engine overhead = hand-off − HTTP floor p50:         ${ms(l.transitionOverheadMs)}   ${verdict(l.transitionOverheadMs.p50! < TARGET_TRANSITION_P50_MS)} (target p50 < ${TARGET_TRANSITION_P50_MS} ms)`);
  console.log(`  server stamps, task endTime → next task startTime:   ${ms(l.serverTransitionMs)} (1 ms resolution)`);
  console.log(`  last update (workflow completes, no next task):      ${ms(l.finalUpdateRttMs)}`);
}

// ---- throughput ----
function printThroughput(r: ThroughputResult, server = "server"): void {
  const label = r.paced ? `M=${r.workers} paced at ${fmt(r.rate, 0)} wf/s` : `M=${r.workers}`;
  const target = !r.paced && server === "server";
  console.log(
    `${label}: ${r.completed}/${r.started} workflows in ${fmt(r.wallSeconds, 2)} s${r.timedOut ? " (DEADLINE HIT)" : ""} → ` +
      `${fmt(r.workflowsPerSecond, 1)} wf/s, ${fmt(r.tasksPerSecond, 0)} tasks/s` +
      (target ? `   ${verdict(r.tasksPerSecond >= TARGET_TASKS_PER_SECOND)} (target ≥ ${TARGET_TASKS_PER_SECOND} tasks/s)` : ""),
  );
  console.log(`  end-to-end (start sent → last update answered): ${ms(r.endToEndMs)}; server createTime → endTime: ${ms(r.serverWorkflowMs)}`);
  console.log(`  start round trip: ${ms(r.startRttMs)}; task waited in queue: ${ms(r.queueWaitMs)}; task end → next task claimed: ${ms(r.transitionToClaimMs)}`);
  console.log(
    `  ${server}: ${fmt(r.serverCpuSeconds, 2)} CPU-s (${fmt((r.serverCpuSeconds / r.wallSeconds) * 100, 0)}% of one core), ` +
      `${fmt(r.serverCpuPer1000Workflows, 2)} CPU-s per 1,000 workflows, peak RSS ${fmt(r.serverPeakRssMb, 0)} MiB; ` +
      `workers: ${fmt(r.workerCpuSeconds, 2)} CPU-s; starter ${fmt(r.starterCpuSeconds, 2)} CPU-s; ` +
      `other processes ${fmt(Math.max(0, r.otherCpuSeconds), 2)} CPU-s${r.otherCpuSeconds / r.wallSeconds > 0.2 ? " ⚠ machine shared with other work" : ""}`,
  );
  console.log(
    `  ${fmt(r.requestsPerTask, 2)} worker requests per task, ` +
      `update-v2 hand-off rate ${fmt(r.updateV2HitRate * 100, 0)}%` +
      (r.workerErrors ? `, ${r.workerErrors} worker errors` : "") +
      (r.notCompleted ? `, ${r.notCompleted} NOT COMPLETED` : ""),
  );
  if (r.sql) {
    console.log(
      `  SQL: ${fmt(r.sql.statementsPerTask, 2)} statements and ${fmt(r.sql.transactionsPerTask, 3)} transactions per task, ` +
        `${fmt(r.sql.msPerTask, 3)} ms in the driver per task (prepare + run); heaviest statements per task:`,
    );
    for (const t of r.sql.top) console.log(`    ${padl(fmt(t.perTask, 3), 7)} × ${padl(fmt(t.msPerTask, 3), 6)} ms  ${t.sql}`);
  }
}

if (runs("throughput")) {
  console.log(`\n== Throughput: ${config.workflows} workflows started flat out ==`);
  for (const m of config.workers) {
    await quiet();
    const r = await attempt(`throughput M=${m}`, () => runThroughput({
      workers: m,
      concurrency: config.concurrency,
      workflows: config.workflows,
      startConcurrency: config.startConcurrency,
      pollTimeoutMs: config.pollTimeoutMs,
      deadlineMs: config.deadlineMs,
      profileDir: config.profileDir,
      sqlStatsFile: config.sqlStats ? join(tmpdir(), `baton-bench-sql-${process.pid}-M${m}.json`) : undefined,
    }));
    if (!r) continue;
    results.throughput.push(r);
    printThroughput(r);
  }
  if (config.paced) {
    console.log("\n== Latency below saturation: starts paced at half the flat-out rate, ~10 s each ==");
    for (const sat of results.throughput) {
      const rate = Math.max(5, Math.round(sat.workflowsPerSecond / 2));
      await quiet();
      const r = await attempt(`paced M=${sat.workers}`, () => runThroughput({
        workers: sat.workers,
        concurrency: config.concurrency,
        workflows: Math.min(config.workflows, rate * 10),
        // Open loop: enough starts in flight that a slow answer never delays the schedule.
        startConcurrency: 64,
        pollTimeoutMs: config.pollTimeoutMs,
        rate,
        deadlineMs: config.deadlineMs,
      }));
      if (!r) continue;
      results.paced.push(r);
      printThroughput(r);
    }
  }
}

// ---- system tasks ----
if (runs("system")) {
  console.log(
    `\n== System tasks: a dynamic fork (${config.forkWorkflows} × ${config.forkBranches} branches), ${config.timerWorkflows} WAIT timers, ` +
      `INLINE / jq / NOOP chains (${config.scriptWorkflows} each × ${config.scriptRounds} rounds); a fresh server each, M=${config.systemWorkers} worker processes ==`,
  );
  results.system = await runSystem(
    {
      forkWorkflows: config.forkWorkflows,
      forkBranches: config.forkBranches,
      timerWorkflows: config.timerWorkflows,
      scriptWorkflows: config.scriptWorkflows,
      scriptRounds: config.scriptRounds,
      scenarios: config.systemScenarios,
      workers: config.systemWorkers,
      concurrency: config.concurrency,
      pollTimeoutMs: config.pollTimeoutMs,
      startConcurrency: config.startConcurrency,
      deadlineMs: config.deadlineMs,
      profileDir: config.profileDir,
      beforeEach: quiet,
    },
    attempt,
  );
}

// ---- the Workers build ----
if (runs("workers")) {
  console.log("\n== Workers build: Durable Object requests and D1 queries, counted in process (bench/workers-counts.ts) ==");
  await quiet();
  const c = (results.workers = await attempt("workers counts", () => runWorkersCounts(config.countWorkflows)));
  if (c) printWorkersCounts(c);

  const m = config.workersM;
  console.log(
    `\n== Workers build in local workerd (miniflare), ${config.workersWorkflows} workflows started flat out, M=${m}: ` +
      `a functional check — one workerd process on this machine runs the Worker, every object and D1, so these are not Cloudflare's figures ==`,
  );
  await quiet();
  const r = await attempt("miniflare throughput", () =>
    runThroughput({
      workers: m,
      concurrency: config.concurrency,
      workflows: config.workersWorkflows,
      startConcurrency: config.startConcurrency,
      pollTimeoutMs: config.pollTimeoutMs,
      deadlineMs: config.deadlineMs,
      startServer: startMiniflareServer,
    }),
  );
  if (r) {
    results.workersThroughput = r;
    printThroughput(r, "workerd");
    console.log(`  workerd CPU ms per task: ${fmt((r.serverCpuSeconds / (r.completed * TASKS_PER_WORKFLOW)) * 1000, 2)} (the Worker, every object and D1 together)`);
  }
}

// ---- summary ----
if (results.throughput.length > 0) {
  console.log("\n== Summary ==");
  const header = ["M", "wf/s", "tasks/s", "e2e p50 ms", "e2e p99 ms", "paced e2e p50/p99 ms", "CPU-s/1k wf", "CPU ms/task", "HTTP ceil tasks/s", "÷ HTTP", "÷ disk"];
  const widths = [4, 8, 9, 11, 11, 21, 12, 12, 18, 8, 8];
  console.log(header.map((h, i) => (i === 0 ? pad(h, widths[i]) : padl(h, widths[i]))).join(" "));
  const asBaton = results.sqlite.find((b) => b.driver === "client");
  const diskCeiling = asBaton ? asBaton.commitsPerSecond / COMMITS_PER_TASK : undefined;
  for (const r of results.throughput) {
    const http = results.http.find((h) => h.clients === r.workers);
    const httpCeiling = http ? http.requestsPerSecond / REQUESTS_PER_TASK : undefined;
    const paced = results.paced.find((p) => p.workers === r.workers);
    const row = [
      String(r.workers),
      fmt(r.workflowsPerSecond, 1),
      fmt(r.tasksPerSecond, 0),
      fmt(r.endToEndMs.p50, 0),
      fmt(r.endToEndMs.p99, 0),
      paced ? `${fmt(paced.endToEndMs.p50, 1)} / ${fmt(paced.endToEndMs.p99, 1)}` : "n/a",
      fmt(r.serverCpuPer1000Workflows, 2),
      fmt(r.serverCpuPer1000Workflows / TASKS_PER_WORKFLOW, 2),
      fmt(httpCeiling, 0),
      httpCeiling ? `${fmt((r.tasksPerSecond / httpCeiling) * 100, 0)}%` : "n/a",
      diskCeiling ? `${fmt((r.tasksPerSecond / diskCeiling) * 100, 0)}%` : "n/a",
    ];
    console.log(row.map((c, i) => (i === 0 ? pad(c, widths[i]) : padl(c, widths[i]))).join(" "));
  }
  if (diskCeiling) {
    console.log(
      `disk ceiling: ${fmt(asBaton!.commitsPerSecond, 0)} commits/s (@libsql/client) ÷ ${fmt(COMMITS_PER_TASK, 1)} decisions per task = ${fmt(diskCeiling, 0)} tasks/s ` +
        `if every decision were its own transaction (group commit can beat it)`,
    );
  }
  console.log(`HTTP ceiling: baseline req/s ÷ ${REQUESTS_PER_TASK} requests per task (poll + update), same client processes and connections`);
  for (const h of results.http) console.log(`  the trivial endpoint costs its server ${fmt(h.serverCpuPer1000Requests, 3)} ms CPU per request (${h.clients} client process(es))`);
  console.log(`CPU ms/task: Baton server CPU per task (the start's share included); the server can use one core, so 1,000 ÷ this ≈ its tasks/s ceiling`);
}
if (results.throughput.length > 0 || results.latency) {
  console.log("\n== Targets (informational) ==");
  if (results.throughput.length > 0) {
    const best = Math.max(...results.throughput.map((r) => r.tasksPerSecond));
    console.log(`${verdict(best >= TARGET_TASKS_PER_SECOND)}  throughput ≥ ${TARGET_TASKS_PER_SECOND} tasks/s: best ${fmt(best, 0)} tasks/s`);
  }
  if (results.latency) {
    const l = results.latency;
    console.log(`${verdict(l.transitionOverheadMs.p50! < TARGET_TRANSITION_P50_MS)}  engine overhead per transition p50 < ${TARGET_TRANSITION_P50_MS} ms: ${fmt(l.transitionOverheadMs.p50, 2)} ms`);
    console.log(`${verdict(l.wakeServerStampMs.p50! < TARGET_WAKE_P50_MS)}  long-poll wake-up p50 < ${TARGET_WAKE_P50_MS} ms: ${fmt(l.wakeServerStampMs.p50, 2)} ms`);
  }
}
if (env.BENCH_JSON) {
  writeFileSync(env.BENCH_JSON, JSON.stringify({ ...results, workers: results.workers && countsToJson(results.workers) }, null, 2));
  console.log(`figures written to ${env.BENCH_JSON}`);
}
