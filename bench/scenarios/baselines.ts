/** The ceilings Baton's figures are compared with, measured on the same machine in the same run. */
import { join } from "node:path";
import { spawnChild, type Child } from "../lib/children.ts";
import { cpuSeconds } from "../lib/proc.ts";
import { freePort, ROOT, waitForHttp } from "../lib/server.ts";
import type { Summary } from "../lib/stats.ts";

export interface HttpBaseline {
  clients: number;
  connectionsPerClient: number;
  requestsPerSecond: number;
  serverCpuPer1000Requests: number;
  errors: number;
}

/** `clients` load processes with `connections` closed loops each against the trivial endpoint. */
export async function runHttpBaseline(clients: number, connections: number, durationMs: number): Promise<HttpBaseline> {
  const port = await freePort();
  const server = Bun.spawn([process.execPath, join(ROOT, "bench/baseline-http.ts")], { cwd: ROOT, env: { ...process.env, PORT: String(port) }, stdout: "inherit", stderr: "inherit" });
  const loaders: Child[] = [];
  try {
    await waitForHttp(`http://127.0.0.1:${port}/health`, server);
    for (let i = 0; i < clients; i++) {
      loaders.push(
        spawnChild("http-load.ts", { BENCH_URL: `http://127.0.0.1:${port}/echo`, BENCH_CONNECTIONS: String(connections), BENCH_DURATION_MS: String(durationMs) }),
      );
    }
    await Promise.all(loaders.map((l) => l.next("ready")));
    const cpu0 = cpuSeconds(server.pid);
    for (const l of loaders) l.send({ type: "go" });
    const results = await Promise.all(loaders.map((l) => l.next("result", durationMs + 30_000)));
    const cpu1 = cpuSeconds(server.pid);
    const requests = results.reduce((s, r) => s + (r.requests as number), 0);
    const seconds = Math.max(...results.map((r) => r.seconds as number));
    return {
      clients,
      connectionsPerClient: connections,
      requestsPerSecond: requests / seconds,
      serverCpuPer1000Requests: ((cpu1 - cpu0) / requests) * 1000,
      errors: results.reduce((s, r) => s + (r.errors as number), 0),
    };
  } finally {
    await Promise.all(loaders.map((l) => l.kill()));
    server.kill("SIGKILL");
    await server.exited;
  }
}

export interface SqliteBaseline {
  driver: string;
  commitsPerSecond: number;
  cpuMsPerCommit: number;
  commitMs: Summary;
  /** Commits that waited for a WAL checkpoint's fsync (over 5 ms), and the time they took together. */
  commitsOver5ms: number;
  msInCommitsOver5ms: number;
  seconds: number;
}

/** `driver`: client (@libsql/client batch, as Baton), libsql (prepared statements), bun (bun:sqlite). */
export async function runSqliteBaseline(driver: string, durationMs: number): Promise<SqliteBaseline> {
  const child = spawnChild("sqlite-baseline.ts", { BENCH_DURATION_MS: String(durationMs), BENCH_SQLITE_DRIVER: driver });
  try {
    const { type: _type, commits: _commits, ...result } = await child.next("result", durationMs + 30_000);
    return result as unknown as SqliteBaseline;
  } finally {
    await child.kill();
  }
}
