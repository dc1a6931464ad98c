/**
 * Jayway JsonPath as Conductor's ParametersUtils runs it (Option.SUPPRESS_EXCEPTIONS): the paths
 * inside `${...}`. Written here instead of using jsonpath-plus because Conductor's answers follow
 * Jayway's rules, which jsonpath-plus does not: a definite path yields one value and an indefinite
 * one (`..`, `*`, `[?()]`, `[1:]`, `[0,1]`) a list; `[-1]` is the last item; a filter applied to a
 * map tests the map itself; `['a','b']` at the end merges into a map; `in`, `nin`, `=~`, `size`,
 * `empty`, ... operators; and functions such as `length()`. And it never evaluates script.
 *
 * Known differences from Jayway, all in paths no workflow should rely on: a function must end the
 * path and takes only numeric arguments; `$..fn()` is not rewritten the way Jayway does; filter
 * operators `all`, `type`, `matches` and `exists` are not supported (the expression resolves to
 * null); and Jayway's scan state that leaks between reads of a cached path (see scan) does not:
 * Baton always gives the answer of a first read.
 */
import { compileFilter, JsonPathError, matchingClose, unescape, type Filter, type FilterPath } from "./jsonpath-filter.ts";

export { JsonPathError };

type Token =
  | { kind: "property"; names: string[] }
  | { kind: "index"; indexes: number[] }
  | { kind: "slice"; from?: number; to?: number }
  | { kind: "wildcard" }
  | { kind: "scan" }
  | { kind: "filter"; test: Filter }
  | { kind: "function"; name: string; args: number[] };

interface CompiledPath {
  fromRoot: boolean; // `$`; `@` starts at the current filter item
  tokens: Token[];
  upstreamDefinite: boolean[]; // per token: every token before it is definite
  definite: boolean;
}

export interface PathResult {
  value: unknown;
  /** false when Jayway would have collected the matches in a list (a json-smart JSONArray). */
  definite: boolean;
}

/** Raised only while checking existence, as Jayway's PathNotFoundException. */
class NotFound extends Error {}

/**
 * Reads `path` from `doc`. A path that does not start with `$` or `@` gets Jayway's implied
 * `$.` prefix. Missing data gives null (definite path) or a shorter list (indefinite path);
 * an invalid path or a failing function throws JsonPathError.
 */
export function readPath(path: string, doc: unknown): PathResult {
  const compiled = compilePath(path);
  const out = evaluate(compiled, doc, doc, false);
  return compiled.definite ? { value: out.length ? out[out.length - 1] : null, definite: true } : { value: out, definite: false };
}

// Templates repeat the same few paths on every task, so parse each once.
const cache = new Map<string, CompiledPath | JsonPathError>();
const CACHE_LIMIT = 5000;

function compilePath(path: string): CompiledPath {
  let compiled = cache.get(path);
  if (!compiled) {
    try {
      compiled = parse(path);
    } catch (e) {
      compiled = e instanceof JsonPathError ? e : new JsonPathError(String(e));
    }
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(path, compiled);
  }
  if (compiled instanceof JsonPathError) throw compiled;
  return compiled;
}

function filterPath(src: string): FilterPath {
  const p = compilePath(src);
  return {
    value(item, root) {
      const out = evaluate(p, item, root, false);
      return p.definite ? (out.length ? out[out.length - 1] : null) : out;
    },
    exists(item, root) {
      try {
        return evaluate(p, item, root, true).length > 0 || !p.definite;
      } catch (e) {
        if (e instanceof NotFound) return false;
        throw e;
      }
    },
  };
}

function parse(src: string): CompiledPath {
  // Jayway trims spaces, and prefixes "$." to the untrimmed text: "${ a.b}" is invalid.
  let s = src.replace(/^ +| +$/g, "");
  if (s[0] !== "$" && s[0] !== "@") s = `$.${src}`.replace(/ +$/, "");
  if (s.endsWith(".")) throw new JsonPathError("Path must not end with a '.' or '..'");
  if (s.length > 1 && s[1] !== "." && s[1] !== "[") throw new JsonPathError("Expected '.' or '[' after the root");
  const tokens = new PathParser(s).tokens();
  const definite = tokens.map((t, i) => isTokenDefinite(t, i === tokens.length - 1));
  const upstreamDefinite = tokens.map((_, i) => definite.slice(0, i).every(Boolean));
  return { fromRoot: s[0] === "$", tokens, upstreamDefinite, definite: definite.every(Boolean) };
}

