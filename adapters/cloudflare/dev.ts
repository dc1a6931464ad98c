/**
 * `npm run start:worker`: the Worker bundle that `wrangler deploy` would upload, served locally in
 * workerd with its Durable Object and D1 state kept under BATON_DATA_DIR, so any Conductor client
 * can be pointed at it. As for `npm start`: PORT (default 8080), HOST (default 0.0.0.0); the state
 * goes to BATON_DATA_DIR (default ./data/worker, beside the Bun server's ./data/baton.db).
 */
import { resolve } from "node:path";
import { applyD1Migrations, buildWorker, crons, startLocalWorker } from "./local-runtime.ts";

const port = Number(process.env.PORT ?? 8080);
if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got '${process.env.PORT}'`);
const host = process.env.HOST ?? "0.0.0.0";
const persistDir = resolve(process.env.BATON_DATA_DIR ?? "./data/worker");

await buildWorker();
await applyD1Migrations(persistDir);
const worker = await startLocalWorker({ persistDir, host, port, devVars: true });
console.log(`Baton (Cloudflare Worker in workerd) listening on http://${host}:${worker.url.port}, state in ${persistDir}`);

// Cloudflare fires cron triggers; miniflare does not, so fire them here. Only the every-minute
// expression is simulated, to avoid a cron parser; the others are left to /cdn-cgi/handler/scheduled.
const everyMinute: string[] = crons.filter((cron) => cron === "* * * * *");
for (const cron of crons) if (!everyMinute.includes(cron)) console.warn(`cron '${cron}' is not fired locally`);
let tick: ReturnType<typeof setTimeout> | undefined;
function scheduleTick(): void {
  tick = setTimeout(async () => {
    for (const cron of everyMinute) await worker.scheduled(cron).catch((error) => console.error(`scheduled(${cron}) failed:`, error));
    scheduleTick();
  }, 60_000 - (Date.now() % 60_000));
}
if (everyMinute.length > 0) scheduleTick();

async function stop(): Promise<void> {
  clearTimeout(tick);
  await worker.dispose();
  process.exit(0);
}
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
