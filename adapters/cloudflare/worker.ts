/**
 * The Cloudflare Worker: Baton's API (the same Hono app as every build) over a Durable Object per
 * workflow and per task queue, with definitions, the search index and poll data in D1.
 */
import type { Hono } from "hono";
import { createApp } from "../../src/api/app.ts";
import { StoreMetadataService } from "../../src/host/metadata-service.ts";
import { RoutedServices } from "../../src/host/routed-services.ts";
import { SqlIndexStore } from "../../src/store/sql-index-store.ts";
import { SqlMetadataStore } from "../../src/store/sql-metadata-store.ts";
import { SqlQueueStore } from "../../src/store/sql-queue-store.ts";
import { d1Backend } from "./backends.ts";
import type { Env } from "./env.ts";
import { cloudflarePeers } from "./peers.ts";

export { TaskQueueObject } from "./task-queue-object.ts";
export { WorkflowObject } from "./workflow-object.ts";
export type { Env } from "./env.ts";

// Bindings are fixed for the life of an isolate, so the app is built once per env.
const apps = new WeakMap<Env, Hono>();

function appFor(env: Env): Hono {
  let app = apps.get(env);
  if (!app) {
    const d1 = d1Backend(env.DB);
    const metadata = new SqlMetadataStore(d1);
    const routed = new RoutedServices({ peers: cloudflarePeers(env), metadata, index: new SqlIndexStore(d1), pollData: new SqlQueueStore(d1) });
    app = createApp({ metadata: new StoreMetadataService(metadata), workflows: routed, tasks: routed }, { instance: "baton-worker" });
    apps.set(env, app);
  }
  return app;
}

export default {
  fetch: (request, env, ctx) => appFor(env).fetch(request, env, ctx),
  // The cron trigger is where schedules will start workflows (a later feature); nothing is due yet.
  async scheduled() {},
} satisfies ExportedHandler<Env>;
