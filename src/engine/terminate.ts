/** Operator actions on a whole execution, and the timer tick. */
import { Conflict } from "../errors.ts";
import type { Workflow } from "../model/index.ts";
import type { DecideContext, Decision } from "./context.ts";
import { decide } from "./decide.ts";
import { Draft } from "./draft.ts";
import { stopWorkflow } from "./workflow-end.ts";

/**
 * Terminates a running or paused execution. Terminating one that already ended is a no-op,
 * except that a COMPLETED execution cannot be terminated (Conductor answers 409).
 */
export function terminateExecution(execution: Workflow, reason: string | undefined, ctx: DecideContext): Decision | null {
  if (execution.status === "COMPLETED") throw new Conflict(`Workflow ${execution.workflowId} is COMPLETED and cannot be terminated`);
  if (execution.status !== "RUNNING" && execution.status !== "PAUSED") return null;
  const draft = new Draft(execution, ctx);
  stopWorkflow(draft, "TERMINATED", reason);
  return draft.finish();
}

/** The execution's timer fired: enforce whatever deadline passed. */
export function onTimer(execution: Workflow, ctx: DecideContext): Decision {
  const draft = new Draft(execution, ctx);
  decide(draft);
  return draft.finish();
}
