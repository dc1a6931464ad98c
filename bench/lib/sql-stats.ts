/**
 * Preloaded into the Baton server (`bun --preload`) when BENCH_SQL_STATS is set: counts every
 * SQL statement the libsql driver prepares and the time spent preparing and running it, and
 * writes the tally to $BENCH_SQL_STATS_FILE when the server exits (and to `<file>.<n>` on each
 * SIGUSR2). It wraps the driver from
 * outside, so the server's code is measured unchanged (apart from this bookkeeping's own cost).
 */
import { writeFileSync } from "node:fs";
import Database from "libsql";

interface Tally {
  count: number;
  ms: number;
}

const file = process.env.BENCH_SQL_STATS_FILE;
const tallies = new Map<string, Tally>();

/** One key per statement shape: multi-row VALUES lists of any length count as one. */
function shape(sql: string): string {
  return sql
    .replace(/\s+/g, " ")
    .replace(/(\((\?, )*\?\))(, \((\?, )*\?\))+/g, "$1, …")
    .replace(/\((\?, ){3,}\?\)/g, "(?, …)")
    .slice(0, 160);
}

function tally(sql: string, ms: number): void {
  const key = shape(sql);
  const t = tallies.get(key);
  if (t) {
    t.count++;
    t.ms += ms;
  } else tallies.set(key, { count: 1, ms });
}

type AnyFn = (...args: unknown[]) => unknown;
const proto = Database.prototype as unknown as { prepare: AnyFn };
const prepare = proto.prepare;
proto.prepare = function (this: unknown, ...args: unknown[]) {
  const sql = String(args[0]);
  const t0 = performance.now();
  const stmt = prepare.apply(this, args) as Record<string, AnyFn>;
  let spent = performance.now() - t0;
  for (const method of ["run", "all", "get"]) {
    const original = stmt[method];
    stmt[method] = function (this: unknown, ...a: unknown[]) {
      const t1 = performance.now();
      try {
        return original.apply(this, a);
      } finally {
        spent += performance.now() - t1;
        tally(sql, spent);
        spent = 0;
      }
    };
  }
  return stmt;
};

function write(path: string): void {
  const statements = [...tallies].map(([sql, t]) => ({ sql, ...t })).sort((a, b) => b.ms - a.ms);
  writeFileSync(path, JSON.stringify({ statements }));
}

// SIGUSR2 asks for a snapshot (`<file>.<n>`), so a measured window can be told from set-up.
let snapshots = 0;
process.on("SIGUSR2", () => file && write(`${file}.${snapshots++}`));
process.on("exit", () => file && write(file));
