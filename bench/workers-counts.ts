/**
 * The Workers build, counted: Durable Object requests and D1 queries per workflow start and per
 * task, measured (not derived from the code) by running workflows through the Worker's own API
 * and objects in one process (bench/lib/counting-world.ts), and the ceilings they imply on
 * Cloudflare. `BENCH_ONLY=workers npm run bench`, or `bun bench/workers-counts.ts` for this alone.
 *
 * Every request is sent one at a time, so each figure is exact for this workload (5 SIMPLE tasks
 * of one type): a poll never waits (`timeout=0`, the tasks are already queued), and nothing is
 * retried. Three ways to work:
 *   - poll (count=1) + update: `GET /api/tasks/poll/batch?count=1`, then `POST /api/tasks`;
 *   - poll (count=10) + update: the same with ten tasks per poll;
 *   - update-v2: the first task is polled, then `POST /api/tasks/update-v2` completes each task and
 *     hands over the next one.
 */
import { definitionRequests, LAST_REF, startRequest, TASK_TYPE, TASKS_PER_WORKFLOW } from "./lib/definitions.ts";
import { CountingWorld, delta, QUEUE_OBJECT, WORKFLOW_OBJECT } from "./lib/counting-world.ts";
import { fmt } from "./lib/stats.ts";

/** Cloudflare: "An individual Object has a soft limit of 1,000 requests per second" (developers.cloudflare.com/durable-objects/platform/limits/). */
export const DO_REQUESTS_PER_SECOND = 1000;
/**
 * Cloudflare: a D1 database is single-threaded; "If your average query takes 1 ms, you can run
 * approximately 1,000 queries per second" (developers.cloudflare.com/d1/platform/limits/, FAQ
 * "Concurrency and throughput"). The same page says writes "can take several milliseconds".
 */
export const D1_QUERY_MS = 1;
export const D1_WRITE_MS_PESSIMISTIC = 5;

interface PolledTask {
  taskId: string;
  workflowInstanceId: string;
  referenceTaskName: string;
}

export interface Phase {
  label: string;
  /** What one unit is: "start", "task", "workflow". */
  per: string;
  units: number;
  counts: Map<string, number>;
}

export interface ModeResult {
  label: string;
  workflows: number;
  tasks: number;
  phases: Phase[];
  /** Everything the mode's workflows cost, start to end. */
  total: Map<string, number>;
}

export interface WorkersCounts {
  workflows: number;
  modes: ModeResult[];
  /** One write-behind of the queue object's poll data (it happens at most once a second per queue object). */
  pollDataFlush: Map<string, number>;
  /** DO requests in order for one request of each kind. */
  traces: { label: string; requests: string[] }[];
  notCompleted: number;
}

type App = CountingWorld["app"];

async function request(app: App, method: string, path: string, body?: unknown): Promise<Response> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { "content-type": "application/json" };
  }
  const res = await app.request(path, init);
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
  return res;
}

const start = async (app: App, n: number) => (await request(app, "POST", "/api/workflow", startRequest(n))).text();

async function poll(app: App, count: number): Promise<PolledTask[]> {
  const res = await request(app, "GET", `/api/tasks/poll/batch/${TASK_TYPE}?count=${count}&timeout=0&workerid=counter`);
  return res.status === 204 ? [] : ((await res.json()) as PolledTask[]);
}

const result = (t: PolledTask) => ({ workflowInstanceId: t.workflowInstanceId, taskId: t.taskId, status: "COMPLETED", outputData: { step: t.referenceTaskName }, workerId: "counter" });

async function update(app: App, t: PolledTask): Promise<void> {
  await (await request(app, "POST", "/api/tasks", result(t))).text();
}

async function updateV2(app: App, t: PolledTask): Promise<PolledTask | undefined> {
  const res = await request(app, "POST", "/api/tasks/update-v2", result(t));
  return res.status === 204 ? undefined : ((await res.json()) as PolledTask);
}

