/**
 * WorkflowTask: one step of a workflow definition, recursive through SWITCH/DECISION cases, fork
 * branches and loop bodies, and mutually recursive with WorkflowDef through an inline
 * sub-workflow. The recursive fields are typed by hand; everything else is inferred.
 */
import * as v from "valibot";
import {
  CacheConfigSchema,
  Count,
  Int,
  JsonMapSchema,
  mapOf,
  mapOrEmpty,
  opt,
  StringMapSchema,
} from "./common.ts";
import { IdempotencyStrategySchema, JoinModeSchema } from "./enums.ts";
import { EmbeddedTaskDefSchema } from "./task-def.ts";
// Cyclic import: WorkflowDefSchema is only touched inside v.lazy, after both modules loaded.
import { WorkflowDefSchema, type WorkflowDef, type WorkflowDefInput } from "./workflow-def.ts";

/** Task types the engine runs itself. Any other type string is a worker task. */
export const SYSTEM_TASK_TYPES = [
  "SWITCH",
  "DECISION",
  "FORK_JOIN",
  "FORK_JOIN_DYNAMIC",
  "JOIN",
  "EXCLUSIVE_JOIN",
  "DO_WHILE",
  "DYNAMIC",
  "SUB_WORKFLOW",
  "START_WORKFLOW",
  "INLINE",
  "LAMBDA",
  "JSON_JQ_TRANSFORM",
  "HTTP",
  "WAIT",
  "HUMAN",
  "NOOP",
  "TERMINATE",
  "SET_VARIABLE",
  "EVENT",
] as const;
export type SystemTaskType = (typeof SYSTEM_TASK_TYPES)[number];

/**
 * System task types of Conductor OSS modules and Orkes that Baton does not implement. They are
 * rejected at registration instead of being queued for workers that will never come.
 */
export const UNSUPPORTED_TASK_TYPES = [
  "KAFKA_PUBLISH",
  "JDBC",
  "BUSINESS_RULE",
  "HTTP_POLL",
  "WAIT_FOR_WEBHOOK",
  "UPDATE_SECRET",
  "GET_SIGNED_JWT",
  "UPDATE_TASK",
  "GET_WORKFLOW",
  "QUERY_PROCESSOR",
  "OPS_GENIE",
  "GRPC",
  "GET_DOCUMENT",
  "LLM_CHAT_COMPLETE",
  "LLM_TEXT_COMPLETE",
  "LLM_GENERATE_EMBEDDINGS",
  "LLM_GET_EMBEDDINGS",
  "LLM_STORE_EMBEDDINGS",
  "LLM_INDEX_TEXT",
  "LLM_SEARCH_INDEX",
  "LLM_SEARCH_EMBEDDINGS",
  "GENERATE_IMAGE",
  "GENERATE_AUDIO",
  "GENERATE_PDF",
  "GENERATE_VIDEO",
  "LIST_MCP_TOOLS",
  "CALL_MCP_TOOL",
  "LIST_API_TOOLS",
  "PULL_WORKFLOW_MESSAGES",
  "AGENT",
  "GET_AGENT_CARD",
  "CANCEL_AGENT",
] as const;

const SYSTEM = new Set<string>(SYSTEM_TASK_TYPES);
const UNSUPPORTED = new Set<string>(UNSUPPORTED_TASK_TYPES);

export const isSystemTaskType = (type: string): type is SystemTaskType => SYSTEM.has(type);
export const isUnsupportedTaskType = (type: string): boolean => UNSUPPORTED.has(type);

/**
 * True when tasks of this type go to a queue for workers to poll: SIMPLE, or any type that is
 * neither a system type nor an unsupported one. "FORK" is the runtime type of a FORK_JOIN task.
 */
export const isWorkerTaskType = (type: string): boolean =>
  !SYSTEM.has(type) && !UNSUPPORTED.has(type) && type !== "FORK";

/** A string standing for a whole value, resolved at run time: `${...}`. */
const ExpressionString = v.pipe(
  v.string(),
  v.regex(/^\$\{[\s\S]*\}$/, "must be a workflow definition or a ${...} expression"),
);

