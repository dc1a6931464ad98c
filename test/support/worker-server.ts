/**
 * Serves the real Worker bundle in real workerd (miniflare) on a free port with its own state
 * directory: the Cloudflare build's counterpart of bun-server.ts.
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Miniflare } from "miniflare";
import { applyD1Migrations, buildWorker, d1StateDir, startLocalWorker } from "../../adapters/cloudflare/local-runtime.ts";

export interface WorkerServer {
  baseUrl: string;
  persistDir: string;
  /** The current miniflare instance (replaced by `restart()`): bindings, `getD1Database("DB")`, ... */
  readonly mf: Miniflare;
  /** Kills workerd and serves the same bundle and state again on the same base URL. */
  restart(): Promise<void>;
  /** Fires the cron trigger (default: wrangler.toml's first cron). Over HTTP: GET /cdn-cgi/handler/scheduled?cron=... */
  scheduled(cron?: string): Promise<{ outcome: string; noRetry: boolean }>;
  /** Stops workerd, and deletes the state directory if this harness made it. */
  dispose(): Promise<void>;
}

const tempDirs: string[] = [];
process.once("exit", () => tempDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "baton-worker-"));
  tempDirs.push(dir);
  return dir;
}

// Once per test process: the bundle, and one D1 migrated by wrangler that fresh state directories
// start from (a copy costs milliseconds; a wrangler run, seconds).
let built: Promise<void> | undefined;
let migrated: Promise<string> | undefined;

async function prepareState(persistDir: string): Promise<void> {
  if (existsSync(d1StateDir(persistDir))) return applyD1Migrations(persistDir, { quiet: true });
  migrated ??= (async () => {
    const dir = tempDir();
    await applyD1Migrations(dir, { quiet: true });
    return dir;
  })();
  // workerd rebuilds the -shm index; copying it would be copying a stale one.
  cpSync(d1StateDir(await migrated), d1StateDir(persistDir), { recursive: true, filter: (src) => !src.endsWith("-shm") });
}

export async function startWorkerServer(opts: { persistDir?: string } = {}): Promise<WorkerServer> {
  built ??= buildWorker({ quiet: true });
  await built;
  const owned = opts.persistDir === undefined;
  const persistDir = opts.persistDir ?? tempDir();
  await prepareState(persistDir);
  const worker = await startLocalWorker({ persistDir });
  return {
    baseUrl: worker.url.origin,
    persistDir,
    get mf() {
      return worker.mf;
    },
    restart: () => worker.restart(),
    scheduled: (cron) => worker.scheduled(cron),
    async dispose() {
      await worker.dispose();
      if (owned) rmSync(persistDir, { recursive: true, force: true });
    },
  };
}
