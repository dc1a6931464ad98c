/** TaskResult: what a worker posts back about a task it polled. */
import * as v from "valibot";
import { Count, EpochMs, JsonMapSchema, mapOrEmpty, NonEmptyString, opt } from "./common.ts";
import { TaskResultStatusSchema } from "./enums.ts";

/** Conductor keeps at most this many characters of a reason for incompletion. */
export const MAX_REASON_LENGTH = 500;

/** A reason, cut to the length Conductor keeps rather than refused. */
export const ReasonSchema = v.pipe(
  v.string(),
  v.transform((s) => s.slice(0, MAX_REASON_LENGTH)),
);

export const TaskExecLogSchema = v.object({
  log: v.string(),
  taskId: opt(v.string()),
  createdTime: opt(EpochMs),
});
export type TaskExecLog = v.InferOutput<typeof TaskExecLogSchema>;

/** Timings a worker SDK may report with its result. */
export const ExecutionMetadataSchema = v.object({
  serverSendTime: opt(EpochMs),
  clientReceiveTime: opt(EpochMs),
  executionStartTime: opt(EpochMs),
  executionEndTime: opt(EpochMs),
  clientSendTime: opt(EpochMs),
  pollNetworkLatency: opt(v.number()),
  updateNetworkLatency: opt(v.number()),
  additionalContext: opt(JsonMapSchema),
});
export type ExecutionMetadata = v.InferOutput<typeof ExecutionMetadataSchema>;

export const TaskResultSchema = v.object({
  workflowInstanceId: NonEmptyString,
  taskId: NonEmptyString,
  status: TaskResultStatusSchema,
  reasonForIncompletion: opt(ReasonSchema),
  /** For IN_PROGRESS: when to hand the task out again. */
  callbackAfterSeconds: v.nullish(Count, 0),
  workerId: opt(v.string()),
  outputData: mapOrEmpty(),
  logs: v.nullish(v.array(TaskExecLogSchema), () => []),
  /** A heartbeat: only resets the response-timeout clock. */
  extendLease: v.nullish(v.boolean(), false),
  subWorkflowId: opt(v.string()),
  executionMetadata: opt(ExecutionMetadataSchema),
  externalOutputPayloadStoragePath: opt(v.string()),
  supportsCancellation: opt(v.boolean()),
});
export type TaskResult = v.InferOutput<typeof TaskResultSchema>;
export type TaskResultInput = v.InferInput<typeof TaskResultSchema>;
