/**
 * The Workers build as a bench server: the deployable bundle in real workerd through miniflare
 * (test/support/worker-server.ts), on 127.0.0.1, with a fresh state directory. Its figures are a
 * functional check, not Cloudflare's: one local workerd process runs the Worker, every Durable
 * Object and D1, with no network between them.
 */
import { readdirSync, readFileSync } from "node:fs";
import { startWorkerServer } from "../../test/support/worker-server.ts";
import type { BenchServer } from "./server.ts";

/** Processes whose parent is `ppid`, with their command names. */
function children(ppid: number): { pid: number; comm: string }[] {
  const out: { pid: number; comm: string }[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const parent = Number(stat.slice(close + 2).split(" ")[1]);
      if (parent === ppid) out.push({ pid: Number(entry), comm: stat.slice(stat.indexOf("(") + 1, close) });
    } catch {
      // the process went away meanwhile
    }
  }
  return out;
}

/** workerd among this process's children (miniflare spawns it), searched two levels deep. */
function findWorkerd(): number {
  const direct = children(process.pid);
  const all = [...direct, ...direct.flatMap((c) => children(c.pid))];
  const found = all.filter((c) => c.comm.startsWith("workerd"));
  if (found.length !== 1) throw new Error(`expected one workerd child process, found ${found.length} (${all.map((c) => c.comm).join(", ")})`);
  return found[0].pid;
}

export async function startMiniflareServer(): Promise<BenchServer> {
  const server = await startWorkerServer();
  let pid: number;
  try {
    pid = findWorkerd();
  } catch (err) {
    await server.dispose();
    throw err;
  }
  return {
    baseUrl: server.baseUrl,
    pid,
    sqlSnapshot: async () => [],
    stop: () => server.dispose(),
  };
}
