/** StartWorkflowRequest: the body of `POST /api/workflow`. */
import * as v from "valibot";
import { Int, mapOrEmpty, opt, stringMapOrEmpty } from "./common.ts";
import { IdempotencyStrategySchema } from "./enums.ts";
import { WorkflowDefSchema } from "./workflow-def.ts";

/** 0–99; higher is handed to workers first. */
export const PrioritySchema = v.pipe(
  v.number(),
  v.integer("must be a whole number"),
  v.minValue(0, "must be between 0 and 99"),
  v.maxValue(99, "must be between 0 and 99"),
);

export const StartWorkflowRequestSchema = v.object({
  name: v.string(),
  /** Absent = the latest version. */
  version: opt(Int),
  correlationId: opt(v.string()),
  input: mapOrEmpty(),
  /** Task name (or `*`) → comma-separated domains. */
  taskToDomain: stringMapOrEmpty(),
  /** An inline definition, run without being registered. */
  workflowDef: opt(WorkflowDefSchema),
  externalInputPayloadStoragePath: opt(v.string()),
  priority: v.nullish(PrioritySchema, 0),
  createdBy: opt(v.string()),
  idempotencyKey: opt(v.string()),
  idempotencyStrategy: opt(IdempotencyStrategySchema),
});
export type StartWorkflowRequest = v.InferOutput<typeof StartWorkflowRequestSchema>;
export type StartWorkflowRequestInput = v.InferInput<typeof StartWorkflowRequestSchema>;
