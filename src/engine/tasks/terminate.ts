/**
 * TERMINATE: ends the workflow with `terminationStatus` (COMPLETED, FAILED or TERMINATED),
 * `terminationReason`, and `workflowOutput` as the workflow's output. Nothing after it runs.
 */
import { completeWorkflow, stopWorkflow } from "../workflow-end.ts";
import { complete, fail, type TaskHandler } from "./handler.ts";

const STATUSES = ["COMPLETED", "FAILED", "TERMINATED"] as const;
type TerminationStatus = (typeof STATUSES)[number];

function outputOf(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === "object" && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : { output: value };
}

export const terminate: TaskHandler = {
  start(run) {
    const { draft, task } = run;
    const input = task.inputData ?? {};
    const status = input.terminationStatus as TerminationStatus;
    if (!STATUSES.includes(status)) {
      fail(run, `terminationStatus must be one of ${STATUSES.join(", ")}, got ${JSON.stringify(input.terminationStatus)}`);
      return;
    }
    const reason = typeof input.terminationReason === "string" ? input.terminationReason : undefined;
    const workflowOutput = outputOf(input.workflowOutput);
    complete(run, workflowOutput ? { output: workflowOutput } : {});
    task.executed = true;
    if (status === "COMPLETED") completeWorkflow(draft, workflowOutput, reason);
    else stopWorkflow(draft, status, reason ?? `Workflow is ${status} by TERMINATE task: ${task.taskId}`, workflowOutput);
  },
  successors: () => [],
};
