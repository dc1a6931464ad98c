/** SET_VARIABLE: merges its input into `workflow.variables`. */
import { complete, fail, type TaskHandler } from "./handler.ts";

/** Conductor's cap on the size of a workflow's variables. */
const MAX_VARIABLES_BYTES = 256 * 1024;

export const setVariable: TaskHandler = {
  start(run) {
    const { draft, task } = run;
    const merged = { ...(draft.execution.variables ?? {}), ...(task.inputData ?? {}) };
    const size = new TextEncoder().encode(JSON.stringify(merged)).length;
    if (size > MAX_VARIABLES_BYTES) {
      fail(run, `The variables payload size: ${size} bytes exceeds the limit of ${MAX_VARIABLES_BYTES} bytes`, { terminal: true });
      return;
    }
    draft.execution.variables = merged;
    draft.touchWorkflow();
    complete(run, {});
  },
};
