/**
 * JSON_JQ_TRANSFORM's jq (src/jq/jqjs.ts: jqjs, jq in plain JavaScript) on Bun. The table in
 * cases.ts also runs in workerd (workerd.test.ts). KNOWN_GAPS below lists where jqjs still differs
 * from jq; each row is asserted, so the list stays true as jqjs or the adjustments change.
 */
import { describe, expect, test } from "bun:test";
import { createJq, DEFAULT_MAX_STEPS } from "../../src/jq/jqjs.ts";
import { MAX_ARRAY, MAX_STRING, rewriteQuery } from "../../src/jq/jqjs-runtime.ts";
import { JqError } from "../../src/ports/jq.ts";
import { cases, errorCases } from "./cases.ts";

const jq = createJq();

function caught(run: () => unknown): JqError {
  try {
    run();
  } catch (e) {
    if (e instanceof JqError) return e;
    throw e;
  }
  throw new Error("expected a JqError");
}

type Outcome = unknown[] | { error: JqError["kind"] };

function outcome(query: string, input: unknown): Outcome {
  try {
    return jq.run(query, input);
  } catch (e) {
    if (e instanceof JqError) return { error: e.kind };
    throw e;
  }
}

interface Gap {
  what: string;
  query: string;
  input: unknown;
  /** What jq (1.7+) does. */
  jq: Outcome;
  /** What Baton's jq does instead. */
  jqjs: Outcome;
}

/** Where jqjs, even with src/jq/jqjs-runtime.ts's adjustments, is not jq. */
const KNOWN_GAPS: Gap[] = [
  { what: "try/catch (not parsed)", query: 'try error("x") catch .', input: null, jq: ["x"], jqjs: { error: "compile" } },
  { what: "try/catch around a builtin", query: '[.[] | try tonumber catch "bad"]', input: ["1", "x"], jq: [[1, "bad"]], jqjs: { error: "compile" } },
  { what: "destructuring an array", query: ". as [$a, $b] | $a + $b", input: [1, 2], jq: [3], jqjs: { error: "compile" } },
  { what: "destructuring an object", query: ". as {a: $x} | $x", input: { a: 7 }, jq: [7], jqjs: { error: "compile" } },
  { what: "destructuring in reduce", query: "reduce .[] as [$k, $v] ({}; .[$k] = $v)", input: [["a", 1]], jq: [{ a: 1 }], jqjs: { error: "compile" } },
  { what: "label/break", query: "label $out | 1, break $out, 2", input: null, jq: [1], jqjs: { error: "compile" } },
  { what: "$__loc__", query: "$__loc__", input: null, jq: [{ file: "<top-level>", line: 1 }], jqjs: { error: "compile" } },
  { what: "numbers with an exponent", query: "1e3", input: null, jq: [1000], jqjs: { error: "compile" } },
  { what: "an object key with several values", query: "{(.[]): 1}", input: ["a", "b"], jq: [{ a: 1 }, { b: 1 }], jqjs: [{ a: 1, b: 1 }] },
  { what: "functions bind names when defined, not when run", query: "def f: 1; def g: f; def f: 2; g", input: null, jq: [1], jqjs: [2] },
  { what: "a closure argument sees the caller's variables", query: "def f(g): 3 as $x | g; 1 as $x | f($x)", input: null, jq: [1], jqjs: [3] },
  {
    what: "a recursive function passing its closure argument on",
    query: "def apply_n(f; $n): if $n == 0 then . else f | apply_n(f; $n - 1) end; 0 | apply_n(. + 1; 3)",
    input: null,
    jq: [3],
    jqjs: { error: "limit" },
  },
  { what: "recursion deeper than about 2,000 calls", query: "def f: if . < 5000 then . + 1 | f else . end; 0 | f", input: null, jq: [5000], jqjs: { error: "limit" } },
  { what: "explode counts UTF-16 units", query: "explode", input: "a😀", jq: [[97, 128512]], jqjs: [[97, 55357, 56832]] },
  { what: "@tsv escapes a tab as \\u0009", query: "@tsv", input: [1, "a\tb"], jq: ["1\ta\\tb"], jqjs: ["1\ta\\u0009b"] },
  { what: "number formatting", query: "tostring", input: 1e-7, jq: ["1e-07"], jqjs: ["1e-7"] },
  { what: "regex flag x", query: 'test("a b"; "x")', input: "ab", jq: [true], jqjs: { error: "runtime" } },
  { what: "@base32", query: "@base32", input: "abc", jq: ["MFRGG==="], jqjs: { error: "compile" } },
  { what: "streaming (tostream, fromstream, truncate_stream)", query: "[tostream]", input: [1], jq: [[[[0], 1], [[0]]]], jqjs: { error: "compile" } },
  { what: "date formatting (strftime, strptime, mktime, gmtime, localtime)", query: 'strftime("%Y")', input: 0, jq: ["1970"], jqjs: { error: "compile" } },
  { what: "repeat", query: "[limit(3; repeat(1))] | length", input: null, jq: [3], jqjs: { error: "compile" } },
  { what: "halt_error", query: "halt_error", input: "stop", jq: { error: "runtime" }, jqjs: { error: "compile" } },
];

