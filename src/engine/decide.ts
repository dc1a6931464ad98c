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
import { isScheduled, nextInDefinition, scopeOf } from "./flow.ts";
import { runFor, scheduleTask } from "./schedule.ts";
import { handlerFor } from "./tasks/index.ts";
import { allowedRetries, effectiveTaskDef } from "./task-def.ts";
import { taskDeadlines, timeoutReason, totalTimeoutElapsed, workflowDeadline } from "./timeouts.ts";
import { dequeueWorkerTask } from "./tasks/worker.ts";
import { completeWorkflow, failureReason, stopWorkflow } from "./workflow-end.ts";

export function decide(draft: Draft): void {
  const execution = draft.execution;
  if (ended(draft)) return;
  if (enforceWorkflowTimeout(draft)) return;
  for (const task of [...execution.tasks]) {
    if (enforceTaskTimeouts(draft, task)) return;
  }
  if (execution.status === "PAUSED") return;

  let progressed = true;
  while (progressed) {
    progressed = false;
    for (const task of [...execution.tasks]) {
      if (ended(draft)) return;
      if (!isTerminalTaskStatus(task.status)) {
        // Tasks that wait on something (a JOIN, a timer) look again at every decision.
        const newestBefore = execution.tasks[execution.tasks.length - 1];
        handlerOf(task).check?.(runFor(draft, task));
        // A check may schedule tasks (a loop's next iteration; new tasks are appended); they need a pass of their own.
        if (execution.tasks[execution.tasks.length - 1] !== newestBefore) progressed = true;
        if (!isTerminalTaskStatus(task.status)) continue;
      }
      if (task.executed) continue;
      progressed = true;
      task.executed = true;
      draft.touch(task);
      if (!isSuccessfulTaskStatus(task.status)) {
        const outcome = handleFailure(draft, task);
        if (outcome === "ended") return;
        if (outcome === "retried") continue;
      }
      scheduleSuccessors(draft, task);
    }
  }
  if (!ended(draft) && execution.tasks.every((t) => isTerminalTaskStatus(t.status))) finish(draft);
}

function ended(draft: Draft): boolean {
  return isTerminalWorkflowStatus(draft.execution.status);
}

function handlerOf(task: Task) {
  return handlerFor(task.workflowTask?.type ?? "SIMPLE");
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
  failEnclosingLoops(draft, task);
  stopWorkflow(draft, status, failureReason(task));
  return "ended";
}

/** A loop whose body task failed for good fails with it (before the rest is cancelled), as in Conductor. */
function failEnclosingLoops(draft: Draft, failed: Task): void {
  const { suffix } = scopeOf(failed);
  for (const loop of draft.execution.tasks) {
    if (loop.workflowTask?.type !== "DO_WHILE" || isTerminalTaskStatus(loop.status)) continue;
    const loopSuffix = scopeOf(loop).suffix;
    if (!suffix.startsWith(`${loopSuffix}__`)) continue;
    loop.status = "FAILED";
    loop.reasonForIncompletion = failed.reasonForIncompletion;
    loop.endTime = draft.now;
    loop.executed = true;
    draft.touch(loop);
  }
}

/** Schedules what comes after a completed task: its type's choice, else the definition's next step. */
function scheduleSuccessors(draft: Draft, task: Task): void {
  const explicit = handlerOf(task).successors?.(runFor(draft, task));
  const next = explicit ?? [nextInDefinition(draft, task)].filter((t): t is WorkflowTask => t !== undefined);
  const scope = scopeOf(task);
  for (const wt of next) {
    // A TERMINATE among them may have ended the workflow: then nothing more starts.
    if (ended(draft)) return;
    // A step already scheduled (or run) is never scheduled again.
    if (!isScheduled(draft, wt, scope)) scheduleTask(draft, wt, { scope });
  }
}

function finish(draft: Draft): void {
  const permissiveFailure = draft.execution.tasks.find((t) => !t.retried && !isSuccessfulTaskStatus(t.status) && t.workflowTask?.permissive);
  if (permissiveFailure) stopWorkflow(draft, "FAILED", failureReason(permissiveFailure));
  else completeWorkflow(draft);
}
