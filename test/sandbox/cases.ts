/**
 * Scripts and what the sandbox must answer, shared by the Bun tests (src/sandbox/quickjs-sandbox.test.ts)
 * and the workerd ones (test/sandbox/workerd.test.ts), so both runtimes are held to one table.
 */
export interface ResultCase {
  name: string;
  script: string;
  input: unknown;
  result: unknown;
}

export interface ErrorCase {
  name: string;
  script: string;
  input?: unknown;
  kind: "syntax" | "runtime" | "limit";
  message: string;
}

const order = {
  orders: [
    { id: "o-1", status: "paid", items: [{ price: 10, qty: 2 }, { price: 2.5, qty: 4 }] },
    { id: "o-2", status: "pending", items: [{ price: 99, qty: 1 }] },
    { id: "o-3", status: "paid", items: [{ price: 1, qty: 1 }] },
  ],
};

export const resultCases: ResultCase[] = [
  { name: "INLINE arithmetic", script: "$.value * 2", input: { value: 21 }, result: 42 },
  { name: "string concatenation", script: "$.first + ' ' + $.last", input: { first: "Ada", last: "Lovelace" }, result: "Ada Lovelace" },
  {
    name: "an object literal comes back as data",
    script: "({ sum: $.a + $.b, items: [$.a, $.b], nested: { ok: true, none: null, text: 'x' } })",
    input: { a: 40, b: 2 },
    result: { sum: 42, items: [40, 2], nested: { ok: true, none: null, text: "x" } },
  },
  { name: "an array comes back as data", script: "$.list.map(x => x * 2)", input: { list: [1, 2, 3] }, result: [2, 4, 6] },
  { name: "an IIFE's return value", script: "(function(){ return $.x > 2 })()", input: { x: 3 }, result: true },
  {
    name: "an IIFE with statements",
    script: "(function () {\n  if ($.n > 1) { return 'many'; }\n  return 'one';\n})()",
    input: { n: 3 },
    result: "many",
  },
  { name: "SWITCH-style condition (big)", script: "$.x > 5 ? 'big' : 'small'", input: { x: 9 }, result: "big" },
  { name: "SWITCH-style condition (small)", script: "$.x > 5 ? 'big' : 'small'", input: { x: 1 }, result: "small" },
  {
    name: "DO_WHILE condition over nested outputs",
    script: "$.loop['iteration'] < $.limit && $.check.result.items.length > 0 && $.check.result.items[0].ok",
    input: { limit: 3, loop: { iteration: 2 }, check: { result: { items: [{ ok: true }] } } },
    result: true,
  },
  {
    name: "DO_WHILE condition ending the loop",
    script: "if ($.loop['iteration'] < $.limit) { true; } else { false; }",
    input: { limit: 3, loop: { iteration: 3 } },
    result: false,
  },
  {
    name: "multi-statement script: the last expression statement is the value",
    script: "var total = 0;\nfor (const o of $.orders) {\n  if (o.status !== 'paid') continue;\n  for (const i of o.items) total += i.price * i.qty;\n}\ntotal",
    input: order,
    result: 31,
  },
  {
    name: "array methods over the input",
    script: "$.orders.filter(o => o.status === 'paid').map(o => ({ id: o.id, n: o.items.length }))",
    input: order,
    result: [
      { id: "o-1", n: 2 },
      { id: "o-3", n: 1 },
    ],
  },
  { name: "let/const and classes", script: "class P { constructor(x) { this.x = x } }\nconst p = new P($.v);\nlet y = p.x + 1;\ny", input: { v: 1 }, result: 2 },
  { name: "undefined becomes null", script: "undefined", input: {}, result: null },
  { name: "a missing property becomes null", script: "$.nothing", input: {}, result: null },
  { name: "a function becomes null", script: "() => 1", input: {}, result: null },
  { name: "non-JSON numbers become null", script: "[NaN, Infinity, undefined, 1.5, -0.25]", input: {}, result: [null, null, null, 1.5, -0.25] },
  { name: "undefined properties are dropped, dates become strings", script: "({ a: undefined, b: 1, c: new Date(0) })", input: {}, result: { b: 1, c: "1970-01-01T00:00:00.000Z" } },
  { name: "unicode round-trips", script: "$.s + ' ☃ 𝄞'", input: { s: "héllo" }, result: "héllo ☃ 𝄞" },
  { name: "the whole input is $", script: "$", input: { a: [1, { b: null }], c: "d" }, result: { a: [1, { b: null }], c: "d" } },
  { name: "console exists and does nothing", script: "console.log('x', $); console.error('y'); 5", input: {}, result: 5 },
  { name: "JSON and regular expressions", script: "JSON.stringify({ a: $.s.replace(/o/g, '0').split(',') })", input: { s: "foo,boo" }, result: '{"a":["f00","b00"]}' },
  { name: "a promise is not awaited (as in GraalJS): it comes back as an object", script: "(async () => 5)()", input: {}, result: {} },
  {
    name: "the host cannot be reached",
    script:
      "[typeof fetch, typeof process, typeof Bun, typeof require, typeof setTimeout, typeof setInterval, typeof queueMicrotask, typeof WebAssembly, typeof crypto, typeof Request, typeof caches, typeof navigator, typeof self, typeof window, typeof global]",
    input: {},
    result: Array(15).fill("undefined"),
  },
  { name: "globalThis is the sandbox's own", script: "this === globalThis && Function('return this')() === globalThis && typeof globalThis.fetch", input: {}, result: "undefined" },
];

