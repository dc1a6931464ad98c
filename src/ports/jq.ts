/** jq programs (JSON_JQ_TRANSFORM's `queryExpression`), the same on every runtime. */

export interface Jq {
  /**
   * Runs the jq program `query` with `input` as its input (`.`) and returns every value it
   * outputs, in order (Conductor's `resultList`; `result` is the first). Synchronous: it runs
   * inside a decision. Throws JqError.
   */
  run(query: string, input: unknown): unknown[];
}

/**
 * Why a jq program produced no result. `message` is what jq says: for a compile error the lines jq
 * prints (`jq: error: syntax error, … at <top-level>, line 1:` … `jq: 1 compile error`); for an
 * uncaught runtime error the error's message (`Cannot index number with "a"`), or for a non-string
 * error value its JSON followed by ` (not a string)` (then `value` holds it).
 */
export class JqError extends Error {
  constructor(
    readonly kind: "compile" | "runtime" | "limit" | "input",
    message: string,
    readonly value?: unknown,
  ) {
    super(message);
    this.name = "JqError";
  }
}
