/**
 * The TaskDef a task runs under. Registered definitions are copied into the execution's
 * `workflowDefinition` when the workflow starts (as Conductor does), so an execution is not
 * affected by later edits; a worker task with no registered definition gets Conductor's
 * defaults.
 */
import * as v from "valibot";
import { TaskDefSchema, type TaskDef, type WorkflowTask } from "../model/index.ts";

const adHoc = new Map<string, TaskDef>();

export function defaultTaskDef(name: string): TaskDef {
  let def = adHoc.get(name);
  if (!def) {
    def = v.parse(TaskDefSchema, { name });
    adHoc.set(name, def);
  }
  return def;
}

export function effectiveTaskDef(workflowTask: WorkflowTask): TaskDef {
  return workflowTask.taskDefinition ?? defaultTaskDef(workflowTask.name);
}

/** Retries allowed for a task: the workflow task's override wins over the definition's. */
export function allowedRetries(workflowTask: WorkflowTask): number {
  return workflowTask.retryCount ?? effectiveTaskDef(workflowTask).retryCount;
}
