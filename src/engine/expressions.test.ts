import { describe, expect, test } from "bun:test";
import { referencedRoots, resolveParameters, resolveTemplate, scanExpressions, type ExpressionDocument } from "./expressions.ts";

// Shaped like the document Conductor builds: `workflow` plus one entry per task reference name.
const doc: ExpressionDocument = {
  workflow: {
    input: { x: 1, name: "conductor", price: 2.5, flag: true, nothing: null, obj: { a: "b", c: 2 }, list: [1, "two", { k: "v" }], key: "name", url: "http://h/p" },
    output: {},
    status: "RUNNING",
    workflowId: "wf-1",
    correlationId: "corr-9",
    variables: { counter: 7 },
  },
  fetch: {
    input: { k: "kv" },
    output: { a: { b: [10, 20, 30] }, "weird-key": "w", items: [{ id: 1, a: 1 }, { id: 2, a: 2 }, { id: 3, a: 3, tag: "x" }], sub: { id: "deep" } },
    status: "COMPLETED",
    taskId: "t-1",
  },
};
const r = (template: unknown, opts?: { taskId?: string }) => resolveTemplate(template, doc, opts);

describe("paths", () => {
  test("workflow and task fields", () => {
    expect(r("${workflow.input.x}")).toBe(1);
    expect(r("${workflow.workflowId}")).toBe("wf-1");
    expect(r("${workflow.correlationId}")).toBe("corr-9");
    expect(r("${workflow.variables.counter}")).toBe(7);
    expect(r("${fetch.input.k}")).toBe("kv");
    expect(r("${fetch.output.a.b[0]}")).toBe(10);
    expect(r("${fetch.status}")).toBe("COMPLETED");
  });

  test("CPEWF_TASK_ID is the task being scheduled; without one the text stays", () => {
    expect(r("${CPEWF_TASK_ID}", { taskId: "task-9" })).toBe("task-9");
    expect(r("id-${CPEWF_TASK_ID}", { taskId: "task-9" })).toBe("id-task-9");
    expect(r("${CPEWF_TASK_ID}")).toBe("${CPEWF_TASK_ID}");
  });

  test("JSONPath features with the implied $. prefix", () => {
    expect(r("${fetch.output['weird-key']}")).toBe("w");
    expect(r("${$.fetch.output['weird-key']}")).toBe("w");
    expect(r("${fetch.output.a.b[-1]}")).toBe(30);
    expect(r("${fetch.output.a.b[0:2]}")).toEqual([10, 20]);
    expect(r("${fetch.output.a.b[1:]}")).toEqual([20, 30]);
    expect(r("${fetch.output..id}")).toEqual([1, 2, 3, "deep"]);
    expect(r("${fetch.output.items[?(@.a > 1)]}")).toEqual([{ id: 2, a: 2 }, { id: 3, a: 3, tag: "x" }]);
    expect(r("${fetch.output.items[?(@.a > 1)].id}")).toEqual([2, 3]);
    expect(r("${fetch.output.items[?(@.tag == 'x')].id}")).toEqual([3]);
    expect(r("${fetch.output.items[*].id}")).toEqual([1, 2, 3]);
    expect(r("${fetch.output.items.length()}")).toBe(3);
  });

  test("indefinite paths (scan, filter, wildcard, slice) give a list even for one or no match", () => {
    expect(r("${fetch.output.sub..id}")).toEqual(["deep"]);
    expect(r("${fetch.output.items[?(@.id == 2)].a}")).toEqual([2]);
    expect(r("${fetch.output.items[?(@.id == 99)]}")).toEqual([]);
    expect(r("${fetch.output..nope}")).toEqual([]);
    expect(r("${fetch.output.a.b[0]}")).toBe(10); // definite: the value itself
  });
});

