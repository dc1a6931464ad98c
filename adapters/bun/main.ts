/** `npm start`: the self-hosted Baton server. */
import { readConfig } from "./config.ts";
import { startServer } from "./server.ts";

const config = readConfig();
const server = await startServer(config);
console.log(`Baton listening on ${server.url} (database ${config.dbUrl.replace(/\/\/[^@]*@/, "//***@")})`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    void server.stop().finally(() => process.exit(0));
  });
}
