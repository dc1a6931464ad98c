/**
 * What each system task type needs in its definition, checked at registration so a workflow
 * does not fail later on a field that was never there. Mirrors Conductor's per-type rules,
 * plus a few Conductor only finds at run time (a fork not followed by a JOIN, an empty fork
 * branch, an evaluator Baton has no sandbox for).
 */
import type { ValidationError } from "../errors.ts";
import { joinPath } from "./parse.ts";
import type { TaskDef } from "./task-def.ts";
import type { SystemTaskType, WorkflowTask } from "./workflow-task.ts";

export interface TaskTypeContext {
  /** The task after this one in the same list, if any. */
  next?: WorkflowTask;
  /** The task's embedded TaskDef, else the registered one, when known. */
  taskDef?: TaskDef;
}

interface Problem {
  /** Field path under the task; absent = the task itself. */
  field?: string;
  message: string;
  invalidValue?: unknown;
}

type Rule = (task: WorkflowTask, ctx: TaskTypeContext) => Problem[];

/** Evaluators Baton can run (JavaScript runs in its QuickJS sandbox; graaljs is an alias). */
export const EVALUATOR_TYPES = ["value-param", "javascript", "graaljs"] as const;

const TERMINATION_STATUSES = ["COMPLETED", "FAILED", "TERMINATED"];

const present = (value: unknown): boolean =>
  value !== undefined && value !== null && !(typeof value === "string" && value.trim() === "");

const isExpression = (value: unknown): boolean => typeof value === "string" && value.startsWith("${");

function evaluatorProblem(field: string, value: unknown): Problem[] {
  if (!present(value) || isExpression(value)) return [];
  if (typeof value === "string" && (EVALUATOR_TYPES as readonly string[]).includes(value)) return [];
  const message = `evaluatorType ${JSON.stringify(value)} is not supported by Baton; use one of ${EVALUATOR_TYPES.join(", ")}`;
  return [{ field, message, invalidValue: value }];
}

/** "a SWITCH task", "an INLINE task". */
const aTask = (task: WorkflowTask): string =>
  `${/^[AEIO]|^HTTP$/.test(task.type) ? "an" : "a"} ${task.type} task`;

function needs(task: WorkflowTask, field: string, value: unknown, what = field): Problem[] {
  return present(value) ? [] : [{ field, message: `${aTask(task)} needs ${what}` }];
}

function needsCases(task: WorkflowTask): Problem[] {
  if (Object.keys(task.decisionCases ?? {}).length > 0) return [];
  return [{ field: "decisionCases", message: `${aTask(task)} needs at least one case in decisionCases` }];
}

function followedByJoin(task: WorkflowTask, ctx: TaskTypeContext): Problem[] {
  if (ctx.next?.type === "JOIN") return [];
  return [{ message: `${aTask(task)} must be followed by a JOIN task in the same list` }];
}

/** Required in inputParameters, or supplied by the TaskDef's inputTemplate. */
function inputOrTemplate(
  task: WorkflowTask,
  ctx: TaskTypeContext,
  keys: string[],
  what: string,
): Problem[] {
  const supplied = keys.some((key) => present(task.inputParameters[key]));
  const templated = keys.some((key) => present(ctx.taskDef?.inputTemplate[key]));
  if (supplied || templated) return [];
  return [{ field: "inputParameters", message: `${aTask(task)} needs ${what}` }];
}

