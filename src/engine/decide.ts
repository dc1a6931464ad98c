/**
 * The decider: given an execution whose event has been applied, enforce timeouts, retry or fail
 * what failed, schedule what comes next, and end the workflow when nothing is left to do.
 */
import {
  isRetriableTaskStatus,
  isSuccessfulTaskStatus,
  isTerminalTaskStatus,
  isTerminalWorkflowStatus,
  type Task,
  type WorkflowTask,
} from "../model/index.ts";
import type { Draft } from "./draft.ts";
import { retryDelayMs } from "./retry.ts";
import { scheduleTask } from "./schedule.ts";
import { allowedRetries, effectiveTaskDef } from "./task-def.ts";
import { taskDeadlines, timeoutReason, totalTimeoutElapsed, workflowDeadline } from "./timeouts.ts";
import { dequeueWorkerTask } from "./tasks/worker.ts";
import { completeWorkflow, failureReason, stopWorkflow } from "./workflow-end.ts";

export function decide(draft: Draft): void {
  const execution = draft.execution;
  if (isTerminalWorkflowStatus(execution.status)) return;
  if (enforceWorkflowTimeout(draft)) return;
  for (const task of [...execution.tasks]) {
    if (enforceTaskTimeouts(draft, task)) return;
  }
  if (execution.status === "PAUSED") return;

  let progressed = true;
  while (progressed) {
    progressed = false;
    for (const task of [...execution.tasks]) {
      if (task.executed || !isTerminalTaskStatus(task.status)) continue;
      progressed = true;
      task.executed = true;
      draft.touch(task);
      if (!isSuccessfulTaskStatus(task.status)) {
        const outcome = handleFailure(draft, task);
        if (outcome === "ended") return;
        if (outcome === "retried") continue;
      }
      scheduleNext(draft, task);
    }
  }
  if (execution.tasks.every((t) => isTerminalTaskStatus(t.status))) finish(draft);
}

function enforceWorkflowTimeout(draft: Draft): boolean {
  const deadline = workflowDeadline(draft.execution);
  if (deadline === null || draft.now < deadline) return false;
  const def = draft.execution.workflowDefinition!;
  const elapsed = Math.floor((draft.now - (draft.execution.lastRetriedTime || draft.execution.createTime || 0)) / 1000);
  stopWorkflow(draft, "TIMED_OUT", `Workflow timed out after ${elapsed} seconds. Timeout configured as ${def.timeoutSeconds} seconds. Timeout policy configured to ${def.timeoutPolicy}`);
  return true;
}

/** Times the task out if one of its deadlines passed; true if that ended the workflow. */
function enforceTaskTimeouts(draft: Draft, task: Task): boolean {
  const due = taskDeadlines(draft.execution, task).find((d) => draft.now >= d.at);
  if (!due || !task.workflowTask) return false;
  const def = effectiveTaskDef(task.workflowTask);
  if (task.status === "SCHEDULED") dequeueWorkerTask(draft, task);
  task.status = "TIMED_OUT";
  task.reasonForIncompletion = timeoutReason(due.kind, task, def, draft.now);
  task.endTime = draft.now;
  draft.touch(task);
  // A silent worker is always retried; the other timeouts follow the definition's policy.
  if (due.kind !== "response" && def.timeoutPolicy === "TIME_OUT_WF") {
    task.executed = true;
    stopWorkflow(draft, "TIMED_OUT", task.reasonForIncompletion);
    return true;
  }
  return false;
}

type FailureOutcome = "retried" | "continued" | "ended";

function handleFailure(draft: Draft, task: Task): FailureOutcome {
  const wt = task.workflowTask!;
  const def = effectiveTaskDef(wt);
  const canRetry = isRetriableTaskStatus(task.status) && (task.retryCount ?? 0) < allowedRetries(wt);
  if (canRetry && !totalTimeoutElapsed(draft.execution, task, def, draft.now)) {
    task.retried = true;
    const delayMs = retryDelayMs(def, task.retryCount ?? 0, draft.ctx.random());
    scheduleTask(draft, wt, { retryOf: task, delayMs });
    return "retried";
  }
  if (wt.optional) {
    task.status = "COMPLETED_WITH_ERRORS";
    return "continued";
  }
  if (wt.permissive) return "continued";
  const status = task.status === "TIMED_OUT" ? "TIMED_OUT" : task.status === "CANCELED" ? "TERMINATED" : "FAILED";
  stopWorkflow(draft, status, failureReason(task));
  return "ended";
}

/** The workflow task that follows `ref` in the definition, if any. */
export function nextWorkflowTask(tasks: WorkflowTask[], ref: string): WorkflowTask | undefined {
  const i = tasks.findIndex((t) => t.taskReferenceName === ref);
  return i >= 0 ? tasks[i + 1] : undefined;
}

function scheduleNext(draft: Draft, task: Task): void {
  const def = draft.execution.workflowDefinition;
  if (!def) return;
  const next = nextWorkflowTask(def.tasks, task.referenceTaskName);
  if (!next) return;
  // A step already scheduled (or run) is never scheduled again.
  if (draft.execution.tasks.some((t) => t.referenceTaskName === next.taskReferenceName)) return;
  scheduleTask(draft, next);
}

function finish(draft: Draft): void {
  const permissiveFailure = draft.execution.tasks.find((t) => !t.retried && !isSuccessfulTaskStatus(t.status) && t.workflowTask?.permissive);
  if (permissiveFailure) stopWorkflow(draft, "FAILED", failureReason(permissiveFailure));
  else completeWorkflow(draft);
}
