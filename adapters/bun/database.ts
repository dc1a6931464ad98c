/** The libSQL database behind every port: a local file by default, or a remote libSQL server. */
import { createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { fileURLToPath } from "node:url";
import * as schema from "../../src/store/schema.ts";
import type { SqlBackend, SqliteDatabase } from "../../src/store/database.ts";

const MIGRATIONS = fileURLToPath(new URL("../../migrations", import.meta.url));

export async function openDatabase(url: string, authToken?: string): Promise<{ backend: SqlBackend; close(): void }> {
  const client = createClient({ url, authToken });
  const local = url.startsWith("file:") || url === ":memory:";
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
      await db.batch(statements as unknown as Parameters<typeof db.batch>[0]);
    },
  };
  return { backend, close: () => client.close() };
}
