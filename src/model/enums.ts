/** Conductor's status and policy enums, spelled as on the wire. */
import * as v from "valibot";

export const TASK_STATUSES = [
  "IN_PROGRESS",
  "CANCELED",
  "FAILED",
  "FAILED_WITH_TERMINAL_ERROR",
  "COMPLETED",
  "COMPLETED_WITH_ERRORS",
  "SCHEDULED",
  "TIMED_OUT",
  "SKIPPED",
] as const;
export const TaskStatusSchema = v.picklist(TASK_STATUSES);
export type TaskStatus = v.InferOutput<typeof TaskStatusSchema>;

export const WORKFLOW_STATUSES = [
  "RUNNING",
  "COMPLETED",
  "FAILED",
  "TIMED_OUT",
  "TERMINATED",
  "PAUSED",
] as const;
export const WorkflowStatusSchema = v.picklist(WORKFLOW_STATUSES);
export type WorkflowStatus = v.InferOutput<typeof WorkflowStatusSchema>;

export const RetryLogicSchema = v.picklist(["FIXED", "EXPONENTIAL_BACKOFF", "LINEAR_BACKOFF"]);
export type RetryLogic = v.InferOutput<typeof RetryLogicSchema>;

export const TaskTimeoutPolicySchema = v.picklist(["RETRY", "TIME_OUT_WF", "ALERT_ONLY"]);
export type TaskTimeoutPolicy = v.InferOutput<typeof TaskTimeoutPolicySchema>;

export const WorkflowTimeoutPolicySchema = v.picklist(["TIME_OUT_WF", "ALERT_ONLY"]);
export type WorkflowTimeoutPolicy = v.InferOutput<typeof WorkflowTimeoutPolicySchema>;

/** The only statuses a worker may report; Conductor rejects the others (e.g. SKIPPED). */
export const TaskResultStatusSchema = v.picklist([
  "IN_PROGRESS",
  "FAILED",
  "FAILED_WITH_TERMINAL_ERROR",
  "COMPLETED",
  "CANCELED",
]);
export type TaskResultStatus = v.InferOutput<typeof TaskResultStatusSchema>;

export const IdempotencyStrategySchema = v.picklist(["FAIL", "RETURN_EXISTING", "FAIL_ON_RUNNING"]);
export type IdempotencyStrategy = v.InferOutput<typeof IdempotencyStrategySchema>;

export const JoinModeSchema = v.picklist(["SYNC", "ASYNC"]);
export type JoinMode = v.InferOutput<typeof JoinModeSchema>;

export const RateLimitPolicySchema = v.picklist(["QUEUE", "REJECT"]);
export type RateLimitPolicy = v.InferOutput<typeof RateLimitPolicySchema>;

// Conductor's Task.Status table: terminal / successful / retriable.
const TASK_STATUS_TRAITS: Record<TaskStatus, readonly [boolean, boolean, boolean]> = {
  IN_PROGRESS: [false, true, true],
  CANCELED: [true, false, false],
  FAILED: [true, false, true],
  FAILED_WITH_TERMINAL_ERROR: [true, false, false],
  COMPLETED: [true, true, true],
  COMPLETED_WITH_ERRORS: [true, true, true],
  SCHEDULED: [false, true, true],
  TIMED_OUT: [true, false, true],
  SKIPPED: [true, true, false],
};

export const isTerminalTaskStatus = (s: TaskStatus): boolean => TASK_STATUS_TRAITS[s][0];
/** Note SCHEDULED and IN_PROGRESS count as "successful" in Conductor: not failed (yet). */
export const isSuccessfulTaskStatus = (s: TaskStatus): boolean => TASK_STATUS_TRAITS[s][1];
export const isRetriableTaskStatus = (s: TaskStatus): boolean => TASK_STATUS_TRAITS[s][2];

// Conductor's WorkflowStatus table: terminal / successful.
const WORKFLOW_STATUS_TRAITS: Record<WorkflowStatus, readonly [boolean, boolean]> = {
  RUNNING: [false, false],
  COMPLETED: [true, true],
  FAILED: [true, false],
  TIMED_OUT: [true, false],
  TERMINATED: [true, false],
  PAUSED: [false, true],
};

export const isTerminalWorkflowStatus = (s: WorkflowStatus): boolean =>
  WORKFLOW_STATUS_TRAITS[s][0];
export const isSuccessfulWorkflowStatus = (s: WorkflowStatus): boolean =>
  WORKFLOW_STATUS_TRAITS[s][1];