describe("jq programs (cases.ts)", () => {
  for (const c of cases) {
    test(c.name ?? c.query, () => {
      expect(jq.run(c.query, c.input)).toEqual(c.outputs);
    });
  }
});

describe("jq errors", () => {
  for (const c of errorCases) {
    test(c.name, () => {
      const e = caught(() => jq.run(c.query, c.input));
      expect(e.kind).toBe(c.kind);
      if (typeof c.message === "string") expect(e.message).toBe(c.message);
      else expect(e.message).toMatch(c.message);
    });
  }

  test("a non-string error value is kept on the error", () => {
    expect(caught(() => jq.run("error({a: 1})", null)).value).toEqual({ a: 1 });
  });

  test("errors can be suppressed with ?", () => {
    expect(jq.run('[.[] | (error("x"))?, .]', [1, 2])).toEqual([[1, 2]]);
    expect(jq.run("[.[] | .a?]", [1, { a: 2 }])).toEqual([[2]]);
  });

  test("the same compile error again comes from the cache, with the same message", () => {
    const first = caught(() => jq.run("{", null));
    const again = caught(() => jq.run("{", null));
    expect(again).toBe(first);
  });

  test("jq keywords jqjs lacks say so", () => {
    expect(caught(() => jq.run('try error("x") catch .', null)).message).toContain("has no `try`");
  });

  test("incomplete programs and stray characters are compile errors (jqjs ran them)", () => {
    for (const query of [".a +", "1,", "{a:}", ".a ^ 2", "(. | )", "`x`"]) {
      expect(caught(() => jq.run(query, { a: 1 })).kind).toBe("compile");
    }
  });

  test("an empty program is the identity", () => {
    expect(jq.run("", { a: 1 })).toEqual([{ a: 1 }]);
    expect(jq.run("  # nothing\n", 3)).toEqual([3]);
  });
});

describe("known gaps: where Baton's jq is not jq", () => {
  for (const gap of KNOWN_GAPS) {
    test(`${gap.what}: ${gap.query}`, () => {
      expect(gap.jqjs).not.toEqual(gap.jq);
      expect(outcome(gap.query, gap.input)).toEqual(gap.jqjs);
    });
  }
});

describe("how queries are rewritten for jqjs's parser", () => {
  test("open slice bounds and quoted keys, not inside strings or comments", () => {
    expect(rewriteQuery(".a[1:]")).toBe(".a[1:null]");
    expect(rewriteQuery(".[ : 2]")).toBe(".[null : 2]");
    expect(rewriteQuery('.a."b-c"')).toBe('.a.["b-c"]');
    expect(rewriteQuery('"x[:]y" | .[2:]')).toBe('"x[:]y" | .[2:null]');
    expect(rewriteQuery('"\\(.a[1:])" # .[1:]')).toBe('"\\(.a[1:null])" # .[1:]');
    expect(rewriteQuery('"say \\"hi\\"" | .')).toBe('"say \\"hi\\"" | .');
  });

  test("the rewritten spellings behave as jq", () => {
    expect(jq.run('"x[:]y" | .[2:]', null)).toEqual([":]y"]);
    expect(jq.run('"\\(.a[1:])"', { a: [1, 2, 3] })).toEqual(["[2,3]"]);
    expect(jq.run('."a:]b"', { "a:]b": 1 })).toEqual([1]);
  });
});

