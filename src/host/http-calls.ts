/**
 * Making an HTTP task's call and turning the answer into the task's result, the same on every
 * host. Calls start only after the decision that asked for them is durable.
 */
import type { HttpCall } from "../engine/context.ts";
import type { TaskResult } from "../model/index.ts";
import type { HttpClient } from "../ports/http-client.ts";

export async function performHttpCall(client: HttpClient, call: HttpCall): Promise<TaskResult> {
  const base = { workflowInstanceId: call.workflowId, taskId: call.taskId, callbackAfterSeconds: 0, logs: [], extendLease: false };
  try {
    const response = await client.send(call.request);
    if (response.statusCode >= 200 && response.statusCode < 300) {
      return { ...base, status: call.asyncComplete ? "IN_PROGRESS" : "COMPLETED", outputData: { response } };
    }
    const reason = `Failed to invoke HTTP task due to: ${response.statusCode} ${response.reasonPhrase}`.trim();
    return { ...base, status: "FAILED", reasonForIncompletion: reason, outputData: { response } };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ...base, status: "FAILED", reasonForIncompletion: `Failed to invoke HTTP task due to: ${message}`, outputData: {} };
  }
}

/** Runs calls in the background, each answer applied through `apply`; failures to apply are logged (the task's deadline covers them). */
export function startHttpCalls(client: HttpClient, calls: HttpCall[], apply: (result: TaskResult) => Promise<unknown>): void {
  for (const call of calls) {
    void performHttpCall(client, call)
      .then(apply)
      .catch((error) => console.warn(`HTTP task ${call.taskId}: could not record the answer:`, error));
  }
}
