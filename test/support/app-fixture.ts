/**
 * The whole Bun stack in-process, for API tests driven through `app.request`: a fresh libSQL
 * database file, the SQL stores, the local engine and the Hono app. It lives in test/ because it
 * imports the libSQL adapter, which nothing under src/ may do.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "bun:test";
import type { Hono } from "hono";
import { openDatabase } from "../../adapters/bun/database.ts";
import { createApp } from "../../src/api/app.ts";
import { LocalEngine } from "../../src/host/local-engine.ts";
import { StoreMetadataService } from "../../src/host/metadata-service.ts";
import { SqlExecutionStore } from "../../src/store/sql-execution-store.ts";
import { SqlOutboxStore } from "../../src/store/sql-outbox-store.ts";
import { SqlMetadataStore } from "../../src/store/sql-metadata-store.ts";
import { SqlQueueStore } from "../../src/store/sql-queue-store.ts";

export interface AppFixture {
  app: Hono;
  engine: LocalEngine;
  /** Sends a request to the app; a `body` that is not a string is sent as JSON. */
  call(method: string, path: string, body?: unknown): Promise<Response>;
  /** Stops the engine, closes the database and deletes its directory. */
  close(): Promise<void>;
}

export async function createAppFixture(): Promise<AppFixture> {
  const dir = mkdtempSync(join(tmpdir(), "baton-api-"));
  // A file, not ":memory:": the client pools connections and each in-memory one is its own database.
  const database = await openDatabase(`file:${join(dir, "baton.db")}`);
  const metadataStore = new SqlMetadataStore(database.backend);
  const engine = new LocalEngine({
    executions: new SqlExecutionStore(database.backend),
    outbox: new SqlOutboxStore(database.backend),
    queues: new SqlQueueStore(database.backend),
    metadata: metadataStore,
  });
  await engine.open();
  const app = createApp({ metadata: new StoreMetadataService(metadataStore), workflows: engine, tasks: engine }, { instance: "test" });

  let closed = false;
  return {
    app,
    engine,
    call(method, path, body) {
      if (body === undefined) return Promise.resolve(app.request(path, { method }));
      const text = typeof body === "string" ? body : JSON.stringify(body);
      return Promise.resolve(app.request(path, { method, body: text, headers: { "content-type": "application/json" } }));
    },
    async close() {
      if (closed) return;
      closed = true;
      await engine.close();
      database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Paths of every `null` in a JSON value: Conductor's wire format leaves unset fields out. */
export function nullPaths(value: unknown, path = "$"): string[] {
  if (value === null) return [path];
  if (Array.isArray(value)) return value.flatMap((item, i) => nullPaths(item, `${path}[${i}]`));
  if (typeof value === "object") return Object.entries(value as object).flatMap(([k, v]) => nullPaths(v, `${path}.${k}`));
  return [];
}

/** Asserts a Conductor error answer with this status and returns its body. */
export async function expectError(res: Response, status: number) {
  expect(res.status).toBe(status);
  const body = await res.json();
  // Plain checks: bun's toMatchObject overwrites matched fields with the asymmetric matchers.
  expect(body.status).toBe(status);
  expect(typeof body.message).toBe("string");
  expect(body.retryable).toBe(false);
  return body;
}