describe("the host stays out of reach", () => {
  test("env and $ENV are empty", () => {
    expect(jq.run("env, $ENV", null)).toEqual([{}, {}]);
    expect(jq.run("env.PATH, $ENV.HOME", null)).toEqual([null, null]);
  });

  test("JavaScript members of objects are not jq keys", () => {
    expect(jq.run(".constructor, .__proto__, .toString, .hasOwnProperty", {})).toEqual([null, null, null, null]);
    expect(jq.run('{} | .["constructor"] | type', null)).toEqual(["null"]);
    expect(jq.run('has("constructor"), (keys | length)', {})).toEqual([false, 0]);
    expect(caught(() => jq.run("$constructor", null)).kind).toBe("compile");
  });

  test("assignments cannot reach Object.prototype", () => {
    const attempts = [
      "{} | .constructor.prototype.polluted = 1",
      ".__proto__.polluted = 1",
      "null | .constructor.prototype.polluted |= 1",
      '.["__proto__"]["polluted"] = 1',
      'setpath(["__proto__", "polluted"]; 1)',
      'setpath(["constructor", "prototype", "polluted"]; 1)',
      '. * {"__proto__": {"polluted": 1}}',
      '[{"key": "__proto__", "value": {"polluted": 1}}] | from_entries',
      'reduce ("__proto__", "polluted") as $k (.; .[$k] = {})',
    ];
    for (const query of attempts) {
      try {
        jq.run(query, JSON.parse('{"__proto__": {"polluted": 0}}'));
      } catch (e) {
        if (!(e instanceof JqError)) throw e;
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype.hasOwnProperty.call(Object.prototype, "polluted")).toBe(false);
    }
    // And the keys behave as ordinary jq keys.
    expect(jq.run(".__proto__.x = 1", {})).toEqual([JSON.parse('{"__proto__": {"x": 1}}')]);
    expect(jq.run(".constructor.prototype.x = 1", {})).toEqual([{ constructor: { prototype: { x: 1 } } }]);
    expect(jq.run('setpath(["__proto__"]; 2) | keys', {})).toEqual([["__proto__"]]);
  });

  test("a program's definitions stay in that program", () => {
    expect(jq.run("def length: 42; [1, 2] | length", null)).toEqual([42]);
    expect(jq.run("[1, 2] | length", null)).toEqual([2]);
    expect(jq.run("def f: 1; f", null)).toEqual([1]);
    expect(caught(() => jq.run("f", null)).kind).toBe("compile");
    // Two cached programs defining the same name each keep their own.
    for (let round = 0; round < 2; round++) {
      expect(jq.run("def g: 10; g", null)).toEqual([10]);
      expect(jq.run("def g: 20; g", null)).toEqual([20]);
    }
    // Even when a program fails to compile after a definition.
    expect(caught(() => jq.run("def select(f): 1; {", null)).kind).toBe("compile");
    expect(jq.run("[1, 2] | map(select(. > 1))", null)).toEqual([[2]]);
  });

  test("nothing is written to the console (jqjs's scan logged every match)", () => {
    const original = console.log;
    let logged = 0;
    console.log = () => {
      logged++;
    };
    try {
      expect(jq.run('[scan("a")]', "banana")).toEqual([["a", "a", "a"]]);
    } finally {
      console.log = original;
    }
    expect(logged).toBe(0);
  });
});

describe("inputs and outputs", () => {
  test("input that is not JSON", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(caught(() => jq.run(".", cyclic)).kind).toBe("input");
    expect(caught(() => jq.run(".", { n: 1n })).kind).toBe("input");
  });

  test("undefined input is null; undefined members are dropped as JSON drops them", () => {
    expect(jq.run(".", undefined)).toEqual([null]);
    expect(jq.run(".", { a: undefined, b: 1 })).toEqual([{ b: 1 }]);
  });

  test("the caller's input is never changed", () => {
    const input = { a: { b: 1 }, list: [3, 1, 2] };
    const before = structuredClone(input);
    jq.run('. as $x | ($x * {"a": {"c": 2}}), (.list |= sort), (.a.b = 5), del(.a), (.list[0] += 1)', input);
    expect(input).toEqual(before);
  });

  test("outputs are JSON values", () => {
    expect(jq.run("[infinite, -infinite, nan]", null)).toEqual([[Number.MAX_VALUE, -Number.MAX_VALUE, null]]);
    expect(JSON.parse(JSON.stringify(jq.run(".[5] = 1", [])))).toEqual([[null, null, null, null, null, 1]]);
  });

  test("unicode in and out", () => {
    expect(jq.run("length, ., ascii_downcase, .[1:]", "😀É")).toEqual([2, "😀É", "😀É", "É"]);
    expect(jq.run('"\\u00e9\\ud83d\\ude00"', null)).toEqual(["é😀"]);
  });

  test("a large input", () => {
    const big = Array.from({ length: 20000 }, (_, i) => ({ i, s: `é-${i}` }));
    expect(jq.run("length, .[-1], (map(.i) | add)", big)).toEqual([20000, { i: 19999, s: "é-19999" }, (19999 * 20000) / 2]);
  });
});

