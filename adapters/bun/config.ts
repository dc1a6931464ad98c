/** Configuration of the self-hosted server, from environment variables. */
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";

export interface BunConfig {
  port: number;
  hostname: string;
  dataDir: string;
  dbUrl: string;
  dbAuthToken?: string;
}

export function readConfig(env: Record<string, string | undefined> = process.env): BunConfig {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got '${env.PORT}'`);
  const dataDir = resolve(env.BATON_DATA_DIR ?? "./data");
  const dbUrl = env.BATON_DB_URL ?? `file:${resolve(dataDir, "baton.db")}`;
  if (dbUrl.startsWith("file:")) mkdirSync(dataDir, { recursive: true });
  return { port, hostname: env.HOST ?? "0.0.0.0", dataDir, dbUrl, dbAuthToken: env.BATON_DB_AUTH_TOKEN };
}
