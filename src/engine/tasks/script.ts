/** Running a user script (SWITCH and DO_WHILE conditions, INLINE, LAMBDA) in the host's sandbox. */
import type { TaskRun } from "./handler.ts";

export function evaluateScript(run: TaskRun, script: string, input: Record<string, unknown>): unknown {
  const sandbox = run.draft.ctx.sandbox;
  if (!sandbox) throw new Error("This server has no JavaScript sandbox configured, so it cannot evaluate scripts");
  return sandbox.evaluate(script, { $: input });
}