function isTokenDefinite(t: Token, leaf: boolean): boolean {
  if (t.kind === "property") return t.names.length === 1 || leaf;
  if (t.kind === "index") return t.indexes.length === 1;
  return t.kind === "function";
}

class PathParser {
  private pos = 1;
  private readonly out: Token[] = [];
  constructor(private readonly s: string) {}

  tokens(): Token[] {
    while (this.pos < this.s.length) {
      if (this.out.at(-1)?.kind === "function") throw new JsonPathError("A function must end the path");
      const c = this.s[this.pos];
      if (c === "[") {
        if (!(this.quotedProperties() || this.indexes() || this.bracketWildcard() || this.filter())) throw new JsonPathError(`Could not parse token at ${this.pos}`);
      } else if (c === ".") {
        const scan = this.s[this.pos + 1] === ".";
        if (scan) this.out.push({ kind: "scan" });
        this.pos += scan ? 2 : 1;
        if (this.pos >= this.s.length || this.s[this.pos] === ".") throw new JsonPathError(`Unexpected '.' at ${this.pos}`);
      } else if (c === "*") {
        this.pos++;
        this.out.push({ kind: "wildcard" });
      } else this.propertyOrFunction();
    }
    return this.out;
  }

  private significant(after: number): number {
    let i = after + 1;
    while (this.s[i] === " ") i++;
    return i;
  }

  private propertyOrFunction(): void {
    const { s } = this;
    const start = this.pos;
    let end = start;
    while (end < s.length && s[end] !== "." && s[end] !== "[" && s[end] !== "(") {
      if (s[end] === " ") throw new JsonPathError("Use bracket notation ['my prop'] for names with blanks");
      end++;
    }
    if (end === start) throw new JsonPathError(`Could not parse token at ${start}`);
    const name = s.slice(start, end);
    if (s[end] !== "(") {
      this.pos = end;
      this.out.push({ kind: "property", names: [name] });
      return;
    }
    const close = matchingClose(s, end, "(", ")", false, false);
    if (close < 0) throw new JsonPathError(`Arguments to function ${name} are not closed properly`);
    const argText = s.slice(end + 1, close).trim();
    const args = argText ? argText.split(",").map((a) => a.trim()) : [];
    if (!args.every((a) => /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(a))) throw new JsonPathError(`Unsupported arguments to ${name}`);
    this.pos = close + 1;
    this.out.push({ kind: "function", name, args: args.map(Number) });
  }

  // ['a'] or ["a", "b"]
  private quotedProperties(): boolean {
    const { s } = this;
    const quote = s[this.significant(this.pos)];
    if (quote !== "'" && quote !== '"') return false;
    const names: string[] = [];
    let start = 0, end = 0, inName = false, escaped = false, afterComma = false;
    for (let i = this.pos + 1; i < s.length; i++) {
      const c = s[i];
      if (escaped) escaped = false;
      else if (c === "\\") escaped = true;
      else if (c === "]" && !inName) {
        if (afterComma) throw new JsonPathError(`Found empty property at ${i}`);
        break;
      } else if (c === quote) {
        if (inName) {
          const next = s[this.significant(i)];
          if (next !== "]" && next !== ",") throw new JsonPathError(`Property must be followed by ',' or ']' at ${i}`);
          names.push(unescape(s.slice(start, i)));
          end = i;
        } else {
          start = i + 1;
          afterComma = false;
        }
        inName = !inName;
      } else if (c === "," && !inName) {
        if (afterComma) throw new JsonPathError(`Found empty property at ${i}`);
        afterComma = true;
      }
    }
    const close = this.significant(end);
    if (inName || !names.length || s[close] !== "]") throw new JsonPathError("Property has not been closed");
    this.pos = close + 1;
    this.out.push({ kind: "property", names });
    return true;
  }

  // [1], [-1], [0, 2], [1:], [:2], [1:3]
  private indexes(): boolean {
    if (!/[-0-9:]/.test(this.s[this.significant(this.pos)] ?? "")) return false;
    const close = this.s.indexOf("]", this.pos + 1);
    if (close < 0) return false;
    const expr = this.s.slice(this.pos + 1, close).trim();
    if (!/^[-0-9:, ]*$/.test(expr)) return false;
    if (expr.includes(":")) {
      if (!/^[-0-9:]*$/.test(expr)) throw new JsonPathError(`Failed to parse slice ${expr}`);
      const parts = expr.split(":");
      while (parts.length && parts.at(-1) === "") parts.pop(); // Java's String.split drops trailing empties
      const from = parts[0] ? javaInt(parts[0]) : undefined;
      const to = parts[1] ? javaInt(parts[1]) : undefined;
      if (from === undefined && to === undefined) throw new JsonPathError(`Failed to parse slice ${expr}`);
      this.out.push({ kind: "slice", from, to });
    } else {
      this.out.push({ kind: "index", indexes: expr.split(/\s*,\s*/).map(javaInt) });
    }
    this.pos = close + 1;
    return true;
  }

