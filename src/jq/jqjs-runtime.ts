/**
 * jqjs (@michaelhomer/jqjs, a jq interpreter in plain JavaScript: a parser and a tree of
 * generator-based nodes, no eval) adjusted for Baton. jqjs is a singleton — one table of builtins,
 * one set of syntax-node classes — so the adjustments below are made once, when this module is
 * first imported, and hold for every Jq that src/jq/jqjs.ts creates.
 *
 * Isolation. jqjs registers a program's `def`s in its global builtin table while parsing it: one
 * program's `def length: 42;` would change `length` for every later program, and programs defining
 * the same name would run each other's code. The table is not exported; `captureTable` reaches it
 * once, and `compileProgram` takes each program's definitions back out of it, to be put in for the
 * duration of that program's runs only.
 *
 * Work limit. jqjs has no way to stop a program, and `[range(1000000000)]`, `def f: f; f` or
 * `until(false; .)` would hold the decision forever. So every node's `apply`/`paths` is wrapped to
 * count a step per evaluation, and for builtins, iterators and object construction per value
 * produced (meterPrototype says why only those); builtins also cost one step per 64 elements of the
 * string or array they are given, `+` and `*` per 64 elements of what they build, and the outputs
 * one step per element. A run throws LimitExceeded when its budget is spent, and `?` cannot catch
 * it. Strings over MAX_STRING characters and arrays over MAX_ARRAY elements are refused, and
 * running out of JavaScript stack ends the run the same way (jqjs recurses on the JavaScript stack:
 * about 2,000 nested jq calls fit on Bun, about 750 in workerd). What this does not bound: work
 * inside one builtin call that the count cannot see — a regular expression that backtracks
 * catastrophically (`test("(a+)+$")` on a long run of "a"s), or comparing, sorting or flattening a
 * value whose parts are shared so that it is far larger than the steps that built it
 * (`reduce range(40) as $_ (0; [., .]) | . == .`). Those can still hold the thread for minutes.
 *
 * Host safety. jqjs indexes objects with `obj[key]`, so `.constructor` read the JavaScript
 * function behind an object and `.constructor.prototype.x = 1` or `.__proto__.x = 1` wrote into the
 * host's Object.prototype. Index, slice, assignment, `setpath`, `getpath`, `del` and `delpaths` are
 * reimplemented here on own properties only. `env` and `$ENV` are `{}`; jqjs has no file, input or
 * module access to begin with. Its `scan` logged every match to the console: replaced.
 *
 * jq semantics. Where jqjs disagrees with jq in ways a transform would hit and the remedy is small,
 * it is remedied here: truthiness (`if`, `and`, `or`, `not`, `//`: only false and null are false),
 * `?` (it dropped null outputs), indexing a number or string (an error, not null), open-ended slices
 * and `."key"` (see rewriteQuery), incomplete programs and stray characters (compile errors, not
 * silently ignored), unknown functions and variables (compile errors), unary minus, `keys` (it
 * produced a stream, not an array), `length` of numbers and of non-ASCII strings, `sort_by` with
 * several keys, `range/3` counting down, `round` of negative halves, `from_entries` with
 * `name`/`k`/`v`, `del` of array elements (it left nulls), `setpath` and `|=` on missing paths,
 * division by zero, `tonumber` of non-numbers, `error`, `test/2`, `ltrimstr`/`rtrimstr` of
 * non-strings, `@base64`/`@base64d` beyond Latin-1, `@html`, `@sh`, `tojson`/`tostring` (keys were
 * not escaped), variable shadowing, and deep merge (`*`) changing its left operand.
 * test/jq/jq.test.ts lists what is still different (KNOWN_GAPS).
 */
import { compileNode, formats, type JqjsConf, type JqjsNode } from "@michaelhomer/jqjs";

/* eslint-disable @typescript-eslint/no-explicit-any -- jqjs's nodes and builtins are untyped. */
type Node = JqjsNode & Record<string, any>;
type Conf = JqjsConf;
type Builtin = ((input: unknown, conf: Conf, args: Node[]) => Iterable<unknown>) & { params?: unknown };
type Table = Record<string, Builtin>;
type Proto = Record<string, any>;

/** Longest string a program may build (characters). */
export const MAX_STRING = 16 * 1024 * 1024;
/** Longest array a program may build (elements). */
export const MAX_ARRAY = 4 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Errors

/** The run spent its step budget, ran out of stack, or built too large a value. `?` cannot catch it. */
export class LimitExceeded extends Error {}

/** A function or variable the program uses is not defined (jq says so when compiling). */
export class NotDefined extends Error {}

/** A value raised by `error` (or `error(v)`): a jq error whose value is not necessarily a string. */
export class ErrorValue {
  constructor(readonly value: unknown) {}
}

/**
 * Running out of stack or memory. Often called with the stack nearly spent, so it does as little as
 * it can (a regular expression, for one, may fail to compile there).
 */
function isResourceError(e: unknown): e is Error {
  // V8 reports a regular expression compiled with too little stack left as a SyntaxError.
  if (e instanceof SyntaxError) return e.message.includes("call stack");
  if (!(e instanceof RangeError)) return false;
  const m = e.message.toLowerCase();
  return m.includes("stack") || m.includes("memory") || m.includes("invalid string length") || m.includes("invalid array length") || m.includes("arguments");
}

function isStackError(e: Error): boolean {
  const m = e.message.toLowerCase();
  return m.includes("stack") || m.includes("arguments");
}

/** Errors that jq's `?`, `//` and the like must not swallow. */
function isFatal(e: unknown): boolean {
  return e instanceof LimitExceeded || e instanceof NotDefined || isResourceError(e);
}

// ---------------------------------------------------------------------------------------------
// The step meter

interface Meter {
  steps: number;
  limit: number;
  /** Why the run must stop, when it is not the step count (stack, size). */
  tripped?: string;
}

let meter: Meter = { steps: 0, limit: Infinity };

function limitMessage(m: Meter): string {
  return m.tripped ?? `the program exceeded its limit of ${m.limit} steps`;
}

