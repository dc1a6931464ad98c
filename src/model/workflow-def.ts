/** WorkflowDef: a named, versioned workflow blueprint. */
import * as v from "valibot";
import {
  auditEntries,
  CacheConfigSchema,
  Count,
  Int,
  JsonMapSchema,
  mapOrEmpty,
  opt,
  SchemaDefSchema,
  stringsOrEmpty,
} from "./common.ts";
import { RateLimitPolicySchema, WorkflowTimeoutPolicySchema } from "./enums.ts";
// Cyclic import: WorkflowTaskSchema is only touched inside v.lazy, after both modules loaded.
import { WorkflowTaskSchema, type WorkflowTask, type WorkflowTaskInput } from "./workflow-task.ts";

export const RateLimitConfigSchema = v.object({
  rateLimitKey: opt(v.string()),
  concurrentExecLimit: v.nullish(Count, 0),
  policy: v.nullish(RateLimitPolicySchema, "QUEUE"),
});
export type RateLimitConfig = v.InferOutput<typeof RateLimitConfigSchema>;

const defEntries = {
  name: v.string(),
  description: opt(v.string()),
  version: v.nullish(Int, 1),
  /** Names of expected inputs, for documentation only. */
  inputParameters: stringsOrEmpty(),
  outputParameters: mapOrEmpty(),
  /** A workflow name, or an expression such as `${workflow.input.onFailure}`. */
  failureWorkflow: opt(v.string()),
  failureWorkflowVersion: opt(Int),
  // Only 2 is valid; the value is kept so validateWorkflowDef can say so.
  schemaVersion: v.nullish(Int, 2),
  restartable: v.nullish(v.boolean(), true),
  workflowStatusListenerEnabled: v.nullish(v.boolean(), false),
  workflowStatusListenerSink: opt(v.string()),
  ownerEmail: opt(v.string()),
  timeoutPolicy: v.nullish(WorkflowTimeoutPolicySchema, "ALERT_ONLY"),
  /** 0 = no workflow timeout. */
  timeoutSeconds: v.nullish(Count, 0),
  /** Initial values of `workflow.variables`. */
  variables: mapOrEmpty(),
  /** Default input values merged under the start request's input. */
  inputTemplate: mapOrEmpty(),
  rateLimitConfig: opt(RateLimitConfigSchema),
  inputSchema: opt(SchemaDefSchema),
  outputSchema: opt(SchemaDefSchema),
  enforceSchema: v.nullish(v.boolean(), true),
  metadata: opt(JsonMapSchema),
  cacheConfig: opt(CacheConfigSchema),
  maskedFields: opt(v.array(v.string())),
  ...auditEntries,
};
const WorkflowDefBase = v.object(defEntries);

export interface WorkflowDef extends v.InferOutput<typeof WorkflowDefBase> {
  tasks: WorkflowTask[];
}
export interface WorkflowDefInput extends v.InferInput<typeof WorkflowDefBase> {
  tasks: WorkflowTaskInput[];
}

export const WorkflowDefSchema: v.GenericSchema<WorkflowDefInput, WorkflowDef> = v.object({
  ...defEntries,
  tasks: v.array(v.lazy(() => WorkflowTaskSchema)),
});
