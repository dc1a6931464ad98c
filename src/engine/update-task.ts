/**
 * A worker's report on a task. Reports on a task or workflow that already ended change nothing,
 * which is what makes completing a task twice harmless.
 */
import { isTerminalTaskStatus, isTerminalWorkflowStatus, isWorkerTaskType, type Task, type TaskResult, type Workflow } from "../model/index.ts";
import type { DecideContext, Decision } from "./context.ts";
import { decide } from "./decide.ts";
import { Draft } from "./draft.ts";
import { dequeueWorkerTask, enqueueWorkerTask } from "./tasks/worker.ts";

const MAX_REASON_LENGTH = 500;

export type TaskUpdateOutcome =
  | { kind: "ignored"; task: Task }
  | { kind: "applied"; task: Task; decision: Decision };

export function findTask(execution: Workflow, taskId: string): Task | undefined {
  return execution.tasks.find((t) => t.taskId === taskId);
}

export function applyTaskResult(execution: Workflow, task: Task, result: TaskResult, ctx: DecideContext): TaskUpdateOutcome {
  if (isTerminalTaskStatus(task.status) || isTerminalWorkflowStatus(execution.status)) return { kind: "ignored", task };
  const draft = new Draft(execution, ctx);
  if (result.workerId) task.workerId = result.workerId;
  if (result.extendLease) {
    // A heartbeat only restarts the response-timeout clock.
    draft.touch(task);
    return { kind: "applied", task, decision: draft.finish() };
  }
  task.outputData = result.outputData ?? {};
  if (result.reasonForIncompletion !== undefined) task.reasonForIncompletion = result.reasonForIncompletion.slice(0, MAX_REASON_LENGTH);
  if (result.status === "IN_PROGRESS" && !isWorkerTaskType(task.workflowTask?.type ?? "SIMPLE")) {
    // A system task still going (an async-complete HTTP call, a WAIT) keeps running with the output it reported.
    draft.touch(task);
  } else if (result.status === "IN_PROGRESS") {
    // Conductor keeps the attempt but hands it out again once the callback delay has passed.
    const wasQueued = task.status === "SCHEDULED";
    task.status = "SCHEDULED";
    task.callbackAfterSeconds = result.callbackAfterSeconds ?? 0;
    if (wasQueued) dequeueWorkerTask(draft, task);
    enqueueWorkerTask(draft, task, task.callbackAfterSeconds * 1000);
    draft.touch(task);
  } else {
    if (task.status === "SCHEDULED") dequeueWorkerTask(draft, task);
    task.status = result.status;
    task.endTime = ctx.now;
    if (!task.startTime) task.startTime = ctx.now;
    draft.touch(task);
  }
  decide(draft);
  return { kind: "applied", task, decision: draft.finish() };
}
