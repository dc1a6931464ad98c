/** A child workflow ended: its parent's SUB_WORKFLOW task ends the same way, and the parent decides. */
import { isTerminalTaskStatus, isTerminalWorkflowStatus, type TaskStatus, type Workflow } from "../model/index.ts";
import type { ChildOutcome, DecideContext, Decision } from "./context.ts";
import { decide } from "./decide.ts";
import { Draft } from "./draft.ts";

const TASK_STATUS: Partial<Record<ChildOutcome["status"], TaskStatus>> = {
  COMPLETED: "COMPLETED",
  FAILED: "FAILED",
  TIMED_OUT: "TIMED_OUT",
  TERMINATED: "CANCELED",
};

/** Null when there is nothing to do (the task already ended, or the report is not about an ended child). */
export function applyChildOutcome(execution: Workflow, outcome: ChildOutcome, ctx: DecideContext): Decision | null {
  const task = execution.tasks.find((t) => t.taskId === outcome.parentWorkflowTaskId);
  const status = TASK_STATUS[outcome.status];
  if (!task || !status || isTerminalTaskStatus(task.status) || isTerminalWorkflowStatus(execution.status)) return null;
  const draft = new Draft(execution, ctx);
  task.status = status;
  task.outputData = { ...outcome.output, subWorkflowId: outcome.childWorkflowId };
  if (outcome.reasonForIncompletion) task.reasonForIncompletion = outcome.reasonForIncompletion.slice(0, 500);
  task.endTime = ctx.now;
  draft.touch(task);
  decide(draft);
  return draft.finish();
}
