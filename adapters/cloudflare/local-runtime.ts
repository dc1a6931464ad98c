/**
 * Runs the deployable Worker bundle (what `npm run build:worker` writes) in workerd through
 * miniflare, on this machine, for `npm run start:worker` and for the tests.
 *
 * wrangler.toml stays the one description of the Worker: wrangler itself turns it into miniflare
 * options, builds the bundle and applies the D1 migrations, so local runs get what a deploy gets.
 * State lives under `persistDir` in the layout of `wrangler dev --persist-to`, so
 * `wrangler d1 execute DB --local --persist-to <dir>` can inspect it.
 */
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { basename, extname, join, resolve } from "node:path";
import { Log, LogLevel, Miniflare, type MiniflareOptions } from "miniflare";
import { unstable_getMiniflareWorkerOptions, unstable_getVarsForDev, unstable_readConfig } from "wrangler";

export const ROOT = resolve(import.meta.dirname, "../..");
const CONFIG_PATH = join(ROOT, "wrangler.toml");
/** Must match the `--outdir` of the `build:worker` script in package.json. */
export const BUNDLE_DIR = join(ROOT, "dist/worker");

const config = unstable_readConfig({ config: CONFIG_PATH });
if (!config.main) throw new Error(`${CONFIG_PATH} names no main module`);
/** The bundled entry module: wrangler names it after `main`. */
export const BUNDLE_ENTRY = join(BUNDLE_DIR, `${basename(config.main, extname(config.main))}.js`);
export const crons: readonly string[] = config.triggers.crons ?? [];

function run(command: string, args: string[], quiet: boolean): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ["ignore", quiet ? "pipe" : "inherit", quiet ? "pipe" : "inherit"] });
    let output = "";
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    child.on("error", fail);
    child.on("exit", (code, signal) => {
      if (code === 0) done();
      else fail(new Error(`${command} ${args.join(" ")} failed (${signal ?? `exit ${code}`})\n${output}`));
    });
  });
}

export function buildWorker({ quiet = false } = {}): Promise<void> {
  return run("npm", ["run", "--silent", "build:worker"], quiet);
}

/** Where the D1 databases of `persistDir` live. */
export function d1StateDir(persistDir: string): string {
  return join(persistDir, "v3", "d1");
}

/** The files that decide what `applyD1Migrations` makes: wrangler itself, wrangler.toml, the migrations. */
export function d1MigrationInputs(): string[] {
  const migrations = config.d1_databases.flatMap(({ migrations_dir = "migrations" }) => {
    const dir = resolve(ROOT, migrations_dir);
    return readdirSync(dir).filter((file) => file.endsWith(".sql")).sort().map((file) => join(dir, file));
  });
  return [join(ROOT, "node_modules", "wrangler", "package.json"), CONFIG_PATH, ...migrations];
}

/** `wrangler d1 migrations apply --local`: applies the unapplied files, recorded in `d1_migrations` as in production. */
export async function applyD1Migrations(persistDir: string, { quiet = false } = {}): Promise<void> {
  const wrangler = join(ROOT, "node_modules", ".bin", "wrangler");
  for (const { binding } of config.d1_databases) {
    await run(wrangler, ["d1", "migrations", "apply", binding, "--local", "--config", CONFIG_PATH, "--persist-to", persistDir], quiet);
  }
}

export interface LocalWorkerOptions {
  persistDir: string;
  host?: string;
  /** 0 picks a free port; restarts keep the port first bound. */
  port?: number;
  /** Load `.dev.vars` (or `.env`) as `wrangler dev` does. Off for tests, so they do not depend on a developer's file. */
  devVars?: boolean;
}

export interface LocalWorker {
  readonly url: URL;
  /** The current instance; `restart()` replaces it. */
  readonly mf: Miniflare;
  /** Kills workerd (SIGKILL, as miniflare disposes) and serves the same bundle and state again on the same port. */
  restart(): Promise<void>;
  /** Runs the Worker's `scheduled()` handler as a cron trigger would; defaults to the first cron in wrangler.toml. */
  scheduled(cron?: string): Promise<{ outcome: string; noRetry: boolean }>;
  dispose(): Promise<void>;
}

function miniflareOptions(options: LocalWorkerOptions): MiniflareOptions {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(CONFIG_PATH);
  const vars = options.devVars ? unstable_getVarsForDev(CONFIG_PATH, undefined, config.vars, undefined, true) : {};
  return {
    ...workerOptions,
    // Durable Object storage is keyed by `<name>-<class>`, as under `wrangler dev`.
    name: config.name,
    bindings: { ...workerOptions.bindings, ...Object.fromEntries(Object.entries(vars).map(([key, v]) => [key, v.value])) },
    modules: true,
    modulesRoot: BUNDLE_DIR,
    scriptPath: BUNDLE_ENTRY,
    defaultPersistRoot: join(options.persistDir, "v3"),
    host: options.host ?? "127.0.0.1",
    // Also serves /cdn-cgi/handler/scheduled?cron=..., like `wrangler dev --test-scheduled`.
    unsafeTriggerHandlers: true,
    // The real `request.cf` would be fetched from Cloudflare at start-up: stay offline with the placeholder.
    cf: false,
    log: new Log(LogLevel.WARN),
  };
}

/** Serves the already built bundle on state already migrated (see `buildWorker`, `applyD1Migrations`). */
export async function startLocalWorker(options: LocalWorkerOptions): Promise<LocalWorker> {
  const base = miniflareOptions(options);
  let mf = new Miniflare({ ...base, port: options.port ?? 0 });
  const url = await mf.ready;
  const again: MiniflareOptions = { ...base, port: Number(url.port) };
  return {
    url,
    get mf() {
      return mf;
    },
    async restart() {
      await mf.dispose();
      mf = new Miniflare(again);
      await mf.ready;
    },
    async scheduled(cron = crons[0] ?? "* * * * *") {
      const worker = await mf.getWorker();
      return worker.scheduled({ cron, scheduledTime: new Date() });
    },
    dispose: () => mf.dispose(),
  };
}
