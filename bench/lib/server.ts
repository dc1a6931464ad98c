/**
 * A fresh Baton server per scenario: `bun adapters/bun/main.ts` as a child process, on a free
 * loopback port, with a new data directory that is deleted afterwards. With `profileDir` the
 * server runs under Bun's CPU profiler and writes `<profileName>.cpuprofile` (and a Markdown
 * digest) there when it exits.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Subprocess } from "bun";

export const ROOT = resolve(import.meta.dir, "../..");

export interface BenchServer {
  baseUrl: string;
  pid: number;
  /** With `sqlStatsFile`: the statements counted so far, by shape. */
  sqlSnapshot(): Promise<SqlTally[]>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const probe = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  const port = probe.port!;
  probe.stop(true);
  return port;
}

export async function waitForHttp(url: string, child: Subprocess, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited with code ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await Bun.sleep(25);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

export interface SqlTally {
  sql: string;
  count: number;
  ms: number;
}

export interface ServerOptions {
  profileDir?: string;
  profileName?: string;
  /** Count the SQL statements the server runs (bench/lib/sql-stats.ts) into this JSON file. */
  sqlStatsFile?: string;
}

export async function startBatonServer(options: ServerOptions = {}): Promise<BenchServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "baton-bench-"));
  const baseUrl = `http://127.0.0.1:${port}`;
  const profiling = options.profileDir
    ? ["--cpu-prof", "--cpu-prof-md", `--cpu-prof-dir=${options.profileDir}`, `--cpu-prof-name=${options.profileName ?? `baton-${port}`}`]
    : [];
  const preload = options.sqlStatsFile ? ["--preload", join(ROOT, "bench/lib/sql-stats.ts")] : [];
  const child = Bun.spawn([process.execPath, ...profiling, ...preload, join(ROOT, "adapters/bun/main.ts")], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", BATON_DATA_DIR: dataDir, BENCH_SQL_STATS_FILE: options.sqlStatsFile ?? "" },
    stdout: "ignore",
    stderr: "inherit",
  });
  try {
    await waitForHttp(`${baseUrl}/health`, child);
  } catch (err) {
    child.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  let snapshots = 0;
  return {
    baseUrl,
    pid: child.pid,
    async sqlSnapshot() {
      if (!options.sqlStatsFile) return [];
      const path = `${options.sqlStatsFile}.${snapshots++}`;
      child.kill("SIGUSR2");
      for (let i = 0; i < 200 && !existsSync(path); i++) await Bun.sleep(10);
      // The file is written in one call; give a partial write a moment to finish.
      await Bun.sleep(20);
      return (JSON.parse(readFileSync(path, "utf8")) as { statements: SqlTally[] }).statements;
    },
    async stop() {
      if (child.exitCode === null) {
        // SIGTERM lets the server close cleanly, which is also when the profiler writes its file.
        child.kill("SIGTERM");
        const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await child.exited;
        clearTimeout(killer);
      }
      rmSync(dataDir, { recursive: true, force: true });
      if (options.sqlStatsFile) {
        for (let i = 0; i < snapshots; i++) rmSync(`${options.sqlStatsFile}.${i}`, { force: true });
        rmSync(options.sqlStatsFile, { force: true });
      }
    },
  };
}

export async function postJson(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
}