describe("types", () => {
  test("a string that is exactly one expression keeps the value's JSON type", () => {
    expect(r("${workflow.input.obj}")).toEqual({ a: "b", c: 2 });
    expect(r("${workflow.input.list}")).toEqual([1, "two", { k: "v" }]);
    expect(r("${workflow.input.price}")).toBe(2.5);
    expect(r("${workflow.input.flag}")).toBe(true);
    expect(r("${workflow.input.nothing}")).toBeNull();
  });

  test("embedded in text, values print as Java's toString", () => {
    expect(r("n=${workflow.input.x}")).toBe("n=1");
    expect(r("p=${workflow.input.price}")).toBe("p=2.5");
    expect(r("f=${workflow.input.flag}")).toBe("f=true");
    expect(r("o=${workflow.input.obj}")).toBe("o={a=b, c=2}");
    expect(r("l=${workflow.input.list}")).toBe("l=[1, two, {k=v}]");
    expect(r("u=${workflow.input.url}")).toBe("u=http://h/p");
    expect(r("${workflow.input.name}-${workflow.input.x}")).toBe("conductor-1");
  });

  test("embedded missing or null values print as the text null", () => {
    expect(r("v=${workflow.input.missing}")).toBe("v=null");
    expect(r("v=${workflow.input.nothing}")).toBe("v=null");
  });

  test("embedded indefinite results print as json-smart JSON, not Java's toString", () => {
    expect(r("ids=${fetch.output..id}")).toBe('ids=[1,2,3,"deep"]');
    expect(r("m=${fetch.output.items[?(@.id == 1)]}")).toBe('m=[{"id":1,"a":1}]');
    expect(r("u=${workflow..url}")).toBe('u=["http:\\/\\/h\\/p"]');
  });
});

describe("missing data and errors", () => {
  test("missing paths give null and the key is kept", () => {
    const out = resolveParameters({ a: "${workflow.input.missing}", b: "${nosuchtask.output.x}", c: "${workflow.input.x.y}" }, doc);
    expect(out).toEqual({ a: null, b: null, c: null });
    expect(Object.keys(out)).toEqual(["a", "b", "c"]);
  });

  test("invalid paths and evaluation errors are suppressed to null", () => {
    expect(r("${workflow..[}")).toBeNull();
    expect(r("${ workflow.input.x}")).toBeNull(); // Jayway: "$. workflow..." is invalid
    expect(r("${workflow.input.x }")).toBe(1); // trailing spaces are trimmed
    expect(r("${workflow.input.list.nosuchfn()}")).toBeNull();
    expect(r("${fetch.output.items[?(@.a > )]}")).toBeNull();
    expect(r("x=${workflow..[}")).toBe("x=null");
  });

  test("prototype members are not data", () => {
    expect(r("${workflow.input.constructor}")).toBeNull();
    expect(r("${workflow.input.__proto__}")).toBeNull();
    expect(r("${workflow.input.list.length}")).toBeNull();
  });
});

describe("syntax", () => {
  test("nested expressions resolve inner first", () => {
    expect(r("${workflow.input.${workflow.input.key}}")).toBe("conductor");
    expect(r("${fetch.output.a.b[${workflow.input.x}]}")).toBe(20);
    expect(r("${fetch.output.a.b[${fetch.output.items[${workflow.input.x}].a}]}")).toBe(30);
    expect(r("${workflow.input.${workflow.input.missing}}")).toBeNull();
  });

  test("empty or blank expressions give an empty string", () => {
    expect(r("${}")).toBe("");
    expect(r("${  }")).toBe("");
    expect(r("a${}b")).toBe("ab");
  });

  test("$${ escapes an expression", () => {
    expect(r("$${x}")).toBe("${x}");
    expect(r("$${workflow.input.x}")).toBe("${workflow.input.x}");
    expect(r("$${workflow.input.x} ${workflow.input.x}")).toBe("${workflow.input.x} 1");
    expect(r("a$${b")).toBe("a${b");
    expect(r("${workflow.input.name} $${workflow.input.x}${workflow.input.x} ${workflow.input.x}$${workflow.input.name}")).toBe(
      "conductor ${workflow.input.x}1 1${workflow.input.name}",
    );
  });

  test("line terminators around expressions are kept", () => {
    expect(r("Name: ${workflow.input.name};\r\nX: ${workflow.input.x};")).toBe("Name: conductor;\r\nX: 1;");
  });

  test("unbalanced braces are left alone", () => {
    expect(r("${workflow.input.x")).toBe("${workflow.input.x");
    expect(r("${workflow.input.x}}")).toBe("1}");
    expect(r('{"n": "${workflow.input.name}", "v": {"x": ${workflow.input.x}}}')).toBe('{"n": "conductor", "v": {"x": 1}}');
  });
});