  private bracketWildcard(): boolean {
    const star = this.significant(this.pos);
    if (this.s[star] !== "*") return false;
    const close = this.significant(star);
    if (this.s[close] !== "]") throw new JsonPathError("Expected wildcard token to end with ']'");
    this.pos = close + 1;
    this.out.push({ kind: "wildcard" });
    return true;
  }

  // [?( ... )]
  private filter(): boolean {
    const { s } = this;
    const question = this.significant(this.pos);
    const open = this.significant(question);
    if (s[question] !== "?" || s[open] !== "(") return false;
    const closeParen = matchingClose(s, open, "(", ")", true, true);
    const end = closeParen < 0 ? -1 : this.significant(closeParen);
    if (end < 0 || s[end] !== "]") return false;
    this.out.push({ kind: "filter", test: compileFilter(s.slice(this.pos, end + 1), filterPath) });
    this.pos = end + 1;
    return true;
  }
}

function javaInt(text: string): number {
  const n = Number(text);
  if (!/^-?\d+$/.test(text) || n > 2147483647 || n < -2147483648) throw new JsonPathError(`Not an int: ${text}`);
  return n;
}

interface Run {
  root: unknown;
  strict: boolean; // Jayway's REQUIRE_PROPERTIES without SUPPRESS_EXCEPTIONS: missing data throws NotFound
  out: unknown[];
  arrayIndex?: [token: number, index: number];
}

function evaluate(p: CompiledPath, item: unknown, root: unknown, strict: boolean): unknown[] {
  const run: Run = { root, strict, out: [] };
  step(p, 0, p.fromRoot ? root : item, run);
  return run.out;
}

type JsonMap = Record<string, unknown>;
const isMap = (v: unknown): v is JsonMap => typeof v === "object" && v !== null && !Array.isArray(v);
// Own properties only: "constructor" or "__proto__" in a path must not reach Object.prototype.
const own = (m: JsonMap, key: string): unknown => (Object.hasOwn(m, key) ? m[key] : undefined);

function step(p: CompiledPath, i: number, model: unknown, run: Run): void {
  const token = p.tokens[i];
  if (!token) {
    run.out.push(model);
    return;
  }
  switch (token.kind) {
    case "property":
      if (!isMap(model)) return missing(p, i, run);
      if (token.names.length > 1 && i === p.tokens.length - 1) {
        const merged: JsonMap = {};
        for (const name of token.names) {
          const v = own(model, name);
          if (v !== undefined) Object.defineProperty(merged, name, { value: v, enumerable: true, writable: true, configurable: true });
          else if (run.strict) throw new NotFound();
        }
        run.out.push(merged);
        return;
      }
      for (const name of token.names) {
        const v = own(model, name);
        if (v === undefined) {
          if (run.strict) throw new NotFound();
        } else if (i < p.tokens.length - 1 || keepsScannedItem(p, i, run)) step(p, i + 1, v, run);
      }
      return;
    case "index":
      if (!Array.isArray(model)) return missing(p, i, run);
      for (const n of token.indexes) element(p, i, model, n, run);
      return;
    case "slice":
      if (!Array.isArray(model)) return missing(p, i, run);
      for (const n of sliceIndexes(token, model.length)) element(p, i, model, n, run);
      return;
    case "wildcard":
      if (isMap(model)) {
        if (i < p.tokens.length - 1 || keepsScannedItem(p, i, run)) for (const v of Object.values(model)) step(p, i + 1, v, run);
      }
      else if (Array.isArray(model)) for (let n = 0; n < model.length; n++) element(p, i, model, n, run);
      return;
    case "scan":
      return scan(p, i + 1, model, run);
    case "filter":
      if (isMap(model)) {
        if (token.test(model, run.root)) step(p, i + 1, model, run);
      } else if (Array.isArray(model)) {
        model.forEach((el, n) => token.test(el, run.root) && element(p, i, model, n, run));
      } else if (p.upstreamDefinite[i]) throw new JsonPathError("Filter can not be applied to primitives");
      return;
    case "function":
      run.out.push(callFunction(token.name, token.args, model));
  }
}

