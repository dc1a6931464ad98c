/** The smaller wire shapes: poll data, search results, summaries, bulk answers, rerun and skip. */
import * as v from "valibot";
import {
  Count,
  EpochMs,
  Int,
  JsonMapSchema,
  opt,
  stringMapOrEmpty,
  stringsOrEmpty,
} from "./common.ts";
import { TaskStatusSchema, WorkflowStatusSchema } from "./enums.ts";

/** Last poll per queue and worker (`GET /api/tasks/queue/polldata`). */
export const PollDataSchema = v.object({
  queueName: v.string(),
  domain: opt(v.string()),
  workerId: v.string(),
  lastPollTime: EpochMs,
});
export type PollData = v.InferOutput<typeof PollDataSchema>;

export interface SearchResult<T> {
  totalHits: number;
  results: T[];
}

export function searchResultSchema<T extends v.GenericSchema>(item: T) {
  return v.object({ totalHits: Count, results: v.array(item) });
}

export interface BulkResponse<T = string> {
  bulkSuccessfulResults: T[];
  /** Id → why the operation failed for it. */
  bulkErrorResults: Record<string, string>;
  message: string;
}

/**
 * A workflow as the search index returns it. Unlike everywhere else, times are UTC ISO-8601
 * strings, and `input`/`output` are strings (Conductor renders the maps as text).
 */
export const WorkflowSummarySchema = v.object({
  workflowType: v.string(),
  version: v.nullish(Int, 1),
  workflowId: v.string(),
  correlationId: opt(v.string()),
  startTime: opt(v.string()),
  updateTime: opt(v.string()),
  endTime: opt(v.string()),
  status: WorkflowStatusSchema,
  input: opt(v.string()),
  output: opt(v.string()),
  reasonForIncompletion: opt(v.string()),
  executionTime: v.nullish(Count, 0),
  event: opt(v.string()),
  /** Comma-joined. */
  failedReferenceTaskNames: v.nullish(v.string(), ""),
  externalInputPayloadStoragePath: opt(v.string()),
  externalOutputPayloadStoragePath: opt(v.string()),
  priority: v.nullish(Count, 0),
  failedTaskNames: stringsOrEmpty(),
  createdBy: opt(v.string()),
  taskToDomain: stringMapOrEmpty(),
  idempotencyKey: opt(v.string()),
  /** "" for a top-level workflow. */
  parentWorkflowId: v.nullish(v.string(), ""),
  classifier: opt(v.string()),
  inputSize: opt(Count),
  outputSize: opt(Count),
});
export type WorkflowSummary = v.InferOutput<typeof WorkflowSummarySchema>;

/** A task as the search index returns it; same conventions as WorkflowSummary. */
export const TaskSummarySchema = v.object({
  workflowId: v.string(),
  workflowType: opt(v.string()),
  correlationId: opt(v.string()),
  scheduledTime: opt(v.string()),
  startTime: opt(v.string()),
  updateTime: opt(v.string()),
  endTime: opt(v.string()),
  status: TaskStatusSchema,
  reasonForIncompletion: opt(v.string()),
  executionTime: v.nullish(Count, 0),
  queueWaitTime: v.nullish(Count, 0),
  taskDefName: opt(v.string()),
  taskType: v.string(),
  input: opt(v.string()),
  output: opt(v.string()),
  taskId: v.string(),
  externalInputPayloadStoragePath: opt(v.string()),
  externalOutputPayloadStoragePath: opt(v.string()),
  workflowPriority: v.nullish(Count, 0),
  domain: opt(v.string()),
});
export type TaskSummary = v.InferOutput<typeof TaskSummarySchema>;

/** `POST /api/workflow/{id}/rerun`. Without reRunFromTaskId it reruns from the start. */
export const RerunWorkflowRequestSchema = v.object({
  reRunFromWorkflowId: opt(v.string()),
  workflowInput: opt(JsonMapSchema),
  reRunFromTaskId: opt(v.string()),
  taskInput: opt(JsonMapSchema),
  correlationId: opt(v.string()),
});
export type RerunWorkflowRequest = v.InferOutput<typeof RerunWorkflowRequestSchema>;

/** `PUT /api/workflow/{id}/skiptask/{ref}` (bound from query parameters by Conductor). */
export const SkipTaskRequestSchema = v.object({
  taskInput: opt(JsonMapSchema),
  taskOutput: opt(JsonMapSchema),
});
export type SkipTaskRequest = v.InferOutput<typeof SkipTaskRequestSchema>;