function charge(n: number): void {
  if ((meter.steps += n) > meter.limit) throw new LimitExceeded(limitMessage(meter));
}

/** Stops the run: every later step throws, so even a `?` that swallowed the cause cannot go on. */
function trip(why: string): never {
  meter.tripped ??= why;
  meter.steps = Infinity;
  throw new LimitExceeded(meter.tripped);
}

function noteResource(e: unknown): void {
  if (!isResourceError(e) || meter.tripped) return;
  meter.tripped = isStackError(e)
    ? "the program ran out of stack (recursion too deep)"
    : `the program ran out of memory (${e.message})`;
  meter.steps = Infinity;
}

function checkSize(v: unknown): void {
  if (typeof v === "string") {
    if (v.length > MAX_STRING) trip(`the program built a string longer than ${MAX_STRING} characters`);
  } else if (Array.isArray(v) && v.length > MAX_ARRAY) {
    trip(`the program built an array longer than ${MAX_ARRAY} elements`);
  }
}

function* metered(values: Iterable<unknown>): Generator<unknown> {
  try {
    for (const v of values) {
      if ((meter.steps += 1) > meter.limit) throw new LimitExceeded(limitMessage(meter));
      if (typeof v === "object" || typeof v === "string") checkSize(v);
      yield v;
    }
  } catch (e) {
    noteResource(e);
    throw e;
  }
}

const meteredMethods = new WeakSet<object>();

/**
 * Wraps a prototype's own `apply`/`paths` so that each call costs a step (plus `costOfInput`), and,
 * with `countValues`, each value produced too. Values are counted only where one call can produce
 * many values without calling other nodes (builtins and function calls, `..`, `.[]`, object
 * construction's cartesian product): every other node's values come from calls that are counted,
 * and each counting layer is one more generator frame on the stack that deep recursion needs.
 */
function meterPrototype(proto: Proto, countValues: boolean, costOfInput?: (input: unknown) => number): void {
  for (const name of ["apply", "paths"]) {
    if (!Object.hasOwn(proto, name)) continue;
    const original = proto[name];
    if (typeof original !== "function" || meteredMethods.has(original)) continue;
    let wrapped;
    if (costOfInput) {
      wrapped = function (this: Node, input: unknown, conf: Conf) {
        charge(1 + costOfInput(input));
        return metered(original.call(this, input, conf));
      };
    } else if (countValues) {
      wrapped = function (this: Node, input: unknown, conf: Conf) {
        charge(1);
        return metered(original.call(this, input, conf));
      };
    } else {
      wrapped = function (this: Node, input: unknown, conf: Conf) {
        if ((meter.steps += 1) > meter.limit) throw new LimitExceeded(limitMessage(meter));
        return original.call(this, input, conf);
      };
    }
    meteredMethods.add(wrapped);
    proto[name] = wrapped;
  }
}

const sizeCost = (v: unknown): number => (typeof v === "string" || Array.isArray(v) ? v.length >>> 6 : 0);

// ---------------------------------------------------------------------------------------------
// Values

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const truthy = (v: unknown): boolean => v !== false && v !== null && v !== undefined;

function typeName(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v === "object" ? "object" : typeof v;
}

/** A value as jq names it in error messages: `number (1)`, `string ("abc")`, `object ({"a":1,...)`. */
function describe(v: unknown): string {
  let json: string;
  try {
    json = JSON.stringify(v) ?? "null";
  } catch {
    json = "…";
  }
  return `${typeName(v)} (${json.length > 11 ? `${json.slice(0, 10)}...` : json})`;
}

/** Sets an own property, even one named `__proto__`. */
function setOwn(o: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
  else o[key] = value;
}

function copyObject(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) setOwn(out, k, o[k]);
  return out;
}

interface SliceKey {
  start?: unknown;
  end?: unknown;
}
const isSliceKey = (k: unknown): k is SliceKey => isObject(k) && ("start" in k || "end" in k);

function sliceBounds(length: number, from: unknown, to: unknown): [number, number] {
  if ((from !== null && from !== undefined && typeof from !== "number") || (to !== null && to !== undefined && typeof to !== "number")) {
    throw "Start and end indices of an array slice must be numbers";
  }
  let start = typeof from === "number" ? Math.floor(from) : 0;
  let end = typeof to === "number" ? Math.ceil(to) : length;
  if (start < 0) start = Math.max(0, length + start);
  if (end < 0) end = Math.max(0, length + end);
  start = Math.min(start, length);
  end = Math.max(start, Math.min(end, length));
  return [start, end];
}

function sliceValue(target: unknown, from: unknown, to: unknown): unknown {
  if (target === null) return null;
  if (typeof target === "string") {
    // jq counts codepoints; only strings with surrogate pairs need the slower path.
    if (!/[\uD800-\uDFFF]/.test(target)) {
      const [start, end] = sliceBounds(target.length, from, to);
      return target.slice(start, end);
    }
    const points = Array.from(target);
    const [start, end] = sliceBounds(points.length, from, to);
    return points.slice(start, end).join("");
  }
  if (Array.isArray(target)) {
    const [start, end] = sliceBounds(target.length, from, to);
    return target.slice(start, end);
  }
  throw `Cannot index ${typeName(target)} with object`;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && sameValue(a[k], b[k]));
  }
  return false;
}

/** `.[key]` as jq does it: own properties only, null for what is missing, an error for a type mismatch. */
function indexValue(target: unknown, key: unknown): unknown {
  if (target === null || target === undefined) return null;
  if (Array.isArray(target)) {
    if (typeof key === "number") {
      if (Number.isNaN(key)) return null;
      let i = Math.floor(key);
      if (i < 0) i += target.length;
      return i >= 0 && i < target.length ? (target[i] ?? null) : null;
    }
    if (isSliceKey(key)) return sliceValue(target, key.start ?? null, key.end ?? null);
    if (Array.isArray(key)) {
      if (key.length === 0) return null;
      const found: number[] = [];
      for (let i = 0; i + key.length <= target.length; i++) {
        if (key.every((k, j) => sameValue(target[i + j], k))) found.push(i);
      }
      return found;
    }
  } else if (isObject(target)) {
    if (typeof key === "string") return Object.hasOwn(target, key) ? (target[key] ?? null) : null;
  } else if (typeof target === "string" && isSliceKey(key)) {
    return sliceValue(target, key.start ?? null, key.end ?? null);
  }
  throw typeof key === "string" ? `Cannot index ${typeName(target)} with "${key}"` : `Cannot index ${typeName(target)} with ${typeName(key)}`;
}

