/**
 * The document `${...}` expressions resolve against: `workflow` plus one entry per task
 * reference name. Loop iterations are keyed without their `__N` suffix and retries by their
 * latest attempt, so `${ref.output}` always means the newest run of that step.
 */
import type { Task, Workflow } from "../model/index.ts";
import type { ExpressionDocument } from "./expressions.ts";

/** `__N` per enclosing loop: `step__2` in a loop, `step__2__1` in a loop inside a loop. */
const LOOP_SUFFIX = /(__\d+)+$/;

export function baseReferenceName(ref: string): string {
  return ref.replace(LOOP_SUFFIX, "");
}

function taskEntry(task: Task): Record<string, unknown> {
  return {
    input: task.inputData ?? {},
    output: task.outputData ?? {},
    taskType: task.taskType,
    status: task.status,
    referenceTaskName: task.referenceTaskName,
    retryCount: task.retryCount ?? 0,
    correlationId: task.correlationId,
    pollCount: task.pollCount ?? 0,
    taskDefName: task.taskDefName,
    scheduledTime: task.scheduledTime ?? 0,
    startTime: task.startTime ?? 0,
    endTime: task.endTime ?? 0,
    workflowInstanceId: task.workflowInstanceId,
    taskId: task.taskId,
    reasonForIncompletion: task.reasonForIncompletion,
    callbackAfterSeconds: task.callbackAfterSeconds ?? 0,
    workerId: task.workerId,
    iteration: task.iteration ?? 0,
  };
}

export function expressionDocument(execution: Workflow): ExpressionDocument {
  const def = execution.workflowDefinition;
  const doc: ExpressionDocument = {
    workflow: {
      input: execution.input ?? {},
      output: execution.output ?? {},
      status: execution.status,
      workflowId: execution.workflowId,
      parentWorkflowId: execution.parentWorkflowId,
      parentWorkflowTaskId: execution.parentWorkflowTaskId,
      workflowType: execution.workflowName ?? def?.name,
      version: execution.workflowVersion ?? def?.version,
      correlationId: execution.correlationId,
      reasonForIncompletion: execution.reasonForIncompletion,
      schemaVersion: def?.schemaVersion ?? 2,
      variables: execution.variables ?? {},
    },
  };
  // Tasks are in seq order, so a later attempt or iteration overwrites an earlier one.
  for (const task of execution.tasks) doc[baseReferenceName(task.referenceTaskName)] = taskEntry(task);
  return doc;
}
