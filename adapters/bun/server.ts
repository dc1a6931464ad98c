/** Wires the libSQL stores, the local engine and the HTTP API together and serves them. */
import { createApp } from "../../src/api/app.ts";
import { CachedMetadataStore } from "../../src/host/cached-metadata-store.ts";
import { LocalEngine } from "../../src/host/local-engine.ts";
import { StoreMetadataService } from "../../src/host/metadata-service.ts";
import { SqlExecutionStore } from "../../src/store/sql-execution-store.ts";
import { SqlMetadataStore } from "../../src/store/sql-metadata-store.ts";
import { SqlOutboxStore } from "../../src/store/sql-outbox-store.ts";
import { SqlQueueStore } from "../../src/store/sql-queue-store.ts";
import type { BunConfig } from "./config.ts";
import { openDatabase } from "./database.ts";
import { createSandbox } from "./sandbox.ts";
import { createJq } from "../../src/jq/jqjs.ts";

/** Long polls hold a request for up to 5 s; keep idle connections well past that. */
const IDLE_TIMEOUT_SECONDS = 120;

export interface RunningServer {
  url: string;
  engine: LocalEngine;
  stop(): Promise<void>;
}

export async function startServer(config: BunConfig): Promise<RunningServer> {
  const database = await openDatabase(config.dbUrl, config.dbAuthToken);
  const metadataStore = new CachedMetadataStore(new SqlMetadataStore(database.backend));
  const engine = new LocalEngine({
    executions: new SqlExecutionStore(database.backend),
    outbox: new SqlOutboxStore(database.backend),
    queues: new SqlQueueStore(database.backend),
    metadata: metadataStore,
    // libSQL runs synchronously: one turn of the event loop lets waiting requests join a batch.
    gather: () => new Promise((resolve) => setImmediate(resolve)),
    sandbox: await createSandbox(),
    jq: createJq(),
  });
  await engine.open();
  const app = createApp({ metadata: new StoreMetadataService(metadataStore), workflows: engine, tasks: engine });
  const server = Bun.serve({ port: config.port, hostname: config.hostname, fetch: app.fetch, idleTimeout: IDLE_TIMEOUT_SECONDS });
  return {
    url: `http://${config.hostname === "0.0.0.0" ? "127.0.0.1" : config.hostname}:${server.port}`,
    engine,
    async stop() {
      await server.stop(true);
      await engine.close();
      database.close();
    },
  };
}
