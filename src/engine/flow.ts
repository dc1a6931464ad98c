/**
 * Where the flow goes after a task: the next task in its list, walking out of SWITCH cases to
 * what follows the SWITCH. At the end of a FORK branch there is nothing to schedule (the JOIN
 * waits), and at the end of a loop body neither (the DO_WHILE decides whether to go round).
 */
import type { Task, WorkflowTask } from "../model/index.ts";
import { locate } from "./definition-tree.ts";
import type { Draft } from "./draft.ts";
import { baseReferenceName } from "./expression-document.ts";

export function nextInDefinition(draft: Draft, task: Task): WorkflowTask | undefined {
  const def = draft.execution.workflowDefinition;
  if (!def) return undefined;
  let location = locate(def, baseReferenceName(task.referenceTaskName));
  while (location) {
    const next = location.list[location.index + 1];
    if (next) return next;
    const { container } = location;
    if (container.kind !== "case") return undefined;
    location = locate(def, container.owner.taskReferenceName);
  }
  return undefined;
}

/**
 * Where a task runs: outside loops the suffix is empty and the iteration 0; in iteration N of a
 * loop the suffix is the loop's own suffix plus `__N` (so loops nest: `step__2__1`), and the
 * iteration is N.
 */
export interface Scope {
  suffix: string;
  iteration: number;
}

export const TOP_SCOPE: Scope = { suffix: "", iteration: 0 };

export function scopeOf(task: Task): Scope {
  const own = task.workflowTask?.taskReferenceName ?? task.referenceTaskName;
  const suffix = task.referenceTaskName.startsWith(own) ? task.referenceTaskName.slice(own.length) : "";
  return { suffix, iteration: task.iteration ?? 0 };
}

/** The scope of iteration N of a loop task. */
export function iterationScope(loop: Task, iteration: number): Scope {
  return { suffix: `${scopeOf(loop).suffix}__${iteration}`, iteration };
}

/** Whether that step already has a task in that scope: a step is never scheduled twice. */
export function isScheduled(draft: Draft, workflowTask: WorkflowTask, scope: Scope): boolean {
  const ref = workflowTask.taskReferenceName + scope.suffix;
  return draft.execution.tasks.some((t) => t.referenceTaskName === ref);
}

/** The latest task of a reference name in a scope (joins look up the tasks they wait for). */
export function latestIn(draft: Draft, ref: string, scope: Scope): Task | undefined {
  const wanted = ref + scope.suffix;
  const tasks = draft.execution.tasks;
  for (let i = tasks.length - 1; i >= 0; i--) if (tasks[i].referenceTaskName === wanted) return tasks[i];
  return undefined;
}
