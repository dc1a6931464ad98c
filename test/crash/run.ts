/**
 * Kill -9 recovery: the real server is SIGKILLed several times while workflows are being started
 * and workers are polling and completing tasks, and restarted on the same data directory. What
 * the server acknowledged must survive (a started workflow, an applied completion), and every
 * workflow must still run to its end, with abandoned attempts coming back through
 * responseTimeoutSeconds.
 *
 * Run: `bun test/crash/run.ts`. The last line is `crash: N passed, N failed`; exit code 0 only if
 * nothing failed.
 */
import type { Task, Workflow } from "../../src/model/index.ts";
import { startBunServer, type ServerProcess } from "../support/bun-server.ts";

const TASK = "crash_task";
const WORKFLOW = "crash_wf";
const REFS = ["t1", "t2", "t3", "t4"];
const WORKFLOWS = Number(process.env.CRASH_WORKFLOWS ?? 300);
const KILLS = Number(process.env.CRASH_KILLS ?? 5);
const RESPONSE_TIMEOUT_S = 3;
// Each kill can orphan an attempt and some first attempts fail on purpose: leave room for both,
// so that running out of retries would itself point at a bug.
const RETRIES = KILLS + 3;
const BURST = 10;
/** Starts are spread over this long; all kills but the last fall inside it. */
const START_PHASE_MS = 6_000;
// Workers are kept a little slower than the starts so that a backlog builds up: kills then find
// tasks waiting in queues, not only tasks in workers' hands.
const WORKERS = 4;
const POLL_COUNT = 5;
const WORK_MS: [number, number] = [10, 30];
const POLL_TIMEOUT_MS = 500;
const DRAIN_LIMIT_MS = 90_000;
/** Attempts lost at a kill come back within the response timeout; this long without progress is a hang. */
const STALL_LIMIT_MS = 20_000;
const REQUEST_TIMEOUT_MS = 10_000;
const START_GIVE_UP_MS = 30_000;

// ---- what the client saw ----

/** A worker's report that the server answered with 200. */
interface Ack {
  taskId: string;
  workflowId: string;
  ref: string;
  status: "COMPLETED" | "FAILED";
  output: Record<string, unknown>;
  /**
   * Answered after the lease could have expired: the server may rightly have timed the attempt
   * out first and ignored the report (Conductor answers 200 to a report on an ended task).
   * Answered before, the server must have applied it, since nothing else ends a leased attempt.
   */
  late: boolean;
}

interface StartAttempt {
  index: number;
  correlationId: string;
  v: number;
  workflowId?: string;
}

const acks: Ack[] = [];
const startAttempts: StartAttempt[] = [];
const polledTaskIds = new Set<string>();
const duplicatePolls: string[] = [];
const missingTasks: string[] = [];
const errorAnswers: string[] = [];
const counters = { polled: 0, connectionErrors: 0, serverErrors: 0, startRetries: 0, injectedFailures: 0 };
const inFlight = { held: 0, updates: 0, starts: 0, polls: 0 };
/** Tasks a worker holds and has not begun to report. */
interface Held {
  task: Task;
  abandoned: boolean;
}
const holding = new Set<Held>();
/** Tasks whose worker "died with the server": never reported, they must time out and be retried. */
const abandoned = new Map<string, string>();
const workerState = { stop: false, paused: false, dropAll: false };
const startAckWaiters: (() => void)[] = [];
let server: ServerProcess | undefined;

const sleep = (ms: number) => Bun.sleep(ms);
const jitter = (min: number, max: number) => min + Math.floor(Math.random() * (max - min));

function base(): string {
  if (!server) throw new Error("server not started");
  return server.baseUrl;
}