describe("runaway programs are stopped", () => {
  const budget = `jq: error: the program exceeded its limit of ${DEFAULT_MAX_STEPS} steps`;

  test("endless generators and loops spend the step budget", () => {
    for (const query of ["[range(1000000000)]", "until(false; .)", "[.[] | until(false; .)]", "reduce range(1000000000) as $x (0; . + 1)", "[range(0; 10; 0.0000001)] | length", "last(range(1000000000))"]) {
      const t0 = performance.now();
      const e = caught(() => jq.run(query, [1]));
      expect(e.kind).toBe("limit");
      expect(e.message).toBe(budget);
      expect(performance.now() - t0).toBeLessThan(5000);
    }
  });

  test("endless recursion runs out of stack", () => {
    for (const query of ["def f: f; f", "def f: 1 + f; f", "def f: [f]; f"]) {
      const e = caught(() => jq.run(query, null));
      expect(e.kind).toBe("limit");
      expect(e.message).toBe("jq: error: the program ran out of stack (recursion too deep)");
    }
  });

  test("values too large to build", () => {
    expect(caught(() => jq.run('"abc" * 100000000', null)).message).toBe(`jq: error: the program built a string longer than ${MAX_STRING} characters`);
    expect(caught(() => jq.run('reduce range(40) as $_ ("ab"; . + .) | length', null)).kind).toBe("limit");
    expect(caught(() => jq.run("reduce range(40) as $_ ([0]; . + .) | length", null)).message).toBe(
      `jq: error: the program built an array longer than ${MAX_ARRAY} elements`,
    );
    expect(caught(() => jq.run(".[100000000] = 1", [])).kind).toBe("limit");
    // A value whose parts are shared: small to build, huge to write out.
    expect(caught(() => jq.run("reduce range(40) as $_ (0; [., .])", null)).kind).toBe("limit");
    expect(caught(() => jq.run("reduce range(40) as $_ (0; [., .]) | tojson | length", null)).kind).toBe("limit");
  });

  test("? and // cannot swallow the limit", () => {
    expect(caught(() => jq.run("(until(false; .))?", null)).kind).toBe("limit");
    expect(caught(() => jq.run("[.[] | (until(false; .))?]", [1, 2])).kind).toBe("limit");
    expect(caught(() => jq.run("(def f: f; f)? // 1", null)).kind).toBe("limit");
    expect(caught(() => jq.run("first((def f: (f)?, (f)?; f), 1)", null)).kind).toBe("limit");
  });

  test("the budget is per run and configurable", () => {
    const small = createJq({ maxSteps: 1000 });
    expect(small.run("[range(10)] | length", null)).toEqual([10]);
    expect(caught(() => small.run("[range(100000)] | length", null)).message).toBe("jq: error: the program exceeded its limit of 1000 steps");
    expect(small.run("[range(10)] | length", null)).toEqual([10]);
    expect(() => createJq({ maxSteps: 0 })).toThrow(RangeError);
  });

  test("large strings and arrays cost steps in builtins", () => {
    const small = createJq({ maxSteps: 5000 });
    expect(small.run("length", "x".repeat(100000))).toEqual([100000]);
    expect(caught(() => small.run(". as $s | [range(100) | $s | ascii_downcase | length]", "x".repeat(100000))).kind).toBe("limit");
  });

  test("after a limit the next run works", () => {
    expect(caught(() => jq.run("def f: f; f", null)).kind).toBe("limit");
    expect(jq.run("{ key3: (.key1.value1 + .key2.value2) }", { key1: { value1: 1 }, key2: { value2: 2 } })).toEqual([{ key3: 3 }]);
    expect(caught(() => jq.run("[range(1000000000)]", null)).kind).toBe("limit");
    expect(jq.run(".a", { a: 1 })).toEqual([1]);
  });

  test("deeply nested input", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 5000; i++) deep = [deep];
    expect(jq.run("[paths] | length", deep)).toEqual([5000]);
    for (let i = 0; i < 200000; i++) deep = [deep];
    expect(caught(() => jq.run(".", deep)).kind).toBe("input");
  });
});

describe("the program cache", () => {
  test("programs evicted beyond the cache size still run", () => {
    const small = createJq({ cacheSize: 2 });
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 5; i++) expect(small.run(`. + ${i}`, 1)).toEqual([1 + i]);
    }
  });

  test("runs are independent: no state leaks from one to the next", () => {
    expect(jq.run("1 as $x | $x", null)).toEqual([1]);
    expect(caught(() => jq.run("$x", null)).kind).toBe("compile");
    expect(jq.run("[.[] as $v | $v]", [1, 2])).toEqual([[1, 2]]);
  });
});
