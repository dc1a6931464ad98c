/**
 * START_WORKFLOW: starts another workflow from the `startWorkflow` input (a StartWorkflowRequest:
 * name, version, input, correlationId, taskToDomain) and completes at once with its
 * `workflowId`; the new workflow runs on its own (fire and forget).
 */
import { derivedId } from "../derived-id.ts";
import { complete, fail, type TaskHandler } from "./handler.ts";
import { asRecord } from "./input.ts";


export const startWorkflow: TaskHandler = {
  start(run) {
    const { draft, task } = run;
    const request = asRecord(task.inputData?.startWorkflow);
    if (typeof request.name !== "string" || request.name === "") {
      fail(run, "startWorkflow.name is required", { terminal: true });
      return;
    }
    const execution = draft.execution;
    const workflowId = derivedId("startworkflow", execution.workflowId, task.taskId);
    draft.message({
      kind: "workflow.start",
      target: workflowId,
      payload: {
        workflowId,
        name: request.name,
        version: typeof request.version === "number" ? request.version : undefined,
        input: asRecord(request.input),
        correlationId: typeof request.correlationId === "string" ? request.correlationId : execution.correlationId,
        taskToDomain: (request.taskToDomain as Record<string, string>) ?? execution.taskToDomain,
        priority: typeof request.priority === "number" ? request.priority : undefined,
      },
    });
    complete(run, { workflowId });
  },
};