const subWorkflowEntries = {
  name: opt(v.string()),
  /** Absent = the latest version, resolved when the parent task is scheduled. */
  version: opt(Int),
  taskToDomain: opt(StringMapSchema),
  idempotencyKey: opt(v.string()),
  idempotencyStrategy: opt(IdempotencyStrategySchema),
  /** A number or an expression; absent = inherit the parent's priority. */
  priority: opt(v.union([v.number(), v.string()])),
};
const SubWorkflowParamsBase = v.object(subWorkflowEntries);

export interface SubWorkflowParams extends v.InferOutput<typeof SubWorkflowParamsBase> {
  workflowDefinition?: WorkflowDef | string;
}
export interface SubWorkflowParamsInput extends v.InferInput<typeof SubWorkflowParamsBase> {
  workflowDefinition?: WorkflowDefInput | string | null;
}

export const SubWorkflowParamsSchema: v.GenericSchema<SubWorkflowParamsInput, SubWorkflowParams> =
  v.object({
    ...subWorkflowEntries,
    workflowDefinition: opt(v.union([v.lazy(() => WorkflowDefSchema), ExpressionString])),
  });

export const StateChangeEventSchema = v.object({ type: v.string(), payload: opt(JsonMapSchema) });

const taskEntries = {
  name: v.string(),
  taskReferenceName: v.string(),
  description: opt(v.string()),
  inputParameters: mapOrEmpty(),
  type: v.nullish(v.string(), "SIMPLE"),
  dynamicTaskNameParam: opt(v.string()),
  /** DECISION (deprecated): input key holding the case value. */
  caseValueParam: opt(v.string()),
  /** DECISION (deprecated): JavaScript giving the case value. */
  caseExpression: opt(v.string()),
  /** LAMBDA (deprecated). */
  scriptExpression: opt(v.string()),
  dynamicForkTasksParam: opt(v.string()),
  dynamicForkTasksInputParamName: opt(v.string()),
  /** FORK_JOIN_DYNAMIC legacy form. */
  dynamicForkJoinTasksParam: opt(v.string()),
  startDelay: v.nullish(Count, 0),
  subWorkflowParam: opt(SubWorkflowParamsSchema),
  joinOn: opt(v.array(v.string())),
  sink: opt(v.string()),
  optional: v.nullish(v.boolean(), false),
  taskDefinition: opt(EmbeddedTaskDefSchema),
  rateLimited: opt(v.boolean()),
  defaultExclusiveJoinTask: opt(v.array(v.string())),
  asyncComplete: v.nullish(v.boolean(), false),
  loopCondition: opt(v.string()),
  /** DO_WHILE: expression giving a list to iterate over. */
  items: opt(v.string()),
  /** Overrides the TaskDef's retryCount for this task. */
  retryCount: opt(Count),
  evaluatorType: opt(v.string()),
  expression: opt(v.string()),
  onStateChange: opt(mapOf(v.array(StateChangeEventSchema))),
  joinStatus: opt(v.string()),
  cacheConfig: opt(CacheConfigSchema),
  permissive: v.nullish(v.boolean(), false),
  joinMode: opt(JoinModeSchema),
  metadata: opt(JsonMapSchema),
};
const WorkflowTaskBase = v.object(taskEntries);

export interface WorkflowTask extends v.InferOutput<typeof WorkflowTaskBase> {
  decisionCases?: Record<string, WorkflowTask[]>;
  defaultCase?: WorkflowTask[];
  forkTasks?: WorkflowTask[][];
  loopOver?: WorkflowTask[];
}
export interface WorkflowTaskInput extends v.InferInput<typeof WorkflowTaskBase> {
  decisionCases?: Record<string, WorkflowTaskInput[]> | null;
  defaultCase?: WorkflowTaskInput[] | null;
  forkTasks?: WorkflowTaskInput[][] | null;
  loopOver?: WorkflowTaskInput[] | null;
}

const Tasks = v.array(v.lazy(() => WorkflowTaskSchema));

export const WorkflowTaskSchema: v.GenericSchema<WorkflowTaskInput, WorkflowTask> = v.object({
  ...taskEntries,
  decisionCases: opt(mapOf(Tasks)),
  defaultCase: opt(Tasks),
  forkTasks: opt(v.array(Tasks)),
  loopOver: opt(Tasks),
});