// Jayway keeps a final property (or a final * over a map) reached through walkArray (see scan) only
// when the token before it is that item's single index: $..[1].a keeps item 1's a, $..[*].a nothing.
function keepsScannedItem(p: CompiledPath, i: number, run: Run): boolean {
  if (run.arrayIndex?.[0] !== i) return true;
  const before = p.tokens[i - 1];
  return before.kind === "index" && before.indexes.length === 1 && before.indexes[0] === run.arrayIndex[1];
}

// Data of the wrong shape: skipped, except while checking existence along a definite path.
function missing(p: CompiledPath, i: number, run: Run): void {
  if (run.strict && p.upstreamDefinite[i]) throw new NotFound();
}

function element(p: CompiledPath, i: number, list: unknown[], n: number, run: Run): void {
  const at = n < 0 ? list.length + n : n;
  if (at >= 0 && at < list.length) step(p, i + 1, list[at], run);
}

// Jayway's slice rules, quirks included: [1:-1] is empty, [-2:2] wraps around.
function sliceIndexes({ from, to }: { from?: number; to?: number }, length: number): number[] {
  const range = (a: number, b: number) => Array.from({ length: Math.max(0, b - a) }, (_, k) => a + k);
  if (length === 0) return [];
  if (to === undefined) return range(Math.max(0, from! < 0 ? length + from! : from!), length);
  if (from === undefined) return range(0, Math.min(length, to < 0 ? length + to : to));
  return from >= Math.min(length, to) ? [] : range(from, Math.min(length, to));
}

// `..x`: the token after the scan is applied to every container it fits, depth first.
function scan(p: CompiledPath, i: number, model: unknown, run: Run): void {
  const token = p.tokens[i];
  const fits = (m: unknown): boolean => {
    switch (token.kind) {
      case "property":
        return isMap(m) && (!isTokenDefinite(token, i === p.tokens.length - 1) || token.names.every((n) => Object.hasOwn(m, n)));
      case "index":
      case "slice":
        return Array.isArray(m);
      case "wildcard":
        return true;
      case "filter":
        return token.test(m, run.root);
      default:
        return false;
    }
  };
  const walk = (m: unknown): void => {
    if (isMap(m)) {
      if (fits(m)) step(p, i, m, run);
    } else if (Array.isArray(m)) {
      if (fits(m) && i === p.tokens.length - 1) step(p, i, m, run);
      // Jayway's walkArray: a token that is not last is skipped and the one after it applied to
      // every item ($..[0].length() measures every item of every list). Jayway also stores the
      // item's index on that next token, where it stays for the rest of the read (and, as compiled
      // paths are cached, for later reads too); a final single property checks it.
      else if (fits(m)) {
        m.forEach((item, n) => {
          run.arrayIndex = [i + 1, n];
          step(p, i + 1, item, run);
        });
      }
    } else return;
    for (const v of Object.values(m)) walk(v);
  };
  walk(model);
}

function callFunction(name: string, args: number[], model: unknown): unknown {
  switch (name) {
    case "length":
    case "size":
      return Array.isArray(model) ? model.length : isMap(model) ? Object.keys(model).length : null;
    case "keys":
      return isMap(model) ? Object.keys(model) : null;
    case "sum":
    case "avg":
    case "min":
    case "max":
    case "stddev": {
      const nums = [...(Array.isArray(model) ? model.filter((v): v is number => typeof v === "number") : []), ...args];
      if (!nums.length) throw new JsonPathError("Aggregation function attempted to calculate value using empty array");
      const sum = nums.reduce((a, b) => a + b, 0);
      if (name === "sum") return sum;
      if (name === "avg") return sum / nums.length;
      if (name === "min") return nums.reduce((m, v) => (v < m ? v : m), Number.MAX_VALUE);
      // Jayway starts max at Double.MIN_VALUE, the smallest positive double.
      if (name === "max") return nums.reduce((m, v) => (v > m ? v : m), Number.MIN_VALUE);
      const sumSq = nums.reduce((a, b) => a + b * b, 0);
      return Math.sqrt(sumSq / nums.length - (sum * sum) / nums.length / nums.length);
    }
    case "first":
    case "last":
    case "index": {
      if (!Array.isArray(model)) throw new JsonPathError(`${name}() needs a list`);
      const target = name === "first" ? 0 : name === "last" ? -1 : Math.trunc(args[0] ?? NaN);
      const at = target >= 0 ? target : model.length + target;
      // Jayway refuses a negative index that lands on the first item.
      if (!(target >= 0 ? at < model.length : at > 0)) throw new JsonPathError(`Index ${target} out of range`);
      return model[at];
    }
    default:
      throw new JsonPathError(`Function with name: ${name} does not exist`);
  }
}