function request(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = init.body === undefined ? init.headers : { "content-type": "application/json", ...init.headers };
  return fetch(`${base()}${path}`, { ...init, headers, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
}

async function json<T>(path: string): Promise<T> {
  const res = await request(path);
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

// ---- definitions and the worker's deterministic answer ----

async function register(): Promise<void> {
  const taskDef = {
    name: TASK,
    retryCount: RETRIES,
    retryLogic: "FIXED",
    retryDelaySeconds: 0,
    responseTimeoutSeconds: RESPONSE_TIMEOUT_S,
    timeoutSeconds: 0,
    timeoutPolicy: "RETRY",
    ownerEmail: "crash@baton.test",
  };
  const workflowDef = {
    name: WORKFLOW,
    version: 1,
    schemaVersion: 2,
    ownerEmail: "crash@baton.test",
    tasks: REFS.map((ref, i) => ({
      name: TASK,
      taskReferenceName: ref,
      type: "SIMPLE",
      inputParameters: { v: i === 0 ? "${workflow.input.v}" : `\${${REFS[i - 1]}.output.v}`, ref, wid: "${workflow.workflowId}" },
    })),
    outputParameters: Object.fromEntries(REFS.flatMap((ref) => [[`${ref}v`, `\${${ref}.output.v}`], [`${ref}tag`, `\${${ref}.output.tag}`]])),
  };
  for (const [path, body] of [["/api/metadata/taskdefs", [taskDef]], ["/api/metadata/workflow", workflowDef]] as const) {
    const res = await request(path, { method: "POST", body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  }
}

/** The output a worker reports for an input: a completion applied twice or to another task shows. */
function outputFor(input: Record<string, unknown>): Record<string, unknown> {
  return { v: Number(input.v) + 1, tag: `${input.wid}:${input.ref}` };
}

function expectedWorkflowOutput(workflowId: string, v: number): Record<string, unknown> {
  return Object.fromEntries(REFS.flatMap((ref, i) => [[`${ref}v`, v + i + 1], [`${ref}tag`, `${workflowId}:${ref}`]]));
}

/** Some first attempts fail on purpose, so that FAILED → retry is exercised beside TIMED_OUT → retry. */
function failsOnPurpose(task: Task): boolean {
  if ((task.retryCount ?? 0) > 0) return false;
  let h = 0;
  for (const ch of `${task.workflowInstanceId}${task.referenceTaskName}`) h = (h * 31 + ch.charCodeAt(0)) | 0;
  return Math.abs(h) % 10 === 0;
}

// ---- load: starters and workers ----

/**
 * Starts one workflow, again under a new correlation id after a failed attempt, until one is
 * acknowledged. A refusal (4xx) is not retried: the acknowledged count then shows it.
 */
async function start(index: number): Promise<void> {
  const giveUpAt = Date.now() + START_GIVE_UP_MS;
  for (let attempt = 0; Date.now() < giveUpAt; attempt++) {
    const a: StartAttempt = { index, correlationId: `c${index}.${attempt}`, v: index * 100 };
    startAttempts.push(a);
    inFlight.starts++;
    try {
      const res = await request("/api/workflow", { method: "POST", body: JSON.stringify({ name: WORKFLOW, version: 1, correlationId: a.correlationId, input: { v: a.v } }) });
      const text = await res.text();
      if (res.ok) {
        a.workflowId = text;
        for (const notify of startAckWaiters.splice(0)) notify();
        return;
      }
      refused("start", res.status, text);
      if (res.status < 500) return;
    } catch {
      counters.connectionErrors++;
    } finally {
      inFlight.starts--;
    }
    counters.startRetries++;
    await sleep(jitter(50, 100));
  }
}

/** Starts arrive in bursts spread over the crash phase, so that kills meet a server with work under way. */
async function startAll(): Promise<void> {
  const pending: Promise<void>[] = [];
  const bursts = Math.ceil(WORKFLOWS / BURST);
  for (let b = 0; b < bursts; b++) {
    for (let i = b * BURST; i < Math.min(WORKFLOWS, (b + 1) * BURST); i++) pending.push(start(i));
    await sleep(START_PHASE_MS / bursts);
  }
  await Promise.all(pending);
}

async function report(task: Task): Promise<void> {
  const fail = failsOnPurpose(task);
  const output = outputFor(task.inputData ?? {});
  const result = fail
    ? { workflowInstanceId: task.workflowInstanceId, taskId: task.taskId, status: "FAILED" as const, reasonForIncompletion: "injected failure", outputData: {} }
    : { workflowInstanceId: task.workflowInstanceId, taskId: task.taskId, status: "COMPLETED" as const, outputData: output };
  const leaseEnds = (task.updateTime || task.startTime || 0) + RESPONSE_TIMEOUT_S * 1000;
  while (!workerState.stop) {
    inFlight.updates++;
    try {
      const res = await request("/api/tasks", { method: "POST", body: JSON.stringify(result) });
      const text = await res.text();
      if (res.ok) {
        if (fail) counters.injectedFailures++;
        acks.push({ taskId: task.taskId, workflowId: task.workflowInstanceId, ref: task.referenceTaskName, status: result.status, output: result.outputData, late: Date.now() >= leaseEnds });
        return;
      }
      if (res.status === 404) {
        missingTasks.push(`${task.workflowInstanceId}/${task.referenceTaskName}/${task.taskId}`);
        return;
      }
      refused(`update of ${task.taskId}`, res.status, text);
    } catch {
      counters.connectionErrors++;
    } finally {
      inFlight.updates--;
    }
    await sleep(jitter(40, 90));
  }
}

/** Around a crash a request may fail to connect, but an answer the server does give must not be an error. */
function refused(what: string, status: number, body: string): void {
  counters.serverErrors++;
  if (errorAnswers.length < 10) errorAnswers.push(`${what}: ${status} ${body.slice(0, 200)}`);
}

function tookOver(tasks: Task[]): void {
  counters.polled += tasks.length;
  for (const t of tasks) {
    if (polledTaskIds.has(t.taskId)) duplicatePolls.push(`${t.workflowInstanceId}/${t.referenceTaskName}/${t.taskId}`);
    polledTaskIds.add(t.taskId);
  }
}

async function worker(id: number): Promise<void> {
  while (!workerState.stop) {
    if (workerState.paused) {
      await sleep(20);
      continue;
    }
    let tasks: Task[];
    inFlight.polls++;
    try {
      const res = await request(`/api/tasks/poll/batch/${TASK}?count=${POLL_COUNT}&timeout=${POLL_TIMEOUT_MS}&workerid=crash-${id}`);
      if (!res.ok) {
        refused("poll", res.status, await res.text());
        await sleep(100);
        continue;
      }
      tasks = (await res.json()) as Task[];
    } catch {
      counters.connectionErrors++;
      await sleep(jitter(30, 80));
      continue;
    } finally {
      inFlight.polls--;
    }
    tookOver(tasks);
    const batch = tasks.map((task) => ({ task, abandoned: false }));
    for (const h of batch) holding.add(h);
    inFlight.held += batch.length;
    // One task at a time, so that a batch's later tasks sit in the worker's hands for a while.
    for (const h of batch) {
      await sleep(jitter(...WORK_MS));
      if (workerState.dropAll && !h.abandoned) abandon(h);
      holding.delete(h);
      if (!h.abandoned) await report(h.task);
      inFlight.held--;
    }
  }
}

// ---- the crashes ----

interface KillRecord {
  atMs: number;
  kind: string;
  held: number;
  updates: number;
  starts: number;
  polls: number;
  queued: number;
  started: number;
  abandoned: number;
}

function abandon(h: Held): void {
  h.abandoned = true;
  abandoned.set(h.task.taskId, h.task.workflowInstanceId);
}

/**
 * Half the tasks in workers' hands are dropped at a kill, as if their worker shared the
 * server's machine: the lease must outlive the restart and expire after it.
 */
function abandonHalf(): number {
  let n = 0;
  for (const h of holding) {
    if (h.abandoned || Math.random() < 0.5) continue;
    abandon(h);
    n++;
  }
  return n;
}

async function queued(): Promise<number> {
  try {
    return await json<number>(`/api/tasks/queue/size?taskType=${TASK}`);
  } catch {
    return -1;
  }
}

const KINDS = ["mid-request", "after a start", "random"] as const;

/**
 * Kills take turns at three kinds of moment: while starts or updates are under way; just after
 * a start was answered, when pollers are claiming its first task (a claim committed whose answer
 * never leaves the server is an attempt that must come back via the response timeout); and
 * whenever the random pause ends.
 */
async function aim(kind: (typeof KINDS)[number]): Promise<void> {
  const until = Date.now() + 300;
  if (kind === "mid-request") {
    while (Date.now() < until && inFlight.starts + inFlight.updates === 0) await sleep(1);
  } else if (kind === "after a start") {
    await Promise.race([new Promise<void>((r) => startAckWaiters.push(r)), sleep(300)]);
    await sleep(jitter(0, 4));
  }
}

async function killAndRestart(t0: number, kind: string, queuedBefore: number, drop: () => number): Promise<KillRecord> {
  const started = startAttempts.filter((a) => a.workflowId).length;
  const record = { atMs: Date.now() - t0, kind, ...inFlight, queued: queuedBefore, started, abandoned: drop() };
  await server!.kill();
  // Stay down a moment, so clients also meet refused connections, not only reset ones.
  await sleep(jitter(20, 200));
  await server!.restart();
  return record;
}

/** All kills but the last, at moments spread over the start phase. */
async function crashesUnderLoad(t0: number, kills: KillRecord[]): Promise<void> {
  await sleep(jitter(300, 800));
  for (let k = 0; k < KILLS - 1; k++) {
    if (k > 0) await sleep(jitter(300, 1500));
    const kind = KINDS[k % KINDS.length];
    const queuedBefore = await queued();
    await aim(kind);
    kills.push(await killAndRestart(t0, kind, queuedBefore, abandonHalf));
  }
}

/**
 * The last kill: every worker drops what it holds and stops polling, one more lease is taken and
 * dropped, and after the restart nobody calls for a while. Only the timer re-armed from the
 * stored rows can expire those leases now.
 */
async function quietCrash(t0: number, kills: KillRecord[]): Promise<{ dropped: string[]; expired: string[]; waitedMs: number }> {
  const droppedBefore = new Set(abandoned.keys());
  workerState.paused = true;
  workerState.dropAll = true;
  for (const h of holding) if (!h.abandoned) abandon(h);
  const settle = Date.now() + 3000;
  while (Date.now() < settle && inFlight.polls + inFlight.updates > 0) await sleep(10);
  const extra = await json<Task[]>(`/api/tasks/poll/batch/${TASK}?count=5&timeout=1000&workerid=crash-doomed`);
  tookOver(extra);
  for (const t of extra) abandon({ task: t, abandoned: false });
  const dropped = [...abandoned.keys()].filter((id) => !droppedBefore.has(id));
  const queuedBefore = await queued();
  kills.push(await killAndRestart(t0, "quiet restart", queuedBefore, () => dropped.length));
  const restartedAt = Date.now();
  const expired = new Set<string>();
  while (Date.now() < restartedAt + (RESPONSE_TIMEOUT_S + 3) * 1000 && expired.size < dropped.length) {
    for (const id of dropped) {
      if (expired.has(id)) continue;
      const t = await json<Task>(`/api/tasks/${id}`);
      if (t.status === "TIMED_OUT") expired.add(id);
    }
    await sleep(200);
  }
  workerState.dropAll = false;
  workerState.paused = false;
  return { dropped, expired: [...expired], waitedMs: Date.now() - restartedAt };
}

// ---- verification ----

interface Checks {
  passed: number;
  failed: number;
  failures: string[];
}

function check(checks: Checks, ok: boolean, what: string, details: string[] = []): void {
  if (ok) {
    checks.passed++;
    return;
  }
  checks.failed++;
  checks.failures.push(details.length > 0 ? `${what}:\n    ${details.join("\n    ")}` : what);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(sortKeys);
  if (x && typeof x === "object") return Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sortKeys(v)]));
  return x;
}

interface Stats {
  retries: number;
  timedOut: number;
  /** Attempts claimed by a poll whose answer was lost to a kill. */
  lostClaims: number;
  failed: number;
  lateIgnored: number;
  tasks: number;
}

const TERMINAL_FAILURES = new Set(["FAILED", "TIMED_OUT"]);

/** Everything that must hold for one workflow; returns the problems found. */
function verifyWorkflow(wf: Workflow, v: number, acksOf: Ack[], stats: Stats): string[] {
  const problems: string[] = [];
  const id = wf.workflowId;
  if (wf.status !== "COMPLETED") problems.push(`status ${wf.status}${wf.reasonForIncompletion ? ` (${wf.reasonForIncompletion})` : ""}`);
  const expected = expectedWorkflowOutput(id, v);
  if (!sameJson(wf.output ?? {}, expected)) problems.push(`output ${JSON.stringify(wf.output)} != expected ${JSON.stringify(expected)}`);

  const tasks = wf.tasks ?? [];
  stats.tasks += tasks.length;
  for (let i = 1; i < tasks.length; i++) {
    if (!((tasks[i].seq ?? 0) > (tasks[i - 1].seq ?? 0))) problems.push(`seq not strictly increasing at ${i}: ${tasks[i - 1].seq} then ${tasks[i].seq}`);
  }
  for (const t of tasks) {
    if (!REFS.includes(t.referenceTaskName)) problems.push(`unexpected task ${t.referenceTaskName}`);
    if (t.status === "SCHEDULED" || t.status === "IN_PROGRESS") problems.push(`task ${t.referenceTaskName} ${t.taskId} left ${t.status}`);
    if (t.retried) stats.retries++;
    if (t.status === "TIMED_OUT") stats.timedOut++;
    if (t.status === "TIMED_OUT" && !polledTaskIds.has(t.taskId)) stats.lostClaims++;
    if (t.status === "FAILED") stats.failed++;
    if (TERMINAL_FAILURES.has(t.status)) {
      const retry = tasks.find((r) => r.referenceTaskName === t.referenceTaskName && (r.seq ?? 0) > (t.seq ?? 0) && r.retryCount === (t.retryCount ?? 0) + 1);
      if (!t.retried || !retry) problems.push(`${t.status} attempt ${t.referenceTaskName} ${t.taskId} (retried=${t.retried}) without a later attempt`);
      else if (retry.retriedTaskId !== undefined && retry.retriedTaskId !== t.taskId) problems.push(`retry ${retry.taskId} names ${retry.retriedTaskId}, not ${t.taskId}`);
    } else if (t.status !== "COMPLETED" && t.status !== "SCHEDULED" && t.status !== "IN_PROGRESS") {
      problems.push(`task ${t.referenceTaskName} ${t.taskId} ended ${t.status}`);
    }
  }
  REFS.forEach((ref, i) => {
    const completed = tasks.filter((t) => t.referenceTaskName === ref && t.status === "COMPLETED");
    if (completed.length !== 1) {
      problems.push(`${completed.length} COMPLETED tasks for ${ref}`);
      return;
    }
    const t = completed[0];
    if (t.inputData?.v !== v + i) problems.push(`${ref} input v ${JSON.stringify(t.inputData?.v)} != ${v + i}`);
    if (!sameJson(t.outputData ?? {}, outputFor(t.inputData ?? {}))) problems.push(`${ref} output ${JSON.stringify(t.outputData)} is not what a worker reports for its input`);
  });

  const byId = new Map(tasks.map((t) => [t.taskId, t]));
  for (const t of tasks) {
    if (abandoned.has(t.taskId) && !(t.status === "TIMED_OUT" && t.retried)) problems.push(`dropped attempt ${t.referenceTaskName} ${t.taskId} ended ${t.status}, retried=${t.retried}, not TIMED_OUT and retried`);
  }
  for (const a of acksOf) {
    const t = byId.get(a.taskId);
    if (!t) {
      problems.push(`acknowledged ${a.status} of ${a.ref} ${a.taskId} but the task is gone`);
      continue;
    }
    const applied = t.status === a.status && (a.status !== "COMPLETED" || sameJson(t.outputData ?? {}, a.output));
    if (applied) continue;
    if (a.late && t.status === "TIMED_OUT") {
      stats.lateIgnored++;
      continue;
    }
    problems.push(`acknowledged ${a.status} of ${a.ref} ${a.taskId} but stored ${t.status} output ${JSON.stringify(t.outputData)}`);
  }
  return problems;
}

/** Waits for every workflow to end; gives up early once nothing has moved for a while. */
async function drain(): Promise<{ ms: number; stillRunning: string[] }> {
  const t0 = Date.now();
  let running: string[] = [];
  let lastMove = Date.now();
  let lastSeen = "";
  while (Date.now() - t0 < DRAIN_LIMIT_MS && Date.now() - lastMove < STALL_LIMIT_MS) {
    try {
      running = await json<string[]>(`/api/workflow/running/${WORKFLOW}?version=1`);
      if (running.length === 0) break;
    } catch {
      // A transient failure here is not what is being tested; ask again.
    }
    const seen = `${running.length}/${acks.length}/${counters.polled}`;
    if (seen !== lastSeen) lastMove = Date.now();
    lastSeen = seen;
    await sleep(250);
  }
  return { ms: Date.now() - t0, stillRunning: running };
}

async function verify(
  checks: Checks,
  kills: KillRecord[],
  drained: { ms: number; stillRunning: string[] },
  quiet: { dropped: string[]; expired: string[]; waitedMs: number },
): Promise<void> {
  const acked = startAttempts.filter((a) => a.workflowId);
  const unacked = startAttempts.filter((a) => !a.workflowId);
  const acksByWorkflow = new Map<string, Ack[]>();
  for (const a of acks) acksByWorkflow.set(a.workflowId, [...(acksByWorkflow.get(a.workflowId) ?? []), a]);
  const stats: Stats = { retries: 0, timedOut: 0, lostClaims: 0, failed: 0, lateIgnored: 0, tasks: 0 };

  check(checks, acked.length === WORKFLOWS, `every one of ${WORKFLOWS} workflows acknowledged`, [`${acked.length} acknowledged`]);
  check(checks, drained.stillRunning.length === 0, `no workflow still RUNNING after the drain (${drained.ms} ms)`, drained.stillRunning.slice(0, 10));

  // Starts that were cut off may or may not exist; those that do are ordinary workflows.
  const orphans: StartAttempt[] = [];
  const orphanProblems: string[] = [];
  for (const a of unacked) {
    const found = await json<Workflow[]>(`/api/workflow/${WORKFLOW}/correlated/${a.correlationId}?includeClosed=true`);
    if (found.length > 1) orphanProblems.push(`${a.correlationId}: ${found.length} workflows for one start request`);
    if (found.length >= 1) orphans.push({ ...a, workflowId: found[0].workflowId });
  }
  check(checks, orphanProblems.length === 0, "an unacknowledged start made at most one workflow", orphanProblems);

  const seenIds = new Set<string>();
  const orphanSet = new Set(orphans);
  for (const a of [...acked, ...orphans]) {
    const problems: string[] = [];
    const id = a.workflowId!;
    if (seenIds.has(id)) problems.push("the same workflow id was answered for two start requests");
    seenIds.add(id);
    const res = await request(`/api/workflow/${id}?includeTasks=true`);
    if (res.status === 404) {
      await res.text();
      problems.push("acknowledged but lost");
    } else if (!res.ok) {
      problems.push(`GET answered ${res.status}: ${await res.text()}`);
    } else {
      const wf = (await res.json()) as Workflow;
      problems.push(...verifyWorkflow(wf, a.v, acksByWorkflow.get(id) ?? [], stats));
      const sameCorrelation = await json<Workflow[]>(`/api/workflow/${WORKFLOW}/correlated/${a.correlationId}?includeClosed=true`);
      if (sameCorrelation.length !== 1) problems.push(`${sameCorrelation.length} workflows carry correlationId ${a.correlationId}`);
    }
    check(checks, problems.length === 0, `workflow ${id} (${a.correlationId}${orphanSet.has(a) ? ", unacknowledged start" : ""})`, problems);
  }

  const droppedMissing = [...abandoned].filter(([, wid]) => !seenIds.has(wid));
  check(checks, droppedMissing.length === 0, "every dropped attempt belongs to a known workflow", droppedMissing.slice(0, 10).map(([t, w]) => `${w}/${t}`));
  const strangers = acks.filter((a) => !seenIds.has(a.workflowId));
  check(checks, strangers.length === 0, "every acknowledged report belongs to a known workflow", strangers.slice(0, 10).map((a) => `${a.workflowId}/${a.ref}/${a.taskId}`));
  check(checks, duplicatePolls.length === 0, "no task id was handed out by two polls", duplicatePolls.slice(0, 10));
  check(checks, counters.serverErrors === 0, "no request was answered with an error status", [`${counters.serverErrors} error answers`, ...errorAnswers]);
  check(checks, missingTasks.length === 0, "no polled task was unknown when reported", missingTasks.slice(0, 10));
  const queueSize = await json<number>(`/api/tasks/queue/size?taskType=${TASK}`);
  check(checks, queueSize === 0, "queue empty at the end", [`queue size ${queueSize}`]);
  const hit = kills.filter((k) => k.held + k.updates + k.starts > 0).length;
  check(checks, hit > 0, "at least one kill caught work in flight", [`${kills.length} kills, none with tasks held, updates or starts in flight`]);
  check(checks, kills.some((k) => k.queued > 0), "at least one kill found tasks waiting in the queue", [`queued at the kills: ${kills.map((k) => k.queued).join(", ")}`]);
  const unexpired = quiet.dropped.filter((id) => !quiet.expired.includes(id));
  check(
    checks,
    quiet.dropped.length > 0 && unexpired.length === 0,
    `leases taken before the last kill expire after the restart with no traffic (${RESPONSE_TIMEOUT_S} s response timeout)`,
    quiet.dropped.length === 0 ? ["no lease was outstanding at the last kill"] : [`${unexpired.length} of ${quiet.dropped.length} still not TIMED_OUT ${quiet.waitedMs} ms after the restart: ${unexpired.slice(0, 5).join(", ")}`],
  );

  console.log(
    `crash summary: ${acked.length} workflows acknowledged, ${orphans.length} more from unacknowledged starts ` +
      `(${unacked.length} cut off); ${kills.length} kills; ` +
      `${quiet.expired.length}/${quiet.dropped.length} leases dropped at the quiet restart expired within ${quiet.waitedMs} ms; drained in ${drained.ms} ms`,
  );
  console.log(
    `  tasks: ${stats.tasks} in histories, ${counters.polled} polled, ${acks.length} reports acknowledged ` +
      `(${acks.filter((a) => a.late).length} late, ${stats.lateIgnored} of them rightly ignored after a timeout), ` +
      `${counters.injectedFailures} injected failures`,
  );
  console.log(`  retries seen: ${stats.retries} (${stats.timedOut} TIMED_OUT: ${abandoned.size} dropped by workers at a kill, ${stats.lostClaims} claims whose answer died with the server; ${stats.failed} FAILED attempts)`);
  console.log(`  client side: ${counters.connectionErrors} connection errors, ${counters.serverErrors} error answers, ${counters.startRetries} start retries`);
}

async function main(): Promise<number> {
  const checks: Checks = { passed: 0, failed: 0, failures: [] };
  const t0 = Date.now();
  const workers: Promise<void>[] = [];
  try {
    server = await startBunServer();
    await register();
    for (let i = 0; i < WORKERS; i++) workers.push(worker(i));
    const kills: KillRecord[] = [];
    await Promise.all([startAll(), crashesUnderLoad(t0, kills)]);
    const quiet = await quietCrash(t0, kills);
    for (const [i, k] of kills.entries()) {
      console.log(
        `kill ${i + 1} (${k.kind}) at +${k.atMs} ms: ${k.held} tasks in workers' hands (${k.abandoned} dropped), ${k.queued} queued, ` +
          `${k.updates} updates, ${k.polls} polls and ${k.starts} starts in flight; ${k.started}/${WORKFLOWS} started`,
      );
    }
    const drained = await drain();
    workerState.stop = true;
    await Promise.all(workers);
    await verify(checks, kills, drained, quiet);
  } catch (e) {
    check(checks, false, `the run itself: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  } finally {
    workerState.stop = true;
    await Promise.allSettled(workers);
    await server?.dispose();
  }
  for (const f of checks.failures.slice(0, 30)) console.log(`FAIL ${f}`);
  if (checks.failures.length > 30) console.log(`... and ${checks.failures.length - 30} more failures`);
  console.log(`  total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`crash: ${checks.passed} passed, ${checks.failed} failed`);
  return checks.failed === 0 ? 0 : 1;
}

process.exit(await main());
