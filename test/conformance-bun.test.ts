/** The conformance suite against the self-hosted Bun server, run as a real child process. */
import { conformanceSuite } from "./conformance/suite.ts";
import { startBunServer } from "./support/bun-server.ts";

conformanceSuite(
  "bun server",
  async () => {
    const server = await startBunServer();
    return {
      baseUrl: server.baseUrl,
      // A crash, not a shutdown: SIGKILL, then a new process on the same data directory.
      restart: async () => {
        await server.kill();
        await server.restart();
      },
      dispose: () => server.dispose(),
    };
  },
  { restart: true, clientAbort: true },
);
