/** Running user JavaScript (INLINE, SWITCH and DO_WHILE conditions) away from the host. */

export interface ScriptSandbox {
  /**
   * Evaluates `script` with each binding as a global (the engine binds `$` to the task's input)
   * and returns the value of its last expression as JSON data. Synchronous: it runs inside a
   * decision. Throws ScriptError.
   */
  evaluate(script: string, bindings: Record<string, unknown>): unknown;
}

export class ScriptError extends Error {
  constructor(readonly kind: "syntax" | "runtime" | "limit", message: string) {
    super(message);
    this.name = "ScriptError";
  }
}
