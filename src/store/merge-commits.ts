/**
 * Folds a batch of decisions into the net rows to write: the last state of each execution and
 * task, and the last queue effect on each task (an enqueue then a dequeue of the same task in one
 * batch is just a dequeue). Writing the net result keeps a batch a handful of statements however
 * many decisions it holds.
 */
import type { QueueEffect } from "../engine/context.ts";
import type { Task, TaskExecLog, Workflow } from "../model/index.ts";
import type { ExecutionCommit, OutboxMessage } from "../ports/stores.ts";

export interface NetExecution {
  execution: Workflow;
  /** The stored revision before the batch; 0 for an execution the batch creates. */
  baseRev: number;
  wakeAt: number | null;
}

export interface NetChanges {
  executions: NetExecution[];
  tasks: { workflowId: string; task: Task }[];
  enqueued: Extract<QueueEffect, { type: "enqueue" }>[];
  dequeued: string[];
  logs: TaskExecLog[];
  /** Executions the batch deletes; nothing else of theirs is written. */
  removed: string[];
  /** Every outbox message of the batch, in order (each is a delivery of its own). */
  outbox: OutboxMessage[];
  /** Task rows to delete. */
  removedTaskIds: string[];
}

export function mergeCommits(commits: ExecutionCommit[]): NetChanges {
  const executions = new Map<string, NetExecution>();
  const tasks = new Map<string, { workflowId: string; task: Task }>();
  const queue = new Map<string, QueueEffect>();
  const logs: TaskExecLog[] = [];
  const removed = new Set<string>();
  const outbox: OutboxMessage[] = [];
  const removedTasks = new Set<string>();
  for (const c of commits) {
    if (c.outbox) outbox.push(...c.outbox);
    const id = c.execution.workflowId;
    if (c.remove) {
      removed.add(id);
      continue;
    }
    const earlier = executions.get(id);
    executions.set(id, { execution: c.execution, baseRev: earlier ? earlier.baseRev : c.rev, wakeAt: c.wakeAt });
    for (const task of c.changedTasks) tasks.set(task.taskId, { workflowId: id, task });
    for (const taskId of c.removedTaskIds ?? []) {
      tasks.delete(taskId);
      removedTasks.add(taskId);
    }
    for (const e of c.effects) {
      queue.delete(e.taskId); // re-insert so Map order follows the latest effect
      queue.set(e.taskId, e);
    }
    if (c.logs) logs.push(...c.logs);
  }
  const enqueued: NetChanges["enqueued"] = [];
  const dequeued: string[] = [];
  for (const e of queue.values()) {
    if (e.type === "enqueue" && !removed.has(e.workflowId)) enqueued.push(e);
    else dequeued.push(e.taskId);
  }
  return {
    executions: [...executions.values()].filter((e) => !removed.has(e.execution.workflowId)),
    tasks: [...tasks.values()].filter((t) => !removed.has(t.workflowId)),
    enqueued,
    dequeued,
    logs: logs.filter((l) => !removed.has(l.taskId ? (tasks.get(l.taskId)?.workflowId ?? "") : "")),
    removed: [...removed],
    outbox,
    removedTaskIds: [...removedTasks],
  };
}
