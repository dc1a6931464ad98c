/**
 * HTTP: the call is made by the host after the decision is committed (never inside it), and its
 * answer comes back as an update of the task: a 2xx completes it with `response`, anything else
 * fails it so that the task's retries apply. If the host is lost mid-call the task's deadline
 * (both timeouts plus a grace period) fails it, and retries apply the same way.
 */
import type { Task } from "../../model/index.ts";
import type { HttpRequest } from "../../ports/http-client.ts";
import { begin, fail, type TaskHandler } from "./handler.ts";
import { asRecord } from "./input.ts";

/** Time beyond the request's own timeouts before a call is given up as lost with its host. */
const LOST_CALL_GRACE_MS = 10_000;


/** The request described by the task's input (`http_request`, or the same keys at the top level). */
export function httpRequestOf(task: Task): HttpRequest {
  const input = task.inputData ?? {};
  const spec = input.http_request !== undefined ? asRecord(input.http_request) : input;
  const uri = spec.uri ?? spec.url;
  if (typeof uri !== "string" || uri === "") throw new Error("http_request.uri is required");
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(asRecord(spec.headers))) headers[k] = String(v);
  return {
    uri,
    method: typeof spec.method === "string" ? spec.method.toUpperCase() : "GET",
    headers,
    body: spec.body,
    accept: typeof spec.accept === "string" ? spec.accept : "application/json",
    contentType: typeof spec.contentType === "string" ? spec.contentType : "application/json",
    connectionTimeOut: Number(spec.connectionTimeOut ?? 3000),
    readTimeOut: Number(spec.readTimeOut ?? 3000),
  };
}

function lostAt(task: Task): number {
  const r = httpRequestOf(task);
  return (task.startTime || task.scheduledTime || 0) + r.connectionTimeOut + r.readTimeOut + LOST_CALL_GRACE_MS;
}

export const http: TaskHandler = {
  start(run) {
    let request: HttpRequest;
    try {
      request = httpRequestOf(run.task);
    } catch (error) {
      fail(run, (error as Error).message, { terminal: true });
      return;
    }
    begin(run);
    run.draft.httpCall({ workflowId: run.task.workflowInstanceId, taskId: run.task.taskId, request, asyncComplete: run.task.workflowTask?.asyncComplete ?? false });
  },
  check(run) {
    if (run.task.status === "IN_PROGRESS" && !run.task.workflowTask?.asyncComplete && run.draft.now >= lostAt(run.task)) {
      fail(run, "Failed to invoke HTTP task: no answer arrived (the call was lost or timed out)");
    }
  },
  deadline: (task) => (task.status === "IN_PROGRESS" && !task.workflowTask?.asyncComplete ? lostAt(task) : undefined),
};
