/** /api/metadata: task and workflow definitions. */
import { Hono } from "hono";
import * as v from "valibot";
import { TaskDefSchema, WorkflowDefSchema, type WorkflowDef } from "../../model/index.ts";
import type { MetadataService } from "../../ports/services.ts";
import { intParam, parseBody, queryBool, queryInt } from "../request.ts";

export function metadataRoutes(metadata: MetadataService): Hono {
  const app = new Hono();

  app.post("/taskdefs", async (c) => {
    await metadata.registerTaskDefs(await parseBody(c, v.array(TaskDefSchema), "TaskDef list"));
    return c.body(null, 200);
  });
  app.put("/taskdefs", async (c) => {
    await metadata.updateTaskDef(await parseBody(c, TaskDefSchema, "TaskDef"));
    return c.body(null, 200);
  });
  app.get("/taskdefs", async (c) => c.json(await metadata.listTaskDefs()));
  app.get("/taskdefs/:name", async (c) => c.json(await metadata.getTaskDef(c.req.param("name"))));
  app.delete("/taskdefs/:name", async (c) => {
    await metadata.deleteTaskDef(c.req.param("name"));
    return c.body(null, 200);
  });

  app.post("/workflow/validate", async (c) => {
    await metadata.validateWorkflowDef(await parseBody(c, WorkflowDefSchema, "WorkflowDef"));
    return c.body(null, 200);
  });
  app.post("/workflow", async (c) => {
    const def = await parseBody(c, WorkflowDefSchema, "WorkflowDef");
    await metadata.registerWorkflowDef(def, queryBool(c, "overwrite", false));
    return c.body(null, 200);
  });
  app.put("/workflow", async (c) => c.json(await metadata.upsertWorkflowDefs(await parseBody(c, v.array(WorkflowDefSchema), "WorkflowDef list"))));
  app.get("/workflow", async (c) => c.json(await metadata.listWorkflowDefs()));
  app.get("/workflow/latest-versions", async (c) => c.json(latestVersions(await metadata.listWorkflowDefs())));
  app.get("/workflow/names", async (c) => c.json([...new Set((await metadata.listWorkflowDefs()).map((d) => d.name))]));
  app.get("/workflow/names-and-versions", async (c) => {
    const out: Record<string, { name: string; version: number; createTime?: number; updateTime?: number }[]> = {};
    for (const d of await metadata.listWorkflowDefs()) (out[d.name] ??= []).push(versionSummary(d));
    return c.json(out);
  });
  app.get("/workflow/:name/versions", async (c) => {
    const name = c.req.param("name");
    return c.json((await metadata.listWorkflowDefs()).filter((d) => d.name === name).map(versionSummary));
  });
  app.get("/workflow/:name", async (c) => c.json(await metadata.getWorkflowDef(c.req.param("name"), queryInt(c, "version", undefined, { min: 1 }))));
  app.delete("/workflow/:name/:version", async (c) => {
    await metadata.deleteWorkflowDef(c.req.param("name"), intParam(c, "version"));
    return c.body(null, 200);
  });
  return app;
}

function versionSummary(d: WorkflowDef) {
  return { name: d.name, version: d.version, createTime: d.createTime, updateTime: d.updateTime };
}

function latestVersions(defs: WorkflowDef[]): WorkflowDef[] {
  const latest = new Map<string, WorkflowDef>();
  for (const d of defs) if ((latest.get(d.name)?.version ?? -Infinity) < d.version) latest.set(d.name, d);
  return [...latest.values()];
}
