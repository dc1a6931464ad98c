/**
 * The Jq port (src/ports/jq.ts) on jqjs (@michaelhomer/jqjs, jq in plain JavaScript), the same on
 * Bun and in workerd: no wasm, no eval, nothing to load. See ./jqjs-runtime.ts for how jqjs is
 * isolated, bounded and corrected.
 *
 * A run copies its input through JSON (so the caller's value is never shared with or changed by the
 * program, and anything that is not JSON is refused), runs the compiled program with a step budget,
 * and returns the outputs as JSON values. Compiled programs are cached (LRU), compile errors too.
 * Errors are JqError; outputs emitted before an error are dropped. Messages are jqjs's own
 * wording, which is not always jq's (e.g. `type mismatch in +:string and number cannot be added`).
 */
import { JqError, type Jq } from "../ports/jq.ts";
import { compileProgram, ErrorValue, LimitExceeded, NotDefined, runProgram, type Program } from "./jqjs-runtime.ts";

export interface JqjsOptions {
  /**
   * Steps one run may take: a step per node evaluated and per value produced by builtins,
   * iterators and object construction, plus one per 64 elements of the strings and arrays that
   * builtins are given and that `+`/`*` build, plus one per element of the outputs. Default
   * 5,000,000: a `map` over about 300,000 small objects, or about 0.4 s of a runaway loop on Bun
   * (bench/jq.ts).
   */
  maxSteps?: number;
  /** Compiled programs kept; default 256. */
  cacheSize?: number;
}

export const DEFAULT_MAX_STEPS = 5_000_000;
const DEFAULT_CACHE_SIZE = 256;

function messageOf(e: unknown): string {
  if (typeof e === "string") return e;
  if (e instanceof Error) return e.message;
  return String(e);
}

/** A jqjs parse failure or an undefined name, as jq words compile errors. */
function compileError(e: unknown): JqError {
  return new JqError("compile", `jq: error: ${messageOf(e)}\njq: 1 compile error`);
}

function runtimeError(e: unknown): JqError {
  if (e instanceof JqError) return e;
  if (e instanceof LimitExceeded) return new JqError("limit", `jq: error: ${e.message}`);
  if (e instanceof NotDefined) return compileError(e);
  if (e instanceof ErrorValue) {
    const v = e.value;
    return typeof v === "string" ? new JqError("runtime", v, v) : new JqError("runtime", `${JSON.stringify(v) ?? "null"} (not a string)`, v);
  }
  return new JqError("runtime", messageOf(e));
}

export function createJq(options: JqjsOptions = {}): Jq {
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  if (!Number.isSafeInteger(maxSteps) || maxSteps < 1) throw new RangeError(`maxSteps must be a positive integer, not ${maxSteps}`);
  const cacheSize = Math.max(1, options.cacheSize ?? DEFAULT_CACHE_SIZE);
  /** query → program or its compile error; Map order = least recently used first. */
  const programs = new Map<string, Program | JqError>();

  function compile(query: string): Program {
    let compiled = programs.get(query);
    if (compiled !== undefined) {
      programs.delete(query);
    } else {
      try {
        compiled = compileProgram(query);
      } catch (e) {
        compiled = compileError(e);
      }
      while (programs.size >= cacheSize) programs.delete(programs.keys().next().value!);
    }
    programs.set(query, compiled);
    if (compiled instanceof JqError) throw compiled;
    return compiled;
  }

  return {
    run(query: string, input: unknown): unknown[] {
      if (typeof query !== "string") throw new JqError("compile", "jq: error: the query is not a string\njq: 1 compile error");
      const program = compile(query);
      let copy: unknown;
      try {
        copy = JSON.parse(JSON.stringify(input) ?? "null");
      } catch (e) {
        throw new JqError("input", `jq: error: input is not JSON: ${messageOf(e)}`);
      }
      try {
        return runProgram(program, copy, maxSteps);
      } catch (e) {
        throw runtimeError(e);
      }
    },
  };
}
