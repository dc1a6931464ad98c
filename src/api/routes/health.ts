/** Health, and the token endpoint that tells the SDKs that authentication is off. */
import { Hono } from "hono";
import { errorBody } from "../errors.ts";

export function healthRoutes(instance: string): Hono {
  const app = new Hono();
  const healthy = { healthResults: [], suppressedHealthResults: [], healthy: true };
  app.get("/health", (c) => c.json(healthy));
  app.get("/api/health", (c) => c.json(healthy));
  // The SDKs read a 404 here as "this server has no auth" and stop asking for tokens.
  app.post("/api/token", (c) => c.json(errorBody(404, "Authentication is not enabled on this server", instance), 404));
  return app;
}
