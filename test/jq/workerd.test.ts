/**
 * The same jq in real workerd: test/jq/worker (which imports src/jq/jqjs.ts, as the engine's
 * Worker build does) bundled by wrangler as `npm run build:worker` bundles Baton, served by
 * miniflare. Runs the whole table of cases.ts, the error cases, and the limits.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { startProbeWorker, type ProbeWorker } from "../support/probe-worker.ts";
import { DEFAULT_MAX_STEPS } from "../../src/jq/jqjs.ts";
import { cases, errorCases } from "./cases.ts";

type Result = { ok: true; outputs: unknown[] } | { ok: false; error: { kind: string; message: string } };

let worker: ProbeWorker;

async function post<T>(body: unknown): Promise<T> {
  const res = await worker.mf.dispatchFetch("http://jq.test/", { method: "POST", body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

beforeAll(async () => {
  worker = await startProbeWorker(join(import.meta.dir, "worker", "wrangler.toml"), "index.js");
  // Plain JavaScript: one module, nothing beside it to load.
  expect(worker.files).toEqual(["index.js"]);
}, 120_000);

afterAll(() => worker?.dispose());

describe("jq in workerd", () => {
  test("a Conductor transform, one request", async () => {
    const r = await post<Result>({ query: "{ key3: (.key1.value1 + .key2.value2) }", input: { key1: { value1: ["a", "b"] }, key2: { value2: ["c", "d"] } } });
    expect(r).toEqual({ ok: true, outputs: [{ key3: ["a", "b", "c", "d"] }] });
  });

  test("a runtime error, one request", async () => {
    expect(await post<Result>({ query: ".a", input: 1 })).toEqual({ ok: false, error: { kind: "runtime", message: 'Cannot index number with "a"' } });
  });

  test("the whole table of cases.ts gives the same outputs", async () => {
    const results = await post<Result[]>({ batch: cases.map(({ query, input }) => ({ query, input })) });
    const failures = cases.flatMap((c, i) => {
      const r = results[i]!;
      return r.ok && Bun.deepEquals(r.outputs, c.outputs) ? [] : [`${c.name ?? c.query}: ${JSON.stringify(r)}`];
    });
    expect(failures).toEqual([]);
  });

  test("every error case gives the same error", async () => {
    const results = await post<Result[]>({ batch: errorCases.map(({ query, input }) => ({ query, input })) });
    errorCases.forEach((c, i) => {
      const r = results[i]!;
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.kind).toBe(c.kind);
      if (typeof c.message === "string") expect(r.error.message).toBe(c.message);
      else expect(r.error.message).toMatch(c.message);
    });
  });

  test("env is empty and Object.prototype stays clean", async () => {
    const [env, polluted, check] = await post<Result[]>({
      batch: [
        { query: "env, $ENV", input: null },
        { query: "{} | .constructor.prototype.polluted = 1", input: null },
        { query: "{} | .polluted", input: null },
      ],
    });
    expect(env).toEqual({ ok: true, outputs: [{}, {}] });
    expect(polluted).toEqual({ ok: true, outputs: [{ constructor: { prototype: { polluted: 1 } } }] });
    expect(check).toEqual({ ok: true, outputs: [null] });
  });

  test("runaway programs stop, and the next run works", async () => {
    const [loop, range, recursion, bomb, after] = await post<Result[]>({
      batch: [
        { query: "until(false; .)", input: null },
        { query: "[range(1000000000)]", input: null },
        { query: "def f: f; f", input: null },
        { query: '"abc" * 100000000 | length', input: null },
        { query: ".a", input: { a: 1 } },
      ],
    });
    expect(loop).toEqual({ ok: false, error: { kind: "limit", message: `jq: error: the program exceeded its limit of ${DEFAULT_MAX_STEPS} steps` } });
    expect(range).toEqual(loop);
    expect(recursion).toEqual({ ok: false, error: { kind: "limit", message: "jq: error: the program ran out of stack (recursion too deep)" } });
    expect(bomb.ok ? "ok" : bomb.error.kind).toBe("limit");
    expect(after).toEqual({ ok: true, outputs: [1] });
  });

  test("a smaller budget", async () => {
    expect(await post<Result>({ query: "[range(100000)] | length", input: null, maxSteps: 1000 })).toEqual({
      ok: false,
      error: { kind: "limit", message: "jq: error: the program exceeded its limit of 1000 steps" },
    });
  });

  test("recursion: a few hundred calls deep works; deeper runs out of stack (about 750 here, 2,000 on Bun)", async () => {
    const depth = (n: number) => ({ query: `def f: if . < ${n} then . + 1 | f else . end; 0 | f`, input: null });
    const [shallow, deep] = await post<Result[]>({ batch: [depth(500), depth(20000)] });
    expect(shallow).toEqual({ ok: true, outputs: [500] });
    expect(deep).toEqual({ ok: false, error: { kind: "limit", message: "jq: error: the program ran out of stack (recursion too deep)" } });
  });
});
