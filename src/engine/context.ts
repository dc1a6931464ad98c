/**
 * What the decider is given besides the execution, and what it hands back. The engine reads no
 * clock and makes no ids of its own: the host passes both in, so a decision is reproducible.
 */
import type { Task, Workflow, WorkflowDef, WorkflowStatus } from "../model/index.ts";
import type { HttpRequest } from "../ports/http-client.ts";
import type { Jq } from "../ports/jq.ts";
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
  /** Runs jq (JSON_JQ_TRANSFORM). */
  jq?: Jq;
}

/** A side effect of a decision on the task queues, committed with it. */
export type QueueEffect =
  | { type: "enqueue"; taskId: string; queueName: string; workflowId: string; priority: number; visibleAt: number }
  | { type: "dequeue"; taskId: string; queueName: string };

/** An HTTP call the host makes once the decision is committed; its answer becomes an update of the task. */
export interface HttpCall {
  workflowId: string;
  taskId: string;
  request: HttpRequest;
  /** A 2xx leaves the task IN_PROGRESS (with the response) for someone else to complete. */
  asyncComplete: boolean;
}

/** What a new workflow started by another needs (SUB_WORKFLOW, START_WORKFLOW). */
export interface ChildStart {
  workflowId: string;
  name: string;
  version?: number;
  /** An inline definition instead of a registered one. */
  workflowDef?: WorkflowDef;
  input: Record<string, unknown>;
  correlationId?: string;
  taskToDomain?: Record<string, string>;
  priority?: number;
  /** Set for a SUB_WORKFLOW: whom to tell when the child ends. */
  parentWorkflowId?: string;
  parentWorkflowTaskId?: string;
}

/** How a child ended, for its parent's SUB_WORKFLOW task. */
export interface ChildOutcome {
  parentWorkflowTaskId: string;
  childWorkflowId: string;
  status: WorkflowStatus;
  output: Record<string, unknown>;
  reasonForIncompletion?: string;
}

/**
 * A decision's effect on another workflow. It travels through the deciding workflow's outbox
 * (written in the same transaction, delivered after it, retried until acknowledged); receivers
 * ignore what they have already done.
 */
export type WorkflowMessage =
  | { kind: "workflow.start"; target: string; payload: ChildStart }
  | { kind: "workflow.notify"; target: string; payload: ChildOutcome }
  | { kind: "workflow.terminate"; target: string; payload: { reason: string } };

/** The result of one decision: the execution as it now is, and what changed. */
export interface Decision {
  execution: Workflow;
  /** Tasks created or modified by the decision (to be written). */
  changedTasks: Task[];
  /** Whether the workflow's own fields changed (status, output, variables, ...). */
  workflowChanged: boolean;
  effects: QueueEffect[];
  /** Calls to make after the commit, outside it (HTTP tasks). */
  httpCalls: HttpCall[];
  /** Effects on other workflows, to go out through the outbox. */
  messages: WorkflowMessage[];
  /** Tasks dropped from the execution (to be deleted). */
  removedTaskIds: string[];
  /** The earliest moment the decider must run again for a timeout, or null. */
  wakeAt: number | null;
}