const RULES: Partial<Record<SystemTaskType, Rule>> = {
  SWITCH: (task) => [
    ...needs(task, "evaluatorType", task.evaluatorType, "evaluatorType (value-param or javascript)"),
    ...evaluatorProblem("evaluatorType", task.evaluatorType),
    ...needs(task, "expression", task.expression),
    ...needsCases(task),
  ],

  DECISION: (task) => [
    ...(present(task.caseValueParam) || present(task.caseExpression)
      ? []
      : [{ field: "caseValueParam", message: "a DECISION task needs caseValueParam or caseExpression" }]),
    ...needsCases(task),
  ],

  FORK_JOIN: (task, ctx) => {
    const branches = task.forkTasks ?? [];
    if (branches.length === 0) {
      return [{ field: "forkTasks", message: "a FORK_JOIN task needs at least one branch in forkTasks" }];
    }
    const empty = branches.flatMap((branch, i) =>
      branch.length > 0 ? [] : [{ field: `forkTasks[${i}]`, message: "a fork branch needs at least one task" }],
    );
    return [...empty, ...followedByJoin(task, ctx)];
  },

  FORK_JOIN_DYNAMIC: (task, ctx) => {
    const join = followedByJoin(task, ctx);
    // The simplest form: one task per element of inputParameters.forkTaskInputs.
    if (task.inputParameters.forkTaskInputs !== undefined) return join;
    const legacy = present(task.dynamicForkJoinTasksParam);
    const tasksParam = present(task.dynamicForkTasksParam);
    const inputParam = present(task.dynamicForkTasksInputParamName);
    if (legacy && (tasksParam || inputParam)) {
      const message =
        "use either dynamicForkJoinTasksParam, or dynamicForkTasksParam with dynamicForkTasksInputParamName, not both";
      return [{ field: "dynamicForkJoinTasksParam", message }, ...join];
    }
    if (legacy || (tasksParam && inputParam)) return join;
    const message =
      "a FORK_JOIN_DYNAMIC task needs dynamicForkTasksParam and dynamicForkTasksInputParamName, " +
      "or forkTaskName and forkTaskInputs in inputParameters";
    const field = tasksParam ? "dynamicForkTasksInputParamName" : "dynamicForkTasksParam";
    return [{ field, message }, ...join];
  },

  DO_WHILE: (task) => [
    // A loop over a list (`items`, or Orkes' `_items` input) may run without a condition.
    ...(task.items || task.inputParameters._items !== undefined ? [] : needs(task, "loopCondition", task.loopCondition)),
    ...((task.loopOver?.length ?? 0) > 0
      ? []
      : [{ field: "loopOver", message: "a DO_WHILE task needs at least one task in loopOver" }]),
  ],

  DYNAMIC: (task) => needs(task, "dynamicTaskNameParam", task.dynamicTaskNameParam),

  SUB_WORKFLOW: (task) => {
    const params = task.subWorkflowParam;
    if (!params) return needs(task, "subWorkflowParam", undefined);
    if (present(params.name) || params.workflowDefinition !== undefined) return [];
    const message = "a SUB_WORKFLOW task needs subWorkflowParam.name or subWorkflowParam.workflowDefinition";
    return [{ field: "subWorkflowParam.name", message }];
  },

  // evaluatorType may be left out: Conductor runs INLINE scripts as JavaScript by default.
  INLINE: (task) => [
    ...needs(task, "inputParameters.expression", task.inputParameters.expression),
    ...evaluatorProblem("inputParameters.evaluatorType", task.inputParameters.evaluatorType),
  ],

  JSON_JQ_TRANSFORM: (task, ctx) =>
    inputOrTemplate(task, ctx, ["queryExpression"], "inputParameters.queryExpression"),

  HTTP: (task, ctx) => {
    // The request may be nested under http_request or given at the top level of the inputs.
    if (["uri", "method"].some((key) => present(task.inputParameters[key]))) return [];
    const what = "inputParameters.http_request or inputParameters.uri";
    return inputOrTemplate(task, ctx, ["http_request"], what);
  },

  EVENT: (task) => needs(task, "sink", task.sink, "a sink (e.g. conductor or conductor:queue)"),

  TERMINATE: (task) => {
    const status = task.inputParameters.terminationStatus;
    const problems: Problem[] = [];
    if (typeof status !== "string" || !TERMINATION_STATUSES.includes(status)) {
      problems.push({
        field: "inputParameters.terminationStatus",
        message: `a TERMINATE task needs terminationStatus set to ${TERMINATION_STATUSES.join(", ")}`,
        invalidValue: status,
      });
    }
    if (task.optional) {
      problems.push({ field: "optional", message: "a TERMINATE task cannot be optional" });
    }
    return problems;
  },

  WAIT: (task) =>
    present(task.inputParameters.duration) && present(task.inputParameters.until)
      ? [{ field: "inputParameters", message: "a WAIT task takes duration or until, not both" }]
      : [],
};

/** The per-type problems of one task at `path`. */
export function validateTaskType(
  task: WorkflowTask,
  path: string,
  ctx: TaskTypeContext,
): ValidationError[] {
  // hasOwn: a worker type may be called "constructor" or "toString".
  if (!Object.hasOwn(RULES, task.type)) return [];
  const rule = RULES[task.type as SystemTaskType] as Rule;
  return rule(task, ctx).map(({ field, message, invalidValue }) => {
    const where = field === undefined ? path : field.split(".").reduce(joinFieldPath, path);
    const error: ValidationError = { path: where, message };
    if (invalidValue !== undefined) error.invalidValue = invalidValue;
    return error;
  });
}

function joinFieldPath(base: string, segment: string): string {
  const index = /^(\w+)\[(\d+)\]$/.exec(segment);
  return index ? joinPath(joinPath(base, index[1]), Number(index[2])) : joinPath(base, segment);
}
