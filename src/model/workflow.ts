/** Workflow: one execution, with its tasks and the definition it started with. */
import * as v from "valibot";
import {
  auditEntries,
  Count,
  EpochMs,
  Int,
  JsonMapSchema,
  mapOrEmpty,
  opt,
  stringMapOrEmpty,
  stringsOrEmpty,
} from "./common.ts";
import { WorkflowStatusSchema } from "./enums.ts";
import { TaskSchema } from "./task.ts";
import { WorkflowDefSchema } from "./workflow-def.ts";

export const WorkflowSchema = v.object({
  ...auditEntries,
  createTime: v.nullish(EpochMs, 0),
  status: WorkflowStatusSchema,
  endTime: v.nullish(EpochMs, 0),
  workflowId: v.string(),
  parentWorkflowId: opt(v.string()),
  parentWorkflowTaskId: opt(v.string()),
  /** Ordered by seq. */
  tasks: v.nullish(v.array(TaskSchema), () => []),
  input: mapOrEmpty(),
  output: mapOrEmpty(),
  correlationId: opt(v.string()),
  reRunFromWorkflowId: opt(v.string()),
  reasonForIncompletion: opt(v.string()),
  /** The event that started this workflow, when an event handler did. */
  event: opt(v.string()),
  taskToDomain: stringMapOrEmpty(),
  // Sets in Conductor; lists on the wire.
  failedReferenceTaskNames: stringsOrEmpty(),
  failedTaskNames: stringsOrEmpty(),
  /** The full definition the execution runs on (it never changes under a running workflow). */
  workflowDefinition: opt(WorkflowDefSchema),
  externalInputPayloadStoragePath: opt(v.string()),
  externalOutputPayloadStoragePath: opt(v.string()),
  priority: v.nullish(Count, 0),
  variables: mapOrEmpty(),
  /** Restarts the workflow-timeout clock after a retry. 0 = never retried. */
  lastRetriedTime: v.nullish(EpochMs, 0),
  // Earlier runs kept by Orkes; Baton does not produce it, so its shape is not modelled.
  history: opt(v.array(v.unknown())),
  idempotencyKey: opt(v.string()),
  rateLimitKey: opt(v.string()),
  rateLimited: opt(v.boolean()),
  aggregateTokenUsage: v.optional(v.unknown()),
  // Derived by Conductor on output (startTime = createTime).
  startTime: opt(EpochMs),
  workflowName: opt(v.string()),
  workflowVersion: opt(Int),
});
export type Workflow = v.InferOutput<typeof WorkflowSchema>;
export type WorkflowInput = v.InferInput<typeof WorkflowSchema>;

/** `GET /api/workflow/{id}/status`. */
export const WorkflowStatusSummarySchema = v.object({
  workflowId: v.string(),
  correlationId: opt(v.string()),
  status: WorkflowStatusSchema,
  output: opt(JsonMapSchema),
  variables: opt(JsonMapSchema),
});
export type WorkflowStatusSummary = v.InferOutput<typeof WorkflowStatusSummarySchema>;