/** Puts `value` at `key` of a container that the caller owns. */
function putIn(container: unknown, key: unknown, value: unknown): void {
  if (Array.isArray(container)) {
    if (typeof key === "number") {
      let i = Math.floor(key);
      if (i < 0) {
        i += container.length;
        if (i < 0) throw "Out of bounds negative array index";
      }
      if (i > container.length) {
        charge(i - container.length);
        if (i >= MAX_ARRAY) trip(`the program built an array longer than ${MAX_ARRAY} elements`);
        while (container.length < i) container.push(null);
      }
      container[i] = value;
      return;
    }
    if (isSliceKey(key)) {
      if (!Array.isArray(value)) throw "A slice of an array can only be assigned another array";
      const [start, end] = sliceBounds(container.length, key.start ?? null, key.end ?? null);
      const tail = container.slice(end);
      container.length = start;
      for (const v of value) container.push(v);
      for (const v of tail) container.push(v);
      return;
    }
    throw typeof key === "string" ? `Cannot index array with "${key}"` : `Cannot update field at object index of array`;
  }
  if (isObject(container)) {
    if (typeof key !== "string") throw `Cannot index object with ${typeName(key)}`;
    setOwn(container, key, value);
    return;
  }
  throw typeof key === "string" ? `Cannot index ${typeName(container)} with "${key}"` : `Cannot index ${typeName(container)} with ${typeName(key)}`;
}

/**
 * `setpath(path; value)`. Missing containers are created (an array for a number key, an object
 * otherwise). With `inPlace` the containers along the path are changed (the caller owns them);
 * otherwise they are copied.
 */
function setPath(root: unknown, path: unknown[], value: unknown, inPlace: boolean, at = 0): unknown {
  if (at === path.length) return value;
  const key = path[at];
  let container: unknown = root;
  if (container === null || container === undefined) container = typeof key === "number" ? [] : {};
  else if (!inPlace) container = Array.isArray(container) ? container.slice() : isObject(container) ? copyObject(container) : container;
  const child = indexValue(container, key);
  const updated = setPath(child, path, value, inPlace, at + 1);
  if (!(inPlace && updated === child && typeof child === "object" && child !== null && !isSliceKey(key))) putIn(container, key, updated);
  return container;
}

/** Removes one path from a value, copying what it changes. */
function deleteAt(value: unknown, path: unknown[], at: number): unknown {
  if (at === path.length) return null;
  if (value === null || value === undefined) return null;
  const key = path[at];
  if (at === path.length - 1) {
    if (Array.isArray(value)) {
      if (typeof key === "number") {
        let i = Math.floor(key);
        if (i < 0) i += value.length;
        if (i < 0 || i >= value.length) return value;
        const copy = value.slice();
        copy.splice(i, 1);
        return copy;
      }
      if (isSliceKey(key)) {
        const [start, end] = sliceBounds(value.length, key.start ?? null, key.end ?? null);
        const copy = value.slice();
        copy.splice(start, end - start);
        return copy;
      }
      throw typeof key === "string" ? `Cannot delete field at object index of array` : `Cannot delete ${typeName(key)} element of array`;
    }
    if (isObject(value)) {
      if (typeof key !== "string") throw `Cannot delete field at index of object`;
      if (!Object.hasOwn(value, key)) return value;
      const copy = copyObject(value);
      delete copy[key];
      return copy;
    }
    throw `Cannot delete field at index of ${typeName(value)}`;
  }
  const child = indexValue(value, key);
  if (child === null) return value;
  const updated = deleteAt(child, path, at + 1);
  if (updated === child) return value;
  const copy = Array.isArray(value) ? value.slice() : copyObject(value as Record<string, unknown>);
  putIn(copy, key, updated);
  return copy;
}

/** Serializes a value as jq prints it compactly, a step per element. */
function toJsonText(v: unknown): string {
  let nonFinite = false;
  const stack: unknown[] = [v];
  while (stack.length > 0) {
    const x = stack.pop();
    if (typeof x === "number") {
      if (!Number.isFinite(x)) nonFinite = true;
    } else if (typeof x === "object" && x !== null) {
      const items = Array.isArray(x) ? x : Object.values(x);
      charge(1 + items.length);
      for (const item of items) stack.push(item);
    }
  }
  const text = nonFinite
    ? JSON.stringify(v, (_k, x) => (typeof x === "number" && !Number.isFinite(x) && !Number.isNaN(x) ? (x > 0 ? Number.MAX_VALUE : -Number.MAX_VALUE) : x))
    : JSON.stringify(v);
  return text ?? "null";
}

function codepointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

