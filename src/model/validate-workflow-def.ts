/**
 * The checks Conductor makes when a definition is registered, beyond its JSON shape: names,
 * unique reference names across the whole task tree, `${...}` references that point somewhere,
 * timeouts in order, and what each task type needs (validate-task-type.ts).
 */
import type { ValidationError } from "../errors.ts";
import { referencedRoots } from "../engine/expressions.ts";
import { joinPath } from "./parse.ts";
import type { TaskDef } from "./task-def.ts";
import { validateTaskType } from "./validate-task-type.ts";
import type { WorkflowDef } from "./workflow-def.ts";
import { isSystemTaskType, isUnsupportedTaskType, type WorkflowTask } from "./workflow-task.ts";

/** Conductor's workflow-name rule. */
export const WORKFLOW_NAME_PATTERN = /^[A-Za-z0-9_<>{}#\s-]+$/;

/**
 * Task names become queue names, and Baton's queues are keyed `domain:taskType`, so a colon in
 * a task name would be read as a domain. Conductor itself puts no rule on task names.
 */
export const TASK_NAME_PATTERN = /^[^:\p{Cc}]+$/u;

/** Names `${...}` may start with besides a task reference name. */
const BUILT_IN_ROOTS = new Set(["workflow", "CPEWF_TASK_ID"]);

export type TaskVisitor = (
  task: WorkflowTask,
  path: string,
  siblings: readonly WorkflowTask[],
  index: number,
) => void;

/**
 * Visits every task of the tree depth-first, in definition order: each task, then its
 * decisionCases, defaultCase, forkTasks and loopOver. Inline sub-workflow definitions are a
 * separate tree and are not entered.
 */
export function forEachWorkflowTask(
  tasks: readonly WorkflowTask[],
  fn: TaskVisitor,
  path = "tasks",
): void {
  tasks.forEach((task, index) => {
    const here = joinPath(path, index);
    fn(task, here, tasks, index);
    for (const [value, branch] of Object.entries(task.decisionCases ?? {})) {
      forEachWorkflowTask(branch, fn, joinPath(joinPath(here, "decisionCases"), value));
    }
    if (task.defaultCase) forEachWorkflowTask(task.defaultCase, fn, joinPath(here, "defaultCase"));
    task.forkTasks?.forEach((branch, b) =>
      forEachWorkflowTask(branch, fn, joinPath(joinPath(here, "forkTasks"), b)),
    );
    if (task.loopOver) forEachWorkflowTask(task.loopOver, fn, joinPath(here, "loopOver"));
  });
}

const blank = (s: string | undefined): boolean => s === undefined || s.trim() === "";

/** Timeouts out of order in a TaskDef (registered or embedded). */
function taskDefTimeoutErrors(def: TaskDef, path: string): ValidationError[] {
  const errors: ValidationError[] = [];
  const at = (field: string) => joinPath(path, field);
  const response = def.responseTimeoutSeconds;
  const timeout = def.timeoutSeconds;
  const total = def.totalTimeoutSeconds;
  if (response < 1) {
    const message = "must be at least 1 second";
    errors.push({ path: at("responseTimeoutSeconds"), message, invalidValue: response });
  }
  if (timeout > 0 && response > timeout) {
    errors.push({
      path: at("responseTimeoutSeconds"),
      message: `must not exceed timeoutSeconds (${timeout})`,
      invalidValue: response,
    });
  }
  if (timeout > 0 && total > 0 && timeout > total) {
    errors.push({
      path: at("timeoutSeconds"),
      message: `must not exceed totalTimeoutSeconds (${total})`,
      invalidValue: timeout,
    });
  }
  return errors;
}

/** The registration checks of a TaskDef. `path` prefixes every error path. */
export function validateTaskDef(def: TaskDef, path = ""): ValidationError[] {
  const errors: ValidationError[] = [];
  if (blank(def.name)) {
    errors.push({ path: joinPath(path, "name"), message: "is required" });
  } else if (!TASK_NAME_PATTERN.test(def.name)) {
    errors.push({
      path: joinPath(path, "name"),
      message: "must not contain ':' (it separates a domain from a task name) or control characters",
      invalidValue: def.name,
    });
  }
  return [...errors, ...taskDefTimeoutErrors(def, path)];
}

export interface ValidateWorkflowDefOptions {
  /** The registered TaskDef of a task name, for rules an inputTemplate can satisfy (HTTP, JQ). */
  taskDef?: (name: string) => TaskDef | undefined;
  /** Whether the engine runs a system task type; those it does not are rejected at registration. */
  systemTaskRunnable?: (type: string) => boolean;
}

/** `${...}` roots in each entry of `template` that name nothing in this workflow. */
function referenceErrors(
  template: Record<string, unknown>,
  path: string,
  refs: ReadonlyMap<string, string>,
): ValidationError[] {
  const errors: ValidationError[] = [];
  for (const [key, value] of Object.entries(template)) {
    for (const root of new Set(referencedRoots(value))) {
      if (root === "" || BUILT_IN_ROOTS.has(root) || refs.has(root)) continue;
      errors.push({
        path: joinPath(path, key),
        message: `refers to "${root}", which is neither "workflow" nor a taskReferenceName in this workflow`,
        invalidValue: value,
      });
    }
  }
  return errors;
}

function definitionErrors(def: WorkflowDef, at: (field: string) => string): ValidationError[] {
  const errors: ValidationError[] = [];
  if (blank(def.name)) {
    errors.push({ path: at("name"), message: "is required" });
  } else if (!WORKFLOW_NAME_PATTERN.test(def.name)) {
    errors.push({
      path: at("name"),
      message: "may contain only letters, digits, spaces, '_', '-', '<', '>', '{', '}' and '#'",
      invalidValue: def.name,
    });
  }
  if (def.schemaVersion !== 2) {
    const message = "only schema version 2 is supported";
    errors.push({ path: at("schemaVersion"), message, invalidValue: def.schemaVersion });
  }
  if (def.tasks.length === 0) {
    errors.push({ path: at("tasks"), message: "must contain at least one task" });
  }
  return errors;
}

/** What one walk over the task tree gathers. */
interface Walk {
  errors: ValidationError[];
  /** Reference name → path of the task that first used it. */
  refs: Map<string, string>;
  /** JOINs whose joinOn must name existing tasks. */
  joins: { task: WorkflowTask; path: string }[];
}

function checkTask(
  walk: Walk,
  task: WorkflowTask,
  path: string,
  neighbours: { previous?: WorkflowTask; next?: WorkflowTask },
  options: ValidateWorkflowDefOptions,
): void {
  const { errors, refs } = walk;
  const field = (name: string) => joinPath(path, name);
  const ref = task.taskReferenceName;
  if (blank(task.name)) errors.push({ path: field("name"), message: "is required" });
  if (blank(ref)) {
    errors.push({ path: field("taskReferenceName"), message: "is required" });
  } else if (refs.has(ref)) {
    errors.push({
      path: field("taskReferenceName"),
      message: `"${ref}" is already used by ${refs.get(ref)}; reference names must be unique in a workflow`,
      invalidValue: ref,
    });
  } else {
    refs.set(ref, path);
  }

  if (blank(task.type)) {
    errors.push({ path: field("type"), message: "must not be empty (leave it out for SIMPLE)" });
  } else if (isUnsupportedTaskType(task.type)) {
    const message = `task type ${task.type} is not supported by Baton`;
    errors.push({ path: field("type"), message, invalidValue: task.type });
  } else if (isSystemTaskType(task.type) && options.systemTaskRunnable && !options.systemTaskRunnable(task.type)) {
    const message = `task type ${task.type} is not supported by Baton yet`;
    errors.push({ path: field("type"), message, invalidValue: task.type });
  }

  if (task.taskDefinition) {
    errors.push(...taskDefTimeoutErrors(task.taskDefinition, field("taskDefinition")));
  }
  const taskDef = task.taskDefinition ?? options.taskDef?.(task.name);
  errors.push(...validateTaskType(task, path, { next: neighbours.next, taskDef }));

  // A dynamic fork computes its JOIN's joinOn at run time, so that one is not checked.
  const isJoin = task.type === "JOIN" || task.type === "EXCLUSIVE_JOIN";
  if (isJoin && neighbours.previous?.type !== "FORK_JOIN_DYNAMIC") walk.joins.push({ task, path });

  const inline = task.subWorkflowParam?.workflowDefinition;
  if (typeof inline === "object") {
    const inlinePath = joinPath(field("subWorkflowParam"), "workflowDefinition");
    errors.push(...validateWorkflowDef(inline, options, inlinePath));
  }
}

/**
 * Everything wrong with a parsed definition, or [] when it may be registered. `path` prefixes
 * every error path (used for inline sub-workflow definitions).
 */
export function validateWorkflowDef(
  def: WorkflowDef,
  options: ValidateWorkflowDefOptions = {},
  path = "",
): ValidationError[] {
  const at = (field: string) => joinPath(path, field);
  const walk: Walk = { errors: definitionErrors(def, at), refs: new Map(), joins: [] };
  const { errors, refs } = walk;

  forEachWorkflowTask(
    def.tasks,
    (task, taskPath, siblings, index) => {
      const neighbours = { previous: siblings[index - 1], next: siblings[index + 1] };
      checkTask(walk, task, taskPath, neighbours, options);
    },
    at("tasks"),
  );

  // A JOIN waiting on a reference that never runs would wait forever.
  for (const join of walk.joins) {
    (join.task.joinOn ?? []).forEach((ref, i) => {
      if (refs.has(ref)) return;
      errors.push({
        path: joinPath(joinPath(join.path, "joinOn"), i),
        message: `"${ref}" is not a taskReferenceName in this workflow`,
        invalidValue: ref,
      });
    });
  }

  // Only top-level tasks' inputs, as Conductor does, so that what it accepts is accepted here.
  def.tasks.forEach((task, i) => {
    const inputPath = joinPath(joinPath(at("tasks"), i), "inputParameters");
    errors.push(...referenceErrors(task.inputParameters, inputPath, refs));
  });
  errors.push(...referenceErrors(def.outputParameters, at("outputParameters"), refs));
  return errors;
}
