/** TaskDef: a registered task type's retry, timeout and rate-limit settings. */
import * as v from "valibot";
import {
  auditEntries,
  Count,
  mapOrEmpty,
  opt,
  SchemaDefSchema,
  stringsOrEmpty,
} from "./common.ts";
import { RetryLogicSchema, TaskTimeoutPolicySchema } from "./enums.ts";

const taskDefEntries = {
  name: v.string(),
  description: opt(v.string()),
  retryCount: v.nullish(Count, 3),
  /** 0 = no per-attempt timeout. */
  timeoutSeconds: v.nullish(Count, 0),
  inputKeys: stringsOrEmpty(),
  outputKeys: stringsOrEmpty(),
  /** Names of secrets/env entries injected into the task at poll time. */
  runtimeMetadata: stringsOrEmpty(),
  timeoutPolicy: v.nullish(TaskTimeoutPolicySchema, "TIME_OUT_WF"),
  retryLogic: v.nullish(RetryLogicSchema, "FIXED"),
  retryDelaySeconds: v.nullish(Count, 60),
  // The schema accepts 0: Conductor builds TaskDefs with responseTimeoutSeconds 0 for system
  // tasks. The "at least 1" rule applies to registration only (validateTaskDef).
  responseTimeoutSeconds: v.nullish(Count, 3600),
  /** Absent or 0 = unlimited. */
  concurrentExecLimit: opt(Count),
  /** Default input values merged under the workflow task's inputParameters. */
  inputTemplate: mapOrEmpty(),
  rateLimitPerFrequency: opt(Count),
  rateLimitFrequencyInSeconds: opt(Count),
  isolationGroupId: opt(v.string()),
  executionNameSpace: opt(v.string()),
  ownerEmail: opt(v.string()),
  pollTimeoutSeconds: opt(Count),
  backoffScaleFactor: v.nullish(
    v.pipe(v.number(), v.integer("must be a whole number"), v.minValue(1, "must be 1 or more")),
    1,
  ),
  /** 0 = no cap on the computed retry delay. */
  maxRetryDelaySeconds: v.nullish(Count, 0),
  backoffJitterMs: v.nullish(Count, 0),
  baseType: opt(v.string()),
  /** 0 = no bound across all attempts. */
  totalTimeoutSeconds: v.nullish(Count, 0),
  taskStatusListenerEnabled: v.nullish(v.boolean(), true),
  inputSchema: opt(SchemaDefSchema),
  outputSchema: opt(SchemaDefSchema),
  enforceSchema: v.nullish(v.boolean(), false),
  ...auditEntries,
};

export const TaskDefSchema = v.object(taskDefEntries);
export type TaskDef = v.InferOutput<typeof TaskDefSchema>;
export type TaskDefInput = v.InferInput<typeof TaskDefSchema>;

/**
 * A TaskDef embedded in a workflow task (`taskDefinition`). Definitions in the wild often leave
 * out its name, which the task's own `name` supplies, so a missing name becomes "".
 */
export const EmbeddedTaskDefSchema = v.object({
  ...taskDefEntries,
  name: v.nullish(v.string(), ""),
});
