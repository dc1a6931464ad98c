/**
 * The whole conformance suite against the Bun server on a remote libSQL database: the same
 * scenarios as test/conformance-bun.test.ts, with BATON_DB_URL pointing at the sqld test double
 * (test/support/hrana-server.ts) and an auth token. The restart scenario kills Baton, not the
 * database: the new process finds everything on the remote server.

 */
import { conformanceSuite } from "../conformance/suite.ts";
import { startBunServer } from "../support/bun-server.ts";
import { startHranaServer } from "../support/hrana-server.ts";

async function remoteTarget() {
  const hrana = startHranaServer({ authToken: "conformance-token" });
  const server = await startBunServer({ BATON_DB_URL: hrana.url, BATON_DB_AUTH_TOKEN: "conformance-token" });
  return {
    baseUrl: server.baseUrl,
    // A crash of Baton, not of the database: SIGKILL, then a new process on the same remote DB.
    restart: async () => {
      await server.kill();
      await server.restart();
    },
    dispose: async () => {
      await server.dispose();
      await hrana.stop();
    },
  };
}

conformanceSuite("bun server on remote libSQL (Hrana over HTTP)", remoteTarget, { restart: true, clientAbort: true });
