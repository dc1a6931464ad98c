/** /api/workflow: starting, reading and stopping executions. */
import { Hono } from "hono";
import * as v from "valibot";
import { parse, StartWorkflowRequestSchema } from "../../model/index.ts";
import type { WorkflowService } from "../../ports/services.ts";
import { objectBody, parseBody, plainText, queryBool, queryInt } from "../request.ts";

export function workflowRoutes(workflows: WorkflowService): Hono {
  const app = new Hono();

  app.post("/", async (c) => plainText(c, await workflows.start(await parseBody(c, StartWorkflowRequestSchema, "StartWorkflowRequest"))));
  app.get("/running/:name", async (c) =>
    c.json(
      await workflows.running(
        c.req.param("name"),
        queryInt(c, "version", 1, { min: 1 }),
        queryInt(c, "startTime", undefined),
        queryInt(c, "endTime", undefined),
      ),
    ),
  );
  app.put("/decide/:workflowId", async (c) => {
    await workflows.decide(c.req.param("workflowId"));
    return c.body(null, 200);
  });
  app.get("/:name/correlated/:correlationId", async (c) => {
    const found = await workflows.correlated(c.req.param("name"), [c.req.param("correlationId")], queryBool(c, "includeClosed", false), queryBool(c, "includeTasks", false));
    return c.json(found[c.req.param("correlationId")] ?? []);
  });
  app.post("/:name/correlated", async (c) => {
    const ids = await parseBody(c, v.array(v.string()), "correlationId list");
    return c.json(await workflows.correlated(c.req.param("name"), ids, queryBool(c, "includeClosed", false), queryBool(c, "includeTasks", false)));
  });
  app.post("/:name", async (c) => {
    const request = parse(
      StartWorkflowRequestSchema,
      {
        name: c.req.param("name"),
        version: queryInt(c, "version", undefined),
        correlationId: c.req.query("correlationId"),
        priority: queryInt(c, "priority", undefined, { min: 0, max: 99 }),
        input: await objectBody(c, "Workflow input"),
      },
      "StartWorkflowRequest",
    );
    return plainText(c, await workflows.start(request));
  });
  app.get("/:workflowId/status", async (c) => {
    const wf = await workflows.get(c.req.param("workflowId"), false);
    const summary: Record<string, unknown> = { workflowId: wf.workflowId, correlationId: wf.correlationId, status: wf.status };
    if (queryBool(c, "includeOutput", false)) summary.output = wf.output;
    if (queryBool(c, "includeVariables", false)) summary.variables = wf.variables;
    return c.json(summary);
  });
  app.get("/:workflowId", async (c) => c.json(await workflows.get(c.req.param("workflowId"), queryBool(c, "includeTasks", true))));
  app.delete("/:workflowId/remove", async (c) => {
    await workflows.remove(c.req.param("workflowId"));
    return c.body(null, 200);
  });
  app.delete("/:workflowId", async (c) => {
    await workflows.terminate(c.req.param("workflowId"), c.req.query("reason"));
    return c.body(null, 200);
  });
  return app;
}
