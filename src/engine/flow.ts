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

/** The reference name of a workflow task in a loop iteration (`ref__N`; unchanged outside loops). */
export function referenceFor(ref: string, iteration: number): string {
  return iteration > 0 ? `${ref}__${iteration}` : ref;
}

/** Whether that step (in that iteration) already has a task: a step is never scheduled twice. */
export function isScheduled(draft: Draft, workflowTask: WorkflowTask, iteration: number): boolean {
  const ref = referenceFor(workflowTask.taskReferenceName, iteration);
  return draft.execution.tasks.some((t) => t.referenceTaskName === ref);
}
