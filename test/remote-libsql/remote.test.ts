/**
 * Baton on a remote libSQL database: the real server process (`bun adapters/bun/main.ts`) with
 * BATON_DB_URL pointing at a Hrana-over-HTTP server (the sqld test double in
 * test/support/hrana-server.ts) and BATON_DB_AUTH_TOKEN set, driven through its HTTP API only.
 */
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startBunServer, type ServerProcess } from "../support/bun-server.ts";
import { startHranaServer, type HranaServer } from "../support/hrana-server.ts";

const ROOT = resolve(import.meta.dir, "../..");
const TOKEN = "secret";
const TEST_TIMEOUT_MS = 60_000;

let hrana: HranaServer;
let baton: ServerProcess;

beforeAll(async () => {
  hrana = startHranaServer({ authToken: TOKEN });
  baton = await startBunServer({ BATON_DB_URL: hrana.url, BATON_DB_AUTH_TOKEN: TOKEN });
}, TEST_TIMEOUT_MS);

afterAll(async () => {
  await baton?.dispose();
  await hrana?.stop();
}, TEST_TIMEOUT_MS);

// ---- Baton's HTTP API, by hand ----

async function call(method: string, path: string, body?: unknown): Promise<string> {
  const res = await fetch(`${baton.baseUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  return text;
}

interface Task {
  taskId: string;
  workflowInstanceId: string;
  referenceTaskName: string;
  status: string;
  inputData: Record<string, unknown>;
  outputData?: Record<string, unknown>;
}
interface Workflow {
  workflowId: string;
  status: string;
  input: Record<string, unknown>;
  output: Record<string, unknown>;
  tasks: Task[];
}

const getWorkflow = async (id: string) => JSON.parse(await call("GET", `/api/workflow/${id}?includeTasks=true`)) as Workflow;

/** Batch-polls (as the SDK's TaskRunner does) until one task of the type is handed out. */
async function pollOne(taskType: string): Promise<Task> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const text = await call("GET", `/api/tasks/poll/batch/${taskType}?workerid=remote-test&count=1&timeout=1000`);
    const tasks = text === "" ? [] : (JSON.parse(text) as Task[]);
    if (tasks.length > 0) {
      expect(tasks).toHaveLength(1);
      return tasks[0];
    }
  }
  throw new Error(`no ${taskType} task was handed out within 20 s`);
}

async function complete(task: Task, outputData: Record<string, unknown>): Promise<void> {
  const answer = await call("POST", "/api/tasks", { taskId: task.taskId, workflowInstanceId: task.workflowInstanceId, workerId: "remote-test", status: "COMPLETED", outputData });
  expect(answer).toBe(task.taskId);
}

async function settled(id: string): Promise<Workflow> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const wf = await getWorkflow(id);
    if (wf.status !== "RUNNING" || Date.now() > deadline) return wf;
    await Bun.sleep(50);
  }
}

const suffix = crypto.randomUUID().slice(0, 8);
const [PREPARE, FINISH, WORKFLOW] = [`remote_prepare_${suffix}`, `remote_finish_${suffix}`, `remote_flow_${suffix}`];

/** Starts a workflow and plays both workers: prepare doubles n, finish adds one. */
async function runOne(n: number): Promise<string> {
  const id = await call("POST", "/api/workflow", { name: WORKFLOW, version: 1, input: { n } });
  expect(id).toMatch(/\S/);

  const prepare = await pollOne(PREPARE);
  expect(prepare.workflowInstanceId).toBe(id);
  expect(prepare.inputData).toEqual({ n });
  await complete(prepare, { doubled: n * 2 });

  const finish = await pollOne(FINISH);
  expect(finish.workflowInstanceId).toBe(id);
  expect(finish.inputData).toEqual({ doubled: n * 2 });
  await complete(finish, { result: n * 2 + 1 });
  return id;
}

function expectCompleted(wf: Workflow, n: number): void {
  expect(wf.status).toBe("COMPLETED");
  expect(wf.input).toEqual({ n });
  expect(wf.output).toEqual({ result: n * 2 + 1 });
  expect(wf.tasks.map((t) => `${t.referenceTaskName}:${t.status}`)).toEqual(["prepare:COMPLETED", "finish:COMPLETED"]);
  expect(wf.tasks.map((t) => t.outputData)).toEqual([{ doubled: n * 2 }, { result: n * 2 + 1 }]);
}

/** Rows of a table in the database file behind the Hrana server (read-only, beside it). */
function remoteCount(sql: string, ...args: string[]): number {
  const db = new Database(hrana.dbPath, { readonly: true });
  try {
    return Number((db.query(sql).values(...args)[0] as unknown[])[0]);
  } finally {
    db.close();
  }
}

describe("Baton on a remote libSQL database (Hrana over HTTP, with an auth token)", () => {
  let firstId: string;

  test(
    "definitions, a workflow of two SIMPLE tasks, polls and completions all go to the remote database",
    async () => {
      await call("POST", "/api/metadata/taskdefs", [PREPARE, FINISH].map((name) => ({ name, timeoutSeconds: 120, responseTimeoutSeconds: 60, retryCount: 0 })));
      await call("POST", "/api/metadata/workflow", {
        name: WORKFLOW,
        version: 1,
        schemaVersion: 2,
        timeoutSeconds: 0,
        tasks: [
          { name: PREPARE, taskReferenceName: "prepare", type: "SIMPLE", inputParameters: { n: "${workflow.input.n}" } },
          { name: FINISH, taskReferenceName: "finish", type: "SIMPLE", inputParameters: { doubled: "${prepare.output.doubled}" } },
        ],
        outputParameters: { result: "${finish.output.result}" },
      });

      firstId = await runOne(21);
      expectCompleted(await settled(firstId), 21);

      // It really went over Hrana: pipelines of executes and batches, stored SQL texts, closes...
      expect(hrana.stats.pipelines).toBeGreaterThan(10);
      for (const type of ["execute", "batch", "store_sql", "close"]) expect(hrana.stats.requests[type]).toBeGreaterThan(0);
      expect(hrana.stats.unauthorized).toBe(0);
      // ...and the data is in the remote database file, not in a local one.
      expect(remoteCount("SELECT count(*) FROM __drizzle_migrations")).toBeGreaterThan(0);
      expect(remoteCount("SELECT count(*) FROM workflows WHERE workflow_id = ? AND status = 'COMPLETED'", firstId)).toBe(1);
      expect(readdirSync(baton.dataDir)).toEqual([]);
      // Every call is one self-closing pipeline: no stream (no open transaction) outlives it.
      expect(hrana.openStreams()).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );

  test(
    "after a crash and restart on the same remote database the workflow is still there and a new one runs",
    async () => {
      const before = hrana.stats.pipelines;
      await baton.kill();
      await baton.restart();
      // The restart ran the migrator against the existing schema (nothing to apply) and reopened.
      expect(hrana.stats.pipelines).toBeGreaterThan(before);

      expectCompleted(await getWorkflow(firstId), 21);
      const secondId = await runOne(5);
      expectCompleted(await settled(secondId), 5);
      expect(remoteCount("SELECT count(*) FROM workflows WHERE workflow_id IN (?, ?) AND status = 'COMPLETED'", firstId, secondId)).toBe(2);
    },
    TEST_TIMEOUT_MS,
  );
});

describe("Baton with a remote database it cannot use", () => {
  /** Runs `bun adapters/bun/main.ts` until it exits (or 20 s pass) and returns its exit and stderr. */
  async function startAndWaitForExit(env: Record<string, string | undefined>): Promise<{ exitCode: number | null; stderr: string; hung: boolean }> {
    const dataDir = mkdtempSync(join(tmpdir(), "baton-test-"));
    try {
      const merged: Record<string, string | undefined> = { ...process.env, PORT: "0", HOST: "127.0.0.1", BATON_DATA_DIR: dataDir, ...env };
      const child = Bun.spawn([process.execPath, join(ROOT, "adapters/bun/main.ts")], {
        cwd: ROOT,
        env: Object.fromEntries(Object.entries(merged).filter((e): e is [string, string] => e[1] !== undefined)),
        stdout: "pipe",
        stderr: "pipe",
      });
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      const hung = await Promise.race([child.exited.then(() => false), Bun.sleep(20_000).then(() => true)]);
      clearTimeout(timer);
      await child.exited;
      return { exitCode: child.exitCode, stderr: await new Response(child.stderr).text(), hung };
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }

  test(
    "a wrong token makes Baton exit at startup with an error naming the 401, instead of hanging",
    async () => {
      const refusedBefore = hrana.stats.unauthorized;
      const run = await startAndWaitForExit({ BATON_DB_URL: hrana.url, BATON_DB_AUTH_TOKEN: "not-the-secret" });
      expect(run.hung).toBe(false);
      expect(run.exitCode).not.toBe(0);
      expect(run.stderr).toContain("401");
      expect(hrana.stats.unauthorized).toBeGreaterThan(refusedBefore);
    },
    TEST_TIMEOUT_MS,
  );

  test(
    "an unreachable database URL makes Baton exit at startup with the connection error",
    async () => {
      const run = await startAndWaitForExit({ BATON_DB_URL: "http://127.0.0.1:1", BATON_DB_AUTH_TOKEN: TOKEN });
      expect(run.hung).toBe(false);
      expect(run.exitCode).not.toBe(0);
      expect(run.stderr).toContain("ECONNREFUSED");
    },
    TEST_TIMEOUT_MS,
  );

  test(
    "no token at all fails the same way",
    async () => {
      const run = await startAndWaitForExit({ BATON_DB_URL: hrana.url, BATON_DB_AUTH_TOKEN: undefined });
      expect(run.hung).toBe(false);
      expect(run.exitCode).not.toBe(0);
      expect(run.stderr).toContain("401");
    },
    TEST_TIMEOUT_MS,
  );
});
