/**
 * The conformance suite against the Workers build: the bundle `npm run build:worker` produces,
 * served by real workerd through miniflare (Durable Objects with SQLite, alarms, D1). A restart
 * disposes workerd and serves the same persisted state again.
 */
import { conformanceSuite } from "./conformance/suite.ts";
import { startWorkerServer } from "./support/worker-server.ts";

conformanceSuite(
  "workers (miniflare)",
  async () => {
    const server = await startWorkerServer();
    return { baseUrl: server.baseUrl, restart: () => server.restart(), dispose: () => server.dispose() };
  },
  // clientAbort is not declared: miniflare's entry worker does not pass a client's disconnect on to
  // the user Worker, so `request.signal` never aborts there. Deployed Workers with the
  // enable_request_signal flag do; there a called-off poll leases nothing (and, failing that, its
  // lease runs out after LEASE_MS and the task is handed out again).
  { restart: true },
);
