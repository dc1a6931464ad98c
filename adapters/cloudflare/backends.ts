/** The SQL stores' backends on Cloudflare: D1 (atomic batches) and a Durable Object's SQLite (synchronous transactions). */
import { drizzle as drizzleD1 } from "drizzle-orm/d1";
import { drizzle as drizzleDurable } from "drizzle-orm/durable-sqlite";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";
import type { SqlBackend, SqliteDatabase, Statement } from "../../src/store/database.ts";
import * as schema from "../../src/store/schema.ts";
import migrations from "../../migrations/migrations.js";

/** D1 and Durable Object SQLite bind at most 100 parameters per statement. */
const MAX_PARAMETERS = 100;

export function d1Backend(d1: D1Database): SqlBackend {
  const db = drizzleD1(d1, { schema });
  return {
    db: db as unknown as SqliteDatabase,
    maxParameters: MAX_PARAMETERS,
    async writeAtomically(statements) {
      if (statements.length > 0) await db.batch(statements as unknown as Parameters<typeof db.batch>[0]);
    },
  };
}

/** A Durable Object's own database, migrated to the current schema on first use. */
export async function durableBackend(storage: DurableObjectStorage): Promise<SqlBackend> {
  const db = drizzleDurable(storage, { schema });
  await migrate(db, migrations);
  return {
    db: db as unknown as SqliteDatabase,
    maxParameters: MAX_PARAMETERS,
    async writeAtomically(statements: Statement[]) {
      storage.transactionSync(() => {
        for (const s of statements) (s as unknown as { run(): unknown }).run();
      });
    },
  };
}
