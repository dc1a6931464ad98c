/**
 * The database the SQL stores run on: any drizzle SQLite database (libSQL, D1, Durable Object
 * storage), plus the one thing the drivers do differently — writing several statements
 * atomically (libSQL and D1: `batch`; Durable Objects: `transactionSync`).
 */
import type { BatchItem } from "drizzle-orm/batch";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import type * as schema from "./schema.ts";

// Both modes: `await` on a synchronous driver's result is harmless, so one body of queries serves all.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SqliteDatabase = BaseSQLiteDatabase<"sync" | "async", any, typeof schema>;

export type Statement = BatchItem<"sqlite">;

export interface SqlBackend {
  db: SqliteDatabase;
  /** Bound parameters one statement may carry (D1 and Durable Objects: 100). */
  maxParameters: number;
  /** Runs the statements in one transaction: all take effect or none. */
  writeAtomically(statements: Statement[]): Promise<void>;
}

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
