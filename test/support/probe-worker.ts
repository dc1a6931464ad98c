/**
 * A small test Worker built the way `npm run build:worker` builds Baton (wrangler, its default
 * module rules) and served by miniflare in real workerd: how a port's implementation is proven
 * on the Workers runtime without the whole engine around it.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Log, LogLevel, Miniflare } from "miniflare";

const ROOT = resolve(import.meta.dir, "../..");

export interface ProbeWorker {
  mf: Miniflare;
  /** The files wrangler wrote (the entry module and any .wasm beside it). */
  files: string[];
  dispose(): Promise<void>;
}

/** Bundles the Worker described by `wranglerToml` and serves it; `entry` is the bundled module's file name. */
export async function startProbeWorker(wranglerToml: string, entry: string): Promise<ProbeWorker> {
  const outdir = mkdtempSync(join(tmpdir(), "baton-probe-worker-"));
  const wrangler = Bun.spawn([join(ROOT, "node_modules", ".bin", "wrangler"), "deploy", "--dry-run", "--outdir", outdir, "--config", wranglerToml], {
    cwd: ROOT,
    stdout: "pipe",
    stderr: "pipe",
  });
  const [code, out, err] = await Promise.all([wrangler.exited, new Response(wrangler.stdout).text(), new Response(wrangler.stderr).text()]);
  if (code !== 0) throw new Error(`wrangler failed (${code}):\n${out}\n${err}`);
  const mf = new Miniflare({
    modules: true,
    modulesRoot: outdir,
    scriptPath: join(outdir, entry),
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: "2026-04-20",
    cf: false,
    log: new Log(LogLevel.WARN),
  });
  await mf.ready;
  return {
    mf,
    files: readdirSync(outdir).filter((f) => !f.endsWith(".map") && f !== "README.md"),
    async dispose() {
      await mf.dispose();
      rmSync(outdir, { recursive: true, force: true });
    },
  };
}
