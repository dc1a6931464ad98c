/**
 * What the decider is given besides the execution, and what it hands back. The engine reads no
 * clock and makes no ids of its own: the host passes both in, so a decision is reproducible.
 */
import type { Task, Workflow } from "../model/index.ts";
import type { ScriptSandbox } from "../ports/sandbox.ts";

export interface DecideContext {
  /** Epoch milliseconds at which the decision is made. */
  now: number;
  /** A fresh unique id (task ids). */
  newId(): string;
  /** A number in [0, 1) for retry jitter; hosts pass Math.random. */
  random(): number;
  /**
   * Picks the domain for a task from a `taskToDomain` list (Conductor: the first domain whose
   * worker polled recently, else the last one). Optional: without it the first domain wins.
   */
  activeDomain?(taskType: string, domains: string[]): string | undefined;
  /** Runs user JavaScript (SWITCH/DO_WHILE conditions, INLINE); a host without one cannot run those tasks. */
  sandbox?: ScriptSandbox;
}

/** A side effect of a decision on the task queues, committed with it. */
export type QueueEffect =
  | { type: "enqueue"; taskId: string; queueName: string; workflowId: string; priority: number; visibleAt: number }
  | { type: "dequeue"; taskId: string; queueName: string };

/** The result of one decision: the execution as it now is, and what changed. */
export interface Decision {
  execution: Workflow;
  /** Tasks created or modified by the decision (to be written). */
  changedTasks: Task[];
  /** Whether the workflow's own fields changed (status, output, variables, ...). */
  workflowChanged: boolean;
  effects: QueueEffect[];
  /** The earliest moment the decider must run again for a timeout, or null. */
  wakeAt: number | null;
}
