/**
 * Serves the real Worker bundle in real workerd (miniflare) on a free port with its own state
 * directory: the Cloudflare build's counterpart of bun-server.ts.
 */
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Miniflare } from "miniflare";
import { ROOT, applyD1Migrations, buildWorker, d1MigrationInputs, d1StateDir, startLocalWorker } from "../../adapters/cloudflare/local-runtime.ts";

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

// D1 as wrangler migrated it, kept between test processes and keyed by what it was made from:
// a fresh state directory starts as a copy (milliseconds) instead of a wrangler run (seconds).
const D1_CACHE = join(ROOT, "node_modules", ".cache", "baton-worker-d1");

async function migratedD1(): Promise<string> {
  const hash = createHash("sha256");
  for (const file of d1MigrationInputs()) hash.update(file).update(readFileSync(file));
  const dir = join(D1_CACHE, hash.digest("hex").slice(0, 16));
  if (existsSync(dir)) return dir;
  mkdirSync(D1_CACHE, { recursive: true });
  const scratch = mkdtempSync(join(D1_CACHE, "tmp-"));
  await applyD1Migrations(scratch, { quiet: true });
  try {
    renameSync(scratch, dir);
  } catch {
    rmSync(scratch, { recursive: true, force: true }); // another test process made it first
  }
  return dir;
}

let built: Promise<void> | undefined;
let migrated: Promise<string> | undefined;

async function prepareState(persistDir: string): Promise<void> {
  if (existsSync(d1StateDir(persistDir))) return applyD1Migrations(persistDir, { quiet: true });
  migrated ??= migratedD1();
  // workerd rebuilds the -shm index; a copied one could be stale.
  cpSync(d1StateDir(await migrated), d1StateDir(persistDir), { recursive: true, filter: (src) => !src.endsWith("-shm") });
}

export async function startWorkerServer(opts: { persistDir?: string } = {}): Promise<WorkerServer> {
  built ??= buildWorker({ quiet: true }); // once per test process
  await built;
  const owned = opts.persistDir === undefined;
  const persistDir = opts.persistDir ?? mkdtempSync(join(tmpdir(), "baton-worker-"));
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
