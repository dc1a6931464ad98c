/**
 * The disk ceiling: how many small write transactions per second @libsql/client commits to a
 * file database set up as Baton's (WAL, synchronous=NORMAL), each shaped like one Baton
 * decision — update an execution row, upsert a task row, add or remove a queue message, with
 * documents of Baton's size — written with `batch` as Baton's store does.
 * Environment: BENCH_DURATION_MS. Reports over IPC when spawned by run.ts, else prints JSON.
 */
import { createClient } from "@libsql/client";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { wallNow } from "./lib/stats.ts";

const durationMs = Number(process.env.BENCH_DURATION_MS ?? 5000);
const dir = mkdtempSync(join(tmpdir(), "baton-sqlite-bench-"));
const client = createClient({ url: `file:${join(dir, "bench.db")}` });
await client.execute("PRAGMA journal_mode = WAL");
await client.execute("PRAGMA synchronous = NORMAL");
await client.executeMultiple(`
  CREATE TABLE executions (id TEXT PRIMARY KEY, rev INTEGER NOT NULL, status TEXT NOT NULL, doc TEXT NOT NULL);
  CREATE TABLE tasks (id TEXT PRIMARY KEY, execution_id TEXT NOT NULL, seq INTEGER NOT NULL, doc TEXT NOT NULL);
  CREATE INDEX tasks_execution ON tasks (execution_id, seq);
  CREATE TABLE messages (id INTEGER PRIMARY KEY AUTOINCREMENT, task_id TEXT NOT NULL UNIQUE, queue TEXT NOT NULL, visible_at INTEGER NOT NULL);
  CREATE INDEX messages_poll ON messages (queue, id);
`);

// Baton's execution document is ~0.7 kB without its tasks, a task document ~1.5 kB.
const executionDoc = JSON.stringify({ pad: "x".repeat(700) });
const taskDoc = JSON.stringify({ pad: "y".repeat(1500) });
const executions = Array.from({ length: 500 }, () => crypto.randomUUID());
await client.batch(
  executions.map((id) => ({ sql: "INSERT INTO executions (id, rev, status, doc) VALUES (?, 0, 'RUNNING', ?)", args: [id, executionDoc] })),
  "write",
);

let commits = 0;
let seq = 0;
const began = wallNow();
const until = began + durationMs;
let pendingMessage: string | undefined;
while (wallNow() < until) {
  const execution = executions[commits % executions.length];
  const taskId = crypto.randomUUID();
  const third = pendingMessage
    ? { sql: "DELETE FROM messages WHERE task_id = ?", args: [pendingMessage] }
    : { sql: "INSERT INTO messages (task_id, queue, visible_at) VALUES (?, 'bench', 0)", args: [taskId] };
  await client.batch(
    [
      { sql: "UPDATE executions SET rev = rev + 1, doc = ? WHERE id = ?", args: [executionDoc, execution] },
      { sql: "INSERT INTO tasks (id, execution_id, seq, doc) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc", args: [taskId, execution, seq++, taskDoc] },
      third,
    ],
    "write",
  );
  pendingMessage = pendingMessage ? undefined : taskId;
  commits++;
}
const seconds = (wallNow() - began) / 1000;
client.close();
rmSync(dir, { recursive: true, force: true });

const result = { type: "result", commits, seconds, commitsPerSecond: commits / seconds };
if (process.send) process.send(result);
else console.log(JSON.stringify(result));