/** Polls until `n` tasks came back (each poll asks for up to `count`). */
async function pollAll(app: App, n: number, count: number): Promise<PolledTask[]> {
  const out: PolledTask[] = [];
  while (out.length < n) {
    const got = await poll(app, Math.min(count, n - out.length));
    if (got.length === 0) throw new Error(`poll came back empty after ${out.length} of ${n} tasks`);
    out.push(...got);
  }
  return out;
}

class Recorder {
  readonly phases = new Map<string, Phase>();
  constructor(private readonly world: CountingWorld) {}

  /** Runs `body`, adding what it cost to the phase `label` (`units` of `per`). */
  async phase<T>(label: string, per: string, units: number, body: () => Promise<T>): Promise<T> {
    const before = this.world.tally.snapshot();
    const value = await body();
    const cost = delta(before, this.world.tally.snapshot());
    let p = this.phases.get(label);
    if (!p) this.phases.set(label, (p = { label, per, units: 0, counts: new Map() }));
    p.units += units;
    for (const [k, v] of cost) p.counts.set(k, (p.counts.get(k) ?? 0) + v);
    return value;
  }
}

function sum(maps: Iterable<Map<string, number>>): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of maps) for (const [k, v] of m) out.set(k, (out.get(k) ?? 0) + v);
  return out;
}

async function startAll(world: CountingWorld, rec: Recorder, n: number, offset: number): Promise<string[]> {
  const ids: string[] = [];
  await rec.phase("start", "start", n, async () => {
    for (let i = 0; i < n; i++) ids.push(await start(world.app, offset + i));
  });
  return ids;
}

async function runPollUpdate(world: CountingWorld, n: number, count: number, offset: number): Promise<ModeResult & { ids: string[] }> {
  const rec = new Recorder(world);
  const ids = await startAll(world, rec, n, offset);
  for (let step = 1; step <= TASKS_PER_WORKFLOW; step++) {
    const tasks = await rec.phase(`poll (count=${count})`, "task", n, () => pollAll(world.app, n, count));
    const last = step === TASKS_PER_WORKFLOW;
    await rec.phase(last ? "update, last task (workflow ends)" : "update, tasks 1–4", last ? "workflow" : "task", n, async () => {
      for (const t of tasks) await update(world.app, t);
    });
  }
  return mode(`poll (count=${count}) + update`, n, ids, rec);
}

async function runUpdateV2(world: CountingWorld, n: number, offset: number): Promise<ModeResult & { ids: string[] }> {
  const rec = new Recorder(world);
  const ids = await startAll(world, rec, n, offset);
  let tasks = await rec.phase("poll (count=1), first task", "task", n, () => pollAll(world.app, n, 1));
  for (let step = 1; step < TASKS_PER_WORKFLOW; step++) {
    tasks = await rec.phase("update-v2, hands over the next task", "task", n, async () => {
      const next: PolledTask[] = [];
      for (const t of tasks) {
        const got = await updateV2(world.app, t);
        if (!got || got.workflowInstanceId !== t.workflowInstanceId) throw new Error(`update-v2 of ${t.referenceTaskName} handed over ${got ? `a task of ${got.workflowInstanceId}` : "nothing"}`);
        next.push(got);
      }
      return next;
    });
  }
  await rec.phase("update-v2, last task (workflow ends)", "workflow", n, async () => {
    for (const t of tasks) {
      if (t.referenceTaskName !== LAST_REF) throw new Error(`expected the last task, got ${t.referenceTaskName}`);
      if (await updateV2(world.app, t)) throw new Error("update-v2 of the last task handed over a task");
    }
  });
  return mode("update-v2", n, ids, rec);
}

function mode(label: string, n: number, ids: string[], rec: Recorder): ModeResult & { ids: string[] } {
  const phases = [...rec.phases.values()];
  return { label, workflows: n, tasks: n * TASKS_PER_WORKFLOW, phases, total: sum(phases.map((p) => p.counts)), ids };
}

/** DO requests in order, for one request of the kind `body` sends. */
async function traced(world: CountingWorld, label: string, body: () => Promise<unknown>): Promise<{ label: string; requests: string[] }> {
  world.tally.trace = [];
  try {
    await body();
    return { label, requests: world.tally.trace };
  } finally {
    world.tally.trace = undefined;
  }
}