function base64Encode(text: string): string {
  const bytes = utf8.encode(text);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function base64Decode(text: string): string {
  let binary: string;
  try {
    binary = atob(text.replace(/=+$/, ""));
  } catch {
    throw `${describe(text)} is not valid base64 data`;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return utf8Decoder.decode(bytes);
}

// ---------------------------------------------------------------------------------------------
// Reaching into jqjs

const protoOf = (v: unknown): Proto => Object.getPrototypeOf(v) as Proto;

const parseNodeProto: Proto = (() => {
  let p = protoOf(compileNode("."));
  while (protoOf(p) !== Object.prototype) p = protoOf(p);
  return p;
})();

const isNode = (v: unknown): v is Node => typeof v === "object" && v !== null && parseNodeProto.isPrototypeOf(v);

/** The nodes directly under `node` (in its fields, arrays of nodes, or `{key, value}` pairs). */
function childNodes(node: Node): Node[] {
  const found: Node[] = [];
  const look = (v: unknown, depth: number) => {
    if (isNode(v)) found.push(v);
    else if (depth < 3 && Array.isArray(v)) for (const x of v) look(x, depth + 1);
    else if (depth < 3 && typeof v === "object" && v !== null && protoOf(v) === Object.prototype) for (const x of Object.values(v)) look(x, depth + 1);
  };
  for (const key of Object.keys(node)) look(node[key], 0);
  return found;
}

function eachNode(root: Node, visit: (node: Node) => void): void {
  const stack = [root];
  const seen = new Set<Node>();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    visit(node);
    stack.push(...childNodes(node));
  }
}

/** The prototype of the node that `pick` finds in `query`'s tree, after checking its fields. */
function shape(query: string, fields: string[], pick: (root: Node) => unknown = (root) => root): Proto {
  const node = pick(compileNode(query) as Node);
  if (!isNode(node) || fields.some((f) => !(f in node))) {
    throw new Error(`@michaelhomer/jqjs is not the version src/jq/ expects: ${JSON.stringify(query)} did not parse as before`);
  }
  return protoOf(node);
}

/**
 * jqjs's builtin table. Not exported; reached once through a program that defines a function with
 * a name no one else uses: while it is parsed, Object.prototype carries a setter for that name, so
 * jqjs's `table[name] = fn` hands over `table` itself. The setter is removed at once.
 */
function captureTable(): Table {
  const name = "baton_table_probe";
  const key = `${name}/0`;
  let found: Table | undefined;
  Object.defineProperty(Object.prototype, key, {
    configurable: true,
    set(this: Table, fn: Builtin) {
      found = this;
      Object.defineProperty(this, key, { value: fn, writable: true, enumerable: true, configurable: true });
    },
  });
  try {
    compileNode(`def ${name}: .; .`);
  } finally {
    delete (Object.prototype as Record<string, unknown>)[key];
  }
  if (!found || typeof found["map/1"] !== "function" || typeof found["sort/0"] !== "function") {
    throw new Error("@michaelhomer/jqjs is not the version src/jq/ expects: its builtin table could not be reached");
  }
  delete found[key];
  delete found[`${key}-paths`];
  return found;
}

const table = captureTable();
const jqjsSort = table["sort/0"]!;

/** jq's order (null < false < true < numbers < strings < arrays < objects), through jqjs's `sort`. */
function sortValues<T>(values: T[], conf: Conf): T[] {
  for (const sorted of jqjsSort(values, conf, [])) return sorted as T[];
  return values;
}

// Node classes, found by the shape of what they parse (not by name: bundlers may rename classes).
const GenericIndex = shape('.["a"]', ["index"]);
const IdentifierIndex = shape(".a", ["index"]);
const IndexNode = shape('.a["b"]', ["lhs", "index"]);
const GenericSlice = shape(".[1:2]", ["from", "to"]);
const SliceNode = shape(".a[1:2]", ["lhs", "from", "to"]);
const EmptyFilter = shape(".[:2]", ["length"], (root) => root.from);
const IfNode = shape("if . then . else . end", ["conditions", "thens", "elseBranch"]);
const Alternative = shape(". // .", ["lhs", "rhs"]);
const Suppression = shape(".a?", ["inner"]);
const VariableReference = shape("$x", ["name"]);
const VariableBinding = shape(". as $x | .", ["name", "value"], (root) => root.lhs);
const Reduce = shape("reduce . as $x (.; .)", ["name", "generator", "init", "expr"]);
const Foreach = shape("foreach . as $x (.; .; .)", ["name", "generator", "init", "update", "extract"]);
const And = shape(". and .", ["l", "r"]);
const Or = shape(". or .", ["l", "r"]);
const Addition = shape(". + .", ["l", "r"]);
const Multiplication = shape(". * .", ["l", "r"]);
const Subtraction = shape(". - .", ["l", "r"]);
const Division = shape(". / .", ["l", "r"]);
const Modulo = shape(". % .", ["l", "r"]);
const Update = shape(".a |= .", ["l", "r"]);
const Assign = shape(".a = .", ["l", "r"]);
const FunctionCall = shape("empty", ["name", "args"]);
const ObjectNode = shape("{a: 1}", ["fields"]);
const Comma = shape("1, 2", ["branches"]);
const Pipe = shape(". | .", ["lhs", "rhs"]);
const OperatorNode = protoOf(Addition);
const RecursiveDescent = shape("..", []);
const ValueIterator = shape(".[]", []);
const SourceValueIterator = shape(".a[]", ["source"]);
/** Node classes whose values are counted one by one (see meterPrototype). */
const MANY_VALUES = new Set([FunctionCall, ObjectNode, RecursiveDescent, ValueIterator, SourceValueIterator]);
if (!GenericIndex.isPrototypeOf(IdentifierIndex) || Object.hasOwn(IdentifierIndex, "apply")) {
  throw new Error("@michaelhomer/jqjs is not the version src/jq/ expects: .a is no longer a kind of .[\"a\"]");
}
for (const [proto, methods] of [
  [Multiplication, ["combine", "repeat", "merge"]],
  [Addition, ["combine"]],
  [Division, ["combine"]],
  [Modulo, ["combine"]],
  [Update, ["get", "update"]],
  [Assign, ["update"]],
] as const) {
  for (const m of methods) {
    if (typeof proto[m] !== "function") throw new Error(`@michaelhomer/jqjs is not the version src/jq/ expects: no ${m} method`);
  }
}

const isEmptyFilter = (node: Node): boolean => protoOf(node) === EmptyFilter && node.length === 0 && node.filter === undefined;
const boundValues = (node: Node, input: unknown, conf: Conf): Iterable<unknown> => (isEmptyFilter(node) ? [null] : node.apply(input, conf));

// ---------------------------------------------------------------------------------------------
// Node fixes

GenericIndex.apply = function* (this: Node, input: unknown, conf: Conf) {
  for (const key of this.index.apply(input, conf)) yield indexValue(input, key);
};

IndexNode.apply = function* (this: Node, input: unknown, conf: Conf) {
  for (const target of this.lhs.apply(input, conf)) {
    for (const key of this.index.apply(input, conf)) yield indexValue(target, key);
  }
};

GenericSlice.apply = function* (this: Node, input: unknown, conf: Conf) {
  for (const from of boundValues(this.from, input, conf)) {
    for (const to of boundValues(this.to, input, conf)) yield sliceValue(input, from, to);
  }
};
GenericSlice.paths = function* (this: Node, input: unknown, conf: Conf) {
  for (const from of boundValues(this.from, input, conf)) {
    for (const to of boundValues(this.to, input, conf)) yield [{ start: from, end: to }];
  }
};

SliceNode.apply = function* (this: Node, input: unknown, conf: Conf) {
  for (const target of this.lhs.apply(input, conf)) {
    for (const from of boundValues(this.from, input, conf)) {
      for (const to of boundValues(this.to, input, conf)) yield sliceValue(target, from, to);
    }
  }
};
SliceNode.paths = function* (this: Node, input: unknown, conf: Conf) {
  for (const path of this.lhs.paths(input, conf) as Iterable<unknown[]>) {
    for (const from of boundValues(this.from, input, conf)) {
      for (const to of boundValues(this.to, input, conf)) yield [...path, { start: from, end: to }];
    }
  }
};

function* ifBranch(node: Node, i: number, input: unknown, conf: Conf): Generator<unknown> {
  if (i >= node.conditions.length) {
    if (node.elseBranch) yield* node.elseBranch.apply(input, conf);
    else yield input;
    return;
  }
  for (const condition of node.conditions[i].apply(input, conf)) {
    if (truthy(condition)) yield* node.thens[i].apply(input, conf);
    else yield* ifBranch(node, i + 1, input, conf);
  }
}
IfNode.apply = function (this: Node, input: unknown, conf: Conf) {
  return ifBranch(this, 0, input, conf);
};

And.apply = function* (this: Node, input: unknown, conf: Conf) {
  for (const l of this.l.apply(input, conf)) {
    if (!truthy(l)) yield false;
    else for (const r of this.r.apply(input, conf)) yield truthy(r);
  }
};
Or.apply = function* (this: Node, input: unknown, conf: Conf) {
  for (const l of this.l.apply(input, conf)) {
    if (truthy(l)) yield true;
    else for (const r of this.r.apply(input, conf)) yield truthy(r);
  }
};

// jqjs took any non-null value (false too) from the left side.
Alternative.apply = function* (this: Node, input: unknown, conf: Conf) {
  let any = false;
  for (const v of this.lhs.apply(input, conf)) {
    if (truthy(v)) {
      any = true;
      yield v;
    }
  }
  if (!any) yield* this.rhs.apply(input, conf);
};

Suppression.apply = function* (this: Node, input: unknown, conf: Conf) {
  try {
    yield* this.inner.apply(input, conf);
  } catch (e) {
    if (isFatal(e)) throw e;
  }
};
Suppression.paths = function* (this: Node, input: unknown, conf: Conf) {
  try {
    yield* this.inner.paths(input, conf);
  } catch (e) {
    if (isFatal(e)) throw e;
  }
};

VariableReference.apply = function* (this: Node, _input: unknown, conf: Conf) {
  if (!Object.hasOwn(conf.variables, this.name)) throw new NotDefined(`$${this.name} is not defined`);
  yield conf.variables[this.name];
};

// jqjs deletes a variable when its binding ends, so an outer binding of the same name was lost.
for (const binder of [VariableBinding, Reduce, Foreach]) {
  const original = binder.apply;
  binder.apply = function* (this: Node, input: unknown, conf: Conf) {
    const vars = conf.variables;
    const had = Object.hasOwn(vars, this.name);
    const outer = vars[this.name];
    try {
      yield* original.call(this, input, conf);
    } finally {
      if (had) vars[this.name] = outer;
      else delete vars[this.name];
    }
  };
}

// jqjs parses `-.a` as "nothing minus .a", which outputs nothing.
const jqjsSubtract = Subtraction.apply;
Subtraction.apply = function* (this: Node, input: unknown, conf: Conf) {
  if (!isEmptyFilter(this.l)) {
    yield* jqjsSubtract.call(this, input, conf);
    return;
  }
  for (const v of this.r.apply(input, conf)) {
    if (typeof v !== "number") throw `${describe(v)} cannot be negated`;
    yield -v;
  }
};

const jqjsDivide = Division.combine;
Division.combine = function (this: Node, l: unknown, r: unknown, lt: string, rt: string) {
  if (typeof l === "number" && typeof r === "number" && r === 0) {
    throw `${describe(l)} and ${describe(r)} cannot be divided because the divisor is zero`;
  }
  return jqjsDivide.call(this, l, r, lt, rt);
};
const jqjsModulo = Modulo.combine;
Modulo.combine = function (this: Node, l: unknown, r: unknown, lt: string, rt: string) {
  if (typeof l === "number" && typeof r === "number") {
    const a = Math.trunc(l);
    const b = Math.trunc(r);
    if (b === 0) throw `${describe(l)} and ${describe(r)} cannot be divided (remainder) because the divisor is zero`;
    return a % b;
  }
  return jqjsModulo.call(this, l, r, lt, rt);
};

for (const operator of [Addition, Multiplication]) {
  const original = operator.combine;
  operator.combine = function (this: Node, l: unknown, r: unknown, lt: string, rt: string) {
    const result = original.call(this, l, r, lt, rt);
    charge(sizeCost(result));
    checkSize(result);
    return result;
  };
}
const jqjsRepeat = Multiplication.repeat;
Multiplication.repeat = function (this: Node, s: string, n: number) {
  if (s.length * n > MAX_STRING) trip(`the program built a string longer than ${MAX_STRING} characters`);
  charge((s.length * Math.max(0, n)) >>> 6);
  return jqjsRepeat.call(this, s, n);
};
function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = copyObject(a);
  for (const k of Object.keys(b)) {
    const left = out[k];
    const right = b[k];
    setOwn(out, k, Object.hasOwn(out, k) && isObject(left) && isObject(right) ? deepMerge(left, right) : right);
  }
  return out;
}
Multiplication.merge = function (this: Node, l: Record<string, unknown>, r: Record<string, unknown>) {
  return deepMerge(l, r);
};

