/**
 * What a task type does, one module per type. The decider creates the task (id, input,
 * sequence) and then leaves it to its type: `start` right after creation, `check` on every
 * decision while the task is open, `successors` when it completes.
 */
import type { Task, WorkflowTask } from "../../model/index.ts";
import type { Draft } from "../draft.ts";
import type { Scope } from "../flow.ts";

export interface TaskRun {
  draft: Draft;
  task: Task;
  /** Schedules another workflow task (a case's first task, a loop's next iteration, ...). */
  schedule(workflowTask: WorkflowTask, opts?: { scope?: Scope; input?: Record<string, unknown> }): Task;
}

export interface TaskHandler {
  /** The task was just created, SCHEDULED with its input resolved. `delayMs`: how long before it may run. */
  start(run: TaskRun, delayMs: number): void;
  /** Runs on every decision while the task is not terminal (a JOIN waiting for its branches, a loop, a timer). */
  check?(run: TaskRun): void;
  /**
   * The workflow tasks to schedule once this task has completed; undefined means the next task
   * of the definition (a SWITCH goes to its chosen case instead, a FORK to its branches).
   */
  successors?(run: TaskRun): WorkflowTask[] | undefined;
  /** When `check` must run next by itself (a WAIT's end), so the host's timer wakes the workflow then. */
  deadline?(task: Task): number | undefined;
}

/** Ends a task successfully with an output. */
export function complete(run: TaskRun, output: Record<string, unknown>, status: "COMPLETED" | "COMPLETED_WITH_ERRORS" = "COMPLETED"): void {
  const { task, draft } = run;
  task.outputData = output;
  task.status = status;
  if (!task.startTime) task.startTime = draft.now;
  task.endTime = draft.now;
  draft.touch(task);
}

/** Ends a task unsuccessfully; a terminal error is never retried. */
export function fail(run: TaskRun, reason: string, opts: { terminal?: boolean; output?: Record<string, unknown> } = {}): void {
  const { task, draft } = run;
  task.status = opts.terminal ? "FAILED_WITH_TERMINAL_ERROR" : "FAILED";
  task.reasonForIncompletion = reason.slice(0, 500);
  if (opts.output) task.outputData = opts.output;
  if (!task.startTime) task.startTime = draft.now;
  task.endTime = draft.now;
  draft.touch(task);
}

/** Marks a task as running (for tasks that wait on something: a JOIN, a loop, a timer). */
export function begin(run: TaskRun): void {
  const { task, draft } = run;
  task.status = "IN_PROGRESS";
  if (!task.startTime) task.startTime = draft.now;
  draft.touch(task);
}
