/**
 * The HTTP ceiling: a trivial Hono app on Bun.serve, the same stack Baton serves with, doing the
 * least a task update does — parse a small JSON body and answer with a small JSON body.
 * Environment: PORT.
 */
import { Hono } from "hono";

const app = new Hono();
app.get("/health", (c) => c.json({ healthy: true }));
app.post("/echo", async (c) => {
  const body = (await c.req.json()) as { taskId?: string; status?: string };
  return c.json({ taskId: body.taskId, status: body.status, ok: true });
});

Bun.serve({ hostname: "127.0.0.1", port: Number(process.env.PORT), fetch: app.fetch, idleTimeout: 120 });
