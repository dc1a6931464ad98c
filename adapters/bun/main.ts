/** `npm start`: the self-hosted Baton server. */
import { readConfig } from "./config.ts";
import { redactUrl } from "./database.ts";
import { startServer } from "./server.ts";

const config = readConfig();
const server = await startServer(config).catch((error: unknown) => {
  console.error(`Baton could not start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
console.log(`Baton listening on ${server.url} (database ${redactUrl(config.dbUrl)})`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    void server.stop().finally(() => process.exit(0));
  });
}
