/**
 * Worker tasks (SIMPLE, and any type Baton does not run itself): queued for external workers
 * under `[domain:]taskType`, optionally delayed.
 */
import type { Task } from "../../model/index.ts";
import type { Draft } from "../draft.ts";
import type { TaskHandler } from "./handler.ts";

export function queueName(taskType: string, domain?: string): string {
  return domain ? `${domain}:${taskType}` : taskType;
}

/** Puts a SCHEDULED worker task on its queue, visible after `delayMs`. */
export function enqueueWorkerTask(draft: Draft, task: Task, delayMs: number): void {
  draft.effect({
    type: "enqueue",
    taskId: task.taskId,
    queueName: queueName(task.taskType, task.domain),
    workflowId: task.workflowInstanceId,
    priority: task.workflowPriority ?? 0,
    visibleAt: draft.now + Math.max(0, delayMs),
  });
}

export function dequeueWorkerTask(draft: Draft, task: Task): void {
  draft.effect({ type: "dequeue", taskId: task.taskId, queueName: queueName(task.taskType, task.domain) });
}

/** A worker task starts SCHEDULED and waits on its queue; nothing else happens until a poll. */
export const worker: TaskHandler = {
  start({ draft, task }, delayMs) {
    task.status = "SCHEDULED";
    enqueueWorkerTask(draft, task, delayMs);
  },
};
