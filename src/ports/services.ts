/**
 * What the HTTP API asks of the host. The Bun build implements it in-process over the stores;
 * the Workers build implements it by routing to Durable Objects. Routes know nothing else.
 */
import type {
  BulkResponse,
  PollData,
  StartWorkflowRequest,
  Task,
  TaskDef,
  TaskExecLog,
  TaskResult,
  TaskResultStatus,
  Workflow,
  WorkflowDef,
} from "../model/index.ts";

export interface MetadataService {
  registerTaskDefs(defs: TaskDef[]): Promise<void>;
  /** Upsert (Orkes semantics, which the JS SDK relies on). */
  updateTaskDef(def: TaskDef): Promise<void>;
  getTaskDef(name: string): Promise<TaskDef>;
  listTaskDefs(): Promise<TaskDef[]>;
  deleteTaskDef(name: string): Promise<void>;
  registerWorkflowDef(def: WorkflowDef, overwrite: boolean): Promise<void>;
  upsertWorkflowDefs(defs: WorkflowDef[]): Promise<BulkResponse>;
  validateWorkflowDef(def: WorkflowDef): Promise<void>;
  getWorkflowDef(name: string, version?: number): Promise<WorkflowDef>;
  listWorkflowDefs(): Promise<WorkflowDef[]>;
  deleteWorkflowDef(name: string, version: number): Promise<void>;
}

export interface PollRequest {
  workerId?: string;
  domain?: string;
  count: number;
  /** How long to hold the request open when the queue is empty, in ms. */
  timeoutMs: number;
  /** Aborted when the client goes away: a poll nobody waits for must not take a task. */
  signal?: AbortSignal;
}

export interface WorkflowService {
  start(request: StartWorkflowRequest): Promise<string>;
  get(workflowId: string, includeTasks: boolean): Promise<Workflow>;
  running(name: string, version: number, startTime?: number, endTime?: number): Promise<string[]>;
  correlated(name: string, correlationIds: string[], includeClosed: boolean, includeTasks: boolean): Promise<Record<string, Workflow[]>>;
  terminate(workflowId: string, reason?: string): Promise<void>;
  remove(workflowId: string): Promise<void>;
  /** Runs the decider now (PUT /workflow/decide/{id}). */
  decide(workflowId: string): Promise<void>;
}

export interface TaskService {
  poll(taskType: string, request: PollRequest): Promise<Task[]>;
  /** Applies a worker's result; returns the task as it now is. Unknown task → NotFound. */
  update(result: TaskResult): Promise<Task>;
  /** update-v2: applies the result and, if the task ended, hands the worker its next task of that type. */
  updateAndPoll(result: TaskResult): Promise<{ task: Task; next?: Task }>;
  updateByRef(workflowId: string, taskRefName: string, status: TaskResultStatus, output: Record<string, unknown>, workerId?: string): Promise<string | undefined>;
  getTask(taskId: string): Promise<Task>;
  addLog(taskId: string, log: string): Promise<void>;
  getLogs(taskId: string): Promise<TaskExecLog[]>;
  queueSize(taskType: string, domain?: string): Promise<number>;
  pollData(taskType: string): Promise<PollData[]>;
  allPollData(): Promise<PollData[]>;
}

export interface Services {
  metadata: MetadataService;
  workflows: WorkflowService;
  tasks: TaskService;
}
