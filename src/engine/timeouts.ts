/**
 * Task and workflow timeouts. Deadlines are computed from the execution alone, so the host's
 * timer is just "the earliest deadline" and a restart re-arms it from the stored rows.
 */
import { isTerminalTaskStatus, isWorkerTaskType, type Task, type TaskDef, type Workflow } from "../model/index.ts";
import { effectiveTaskDef } from "./task-def.ts";
import { handlerFor } from "./tasks/index.ts";

const SECOND = 1000;

export type TimeoutKind = "response" | "task" | "poll" | "total";

interface Deadline {
  kind: TimeoutKind;
  at: number;
}

function isWorkerTask(task: Task): boolean {
  return isWorkerTaskType(task.workflowTask?.type ?? "SIMPLE");
}

export function firstScheduledTime(execution: Workflow, task: Task): number {
  for (const t of execution.tasks) {
    if (t.referenceTaskName === task.referenceTaskName) return t.scheduledTime ?? 0;
  }
  return task.scheduledTime ?? 0;
}

/** The deadlines of a non-terminal task that the decider enforces, earliest first is not implied. */
export function taskDeadlines(execution: Workflow, task: Task): Deadline[] {
  if (isTerminalTaskStatus(task.status) || !task.workflowTask) return [];
  const def = effectiveTaskDef(task.workflowTask);
  const out: Deadline[] = [];
  const enforced = def.timeoutPolicy !== "ALERT_ONLY";
  if (task.status === "IN_PROGRESS" && isWorkerTask(task)) {
    const response = task.responseTimeoutSeconds ?? def.responseTimeoutSeconds;
    if (response > 0) {
      const since = task.updateTime || task.startTime || task.scheduledTime || 0;
      out.push({ kind: "response", at: since + (response + (task.callbackAfterSeconds ?? 0)) * SECOND });
    }
    if (enforced && def.timeoutSeconds > 0 && task.startTime) {
      out.push({ kind: "task", at: task.startTime + def.timeoutSeconds * SECOND });
    }
  }
  if (task.status === "SCHEDULED" && enforced && def.pollTimeoutSeconds && def.pollTimeoutSeconds > 0 && isWorkerTask(task)) {
    const delay = (task.startDelayInSeconds ?? 0) + (task.callbackAfterSeconds ?? 0) + def.pollTimeoutSeconds;
    out.push({ kind: "poll", at: (task.scheduledTime ?? 0) + delay * SECOND });
  }
  if (enforced && def.totalTimeoutSeconds > 0) {
    out.push({ kind: "total", at: firstScheduledTime(execution, task) + def.totalTimeoutSeconds * SECOND });
  }
  return out;
}

/** Whether a task's attempts together have used up `totalTimeoutSeconds`. */
export function totalTimeoutElapsed(execution: Workflow, task: Task, def: TaskDef, now: number): boolean {
  return def.totalTimeoutSeconds > 0 && now >= firstScheduledTime(execution, task) + def.totalTimeoutSeconds * SECOND;
}

/** When the workflow times out under TIME_OUT_WF, or null. */
export function workflowDeadline(execution: Workflow): number | null {
  const def = execution.workflowDefinition;
  if (!def || def.timeoutPolicy !== "TIME_OUT_WF" || !(def.timeoutSeconds > 0)) return null;
  const since = execution.lastRetriedTime || execution.createTime || 0;
  return since + def.timeoutSeconds * SECOND;
}

/** The earliest moment any enforced deadline of a running execution falls due. */
export function nextWakeAt(execution: Workflow): number | null {
  if (execution.status !== "RUNNING" && execution.status !== "PAUSED") return null;
  let earliest = workflowDeadline(execution) ?? Infinity;
  for (const task of execution.tasks) {
    for (const d of taskDeadlines(execution, task)) if (d.at < earliest) earliest = d.at;
    if (isTerminalTaskStatus(task.status) || !task.workflowTask) continue;
    const own = handlerFor(task.workflowTask.type).deadline?.(task);
    if (own !== undefined && own < earliest) earliest = own;
  }
  return earliest === Infinity ? null : earliest;
}

/** The reason Conductor-style for a task that ran out of time. */
export function timeoutReason(kind: TimeoutKind, task: Task, def: TaskDef, now: number): string {
  switch (kind) {
    case "response":
      return `responseTimeout: ${task.responseTimeoutSeconds ?? def.responseTimeoutSeconds} exceeded for the taskId: ${task.taskId} with Task Status: ${task.status}`;
    case "task":
      return `Task timed out after ${Math.floor((now - (task.startTime ?? now)) / SECOND)} seconds. Timeout configured as ${def.timeoutSeconds} seconds. Timeout policy configured to ${def.timeoutPolicy}`;
    case "poll":
      return `Task poll timed out after ${Math.floor((now - (task.scheduledTime ?? now)) / SECOND)} seconds. Poll timeout configured as ${def.pollTimeoutSeconds} seconds. Timeout policy configured to ${def.timeoutPolicy}`;
    case "total":
      return `Task total timeout of ${def.totalTimeoutSeconds} seconds exceeded. Timeout policy configured to ${def.timeoutPolicy}`;
  }
}