// `|=` and `=` work on their own copy of the input (jqjs makes it); paths are followed and written
// through own properties only.
Update.get = function (this: Node, value: unknown, path: unknown[]) {
  let v = value;
  for (const key of path) v = indexValue(v, key);
  return v;
};
Update.update = function (this: Node, value: unknown, path: unknown[], replacement: unknown, remove = false) {
  return remove ? deleteAt(value, path, 0) : setPath(value, path, replacement, true);
};
Assign.update = function (this: Node, value: unknown, path: unknown[], replacement: unknown) {
  return setPath(value, path, replacement, true);
};

for (const [name, value] of Object.entries({
  html: (v: unknown) =>
    (typeof v === "string" ? v : toJsonText(v)).replace(/[<>&'"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&#39;", '"': "&quot;" })[c]!),
  sh: (v: unknown) => {
    const quote = (x: unknown): string => {
      if (typeof x === "string") return `'${x.replace(/'/g, "'\\''")}'`;
      if (x === null || typeof x === "number" || typeof x === "boolean") return toJsonText(x);
      throw `${describe(x)} can not be escaped for shell`;
    };
    return Array.isArray(v) ? v.map(quote).join(" ") : quote(v);
  },
  base64: (v: unknown) => base64Encode(typeof v === "string" ? v : toJsonText(v)),
  base64d: (v: unknown) => {
    if (typeof v !== "string") throw `${describe(v)} is not valid base64 data`;
    return base64Decode(v);
  },
  text: (v: unknown) => (typeof v === "string" ? v : toJsonText(v)),
  json: (v: unknown) => toJsonText(v),
})) {
  formats[name] = value;
}

// ---------------------------------------------------------------------------------------------
// Builtin fixes

function builtin(name: string, fn: Builtin): void {
  const previous = table[name];
  if (previous?.params !== undefined && fn.params === undefined) fn.params = previous.params;
  table[name] = fn;
}

builtin("not/0", function* (input) {
  yield !truthy(input);
});
builtin("keys/0", function* (input) {
  if (Array.isArray(input)) yield input.map((_, i) => i);
  else if (isObject(input)) yield Object.keys(input).sort();
  else throw `${describe(input)} has no keys`;
});
builtin("keys_unsorted/0", function* (input) {
  if (Array.isArray(input)) yield input.map((_, i) => i);
  else if (isObject(input)) yield Object.keys(input);
  else throw `${describe(input)} has no keys`;
});
builtin("length/0", function* (input) {
  if (input === null || input === undefined) yield 0;
  else if (typeof input === "number") yield Math.abs(input);
  else if (typeof input === "string") yield codepointLength(input);
  else if (Array.isArray(input)) yield input.length;
  else if (isObject(input)) yield Object.keys(input).length;
  else throw `${describe(input)} has no length`;
});
builtin("utf8bytelength/0", function* (input) {
  if (typeof input !== "string") throw `${describe(input)} only strings have UTF-8 byte length`;
  yield utf8.encode(input).length;
});
builtin("error/0", function* (input) {
  throw new ErrorValue(input);
});
builtin("error/1", function* (input, conf, [message]) {
  for (const v of message!.apply(input, conf)) throw new ErrorValue(v);
});
builtin("round/0", function* (input) {
  if (typeof input !== "number") throw `${describe(input)} number required`;
  yield Math.sign(input) * Math.round(Math.abs(input));
});
builtin("from_entries/0", function* (input) {
  if (!Array.isArray(input)) throw `${describe(input)} cannot be iterated over`;
  const out: Record<string, unknown> = {};
  for (const entry of input) {
    if (!isObject(entry)) throw `Cannot index ${typeName(entry)} with "key"`;
    let key = entry.key;
    if (key === null || key === undefined) key = [entry.k, entry.name, entry.Name, entry.K, entry.Key].find(truthy) ?? null;
    const value = Object.hasOwn(entry, "value") ? entry.value : Object.hasOwn(entry, "v") ? entry.v : (entry.Value ?? null);
    setOwn(out, typeof key === "string" ? key : toJsonText(key), value ?? null);
  }
  yield out;
});
builtin("env/0", function* () {
  yield {};
});
builtin("tojson/0", function* (input) {
  yield toJsonText(input);
});
builtin("tostring/0", function* (input) {
  yield typeof input === "string" ? input : toJsonText(input);
});
builtin("tonumber/0", function* (input) {
  if (typeof input === "number") yield input;
  else if (typeof input === "string" && /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(input)) yield Number(input);
  else if (typeof input === "string") throw `Cannot parse '${input}' as JSON`;
  else throw `${describe(input)} cannot be parsed as a number`;
});
builtin("ltrimstr/1", function* (input, conf, [prefix]) {
  for (const p of prefix!.apply(input, conf)) {
    yield typeof input === "string" && typeof p === "string" && input.startsWith(p) ? input.slice(p.length) : input;
  }
});
builtin("rtrimstr/1", function* (input, conf, [suffix]) {
  for (const s of suffix!.apply(input, conf)) {
    yield typeof input === "string" && typeof s === "string" && s.length > 0 && input.endsWith(s) ? input.slice(0, input.length - s.length) : input;
  }
});
builtin("sort_by/1", function* (input, conf, [by]) {
  if (!Array.isArray(input)) throw `${describe(input)} cannot be sorted, as it is not an array`;
  const keyed = input.map((v, i) => [Array.from(by!.apply(v, conf)), i] as const);
  yield sortValues(keyed as unknown as unknown[], conf).map((pair) => input[(pair as [unknown, number])[1]]);
});
builtin("range/3", function* (input, conf, [fromNode, uptoNode, byNode]) {
  for (const from of fromNode!.apply(input, conf)) {
    for (const upto of uptoNode!.apply(input, conf)) {
      for (const by of byNode!.apply(input, conf)) {
        if (typeof from !== "number" || typeof upto !== "number" || typeof by !== "number") throw "Range bounds must be numeric";
        if (by > 0) for (let x = from; x < upto; x += by) yield x;
        else if (by < 0) for (let x = from; x > upto; x += by) yield x;
      }
    }
  }
});
builtin("getpath/1", function* (input, conf, [paths]) {
  for (const path of paths!.apply(input, conf)) {
    if (!Array.isArray(path)) throw "Path must be specified as an array";
    let v: unknown = input;
    for (const key of path) {
      if (v === null) break;
      v = indexValue(v, key);
    }
    yield v;
  }
});
builtin("getpath/1-paths", function* (input, conf, [paths]) {
  for (const path of paths!.apply(input, conf)) {
    if (!Array.isArray(path)) throw "Path must be specified as an array";
    yield path;
  }
});
builtin("setpath/2", function* (input, conf, [paths, values]) {
  for (const path of paths!.apply(input, conf)) {
    if (!Array.isArray(path)) throw "Path must be specified as an array";
    for (const v of values!.apply(input, conf)) yield setPath(input, path, v, false);
  }
});
function deletePaths(input: unknown, paths: unknown, conf: Conf): unknown {
  if (!Array.isArray(paths)) throw "Paths must be specified as an array";
  for (const p of paths) if (!Array.isArray(p)) throw "Path must be specified as an array";
  // Longest and last paths first, so that deleting one does not move the others.
  let value = input;
  for (const path of sortValues(paths.slice(), conf).reverse()) value = deleteAt(value, path as unknown[], 0);
  return value;
}
builtin("delpaths/1", function* (input, conf, [paths]) {
  for (const ps of paths!.apply(input, conf)) yield deletePaths(input, ps, conf);
});
builtin("del/1", function* (input, conf, [path]) {
  yield deletePaths(input, Array.from(path!.paths!(input, conf)), conf);
});

// ---------------------------------------------------------------------------------------------
// Programs

/** The table as Baton's jqjs has it when no program runs. */
const base = new Map<string, Builtin>(Object.entries(table));

/** Takes the definitions a parse left in the table back out, and returns them. */
function takeDefinitions(): [string, Builtin][] {
  const defs: [string, Builtin][] = [];
  for (const key of Object.keys(table)) {
    const fn = table[key]!;
    const original = base.get(key);
    if (fn === original) continue;
    defs.push([key, fn]);
    if (original === undefined) delete table[key];
    else table[key] = original;
  }
  return defs;
}

function defineInJq(source: string): void {
  compileNode(`${source} .`);
  for (const [name, fn] of takeDefinitions()) {
    table[name] = fn;
    base.set(name, fn);
  }
}
// jqjs's scan printed every match with console.log.
defineInJq('def scan($re; $flags): match($re; "g" + $flags) | if (.captures | length) > 0 then [.captures[].string] else .string end;');
defineInJq("def leaf_paths: paths(scalars);");
// jqjs's test/2 passed the regex where the flags belong.
defineInJq("def test($re; $flags): isempty(match($re; $flags)) | not;");

/**
 * Rewrites two spellings that jqjs's parser gets wrong into equivalent ones it gets right, outside
 * strings and comments: an open slice bound (`.a[1:]` lost the last element, `.[1:]` gave
 * nothing) gets jq's explicit open bound, `null` (`.a[1:null]`); and `."key"` (which jqjs read as
 * `. | "key"`) becomes `.["key"]`. Also refuses characters jq does not have (jqjs ignored them).
 */
/** What may appear in a jq program outside strings and comments (jqjs skips anything else). */
const JQ_CHARACTER = /[\sA-Za-z0-9_.[\](){},;:|+\-*\/%=<>!?@$]/;

export function rewriteQuery(query: string): string {
  let out = "";
  let copied = 0;
  const nextAfterSpace = (i: number) => {
    while (i < query.length && /\s/.test(query[i]!)) i++;
    return query[i];
  };
  const insert = (at: number, text: string) => {
    out += query.slice(copied, at) + text;
    copied = at;
  };
  const string = (start: number, quote: string): number => {
    let i = start;
    while (i < query.length) {
      const c = query[i];
      if (c === "\\") {
        if (query[i + 1] === "(") i = code(i + 2, true);
        else i += 2;
        continue;
      }
      if (c === quote) return i + 1;
      i++;
    }
    return i;
  };
  const code = (start: number, nested: boolean): number => {
    let depth = 0;
    let i = start;
    while (i < query.length) {
      const c = query[i]!;
      if (c === '"' || c === "'") {
        i = string(i + 1, c);
        continue;
      }
      if (c === "#") {
        while (i < query.length && query[i] !== "\n") i++;
        continue;
      }
      if (c === "(") depth++;
      else if (c === ")") {
        if (nested && depth === 0) return i + 1;
        depth--;
      } else if (!JQ_CHARACTER.test(c)) {
        throw `syntax error, unexpected ${JSON.stringify(c)} at character ${i + 1}`;
      } else if (c === "[" && nextAfterSpace(i + 1) === ":") insert(i + 1, "null");
      else if (c === ":" && nextAfterSpace(i + 1) === "]") insert(i + 1, "null");
      else if (c === "." && query[i + 1] === '"' && query[i - 1] !== ".") {
        insert(i + 1, "[");
        i = string(i + 2, '"');
        insert(i, "]");
        continue;
      }
      i++;
    }
    return i;
  };
  code(0, false);
  return copied === 0 ? query : out + query.slice(copied);
}

/** jq keywords that jqjs does not parse (it takes them for calls of functions of that name). */
const KEYWORDS = new Set(["try", "catch", "label", "break", "import", "include"]);

export interface Program {
  root: Node;
  /** The program's own `def`s, put into jqjs's table while it runs. */
  defs: [string, Builtin][];
}

/** Parses a program. Throws what jqjs throws (a string, usually) for a syntax error, or NotDefined. */
export function compileProgram(query: string): Program {
  let root: Node | undefined;
  let failure: unknown;
  try {
    root = compileNode(rewriteQuery(query)) as Node;
  } catch (e) {
    failure = e;
  }
  // Even a failed parse may have registered definitions before it failed.
  const defs = takeDefinitions();
  if (root === undefined) throw failure;
  const defined = new Set(defs.map(([name]) => name));
  // An empty program is jq's identity; jqjs would output nothing.
  if (isEmptyFilter(root)) root = compileNode(".") as Node;
  eachNode(root, (node) => {
    const proto = protoOf(node);
    meterClass(proto);
    checkComplete(node, proto);
    if (proto === FunctionCall || FunctionCall.isPrototypeOf(proto)) {
      const name = node.name as string;
      if (table[name] === undefined && !defined.has(name)) {
        const bare = name.replace(/\/\d+$/, "");
        throw new NotDefined(KEYWORDS.has(bare) ? `${name} is not defined (jqjs, Baton's jq, has no \`${bare}\`)` : `${name} is not defined`);
      }
    }
  });
  return { root, defs };
}

/**
 * jqjs accepts some incomplete programs (`.a +`, `1,`, `{a:}`) and runs them with the missing part
 * producing nothing; jq rejects them.
 */
function checkComplete(node: Node, proto: Proto): void {
  const missing = (n: unknown) => isNode(n) && isEmptyFilter(n);
  let incomplete = false;
  if (OperatorNode.isPrototypeOf(proto)) incomplete = missing(node.r) || (missing(node.l) && proto !== Subtraction);
  else if (proto === Alternative || proto === Pipe) incomplete = missing(node.lhs) || missing(node.rhs);
  else if (proto === Comma) incomplete = (node.branches as unknown[]).some(missing);
  else if (proto === ObjectNode) incomplete = (node.fields as { key: unknown; value: unknown }[]).some((f) => missing(f.key) || missing(f.value));
  if (!incomplete) return;
  let text: string;
  try {
    text = ` ${JSON.stringify(String(node))}`;
  } catch {
    text = "";
  }
  throw `syntax error: incomplete expression${text}`;
}

/** Meters a node class and the classes it extends. */
function meterClass(proto: Proto): void {
  for (let p = proto; p && p !== Object.prototype; p = protoOf(p)) {
    meterPrototype(p, MANY_VALUES.has(p), p === FunctionCall ? sizeCost : undefined);
  }
}

// Every node class that a program can contain, metered up front (programs' own trees are checked
// again as they compile, and `def` bodies use the same classes).
for (const query of [
  '. , .a , .["a"] , .a["b"] , .[1:2] , .a[1:2] , .[] , .a[] , "s" , "s\\(1)" , 1 , true , null , [1] , {a: 1, b} , (1 | 2)',
  ".. , 1 + 1 , 1 - 1 , 1 * 1 , 1 / 1 , 1 % 1 , 1 < 1 , 1 > 1 , 1 <= 1 , 1 >= 1 , 1 == 1 , 1 != 1 , (1 and 1) , (1 or 1) , 1 // 1",
  '(.a |= 1) , (.a = 1) , (.a += 1) , empty , @base64 , @base64 "x\\(1)" , .a? , (1 as $x | $x)',
  "reduce . as $x (0; 1) , foreach . as $x (0; 1; 1) , foreach . as $x (0; 1) , if 1 then 1 elif 2 then 2 else 3 end , -1",
]) {
  eachNode(compileNode(query) as Node, (node) => meterClass(protoOf(node)));
}
if (takeDefinitions().length > 0) throw new Error("jqjs: unexpected definitions while metering");

/** Makes a value JSON (NaN → null, ±Infinity → ±max double, holes → null), a step per element. */
function normalize(v: unknown): unknown {
  switch (typeof v) {
    case "string":
    case "boolean":
      return v;
    case "number":
      if (Number.isFinite(v)) return v;
      return Number.isNaN(v) ? null : v > 0 ? Number.MAX_VALUE : -Number.MAX_VALUE;
    case "object": {
      if (v === null) return null;
      if (Array.isArray(v)) {
        charge(1 + v.length);
        for (let i = 0; i < v.length; i++) {
          const x = v[i];
          if (typeof x === "object" || typeof x === "number" || x === undefined) v[i] = normalize(x);
        }
        return v;
      }
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o);
      charge(1 + keys.length);
      for (const k of keys) {
        const x = o[k];
        if (typeof x === "object" || typeof x === "number" || x === undefined) setOwn(o, k, normalize(x));
      }
      return o;
    }
    default:
      return null;
  }
}

/**
 * Runs a compiled program on a JSON value that the caller owns (jqjs may share and even change
 * it), with a budget of `maxSteps`. Returns the outputs, made JSON. Throws LimitExceeded,
 * NotDefined, ErrorValue, or what jqjs throws (usually a string).
 */
export function runProgram(program: Program, input: unknown, maxSteps: number): unknown[] {
  const previous = meter;
  const current: Meter = { steps: 0, limit: maxSteps };
  meter = current;
  for (const [name, fn] of program.defs) table[name] = fn;
  try {
    const variables: Record<string, unknown> = Object.create(null);
    variables.ENV = {};
    const conf: Conf = { variables, userFuncArgs: Object.create(null) };
    const outputs: unknown[] = [];
    for (const v of program.root.apply(input, conf)) outputs.push(normalize(v));
    // A `?` may have swallowed the limit; it still stands.
    if (current.steps > current.limit) throw new LimitExceeded(limitMessage(current));
    return outputs;
  } catch (e) {
    if (isResourceError(e)) {
      noteResource(e);
      throw new LimitExceeded(limitMessage(current));
    }
    if (current.tripped && !(e instanceof LimitExceeded)) throw new LimitExceeded(limitMessage(current));
    throw e;
  } finally {
    for (const [name] of program.defs) {
      const original = base.get(name);
      if (original === undefined) delete table[name];
      else table[name] = original;
    }
    meter = previous;
  }
}
