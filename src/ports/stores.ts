/**
 * Storage ports: what the engine's host needs from a database, as intent-level operations
 * ("commit this decision"), never raw transactions, so that libSQL (interactive transactions),
 * D1 (atomic batches only) and Durable Object SQLite (synchronous transactions) all fit.
 */
import type { QueueEffect } from "../engine/context.ts";
import type { PollData, Task, TaskDef, TaskExecLog, Workflow, WorkflowDef } from "../model/index.ts";

export interface StoredExecution {
  execution: Workflow;
  /** The stored revision; a write must start from it and fails if another writer moved it on. */
  rev: number;
}

/** Everything one decision changed, written atomically. */
export interface ExecutionCommit {
  execution: Workflow;
  /**
   * The stored revision the decision started from (0 for a new execution). Several commits of
   * one execution in one batch share it; the batch advances the stored revision by one.
   */
  rev: number;
  changedTasks: Task[];
  /** Tasks the decision dropped from the execution. */
  removedTaskIds?: string[];
  effects: QueueEffect[];
  wakeAt: number | null;
  logs?: TaskExecLog[];
  /** The execution is deleted with its tasks, logs and queue messages (`DELETE /workflow/{id}/remove`). */
  remove?: boolean;
  /** Effects on other objects, written with the decision and delivered after it (see OutboxStore). */
  outbox?: OutboxMessage[];
}

export interface OutboxMessage {
  kind: "queue.offer" | "queue.remove" | "index" | "index.remove" | "workflow.start" | "workflow.notify" | "workflow.terminate";
  /** The receiving object, e.g. a queue name. */
  target: string;
  payload: unknown;
}

export interface OutboxRow extends OutboxMessage {
  id: number;
  attempts: number;
  nextAttemptAt: number;
}

/** The outbox of one object: messages waiting to be delivered, in the order they were written. */
export interface OutboxStore {
  /** Rows due for delivery at `now`, oldest first, stopping at the first row that waits for a retry. */
  due(now: number, limit: number): Promise<OutboxRow[]>;
  /** When delivery can go on (the oldest row's due time), or null when the outbox is empty. */
  nextDue(): Promise<number | null>;
  delete(ids: number[]): Promise<void>;
  /** A delivery failed: try this row again at `at`. */
  defer(id: number, attempts: number, at: number): Promise<void>;
}

/** One workflow in the search index. */
export interface WorkflowSummaryRow {
  workflowId: string;
  workflowName: string;
  workflowVersion: number;
  status: string;
  correlationId?: string;
  parentWorkflowId?: string;
  createTime: number;
  updateTime: number;
  endTime?: number;
  /** Revision of the execution this summary was taken from; an older one never overwrites a newer. */
  rev: number;
}

/** The search index of executions kept apart from them (D1 in the Workers build). */
export interface IndexStore {
  upsert(rows: WorkflowSummaryRow[]): Promise<void>;
  remove(workflowIds: string[]): Promise<void>;
  findWorkflowIds(query: ExecutionQuery): Promise<string[]>;
}

export interface ExecutionQuery {
  workflowName: string;
  version?: number;
  correlationId?: string;
  /** Only RUNNING executions unless set. */
  includeClosed?: boolean;
  startTime?: number;
  endTime?: number;
}

export interface ExecutionStore {
  load(workflowId: string): Promise<StoredExecution | undefined>;
  /** Writes several decisions in one atomic batch, all or none; later commits of an execution supersede earlier ones. */
  commit(commits: ExecutionCommit[]): Promise<void>;
  workflowIdOfTask(taskId: string): Promise<string | undefined>;
  getTask(taskId: string): Promise<Task | undefined>;
  findWorkflowIds(query: ExecutionQuery): Promise<string[]>;
  /** Executions whose timer is due at `now`, earliest first. */
  dueWorkflowIds(now: number, limit: number): Promise<string[]>;
  /** The earliest armed timer, or null. */
  nextWakeAt(): Promise<number | null>;
  addLogs(logs: TaskExecLog[]): Promise<void>;
  getLogs(taskId: string): Promise<TaskExecLog[]>;
}

export interface QueuedMessage {
  taskId: string;
  queueName: string;
  workflowId: string;
  priority: number;
  visibleAt: number;
}

export interface QueueStore {
  /** Every pending message, oldest first (a single-process host indexes them in memory). */
  loadAll(): Promise<QueuedMessage[]>;
  /** Adds or replaces messages by task id (a store that is a queue of its own). */
  offer(messages: QueuedMessage[]): Promise<void>;
  /** Drops messages whose task no longer waits for a worker (idempotent). */
  discard(taskIds: string[]): Promise<void>;
  savePollData(entries: PollData[]): Promise<void>;
  loadPollData(): Promise<PollData[]>;
}

export interface MetadataStore {
  putTaskDefs(defs: TaskDef[], now: number): Promise<void>;
  getTaskDef(name: string): Promise<TaskDef | undefined>;
  listTaskDefs(): Promise<TaskDef[]>;
  deleteTaskDef(name: string): Promise<boolean>;
  /** Inserts a definition; returns false if that name and version exist and `overwrite` is off. */
  putWorkflowDef(def: WorkflowDef, overwrite: boolean, now: number): Promise<boolean>;
  getWorkflowDef(name: string, version?: number): Promise<WorkflowDef | undefined>;
  listWorkflowDefs(): Promise<WorkflowDef[]>;
  deleteWorkflowDef(name: string, version: number): Promise<boolean>;
}
