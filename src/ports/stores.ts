/**
 * Storage ports: what the engine's host needs from a database, as intent-level operations
 * ("commit this decision"), never raw transactions, so that libSQL (interactive transactions),
 * D1 (atomic batches only) and Durable Object SQLite (synchronous transactions) all fit.
 */
import type { QueueEffect } from "../engine/context.ts";
import type { PollData, Task, TaskDef, TaskExecLog, Workflow, WorkflowDef } from "../model/index.ts";

export interface StoredExecution {
  execution: Workflow;
  /** The revision read; a commit must name it and fails if another writer got there first. */
  rev: number;
}

/** Everything one decision changed, written atomically. */
export interface ExecutionCommit {
  execution: Workflow;
  /** The revision the decision started from; 0 for a new execution. */
  rev: number;
  changedTasks: Task[];
  effects: QueueEffect[];
  wakeAt: number | null;
  logs?: TaskExecLog[];
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
  /** Commits several decisions in one atomic write; all or none. */
  commit(commits: ExecutionCommit[]): Promise<void>;
  remove(workflowId: string): Promise<boolean>;
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
  workflowId: string;
}

export interface QueueStore {
  /** Visible messages of a queue in delivery order (priority, then age). */
  peek(queueName: string, now: number, limit: number): Promise<QueuedMessage[]>;
  size(queueName: string): Promise<number>;
  /** Drops messages whose task no longer waits for a worker (idempotent). */
  discard(taskIds: string[]): Promise<void>;
  /** The earliest time a delayed message becomes visible, with its queue; null if none. */
  nextVisible(now: number): Promise<{ queueName: string; visibleAt: number } | null>;
  /** Queue names with messages visible at `now`. */
  visibleQueues(now: number): Promise<string[]>;
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
