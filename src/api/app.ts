/** The Conductor REST API as a Hono app, over whatever services the host provides. */
import { Hono } from "hono";
import type { Services } from "../ports/services.ts";
import { errorBody, errorResponse } from "./errors.ts";
import { healthRoutes } from "./routes/health.ts";
import { metadataRoutes } from "./routes/metadata.ts";
import { taskRoutes } from "./routes/tasks.ts";
import { workflowRoutes } from "./routes/workflow.ts";

const METHODS = ["GET", "POST", "PUT", "DELETE"];

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
  app.notFound((c) => {
    const path = new URL(c.req.url).pathname;
    // Like Conductor (Spring), tell a wrong method on a known path from an unknown path.
    const allowed = METHODS.filter((m) => m !== c.req.method && app.router.match(m, path)[0].length > 0);
    if (allowed.length > 0) {
      return c.json(errorBody(405, `Method ${c.req.method} is not supported for ${path}`, instance), 405, { allow: allowed.join(", ") });
    }
    return c.json(errorBody(404, `No route for ${c.req.method} ${path}`, instance), 404);
  });
  app.onError((err, c) => errorResponse(err, c, instance));
  return app;
}