describe("templates", () => {
  test("maps and lists are resolved at any depth; other values are copied", () => {
    const template = { a: ["${workflow.input.x}", { b: "${fetch.output.sub.id}", n: 5, t: false, z: null }], c: [[["${workflow.input.name}"]]], d: 1.5 };
    expect(r(template)).toEqual({ a: [1, { b: "deep", n: 5, t: false, z: null }], c: [[["conductor"]]], d: 1.5 });
  });

  test("the template is not mutated", () => {
    const template = { a: "${workflow.input.x}", list: ["${workflow.input.name}"], map: { k: "${workflow.input.x}" } };
    const copy = structuredClone(template);
    resolveParameters(template, doc);
    expect(template).toEqual(copy);
  });

  test("a __proto__ parameter stays a plain key", () => {
    const template = JSON.parse('{"__proto__": "${workflow.input.x}"}');
    const out = resolveParameters(template, doc);
    expect(Object.hasOwn(out, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  test("non-string templates pass through", () => {
    expect(r(42)).toBe(42);
    expect(r(null)).toBeNull();
    expect(r("no expressions")).toBe("no expressions");
  });
});

describe("no environment", () => {
  test("environment variable and system property names are never resolved", () => {
    expect(r("${HOME}")).toBeNull();
    expect(r("${PATH}")).toBeNull();
    expect(r("${user.dir}")).toBeNull();
    expect(r("${NETFLIX_ENV}")).toBe("${NETFLIX_ENV}");
    expect(r("${NETFLIX_STACK}")).toBe("${NETFLIX_STACK}");
  });

  test("workflow.secrets and workflow.env resolve to null for now", () => {
    expect(r("${workflow.secrets.DB_PASSWORD}")).toBeNull();
    expect(r("Bearer ${workflow.secrets.TOKEN}")).toBe("Bearer null");
    expect(r("${workflow.env.REGION}")).toBeNull();
  });
});

describe("referencedRoots", () => {
  test("collects roots across a template, nested expressions included", () => {
    const template = {
      a: "${foo.output.x}",
      b: ["${workflow.input}", { c: "x ${bar['output']} ${baz.input.${qux.output.k}}" }],
      d: "${$.one.x} ${['two'].y} ${$['three'].z}",
    };
    expect(referencedRoots(template)).toEqual(["foo", "workflow", "bar", "qux", "baz", "one", "two", "three"]);
  });

  test("skips escapes, system names, computed roots and blanks", () => {
    expect(referencedRoots("$${foo.output} ${CPEWF_TASK_ID} ${} ${${x}.output} ${$..id}")).toEqual(["x"]);
    expect(referencedRoots({ n: 1, s: "plain" })).toEqual([]);
  });
});

describe("scanExpressions replays Java's matcher", () => {
  // Expected spans taken from java.util.regex with ParametersUtils.PATTERN.
  test.each([
    ["${a}", [[0, 4]]],
    ["${a} ${b}", [[0, 4], [5, 9]]],
    ["${a.${b}}", [[0, 9]]],
    ["$${a}", []],
    ["${{a}}", [[0, 6]]],
    ["${a{b}", []],
    ["${a}}", [[0, 4]]],
    ["{${\n${}{\n{$$", []], // groups leaked from the failed attempt at 1 block the match at 4
    ["${a$}${{{}{{", [[0, 5]]],
    ["${a {b} ${c}", []], // an unclosed expression hides the ones after it
    ['{"a": {"b": "${x}"}}', [[13, 17]]],
  ] as const)("%j", (s, spans) => {
    expect(scanExpressions(s)).toEqual(spans.map((x) => [...x]));
  });
});

test("performance: a 10-key input map with simple paths", () => {
  const params = Object.fromEntries(
    Array.from({ length: 10 }, (_, i) => [`k${i}`, i % 2 ? `\${workflow.input.x}` : `id-\${fetch.output.a.b[${i % 3}]}`]),
  );
  for (let i = 0; i < 2_000; i++) resolveParameters(params, doc); // warm up
  const rounds = 20_000;
  const start = performance.now();
  for (let i = 0; i < rounds; i++) resolveParameters(params, doc);
  const micros = ((performance.now() - start) * 1000) / rounds;
  console.log(`resolveParameters, 10 keys: ${micros.toFixed(2)} µs per map`);
  expect(resolveParameters(params, doc).k1).toBe(1);
});
