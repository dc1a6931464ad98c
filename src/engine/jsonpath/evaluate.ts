/** Running compiled tokens over JSON data, as Jayway's PathToken classes do with SUPPRESS_EXCEPTIONS. */
import { isTokenDefinite, type CompiledPath } from "./parse.ts";
import { JsonPathError } from "./syntax.ts";

/** Raised only while checking existence, as Jayway's PathNotFoundException. */
export class NotFound extends Error {}

/** Java's IndexOutOfBoundsException from first() or index(n), which Jayway's handleArrayIndex swallows. */
class IndexOutOfBounds extends JsonPathError {}

interface Run {
  root: unknown;
  strict: boolean; // Jayway's REQUIRE_PROPERTIES without SUPPRESS_EXCEPTIONS: missing data throws NotFound
  out: unknown[];
  arrayIndex?: [token: number, index: number];
}

export function evaluate(p: CompiledPath, item: unknown, root: unknown, strict: boolean): unknown[] {
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

// Jayway's handleArrayIndex: the rest of the path runs inside its catch of IndexOutOfBoundsException,
// so items[*].list.first() skips an item with an empty list rather than failing the read.
function element(p: CompiledPath, i: number, list: unknown[], n: number, run: Run): void {
  const at = n < 0 ? list.length + n : n;
  if (at < 0 || at >= list.length) return;
  try {
    step(p, i + 1, list[at], run);
  } catch (e) {
    if (!(e instanceof IndexOutOfBounds)) throw e;
  }
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
      if (target >= 0 && at >= model.length) throw new IndexOutOfBounds(`Index ${target} out of range`);
      // Jayway refuses a negative index that lands on the first item.
      if (!(target >= 0 || at > 0)) throw new JsonPathError(`Index ${target} out of range`);
      return model[at];
    }
    default:
      throw new JsonPathError(`Function with name: ${name} does not exist`);
  }
}