export async function runWorkersCounts(workflows = 100): Promise<WorkersCounts> {
  const world = await CountingWorld.create();
  try {
    for (const [path, body] of definitionRequests()) await (await request(world.app, "POST", path, body)).text();
    // Warm up: the queue object loads its rows on first use, statements are prepared once per connection.
    let offset = -1000;
    for (let i = 0; i < 3; i++) {
      await start(world.app, offset++);
      let [t]: (PolledTask | undefined)[] = await pollAll(world.app, 1, 1);
      while (t) t = await updateV2(world.app, t);
    }
    await world.flushPollData();

    const modes: (ModeResult & { ids: string[] })[] = [];
    modes.push(await runPollUpdate(world, workflows, 1, 0));
    modes.push(await runPollUpdate(world, workflows, 10, workflows));
    modes.push(await runUpdateV2(world, workflows, 2 * workflows));

    const before = world.tally.snapshot();
    await world.flushPollData();
    const pollDataFlush = delta(before, world.tally.snapshot());

    // One request of each kind, traced: which objects it reaches, in order.
    const traces = [];
    let id = "";
    traces.push(await traced(world, "POST /api/workflow (start)", async () => (id = await start(world.app, -1))));
    let task: PolledTask | undefined;
    traces.push(await traced(world, "GET /api/tasks/poll/batch (count=1)", async () => ([task] = await pollAll(world.app, 1, 1))));
    traces.push(await traced(world, "POST /api/tasks (update, task 1)", () => update(world.app, task!)));
    [task] = await pollAll(world.app, 1, 1);
    traces.push(await traced(world, "POST /api/tasks/update-v2 (task 2, hands over task 3)", async () => (task = await updateV2(world.app, task!))));
    task = await updateV2(world.app, task!);
    task = await updateV2(world.app, task!);
    traces.push(await traced(world, "POST /api/tasks/update-v2 (task 5, workflow ends)", () => updateV2(world.app, task!)));
    if (!id) throw new Error("traced start returned no id");

    // Every measured workflow must have completed (read after counting, so not counted).
    let notCompleted = 0;
    for (const m of modes) {
      for (const wf of m.ids) {
        const doc = (await (await request(world.app, "GET", `/api/workflow/${wf}?includeTasks=false`)).json()) as { status: string };
        if (doc.status !== "COMPLETED") notCompleted++;
      }
    }
    return { workflows, modes: modes.map(({ ids: _ids, ...m }) => m), pollDataFlush, traces, notCompleted };
  } finally {
    await world.close();
  }
}

/** The counts with their maps as plain objects, for BENCH_JSON. */
export function countsToJson(c: WorkersCounts): unknown {
  const obj = (m: Map<string, number>) => Object.fromEntries(m);
  return {
    ...c,
    modes: c.modes.map((m) => ({ ...m, total: obj(m.total), phases: m.phases.map((p) => ({ ...p, counts: obj(p.counts) })) })),
    pollDataFlush: obj(c.pollDataFlush),
    projections: projections(c),
  };
}

// ---- reading the counts ----

const startsWith = (m: Map<string, number>, prefix: string) => [...m].filter(([k]) => k.startsWith(prefix));
const total = (m: Map<string, number>, prefix: string) => startsWith(m, prefix).reduce((s, [, v]) => s + v, 0);

/** DO requests received by an object kind (from any caller). */
export const requestsTo = (m: Map<string, number>, object: string) => [...m].filter(([k]) => k.startsWith("req ") && k.includes(`→${object}.`)).reduce((s, [, v]) => s + v, 0);
export const d1Queries = (m: Map<string, number>) => total(m, "calls D1");
export const d1Statements = (m: Map<string, number>) => total(m, "sql D1 ");
/** D1 statements that write (the index, poll data); `select`s are the rest. */
export const d1Writes = (m: Map<string, number>) => startsWith(m, "sql D1 ").filter(([k]) => !k.startsWith("sql D1 select")).reduce((s, [, v]) => s + v, 0);

