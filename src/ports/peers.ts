/**
 * Where executions and queues live in separate objects (the Workers build: a Durable Object per
 * workflow and per task queue), the objects talk to each other through these interfaces. Every
 * method is safe to call again with the same arguments: deliveries are retried until they are
 * acknowledged.
 */
import type { ChildOutcome } from "../engine/context.ts";
import type { StartParams } from "../engine/start.ts";
import type { PollData, Task, TaskExecLog, TaskResult, TaskResultStatus, Workflow } from "../model/index.ts";
import type { QueuedMessage } from "./stores.ts";

export interface WorkflowPeer {
  /** Creates the execution (a second call with the same id returns without doing anything). */
  start(params: StartParams): Promise<void>;
  get(includeTasks: boolean): Promise<Workflow | null>;
  /** A queue handed this task to a worker: start the attempt, or null if the task no longer waits. */
  claim(taskId: string, workerId: string | undefined): Promise<Task | null>;
  update(result: TaskResult): Promise<Task>;
  updateByRef(taskRefName: string, status: TaskResultStatus, output: Record<string, unknown>, workerId?: string): Promise<string | undefined>;
  terminate(reason?: string): Promise<void>;
  /** A child of this workflow ended (its SUB_WORKFLOW task ends with it). */
  notify(outcome: ChildOutcome): Promise<void>;
  remove(): Promise<void>;
  decide(): Promise<void>;
  getTask(taskId: string): Promise<Task | null>;
  addLog(taskId: string, log: string): Promise<void>;
  getLogs(taskId: string): Promise<TaskExecLog[]>;
}

export interface QueuePeer {
  /** Adds or replaces messages (by task id). */
  offer(messages: QueuedMessage[]): Promise<void>;
  remove(taskIds: string[]): Promise<void>;
  /**
   * Leases up to `count` messages, waiting up to `timeoutMs` for one to arrive. A poll given a
   * `pollId` can be called off with `cancelPoll` (its client went away): it then leases nothing.
   */
  poll(count: number, timeoutMs: number, workerId: string | undefined, pollId?: string): Promise<QueuedMessage[]>;
  cancelPoll(pollId: string): Promise<void>;
  /** Leased messages that were not handed out after all: make them visible again now. */
  release(taskIds: string[]): Promise<void>;
  /** The leased messages were handed out (or found stale): delete them. */
  ack(taskIds: string[]): Promise<void>;
  size(): Promise<number>;
  pollData(): Promise<PollData | null>;
}

export interface Peers {
  workflow(workflowId: string): WorkflowPeer;
  queue(queueName: string): QueuePeer;
}

/** The methods a workflow object answers (what an RPC transport may forward). */
export const WORKFLOW_PEER_METHODS = ["start", "get", "claim", "update", "updateByRef", "terminate", "notify", "remove", "decide", "getTask", "addLog", "getLogs"] as const satisfies readonly (keyof WorkflowPeer)[];

/** The methods a queue object answers. */
export const QUEUE_PEER_METHODS = ["offer", "remove", "poll", "cancelPoll", "release", "ack", "size", "pollData"] as const satisfies readonly (keyof QueuePeer)[];
