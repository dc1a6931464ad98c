/**
 * A benchmark worker process, shaped like the official SDK workers: one poller asks for as many
 * tasks as it has free slots (`count`), holding a long poll (`timeout`); each task is "run" (a
 * no-op, so only the engine is measured) and completed with `POST /api/tasks/update-v2`, and a
 * task returned by update-v2 is run at once without polling again.
 *
 * Spawned by bench/run.ts with IPC. Environment: BENCH_BASE_URL, BENCH_MODE (throughput|trace),
 * BENCH_CONCURRENCY, BENCH_POLL_TIMEOUT, BENCH_WORKER_ID, BENCH_TASK_TYPE (the one task type it
 * polls, default `bench_task`), BENCH_LAST_REF (the reference name whose completion means the
 * workflow is done, default the chain's last task).
 *
 * trace mode runs one slot and reports per-request timings: the wake-up of a parked long poll
 * and the round trip of each update-v2 that hands back the workflow's next task.
 */
import { LAST_REF, TASK_TYPE } from "./lib/definitions.ts";
import { wallNow } from "./lib/stats.ts";

interface PolledTask {
  taskId: string;
  workflowInstanceId: string;
  referenceTaskName: string;
  scheduledTime?: number;
  startTime?: number;
  inputData?: { n?: number };
}

const baseUrl = process.env.BENCH_BASE_URL!;
const mode = process.env.BENCH_MODE ?? "throughput";
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
const pollTimeout = Number(process.env.BENCH_POLL_TIMEOUT ?? 1000);
const workerId = process.env.BENCH_WORKER_ID ?? `bench-${process.pid}`;
const taskType = process.env.BENCH_TASK_TYPE || TASK_TYPE;
const lastRef = process.env.BENCH_LAST_REF || LAST_REF;
const send = (message: unknown) => process.send!(message);

const counters = { polls: 0, emptyPolls: 0, polledTasks: 0, updates: 0, v2Hits: 0, errors: 0 };
let stopping = false;

async function poll(count: number, timeout: number): Promise<PolledTask[]> {
  const url = `${baseUrl}/api/tasks/poll/batch/${taskType}?count=${count}&timeout=${timeout}&workerid=${workerId}`;
  for (;;) {
    try {
      const res = await fetch(url);
      counters.polls++;
      if (res.status === 204) return [];
      if (!res.ok) throw new Error(`poll: HTTP ${res.status} ${await res.text()}`);
      const tasks = (await res.json()) as PolledTask[];
      if (tasks.length === 0) counters.emptyPolls++;
      counters.polledTasks += tasks.length;
      return tasks;
    } catch (err) {
      if (stopping) return [];
      counters.errors++;
      console.error(`[worker ${workerId}]`, (err as Error).message);
      await Bun.sleep(10);
    }
  }
}

/** Completes a task; resolves with the next task update-v2 handed over, if any. */
async function complete(task: PolledTask): Promise<PolledTask | undefined> {
  const body = JSON.stringify({
    workflowInstanceId: task.workflowInstanceId,
    taskId: task.taskId,
    status: "COMPLETED",
    outputData: { step: task.referenceTaskName },
    workerId,
  });
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(`${baseUrl}/api/tasks/update-v2`, { method: "POST", headers: { "content-type": "application/json" }, body });
      counters.updates++;
      if (res.status === 204) {
        await res.arrayBuffer();
        return undefined;
      }
      if (!res.ok) throw new Error(`update-v2: HTTP ${res.status} ${await res.text()}`);
      counters.v2Hits++;
      return (await res.json()) as PolledTask;
    } catch (err) {
      counters.errors++;
      console.error(`[worker ${workerId}]`, (err as Error).message);
      if (attempt >= 3) return undefined;
      await Bun.sleep(10);
    }
  }
}

// ---- throughput mode ----

/** [workflowId, completed at, the workflow's input n (negative for warm-up workflows)] */
const finished: [string, number, number][] = [];
let busy = 0;
let slotFreed: (() => void) | undefined;

async function runChain(first: PolledTask): Promise<void> {
  let task: PolledTask | undefined = first;
  while (task) {
    const current: PolledTask = task;
    task = await complete(current);
    // update-v2 answers after the update committed, so the workflow is COMPLETED by now.
    if (current.referenceTaskName === lastRef) finished.push([current.workflowInstanceId, wallNow(), current.inputData?.n ?? 0]);
  }
  busy--;
  slotFreed?.();
  slotFreed = undefined;
}

async function throughput(): Promise<void> {
  // Batched so thousands of completions cost the parent a few dozen messages, not thousands.
  const flusher = setInterval(() => {
    if (finished.length > 0) send({ type: "done", items: finished.splice(0) });
  }, 50);
  let announced = false;
  while (!stopping) {
    const free = concurrency - busy;
    if (free === 0) {
      await new Promise<void>((resolve) => (slotFreed = resolve));
      continue;
    }
    const request = poll(free, pollTimeout);
    if (!announced) {
      send({ type: "ready" });
      announced = true;
    }
    for (const task of await request) {
      busy++;
      void runChain(task);
    }
  }
  clearInterval(flusher);
}

// ---- trace mode ----

const handoffRtt: number[] = [];
const finalRtt: number[] = [];

async function trace(): Promise<void> {
  while (!stopping) {
    send({ type: "polling", at: wallNow() });
    const [first] = await poll(1, 5000);
    if (!first) continue;
    send({ type: "received", workflowId: first.workflowInstanceId, recvAt: wallNow(), scheduledTime: first.scheduledTime, startTime: first.startTime });
    let task: PolledTask | undefined = first;
    while (task) {
      const t0 = wallNow();
      const current: PolledTask = task;
      task = await complete(current);
      (task ? handoffRtt : finalRtt).push(wallNow() - t0);
    }
    send({ type: "done", items: [[first.workflowInstanceId, wallNow()]] });
  }
}

/** After the warm-up: forget its samples and measure the HTTP floor of this server and client. */
async function reset(): Promise<void> {
  handoffRtt.length = 0;
  finalRtt.length = 0;
  // A route that touches no database, from this same client (our own long poll is parked meanwhile).
  const healthRtt: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t0 = wallNow();
    await (await fetch(`${baseUrl}/health`)).arrayBuffer();
    healthRtt.push(wallNow() - t0);
  }
  send({ type: "health", samples: healthRtt });
}

process.on("message", (message: { type: string }) => {
  if (message.type === "reset") void reset();
  if (message.type !== "stop") return;
  stopping = true;
  if (mode === "trace") send({ type: "trace", handoffRtt, finalRtt });
  else send({ type: "done", items: finished.splice(0) });
  // A long poll may still be parked; the parent kills us once it has these figures.
  send({ type: "counters", counters });
});

await (mode === "trace" ? trace() : throughput());