export interface Projection {
  mode: string;
  /** All Durable Object requests (any caller, any object) per task, the start's share included. */
  doRequestsPerTask: number;
  queueRequestsPerTask: number;
  workflowRequestsPerTask: number;
  d1QueriesPerWorkflow: number;
  d1WritesPerWorkflow: number;
  tasksPerSecondPerQueueObject: number;
  tasksPerSecondPerWorkflowObject: number;
}

export function projections(c: WorkersCounts): Projection[] {
  return c.modes.map((m) => {
    const startPhase = m.phases.find((p) => p.label === "start")!;
    // Per task, the start's share included for the queue (its offer), not for the workflow object
    // (the start is the workflow's own request, not a task's).
    const wfRequests = requestsTo(m.total, WORKFLOW_OBJECT) - requestsTo(startPhase.counts, WORKFLOW_OBJECT);
    const q = requestsTo(m.total, QUEUE_OBJECT) / m.tasks;
    const w = wfRequests / m.tasks;
    return {
      mode: m.label,
      doRequestsPerTask: total(m.total, "req ") / m.tasks,
      queueRequestsPerTask: q,
      workflowRequestsPerTask: w,
      d1QueriesPerWorkflow: d1Queries(m.total) / m.workflows,
      d1WritesPerWorkflow: d1Writes(m.total) / m.workflows,
      tasksPerSecondPerQueueObject: DO_REQUESTS_PER_SECOND / q,
      tasksPerSecondPerWorkflowObject: DO_REQUESTS_PER_SECOND / w,
    };
  });
}

