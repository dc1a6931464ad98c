/** The libSQL database behind every port: a local file by default, or a remote libSQL server. */
import { createClient, type InValue } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { fileURLToPath } from "node:url";
import * as schema from "../../src/store/schema.ts";
import type { SqlBackend, SqliteDatabase } from "../../src/store/database.ts";

const MIGRATIONS = fileURLToPath(new URL("../../migrations", import.meta.url));

/** A remote database that does not answer within this long is reported, not waited for. */
const REMOTE_TIMEOUT_MS = 30_000;

/** The URL with any credentials (user:password@, ?authToken=) blanked out, for logs and errors. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@").replace(/([?&](?:authToken|auth_token)=)[^&]*/gi, "$1***");
}

export async function openDatabase(url: string, authToken?: string): Promise<{ backend: SqlBackend; close(): void }> {
  const local = url.startsWith("file:") || url === ":memory:";
  const client = createClient({
    url,
    authToken,
    // Bounds every request to a remote server, so a server that accepts but never answers fails loudly.
    fetch: local ? undefined : (input: Request | string, init?: RequestInit) => fetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(REMOTE_TIMEOUT_MS) }),
  });
  try {
    await client.execute("SELECT 1");
  } catch (error) {
    client.close();
    const hint = local ? "" : " (check the URL, and BATON_DB_AUTH_TOKEN if the server needs one)";
    throw new Error(`Cannot reach the database at ${redactUrl(url)}${hint}: ${error instanceof Error ? error.message : error}`);
  }
  if (local) {
    // WAL lets reads proceed beside the writer; NORMAL syncs at checkpoints, not at every
    // commit — a power cut may lose the last commits, a process crash loses nothing.
    await client.execute("PRAGMA journal_mode = WAL");
    await client.execute("PRAGMA synchronous = NORMAL");
    await client.execute("PRAGMA busy_timeout = 5000");
  }
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder: MIGRATIONS });
  const backend: SqlBackend = {
    db: db as unknown as SqliteDatabase,
    // SQLite's own limit; the 100 of D1 and Durable Objects does not apply to libSQL.
    maxParameters: 32_766,
    async writeAtomically(statements) {
      if (statements.length === 0) return;
      // A write transaction from the start (BEGIN IMMEDIATE): on a shared remote server a
      // deferred one could find its snapshot stale when it comes to write.
      const sql = statements.map((st) => {
        const { sql: text, params } = (st as unknown as { toSQL(): { sql: string; params: unknown[] } }).toSQL();
        return { sql: text, args: params as InValue[] };
      });
      await client.batch(sql, "write");
    },
  };
  return { backend, close: () => client.close() };
}