export const errorCases: ErrorCase[] = [
  { name: "a syntax error, with QuickJS's message", script: "$.a +)", kind: "syntax", message: "SyntaxError: unexpected token in expression: ')'" },
  { name: "an unclosed parenthesis", script: "if ($.x { 1 }", kind: "syntax", message: "SyntaxError: expecting ')'" },
  { name: "a TypeError", script: "$.missing.deeper", kind: "runtime", message: "TypeError: cannot read property 'deeper' of undefined" },
  { name: "a ReferenceError", script: "notDefined + 1", kind: "runtime", message: "ReferenceError: 'notDefined' is not defined" },
  { name: "a SyntaxError thrown at run time is a runtime error", script: "JSON.parse('{')", kind: "runtime", message: "SyntaxError: expecting property name" },
  { name: "a thrown Error", script: "throw new Error('bad input')", kind: "runtime", message: "Error: bad input" },
  { name: "a thrown string", script: "throw 'boom'", kind: "runtime", message: "boom" },
  { name: "a thrown object", script: "throw { code: 7 }", kind: "runtime", message: '{"code":7}' },
  { name: "a result that is not JSON", script: "1n", kind: "runtime", message: "TypeError: Do not know how to serialize a BigInt" },
  { name: "an infinite loop", script: "while (true) {}", kind: "limit", message: "script exceeded its operation limit" },
  { name: "an infinite loop cannot be caught", script: "try { while (true) {} } catch (e) {} 'escaped'", kind: "limit", message: "script exceeded its operation limit" },
  { name: "catastrophic regex backtracking", script: "/(a+)+$/.test('a'.repeat(40) + 'b')", kind: "limit", message: "script exceeded its operation limit" },
  { name: "a memory bomb", script: "let a = []; while (true) a.push(new Array(1e6).fill(1))", kind: "limit", message: "script exceeded its memory limit" },
  { name: "a memory bomb of small objects", script: "let a = []; while (true) a.push({ a: 1, b: [2] })", kind: "limit", message: "script exceeded its memory limit" },
  {
    name: "a memory bomb that catches the out-of-memory errors",
    script: "let a = []; for (;;) { try { a.push('x'.repeat(1e5) + a.length) } catch (e) {} }",
    kind: "limit",
    message: "script exceeded its memory limit",
  },
  { name: "deep recursion", script: "function f(n) { return f(n + 1) + 1 } f(0)", kind: "limit", message: "script exceeded its stack limit" },
  { name: "deep recursion through callbacks", script: "function h(n) { return [1].map(() => h(n + 1)) } h(0)", kind: "limit", message: "script exceeded its stack limit" },
  { name: "stringifying deeply nested data", script: "let o = {}; for (let i = 0; i < 1e5; i++) o = { o }; JSON.stringify(o)", kind: "limit", message: "script exceeded its stack limit" },
];

/** The ECMAScript globals QuickJS defines, and what the sandbox adds: nothing else may be there. */
export const allowedGlobals = new Set([
  ...["AggregateError", "Array", "ArrayBuffer", "Atomics", "BigInt", "BigInt64Array", "BigUint64Array", "Boolean", "DataView", "Date", "Error", "EvalError"],
  ...["FinalizationRegistry", "Float16Array", "Float32Array", "Float64Array", "Function", "Infinity", "Int16Array", "Int32Array", "Int8Array", "InternalError"],
  ...["Iterator", "JSON", "Map", "Math", "NaN", "Number", "Object", "Promise", "Proxy", "RangeError", "ReferenceError", "Reflect", "RegExp", "Set"],
  ...["SharedArrayBuffer", "String", "Symbol", "SyntaxError", "TypeError", "URIError", "Uint16Array", "Uint32Array", "Uint8Array", "Uint8ClampedArray"],
  ...["WeakMap", "WeakRef", "WeakSet", "decodeURI", "decodeURIComponent", "encodeURI", "encodeURIComponent", "escape", "eval", "globalThis"],
  ...["isFinite", "isNaN", "parseFloat", "parseInt", "undefined", "unescape"],
  ...["console", "$"],
]);

export const globalsScript = "Object.getOwnPropertyNames(globalThis)";