function breakdown(m: Map<string, number>, prefix: string, units: number, strip = prefix): string {
  const parts = startsWith(m, prefix).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k.slice(strip.length)} ${fmt(v / units, 2)}`);
  return parts.length > 0 ? parts.join(", ") : "none";
}

export function printWorkersCounts(c: WorkersCounts): void {
  const pad = (s: string, n: number) => s.padEnd(n);
  const padl = (s: string, n: number) => s.padStart(n);
  console.log(`${c.workflows} workflows per way of working, requests one at a time; per unit:`);
  const header = ["", "per", "W→WF", "W→Q", "WF→Q", "DO req", "D1 queries", "D1 stmts", "WF SQL", "Q SQL", "WF tx", "Q tx"];
  const widths = [44, 9, 6, 6, 6, 7, 11, 9, 7, 7, 6, 6];
  console.log(header.map((h, i) => (i < 2 ? pad(h, widths[i]) : padl(h, widths[i]))).join(" "));
  const seen = new Set<string>();
  for (const m of c.modes) {
    for (const p of m.phases) {
      // The start costs the same in every mode: show it once (the first mode's).
      if (seen.has(p.label)) continue;
      seen.add(p.label);
      const u = p.units;
      const k = p.counts;
      const row = [
        p.label,
        p.per,
        fmt(total(k, "req Worker→WorkflowObject.") / u, 2),
        fmt(total(k, "req Worker→TaskQueueObject.") / u, 2),
        fmt(total(k, "req WorkflowObject→TaskQueueObject.") / u, 2),
        fmt(total(k, "req ") / u, 2),
        fmt(d1Queries(k) / u, 2),
        fmt(d1Statements(k) / u, 2),
        fmt(total(k, `sql ${WORKFLOW_OBJECT} `) / u, 1),
        fmt(total(k, `sql ${QUEUE_OBJECT} `) / u, 1),
        fmt(total(k, `tx ${WORKFLOW_OBJECT}`) / u, 2),
        fmt(total(k, `tx ${QUEUE_OBJECT}`) / u, 2),
      ];
      console.log(row.map((h, i) => (i < 2 ? pad(h, widths[i]) : padl(h, widths[i]))).join(" "));
    }
  }
  console.log("  (W = the Worker, WF = WorkflowObject, Q = TaskQueueObject; D1 queries = round trips: one statement or one batch; SQL = statements in the objects' own SQLite)");
  console.log("\nin detail, per unit:");
  for (const m of c.modes) {
    for (const p of m.phases) {
      if (p.label === "start" && m !== c.modes[0]) continue;
      console.log(`  ${p.label} (per ${p.per}):`);
      console.log(`    DO requests: ${breakdown(p.counts, "req ", p.units)}`);
      console.log(`    D1: ${breakdown(p.counts, "sql D1 ", p.units)}`);
      console.log(`    WorkflowObject SQL: ${breakdown(p.counts, `sql ${WORKFLOW_OBJECT} `, p.units)}; alarm writes ${fmt(total(p.counts, `alarm ${WORKFLOW_OBJECT}`) / p.units, 2)}${total(p.counts, "kv ") ? `; storage.put ${fmt(total(p.counts, "kv ") / p.units, 2)}` : ""}`);
      console.log(`    TaskQueueObject SQL: ${breakdown(p.counts, `sql ${QUEUE_OBJECT} `, p.units)}; alarm writes ${fmt(total(p.counts, `alarm ${QUEUE_OBJECT}`) / p.units, 2)}`);
    }
  }
  console.log(`  poll data write-behind (at most once a second per queue object while it is polled): D1 ${breakdown(c.pollDataFlush, "sql D1 ", 1)} in ${fmt(d1Queries(c.pollDataFlush), 0)} query`);
  const startPhase = c.modes[0].phases[0];
  const schemaStatements = total(startPhase.counts, `sql ${WORKFLOW_OBJECT} schema`) + total(startPhase.counts, `sql ${WORKFLOW_OBJECT} migration`);
  console.log(
    `  of the start's WorkflowObject SQL, ${fmt(schemaStatements / startPhase.units, 1)} statements per start create the new object's schema (migration on first use; ` +
      `an object already migrated runs the 2 journal statements each time it is loaded)`,
  );

  console.log("\none request of each kind, the Durable Object requests it makes in order:");
  for (const t of c.traces) console.log(`  ${t.label}: ${t.requests.join(" → ") || "none"}`);

  console.log("\nwhole workflows (start to end, all phases) per task, and the ceilings they imply:");
  const pr = projections(c);
  for (const p of pr) {
    console.log(
      `  ${pad(p.mode + ":", 28)} ${fmt(p.doRequestsPerTask, 2)} DO requests/task; TaskQueueObject ${fmt(p.queueRequestsPerTask, 2)} req/task → ≤ ${fmt(p.tasksPerSecondPerQueueObject, 0)} tasks/s per queue object; ` +
        `WorkflowObject ${fmt(p.workflowRequestsPerTask, 2)} req/task → ≤ ${fmt(p.tasksPerSecondPerWorkflowObject, 0)} tasks/s per workflow object; ` +
        `D1 ${fmt(p.d1QueriesPerWorkflow, 2)} queries per workflow (${fmt(p.d1WritesPerWorkflow, 2)} writes)`,
    );
  }
  const d1 = pr[0];
  const reads = d1.d1QueriesPerWorkflow - d1.d1WritesPerWorkflow;
  console.log(
    `  D1 (one database for all workflows): ≈ ${fmt(1000 / (d1.d1QueriesPerWorkflow * D1_QUERY_MS), 0)} workflows/s at ${D1_QUERY_MS} ms per query (Cloudflare's rule of thumb: 1 ms → ~1,000 queries/s); ` +
      `≈ ${fmt(1000 / (reads * D1_QUERY_MS + d1.d1WritesPerWorkflow * D1_WRITE_MS_PESSIMISTIC), 0)} workflows/s if each write took ${D1_WRITE_MS_PESSIMISTIC} ms`,
  );
  console.log(`  (ceilings from Cloudflare's ~${fmt(DO_REQUESTS_PER_SECOND, 0)} requests/s per object; a workflow object's sequential tasks are bounded by latency long before that — see the traces)`);
  if (c.notCompleted > 0) console.log(`  ⚠ ${c.notCompleted} measured workflows did not complete`);
}

if (import.meta.main) {
  const n = Number(process.env.BENCH_COUNT_WORKFLOWS ?? 100);
  printWorkersCounts(await runWorkersCounts(n));
}
