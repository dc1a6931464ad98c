/**
 * A worker's poll took a task off its queue: the attempt starts. A queue message whose task is
 * no longer waiting (ended, cancelled, already started) is stale and is simply dropped.
 */
import type { Task, Workflow } from "../model/index.ts";
import type { DecideContext, Decision } from "./context.ts";
import { Draft } from "./draft.ts";

export function claimTask(execution: Workflow, taskId: string, workerId: string | undefined, ctx: DecideContext): { task: Task; decision: Decision } | null {
  if (execution.status !== "RUNNING" && execution.status !== "PAUSED") return null;
  const task = execution.tasks.find((t) => t.taskId === taskId);
  if (!task || task.status !== "SCHEDULED") return null;
  const draft = new Draft(execution, ctx);
  task.status = "IN_PROGRESS";
  if (!task.startTime) task.startTime = ctx.now;
  task.pollCount = (task.pollCount ?? 0) + 1;
  task.callbackAfterSeconds = 0;
  if (workerId) task.workerId = workerId;
  draft.touch(task);
  return { task, decision: draft.finish() };
}
