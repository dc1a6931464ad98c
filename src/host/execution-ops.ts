/**
 * The operations on one execution that every host performs the same way, whatever stores it:
 * turning API requests into engine calls. Hosts add only where the execution lives and how the
 * decision is committed.
 */
import type { DecideContext, Decision } from "../engine/context.ts";
import { baseReferenceName } from "../engine/expression-document.ts";
import type { StartParams } from "../engine/start.ts";
import { applyTaskResult, findTask } from "../engine/update-task.ts";
import { NotFound } from "../errors.ts";
import {
  isTerminalTaskStatus,
  type StartWorkflowRequest,
  type Task,
  type TaskExecLog,
  type TaskResult,
  type TaskResultStatus,
  type Workflow,
  type WorkflowDef,
} from "../model/index.ts";

export function startParams(workflowId: string, definition: WorkflowDef, request: StartWorkflowRequest): StartParams {
  return {
    workflowId,
    definition,
    input: request.input,
    correlationId: request.correlationId,
    priority: request.priority,
    taskToDomain: request.taskToDomain,
    createdBy: request.createdBy,
    idempotencyKey: request.idempotencyKey,
  };
}

/**
 * A copy of wire data (tasks, executions) for a reader, who must not see later changes. Everything
 * here is JSON by construction, and a JSON round trip is several times cheaper than
 * structuredClone on Bun — it matters on the poll and update paths.
 */
export function snapshot<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export interface UpdateOutcome {
  /** The task as it now is (a copy the caller may hand out). */
  task: Task;
  /** Absent when the update changed nothing (task or workflow already ended). */
  decision?: Decision;
  logs: TaskExecLog[];
}

export function updateTask(execution: Workflow, result: TaskResult, ctx: DecideContext): UpdateOutcome {
  const task = findTask(execution, result.taskId);
  if (!task) throw new NotFound(`No such task found by id: ${result.taskId}`);
  const outcome = applyTaskResult(execution, task, result, ctx);
  if (outcome.kind === "ignored") return { task: snapshot(task), logs: [] };
  const logs = (result.logs ?? []).map((l) => ({ log: l.log, taskId: result.taskId, createdTime: l.createdTime ?? ctx.now }));
  return { task: snapshot(outcome.task), decision: outcome.decision, logs };
}

/**
 * Completes (or fails) the pending task of a reference name, merging the given output into what
 * it has; the name may leave out a loop's `__N` suffix. Returns the task id, or undefined when no
 * task of that name is pending.
 */
export function updateTaskByRef(
  execution: Workflow,
  taskRefName: string,
  status: TaskResultStatus,
  output: Record<string, unknown>,
  workerId: string | undefined,
  ctx: DecideContext,
): { taskId?: string; decision?: Decision } {
  const pending = [...execution.tasks]
    .reverse()
    .find((t) => !isTerminalTaskStatus(t.status) && (t.referenceTaskName === taskRefName || baseReferenceName(t.referenceTaskName) === taskRefName));
  if (!pending) return {};
  const result: TaskResult = {
    workflowInstanceId: execution.workflowId,
    taskId: pending.taskId,
    status,
    outputData: { ...(pending.outputData ?? {}), ...output },
    workerId,
    callbackAfterSeconds: 0,
    logs: [],
    extendLease: false,
  };
  const outcome = applyTaskResult(execution, pending, result, ctx);
  return { taskId: pending.taskId, decision: outcome.kind === "applied" ? outcome.decision : undefined };
}

/** A copy of the execution for a reader, with or without its tasks. */
export function workflowView(execution: Workflow, includeTasks: boolean): Workflow {
  return snapshot({ ...execution, tasks: includeTasks ? execution.tasks : [] });
}
