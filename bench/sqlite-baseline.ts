/**
 * The disk ceiling: how many small write transactions per second SQLite commits to a file
 * database set up as Baton's (WAL, synchronous=NORMAL), each shaped like one Baton decision —
 * update an execution row, upsert a task row, add or remove a queue message, with documents of
 * Baton's size. BENCH_SQLITE_DRIVER picks how the statements reach SQLite:
 *
 * - `client` (default): `@libsql/client`'s `batch`, as Baton's store does today;
 * - `libsql`: the `libsql` driver underneath it, statements prepared once and reused;
 * - `bun`: `bun:sqlite`, statements prepared once and reused.
 *
 * Environment: BENCH_DURATION_MS, BENCH_SQLITE_DRIVER. Reports over IPC when spawned by run.ts,
 * else prints JSON.
 */
import { createClient } from "@libsql/client";
import { Database as BunDatabase } from "bun:sqlite";
import Libsql from "libsql";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { summarize, wallNow } from "./lib/stats.ts";

const durationMs = Number(process.env.BENCH_DURATION_MS ?? 5000);
const driver = process.env.BENCH_SQLITE_DRIVER ?? "client";

const SCHEMA = [
  "PRAGMA journal_mode = WAL",
  "PRAGMA synchronous = NORMAL",
  "CREATE TABLE executions (id TEXT PRIMARY KEY, rev INTEGER NOT NULL, status TEXT NOT NULL, doc TEXT NOT NULL)",
  "CREATE TABLE tasks (id TEXT PRIMARY KEY, execution_id TEXT NOT NULL, seq INTEGER NOT NULL, doc TEXT NOT NULL)",
  "CREATE INDEX tasks_execution ON tasks (execution_id, seq)",
  "CREATE TABLE messages (id INTEGER PRIMARY KEY AUTOINCREMENT, task_id TEXT NOT NULL UNIQUE, queue TEXT NOT NULL, visible_at INTEGER NOT NULL)",
  "CREATE INDEX messages_poll ON messages (queue, id)",
];
const INSERT_EXECUTION = "INSERT INTO executions (id, rev, status, doc) VALUES (?, 0, 'RUNNING', ?)";
const UPDATE_EXECUTION = "UPDATE executions SET rev = rev + 1, doc = ? WHERE id = ?";
const UPSERT_TASK = "INSERT INTO tasks (id, execution_id, seq, doc) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc";
const ENQUEUE = "INSERT INTO messages (task_id, queue, visible_at) VALUES (?, 'bench', 0)";
const DEQUEUE = "DELETE FROM messages WHERE task_id = ?";

type Args = (string | number)[];
interface Writer {
  /** One transaction of [sql, args] statements. */
  commit(statements: [string, Args][]): Promise<void> | void;
  close(): void;
}

async function openWriter(path: string): Promise<Writer> {
  if (driver === "client") {
    const client = createClient({ url: `file:${path}` });
    for (const s of SCHEMA) await client.execute(s);
    return {
      commit: async (statements) => void (await client.batch(statements.map(([sql, args]) => ({ sql, args })), "write")),
      close: () => client.close(),
    };
  }
  // Both synchronous drivers: prepare each statement once, wrap each batch in BEGIN/COMMIT.
  const db: { exec(sql: string): unknown; prepare(sql: string): unknown; close(): void } = driver === "bun" ? new BunDatabase(path) : new Libsql(path);
  for (const s of SCHEMA) db.exec(s);
  const prepared = new Map<string, { run(...args: Args): unknown }>();
  const statement = (sql: string) => {
    let s = prepared.get(sql);
    if (!s) prepared.set(sql, (s = db.prepare(sql) as unknown as { run(...args: Args): unknown }));
    return s;
  };
  const begin = statement("BEGIN");
  const commit = statement("COMMIT");
  return {
    commit(statements) {
      begin.run();
      for (const [sql, args] of statements) statement(sql).run(...args);
      commit.run();
    },
    close: () => db.close(),
  };
}

const dir = mkdtempSync(join(tmpdir(), "baton-sqlite-bench-"));
const writer = await openWriter(join(dir, "bench.db"));

// Baton's execution document is ~0.7 kB without its tasks, a task document ~1.5 kB.
const executionDoc = JSON.stringify({ pad: "x".repeat(700) });
const taskDoc = JSON.stringify({ pad: "y".repeat(1500) });
const executions = Array.from({ length: 500 }, () => crypto.randomUUID());
await writer.commit(executions.map((id) => [INSERT_EXECUTION, [id, executionDoc]]));

let commits = 0;
let seq = 0;
let pendingMessage: string | undefined;
const latencies: number[] = [];
const cpu0 = process.cpuUsage();
const began = wallNow();
const until = began + durationMs;
while (wallNow() < until) {
  const execution = executions[commits % executions.length];
  const taskId = crypto.randomUUID();
  const t0 = wallNow();
  await writer.commit([
    [UPDATE_EXECUTION, [executionDoc, execution]],
    [UPSERT_TASK, [taskId, execution, seq++, taskDoc]],
    pendingMessage ? [DEQUEUE, [pendingMessage]] : [ENQUEUE, [taskId]],
  ]);
  latencies.push(wallNow() - t0);
  pendingMessage = pendingMessage ? undefined : taskId;
  commits++;
}
const seconds = (wallNow() - began) / 1000;
const cpu = process.cpuUsage(cpu0);
writer.close();
rmSync(dir, { recursive: true, force: true });

// WAL with synchronous=NORMAL fsyncs only when it checkpoints (about every 1,000 pages): those
// few commits wait for the disk, and with a synchronous driver so does everything else.
const slow = latencies.filter((l) => l > 5);
const result = {
  type: "result",
  driver,
  commits,
  seconds,
  commitsPerSecond: commits / seconds,
  cpuMsPerCommit: (cpu.user + cpu.system) / 1000 / commits,
  commitMs: summarize(latencies),
  commitsOver5ms: slow.length,
  msInCommitsOver5ms: slow.reduce((a, b) => a + b, 0),
};
if (process.send) process.send(result);
else console.log(JSON.stringify(result));
