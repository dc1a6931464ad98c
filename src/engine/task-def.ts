/**
 * The TaskDef a task runs under. Registered definitions are copied into the execution's
 * `workflowDefinition` when the workflow starts (as Conductor does), so an execution is not
 * affected by later edits; a worker task with no registered definition gets Conductor's
 * defaults.
 */
import * as v from "valibot";
import { isWorkerTaskType, TaskDefSchema, type TaskDef, type WorkflowTask } from "../model/index.ts";

const adHoc = new Map<string, TaskDef>();

export function defaultTaskDef(name: string): TaskDef {
  let def = adHoc.get(name);
  if (!def) {
    def = v.parse(TaskDefSchema, { name });
    adHoc.set(name, def);
  }
  return def;
}

const systemDefaults = new Map<string, TaskDef>();

/** System tasks without a definition of their own are not retried and have no response timeout. */
function systemTaskDef(name: string): TaskDef {
  let def = systemDefaults.get(name);
  if (!def) {
    def = { ...defaultTaskDef(name), retryCount: 0, responseTimeoutSeconds: 0 };
    systemDefaults.set(name, def);
  }
  return def;
}

export function effectiveTaskDef(workflowTask: WorkflowTask): TaskDef {
  if (workflowTask.taskDefinition) return workflowTask.taskDefinition;
  return isWorkerTaskType(workflowTask.type) ? defaultTaskDef(workflowTask.name) : systemTaskDef(workflowTask.name);
}

/** Flow control itself is never retried, whatever a definition says. */
const NEVER_RETRIED = new Set(["SWITCH", "DECISION", "FORK_JOIN", "FORK_JOIN_DYNAMIC", "JOIN", "EXCLUSIVE_JOIN", "DO_WHILE"]);

/** Retries allowed for a task: the workflow task's override wins over the definition's. */
export function allowedRetries(workflowTask: WorkflowTask): number {
  if (NEVER_RETRIED.has(workflowTask.type)) return 0;
  return workflowTask.retryCount ?? effectiveTaskDef(workflowTask).retryCount;
}
