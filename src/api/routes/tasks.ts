/** /api/tasks: the worker protocol (poll, update) and task inspection. */
import { Hono, type Context } from "hono";
import { InvalidInput } from "../../errors.ts";
import { TaskResultSchema, TaskResultStatusSchema } from "../../model/index.ts";
import type { TaskService } from "../../ports/services.ts";
import { objectBody, parseBody, parseParam, plainText, queryInt } from "../request.ts";

/** Conductor's bounds for a batch poll's long-poll wait. */
const MAX_POLL_TIMEOUT_MS = 5000;
const DEFAULT_POLL_TIMEOUT_MS = 100;
const MAX_POLL_COUNT = 1000;

function pollRequest(c: Context, count: number, timeoutMs: number) {
  return { workerId: c.req.query("workerid"), domain: c.req.query("domain") || undefined, count, timeoutMs, signal: c.req.raw.signal };
}

export function taskRoutes(tasks: TaskService): Hono {
  const app = new Hono();

  app.get("/poll/batch/:taskType", async (c) => {
    const count = queryInt(c, "count", 1, { min: 1, max: MAX_POLL_COUNT });
    const timeout = queryInt(c, "timeout", DEFAULT_POLL_TIMEOUT_MS, { min: 0, max: MAX_POLL_TIMEOUT_MS });
    return c.json(await tasks.poll(c.req.param("taskType"), pollRequest(c, count, timeout)));
  });
  app.get("/poll/:taskType", async (c) => {
    const [task] = await tasks.poll(c.req.param("taskType"), pollRequest(c, 1, DEFAULT_POLL_TIMEOUT_MS));
    return task ? c.json(task) : c.body(null, 204);
  });

  app.post("/", async (c) => {
    const result = await parseBody(c, TaskResultSchema, "TaskResult");
    await tasks.update(result);
    return plainText(c, result.taskId);
  });
  // Update, then hand the worker its next task of the same type in the same round trip.
  app.post("/update-v2", async (c) => {
    const { next } = await tasks.updateAndPoll(await parseBody(c, TaskResultSchema, "TaskResult"));
    return next ? c.json(next) : c.body(null, 204);
  });

  app.get("/queue/sizes", async (c) => {
    const sizes: Record<string, number> = {};
    for (const type of c.req.queries("taskType") ?? []) sizes[type] = await tasks.queueSize(type);
    return c.json(sizes);
  });
  app.get("/queue/size", async (c) => {
    const type = c.req.query("taskType");
    if (!type) throw new InvalidInput("Query parameter 'taskType' is required", [{ path: "taskType", message: "is required" }]);
    return c.json(await tasks.queueSize(type, c.req.query("domain") || undefined));
  });
  app.get("/queue/polldata/all", async (c) => c.json(await tasks.allPollData()));
  app.get("/queue/polldata", async (c) => {
    const type = c.req.query("taskType");
    if (!type) throw new InvalidInput("Query parameter 'taskType' is required", [{ path: "taskType", message: "is required" }]);
    return c.json(await tasks.pollData(type));
  });

  app.post("/:workflowId/:taskRefName/:status", async (c) => {
    const status = parseParam(TaskResultStatusSchema, c.req.param("status"), "status");
    const output = await objectBody(c, "Task output");
    const taskId = await tasks.updateByRef(c.req.param("workflowId"), c.req.param("taskRefName"), status, output, c.req.query("workerid"));
    return plainText(c, taskId ?? "");
  });

  app.post("/:taskId/log", async (c) => {
    await tasks.addLog(c.req.param("taskId"), await c.req.text());
    return c.body(null, 200);
  });
  app.get("/:taskId/log", async (c) => {
    const logs = await tasks.getLogs(c.req.param("taskId"));
    return logs.length > 0 ? c.json(logs) : c.body(null, 204);
  });
  app.get("/:taskId", async (c) => c.json(await tasks.getTask(c.req.param("taskId"))));
  return app;
}
