/**
 * Where each workflow task sits in its definition: the list it belongs to, its place there, and
 * the task that owns that list (a SWITCH case, a FORK branch, a DO_WHILE body). The flow from
 * one task to the next is read from this, so nested definitions need no special cases in the
 * decider. Built once per definition object.
 */
import type { WorkflowDef, WorkflowTask } from "../model/index.ts";

export type Container =
  | { kind: "top" }
  | { kind: "case"; owner: WorkflowTask }
  | { kind: "fork"; owner: WorkflowTask }
  | { kind: "loop"; owner: WorkflowTask };

export interface Location {
  list: readonly WorkflowTask[];
  index: number;
  container: Container;
}

const trees = new WeakMap<WorkflowDef, Map<string, Location>>();

function index(list: readonly WorkflowTask[], container: Container, into: Map<string, Location>): void {
  list.forEach((task, i) => {
    into.set(task.taskReferenceName, { list, index: i, container });
    for (const branch of Object.values(task.decisionCases ?? {})) index(branch, { kind: "case", owner: task }, into);
    if (task.defaultCase) index(task.defaultCase, { kind: "case", owner: task }, into);
    for (const branch of task.forkTasks ?? []) index(branch, { kind: "fork", owner: task }, into);
    if (task.loopOver) index(task.loopOver, { kind: "loop", owner: task }, into);
  });
}

/** The location of a reference name (without any loop suffix), or undefined for a task made at run time. */
export function locate(def: WorkflowDef, ref: string): Location | undefined {
  let tree = trees.get(def);
  if (!tree) {
    tree = new Map();
    index(def.tasks, { kind: "top" }, tree);
    trees.set(def, tree);
  }
  return tree.get(ref);
}

/** Every reference name inside a list, at any depth (a loop's body, a case's branch). */
export function refsWithin(list: readonly WorkflowTask[], into = new Set<string>()): Set<string> {
  for (const task of list) {
    into.add(task.taskReferenceName);
    for (const branch of Object.values(task.decisionCases ?? {})) refsWithin(branch, into);
    if (task.defaultCase) refsWithin(task.defaultCase, into);
    for (const branch of task.forkTasks ?? []) refsWithin(branch, into);
    if (task.loopOver) refsWithin(task.loopOver, into);
  }
  return into;
}
