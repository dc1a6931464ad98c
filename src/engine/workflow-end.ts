/** Ending an execution: completed with its output, or stopped with every open task cancelled. */
import { isTerminalTaskStatus, type Task, type WorkflowStatus } from "../model/index.ts";
import type { Draft } from "./draft.ts";
import { expressionDocument } from "./expression-document.ts";
import { resolveParameters } from "./expressions.ts";
import { dequeueWorkerTask } from "./tasks/worker.ts";

const FAILED_STATUSES = new Set(["FAILED", "FAILED_WITH_TERMINAL_ERROR"]);

function recordFailedTasks(draft: Draft): void {
  const refs = new Set<string>();
  const names = new Set<string>();
  for (const t of draft.execution.tasks) {
    if (FAILED_STATUSES.has(t.status) && !t.retried) {
      refs.add(t.referenceTaskName);
      if (t.taskDefName) names.add(t.taskDefName);
    }
  }
  draft.execution.failedReferenceTaskNames = [...refs];
  draft.execution.failedTaskNames = [...names];
}

export function cancelOpenTasks(draft: Draft, reason?: string): void {
  for (const task of draft.execution.tasks) {
    if (isTerminalTaskStatus(task.status)) continue;
    if (task.status === "SCHEDULED") dequeueWorkerTask(draft, task);
    // A running child goes down with its parent.
    if (task.subWorkflowId && task.workflowTask?.type === "SUB_WORKFLOW") {
      draft.message({ kind: "workflow.terminate", target: task.subWorkflowId, payload: { reason: `Parent workflow ${draft.execution.workflowId} ended` } });
    }
    task.status = "CANCELED";
    task.endTime = draft.now;
    if (reason && !task.reasonForIncompletion) task.reasonForIncompletion = reason;
    draft.touch(task);
  }
}

/** Stops a running execution with a non-successful status (and, from a TERMINATE task, an output). */
export function stopWorkflow(draft: Draft, status: Exclude<WorkflowStatus, "RUNNING" | "PAUSED" | "COMPLETED">, reason: string | undefined, output?: Record<string, unknown>): void {
  const execution = draft.execution;
  execution.status = status;
  if (reason) execution.reasonForIncompletion = reason;
  if (output) execution.output = output;
  execution.endTime = draft.now;
  cancelOpenTasks(draft);
  recordFailedTasks(draft);
  draft.touchWorkflow();
  notifyParent(draft);
}

function lastTask(tasks: Task[]): Task | undefined {
  return tasks[tasks.length - 1];
}

/**
 * Completes the execution: output from `outputParameters`, else the last task's output (or the
 * output a TERMINATE task gives). Tasks still open (other fork branches) are cancelled.
 */
export function completeWorkflow(draft: Draft, output?: Record<string, unknown>, reason?: string): void {
  const execution = draft.execution;
  const outputParameters = execution.workflowDefinition?.outputParameters ?? {};
  execution.output =
    output ??
    (Object.keys(outputParameters).length > 0
      ? resolveParameters(outputParameters, expressionDocument(execution))
      : { ...(lastTask(execution.tasks)?.outputData ?? {}) });
  if (reason) execution.reasonForIncompletion = reason;
  cancelOpenTasks(draft);
  execution.status = "COMPLETED";
  execution.endTime = draft.now;
  recordFailedTasks(draft);
  draft.touchWorkflow();
  notifyParent(draft);
}

/** A sub-workflow that ends tells its parent's SUB_WORKFLOW task. */
function notifyParent(draft: Draft): void {
  const { parentWorkflowId, parentWorkflowTaskId, workflowId, status, output, reasonForIncompletion } = draft.execution;
  if (!parentWorkflowId || !parentWorkflowTaskId) return;
  draft.message({
    kind: "workflow.notify",
    target: parentWorkflowId,
    payload: { parentWorkflowTaskId, childWorkflowId: workflowId, status, output: output ?? {}, reasonForIncompletion },
  });
}

export function failureReason(task: Task): string {
  return `Task ${task.taskId} failed with status: ${task.status} and reason: '${task.reasonForIncompletion ?? ""}'`;
}
