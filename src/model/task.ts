/**
 * Task: one attempt of one workflow task in an execution, as Baton stores and returns it.
 * Fields Conductor always emits (numbers, flags, maps) are required and defaulted when parsed;
 * fields it omits when null are optional.
 */
import * as v from "valibot";
import { Count, EpochMs, Int, mapOrEmpty, opt, StringMapSchema } from "./common.ts";
import { TaskStatusSchema } from "./enums.ts";
import { TaskDefSchema } from "./task-def.ts";
import { ExecutionMetadataSchema, ReasonSchema } from "./task-result.ts";
import { WorkflowTaskSchema } from "./workflow-task.ts";

const zero = () => v.nullish(Count, 0);
const zeroMs = () => v.nullish(EpochMs, 0);

export const TaskSchema = v.object({
  /** The TaskDef name for worker tasks; the system type otherwise ("FORK" for FORK_JOIN). */
  taskType: v.string(),
  status: TaskStatusSchema,
  inputData: mapOrEmpty(),
  /** With a DO_WHILE body task, carries the `__N` iteration suffix. */
  referenceTaskName: v.string(),
  retryCount: zero(),
  seq: v.nullish(Int, 0),
  correlationId: opt(v.string()),
  pollCount: zero(),
  taskDefName: opt(v.string()),
  scheduledTime: zeroMs(),
  startTime: zeroMs(),
  endTime: zeroMs(),
  updateTime: zeroMs(),
  startDelayInSeconds: zero(),
  retriedTaskId: opt(v.string()),
  /** This attempt failed and a newer attempt replaced it. */
  retried: v.nullish(v.boolean(), false),
  /** The decider has already acted on this task's terminal status. */
  executed: v.nullish(v.boolean(), false),
  callbackFromWorker: v.nullish(v.boolean(), true),
  responseTimeoutSeconds: zero(),
  workflowInstanceId: v.string(),
  workflowType: opt(v.string()),
  taskId: v.string(),
  reasonForIncompletion: opt(ReasonSchema),
  callbackAfterSeconds: zero(),
  workerId: opt(v.string()),
  outputData: mapOrEmpty(),
  workflowTask: opt(WorkflowTaskSchema),
  domain: opt(v.string()),
  rateLimitPerFrequency: zero(),
  rateLimitFrequencyInSeconds: zero(),
  externalInputPayloadStoragePath: opt(v.string()),
  externalOutputPayloadStoragePath: opt(v.string()),
  workflowPriority: zero(),
  executionNameSpace: opt(v.string()),
  isolationGroupId: opt(v.string()),
  /** DO_WHILE iteration (from 1) of a loop body task; 0 outside loops. */
  iteration: zero(),
  subWorkflowId: opt(v.string()),
  subworkflowChanged: opt(v.boolean()),
  /** Start of the first attempt; Conductor emits 0 until then. */
  firstStartTime: opt(EpochMs),
  parentTaskId: opt(v.string()),
  executionMetadata: opt(ExecutionMetadataSchema),
  runtimeMetadata: opt(StringMapSchema),
  // Derived on output by Conductor; kept optional so a stored task need not carry them.
  queueWaitTime: opt(v.number()),
  taskDefinition: opt(TaskDefSchema),
  loopOverTask: opt(v.boolean()),
});
export type Task = v.InferOutput<typeof TaskSchema>;
export type TaskInput = v.InferInput<typeof TaskSchema>;
