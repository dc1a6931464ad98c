/**
 * Starts the real self-hosted server (`bun adapters/bun/main.ts`) as a child process on a free
 * port with its own data directory, for tests that cross the process boundary.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Subprocess } from "bun";

const ROOT = resolve(import.meta.dir, "../..");

export interface ServerProcess {
  baseUrl: string;
  dataDir: string;
  process: Subprocess;
  /** SIGKILL, no goodbye: what a crash looks like. */
  kill(): Promise<void>;
  /** Starts the server again on the same port and data directory. */
  restart(): Promise<void>;
  /** Stops the server and deletes its data. */
  dispose(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = Bun.serve({ port: 0, fetch: () => new Response() });
  const port = probe.port!;
  probe.stop(true);
  return port;
}

async function waitUntilHealthy(baseUrl: string, child: Subprocess, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${baseUrl}/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await Bun.sleep(50);
  }
  throw new Error(`server at ${baseUrl} did not become healthy within ${timeoutMs} ms`);
}

export async function startBunServer(env: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "baton-test-"));
  const baseUrl = `http://127.0.0.1:${port}`;
  const spawn = () =>
    Bun.spawn([process.execPath, join(ROOT, "adapters/bun/main.ts")], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", BATON_DATA_DIR: dataDir, ...env },
      stdout: "ignore",
      stderr: "inherit",
    });
  const server: ServerProcess = {
    baseUrl,
    dataDir,
    process: spawn(),
    async kill() {
      server.process.kill("SIGKILL");
      await server.process.exited;
    },
    async restart() {
      server.process = spawn();
      await waitUntilHealthy(baseUrl, server.process);
    },
    async dispose() {
      if (server.process.exitCode === null) {
        server.process.kill("SIGTERM");
        await server.process.exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  await waitUntilHealthy(baseUrl, server.process);
  return server;
}
