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
import { evaluate, NotFound } from "./evaluate.ts";
import { compileFilter, type FilterPath } from "./filter.ts";
import { parse, type CompiledPath } from "./parse.ts";
import { JsonPathError } from "./syntax.ts";

export { JsonPathError };

export interface PathResult {
  value: unknown;
  /** false when Jayway would have collected the matches in a list (a json-smart JSONArray). */
  definite: boolean;
}

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
      compiled = parse(path, (text) => compileFilter(text, filterPath));
    } catch (e) {
      compiled = e instanceof JsonPathError ? e : new JsonPathError(String(e));
    }
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(path, compiled);
  }
  if (compiled instanceof JsonPathError) throw compiled;
  return compiled;
}

// A path inside a filter, as Jayway's ValueNodes.PathNode reads it.
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
