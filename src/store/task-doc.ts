/**
 * How a task is stored. A task's `workflowTask` is usually the definition's own entry for its
 * reference name, which the execution row already holds; storing it again with every task write
 * would multiply the bytes written per decision, so it is left out then and linked back on load.
 */
import { baseReferenceName } from "../engine/expression-document.ts";
import { forEachWorkflowTask, type Task, type WorkflowDef, type WorkflowTask } from "../model/index.ts";


export function definitionTasksByRef(def: WorkflowDef | undefined): Map<string, WorkflowTask> {
  const byRef = new Map<string, WorkflowTask>();
  if (def) forEachWorkflowTask(def.tasks, (t) => byRef.set(t.taskReferenceName, t));
  return byRef;
}

/** The JSON to store; `byRef` is the execution's definition indexed by reference name. */
export function encodeTask(task: Task, byRef: Map<string, WorkflowTask>): string {
  const own = byRef.get(baseReferenceName(task.referenceTaskName));
  if (own && own === task.workflowTask) {
    const { workflowTask: _linked, ...rest } = task;
    return JSON.stringify(rest);
  }
  return JSON.stringify(task);
}

export function decodeTask(json: string, byRef: Map<string, WorkflowTask>): Task {
  const task = JSON.parse(json) as Task;
  task.workflowTask ??= byRef.get(baseReferenceName(task.referenceTaskName));
  return task;
}
