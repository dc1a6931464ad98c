/**
 * The JavaScript sandbox on Bun (adapters/bun/sandbox.ts → src/sandbox/quickjs-sandbox.ts):
 * Conductor-style scripts, errors, limits, isolation from the host and between evaluations.
 * test/sandbox/workerd.test.ts holds workerd to the same table (cases.ts).
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { createSandbox } from "../../adapters/bun/sandbox.ts";
import { ScriptError } from "../../src/ports/sandbox.ts";
import { SandboxUnavailable, type QuickJSSandbox } from "../../src/sandbox/quickjs-sandbox.ts";
import { allowedGlobals, errorCases, globalsScript, resultCases } from "./cases.ts";

const MiB = 1024 * 1024;
let sandbox: QuickJSSandbox;

beforeAll(async () => {
  sandbox = (await createSandbox()) as QuickJSSandbox;
});

function failure(script: string, input: unknown = {}, box: QuickJSSandbox = sandbox): ScriptError {
  try {
    box.evaluate(script, { $: input });
  } catch (error) {
    if (error instanceof ScriptError) return error;
    throw error;
  }
  throw new Error(`expected ${script} to fail`);
}

/** After a limit, the sandbox answers again, within its memory budget (a fresh instance if it grew past it). */
async function expectHealthy(box: QuickJSSandbox = sandbox): Promise<void> {
  await box.settled();
  expect(box.evaluate("$.value * 2", { $: { value: 21 } })).toBe(42);
  expect(box.memoryBytes).toBeLessThanOrEqual(box.limits.memoryBytes);
}

describe("results", () => {
  for (const c of resultCases) {
    test(c.name, () => {
      expect(sandbox.evaluate(c.script, { $: c.input })).toEqual(c.result);
    });
  }

  test("each binding is a global", () => {
    expect(sandbox.evaluate("[$.a, extra.b, typeof nothing]", { $: { a: 1 }, extra: { b: 2 }, nothing: undefined })).toEqual([1, 2, "undefined"]);
  });

  test("the script gets a copy: changing $ does not change the caller's input", () => {
    const input = { list: [1, 2], nested: { x: 1 } };
    expect(sandbox.evaluate("$.list.push(3); $.nested.x = 9; $.list.length", { $: input })).toBe(3);
    expect(input).toEqual({ list: [1, 2], nested: { x: 1 } });
  });

  test("a binding that is not JSON data is refused", () => {
    expect(() => sandbox.evaluate("1", { $: { n: 1n } })).toThrow(ScriptError);
  });

  test("Math.random differs between evaluations and Date.now() is the time", () => {
    const draws = Array.from({ length: 20 }, () => sandbox.evaluate("Math.random()", {}) as number);
    expect(new Set(draws).size).toBe(20);
    for (const r of draws) expect(r >= 0 && r < 1).toBe(true);
    const now = sandbox.evaluate("Date.now()", {}) as number;
    expect(Math.abs(now - Date.now())).toBeLessThan(5_000);
  });
});

describe("errors", () => {
  for (const c of errorCases) {
    test(c.name, async () => {
      const error = failure(c.script, c.input);
      expect({ kind: error.kind, message: error.message }).toEqual({ kind: c.kind, message: c.message });
      await expectHealthy();
    });
  }

  test("a sandbox with a smaller operation budget stops sooner", async () => {
    const small = (await createSandbox({ operationChecks: 10 })) as QuickJSSandbox;
    expect(failure("let n = 0; for (let i = 0; i < 1e6; i++) n += i; n", {}, small).kind).toBe("limit");
    expect(sandbox.evaluate("let n = 0; for (let i = 0; i < 1e6; i++) n += i; n", {})).toBe(499999500000);
  });

  test("source nested deeper than the host's stack: the instance is replaced, the sandbox recovers", async () => {
    const before = sandbox.failures;
    const bomb = `${"(".repeat(50_000)}1${")".repeat(50_000)}`;
    const error = failure(bomb);
    expect(error.kind).toBe("limit");
    expect(error.message).toBe("script exceeded its stack limit");
    // Either QuickJS stopped it, or the host's stack gave out first and the instance was given up.
    expect(sandbox.failures - before).toBeLessThanOrEqual(1);
    if (sandbox.failures > before) expect(() => sandbox.evaluate("1", {})).toThrow(SandboxUnavailable);
    await expectHealthy();
    const viaEval = failure(`eval('('.repeat(50000) + '1' + ')'.repeat(50000))`);
    expect(viaEval.kind).toBe("limit");
    await expectHealthy();
  });

  test("a memory bomb leaves the process healthy: the grown instance is replaced and memory comes back", async () => {
    const heapBefore = process.memoryUsage().rss;
    for (let i = 0; i < 5; i++) {
      expect(failure("let a = []; while (true) a.push(new Array(1e5).fill($.i))", { i }).message).toBe("script exceeded its memory limit");
      expect(sandbox.memoryBytes).toBeLessThanOrEqual(sandbox.limits.memoryBytes + 16 * MiB);
      await expectHealthy();
    }
    Bun.gc(true);
    expect(process.memoryUsage().rss - heapBefore).toBeLessThan(200 * MiB);
  });
});

describe("isolation", () => {
  test("the script's globals are QuickJS's own, and nothing of the host's", () => {
    const names = sandbox.evaluate(globalsScript, { $: {} }) as string[];
    expect(names.filter((name) => !allowedGlobals.has(name))).toEqual([]);
    expect(names).toContain("JSON");
    expect(names).not.toContain("fetch");
  });

  test("dynamic import finds no modules", () => {
    expect(sandbox.evaluate("let r = 'none'; import('node:fs').then(() => r = 'loaded', e => r = 'failed'); r", {})).toBe("none");
  });

  test("globals set by one evaluation are not visible in the next", () => {
    sandbox.evaluate(
      "var leaked = 1; globalThis.other = 2; function fn() {}; let lexical = 3; Array.prototype.evil = 4; Object.prototype.polluted = 5; JSON.parse = () => 'hijacked'; Math.random = () => 0; $.mutated = true; console.log = 1",
      { $: {} },
    );
    expect(
      sandbox.evaluate(
        "[typeof leaked, typeof other, typeof fn, typeof lexical, typeof [].evil, typeof ({}).polluted, JSON.parse('1'), Math.random() !== 0, $.mutated, typeof console.log]",
        { $: {} },
      ),
    ).toEqual(["undefined", "undefined", "undefined", "undefined", "undefined", "undefined", 1, true, null, "function"]);
    // A top-level `let` does not collide with the same name in the next script.
    expect(sandbox.evaluate("let lexical = 'again'; lexical", {})).toBe("again");
  });

  test("promise jobs a script leaves run within its limits and keep nothing alive", async () => {
    for (let i = 0; i < 500; i++) {
      sandbox.evaluate("Promise.resolve($.i).then(x => { globalThis.kept = new Array(1e4).fill(x) }); 1", { $: { i } });
    }
    expect(failure("Promise.resolve().then(() => { while (true) {} }); 1").message).toBe("script exceeded its operation limit");
    await expectHealthy();
  });

  test("many evaluations do not grow the sandbox's memory", async () => {
    await sandbox.settled();
    const before = sandbox.memoryBytes;
    for (let i = 0; i < 2_000; i++) sandbox.evaluate("({ i: $.i, list: $.list.map(x => x + $.i) })", { $: { i, list: [1, 2, 3] } });
    expect(sandbox.memoryBytes).toBe(before);
  });
});
