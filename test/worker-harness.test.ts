/**
 * The Workers toolchain itself: the deployable bundle is built, served in workerd with D1 migrated
 * by wrangler, keeps its state across a restart, and its cron handler can be fired.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { BUNDLE_ENTRY, ROOT } from "../adapters/cloudflare/local-runtime.ts";
import { startWorkerServer, type WorkerServer } from "./support/worker-server.ts";

const START_TIMEOUT_MS = 120_000;

describe("worker harness", () => {
  let server: WorkerServer;
  beforeAll(async () => {
    server = await startWorkerServer();
  }, START_TIMEOUT_MS);
  afterAll(() => server?.dispose());

  const db = () => server.mf.getD1Database("DB");

  test("builds the bundle that wrangler would deploy", () => {
    expect(existsSync(BUNDLE_ENTRY)).toBe(true);
  });

  test("answers /health from workerd", async () => {
    const res = await fetch(`${server.baseUrl}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ healthy: true });
  });

  test("D1 has every migration applied and recorded as wrangler records it", async () => {
    const files = readdirSync(join(ROOT, "migrations")).filter((f) => f.endsWith(".sql")).sort();
    const d1 = await db();
    const applied = await d1.prepare("SELECT name FROM d1_migrations ORDER BY id").all<{ name: string }>();
    expect(applied.results.map((r) => r.name)).toEqual(files);
    const tables = await d1.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all<{ name: string }>();
    expect(tables.results.map((r) => r.name)).toEqual(expect.arrayContaining(["task_defs", "workflow_defs", "workflows"]));
  });

  test("state survives a restart, on the same base URL", async () => {
    const name = `harness_${crypto.randomUUID()}`;
    await (await db()).prepare("INSERT INTO task_defs (name, doc, create_time, update_time) VALUES (?, '{}', 0, 0)").bind(name).run();
    const baseUrl = server.baseUrl;
    await server.restart();
    expect((await fetch(`${baseUrl}/health`)).status).toBe(200);
    const row = await (await db()).prepare("SELECT name FROM task_defs WHERE name = ?").bind(name).first<{ name: string }>();
    expect(row?.name).toBe(name);
  }, START_TIMEOUT_MS);

  test("fires the cron trigger, directly and over HTTP", async () => {
    expect(await server.scheduled()).toMatchObject({ outcome: "ok" });
    const res = await fetch(`${server.baseUrl}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent("* * * * *")}`);
    expect(res.status).toBe(200);
  });

  test("a second server starts on fresh, migrated state of its own", async () => {
    const other = await startWorkerServer();
    try {
      expect(other.baseUrl).not.toBe(server.baseUrl);
      const defs = await (await other.mf.getD1Database("DB")).prepare("SELECT count(*) AS n FROM task_defs").first<{ n: number }>();
      expect(defs?.n).toBe(0);
    } finally {
      await other.dispose();
    }
  }, START_TIMEOUT_MS);
});
