/**
 * Reads a `.cpuprofile` written by `bun --cpu-prof` (e.g. from BENCH_PROFILE) and says where the
 * server's time goes in terms of our own code: each sample is charged to the nearest frame that
 * lies in src/ or adapters/ ("who asked for this work"), next to the plain self-time list.
 *
 *   bun bench/profile-summary.ts <file.cpuprofile> [top=25]
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: bun bench/profile-summary.ts <file.cpuprofile> [top]");
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;

const byId = new Map<number, ProfileNode>();
const parent = new Map<number, number>();
for (const n of profile.nodes) {
  byId.set(n.id, n);
  for (const c of n.children ?? []) parent.set(c, n.id);
}

const ours = (n: ProfileNode) => /\/(src|adapters)\//.test(n.callFrame.url);
const label = (n: ProfileNode) => {
  const { functionName, url, lineNumber } = n.callFrame;
  const where = url ? url.replace(/^.*?\/(src|adapters|node_modules)\//, "$1/") + (lineNumber >= 0 ? `:${lineNumber + 1}` : "") : "[native]";
  return `${functionName || "(anonymous)"}  ${where}`;
};
const idle = (n: ProfileNode) => ["(idle)", "(program)", "(garbage collector)"].includes(n.callFrame.functionName);

const self = new Map<string, number>();
const charged = new Map<string, number>();
/** The native SQLite calls, split by which of our functions issued them. */
const sqliteBy = new Map<string, number>();
/** Whole stacks (leaf first, a few frames) of the heaviest leaves: async stacks end at an await. */
const stacks = new Map<string, number>();
/** Self time by where the code lives: a package, our own source, or the runtime's natives. */
const byOwner = new Map<string, number>();
const owner = (n: ProfileNode) => {
  const { functionName, url } = n.callFrame;
  if (functionName.startsWith("libsql_js::")) return "SQLite via libsql (native)";
  const pkg = url.match(/node_modules\/((@[^/]+\/)?[^/]+)/);
  if (pkg) return `package ${pkg[1]}`;
  if (/\/(src|adapters)\//.test(url)) return "Baton src/ + adapters/";
  if (!url) return `runtime native: ${functionName || "(anonymous)"}`;
  return "other JS";
};
let total = 0;
let idleTotal = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  const node = byId.get(id)!;
  if (idle(node)) {
    idleTotal += dt;
    return;
  }
  total += dt;
  self.set(label(node), (self.get(label(node)) ?? 0) + dt);
  byOwner.set(owner(node), (byOwner.get(owner(node)) ?? 0) + dt);
  let cur: ProfileNode | undefined = node;
  while (cur && !ours(cur)) cur = parent.has(cur.id) ? byId.get(parent.get(cur.id)!) : undefined;
  const chargedTo = cur ? label(cur) : "(outside src/: runtime, HTTP, timers)";
  charged.set(chargedTo, (charged.get(chargedTo) ?? 0) + dt);
  const frames: string[] = [];
  for (let f: ProfileNode | undefined = node; f && frames.length < 7; f = parent.has(f.id) ? byId.get(parent.get(f.id)!) : undefined) {
    if (f.callFrame.functionName !== "(root)") frames.push(f.callFrame.functionName || "(anonymous)");
  }
  const stackKey = frames.join(" ← ");
  stacks.set(stackKey, (stacks.get(stackKey) ?? 0) + dt);
  if (node.callFrame.functionName.startsWith("libsql_js::")) {
    const key = `${node.callFrame.functionName.replace("libsql_js::", "")}  ←  ${chargedTo}`;
    sqliteBy.set(key, (sqliteBy.get(key) ?? 0) + dt);
  }
});

function print(title: string, m: Map<string, number>): void {
  console.log(`\n${title}`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((v / total) * 100).toFixed(1).padStart(5)}%  ${(v / 1000).toFixed(0).padStart(6)} ms  ${k}`);
  }
}

console.log(`${file}: ${(total / 1e6).toFixed(2)} s busy, ${(idleTotal / 1e6).toFixed(2)} s idle`);
print("Self time by owner", byOwner);
print("Self time (busy samples)", self);
print("Charged to the nearest src/ or adapters/ frame (self time of everything it called)", charged);
print("SQLite native calls by caller", sqliteBy);
print("Heaviest stacks (leaf ← callers; async code shows only back to its last await)", stacks);
