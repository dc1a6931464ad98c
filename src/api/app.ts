/** The Conductor REST API as a Hono app, over whatever services the host provides. */
import { Hono } from "hono";
import type { Services } from "../ports/services.ts";
import { errorBody, errorResponse } from "./errors.ts";
import { healthRoutes } from "./routes/health.ts";
import { metadataRoutes } from "./routes/metadata.ts";
import { taskRoutes } from "./routes/tasks.ts";
import { workflowRoutes } from "./routes/workflow.ts";

export interface AppOptions {
  /** Names this server in error bodies (Conductor's `instance`). */
  instance?: string;
}

export function createApp(services: Services, options: AppOptions = {}): Hono {
  const instance = options.instance ?? "baton";
  const app = new Hono();
  app.route("/", healthRoutes(instance));
  app.route("/api/metadata", metadataRoutes(services.metadata));
  app.route("/api/workflow", workflowRoutes(services.workflows));
  app.route("/api/tasks", taskRoutes(services.tasks));
  app.notFound((c) => c.json(errorBody(404, `No route for ${c.req.method} ${new URL(c.req.url).pathname}`, instance), 404));
  app.onError((err, c) => errorResponse(err, c, instance));
  return app;
}
