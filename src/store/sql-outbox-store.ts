/** An object's outbox in SQL (rows are written by execution commits; this reads and retires them). */
import { asc, eq, inArray } from "drizzle-orm";
import type { OutboxMessage, OutboxRow, OutboxStore } from "../ports/stores.ts";
import { chunk, type SqlBackend } from "./database.ts";
import { outbox } from "./schema.ts";

export class SqlOutboxStore implements OutboxStore {
  constructor(private readonly backend: SqlBackend) {}

  async due(now: number, limit: number): Promise<OutboxRow[]> {
    const rows = await this.backend.db.select().from(outbox).orderBy(asc(outbox.id)).limit(limit).all();
    // In order, up to the first row that waits for a retry: nothing overtakes a deferred row.
    const waiting = rows.findIndex((r: typeof outbox.$inferSelect) => r.nextAttemptAt > now);
    return rows.slice(0, waiting < 0 ? rows.length : waiting).map((r: typeof outbox.$inferSelect) => ({
      id: r.id,
      kind: r.kind as OutboxMessage["kind"],
      target: r.target,
      payload: JSON.parse(r.payload),
      attempts: r.attempts,
      nextAttemptAt: r.nextAttemptAt,
    }));
  }

  async nextDue(): Promise<number | null> {
    // Rows go out in order, so the first row decides when delivery can go on.
    const row = await this.backend.db.select({ at: outbox.nextAttemptAt }).from(outbox).orderBy(asc(outbox.id)).limit(1).get();
    return row?.at ?? null;
  }

  async delete(ids: number[]): Promise<void> {
    const { db, maxParameters } = this.backend;
    const statements = chunk(ids, maxParameters).map((part) => db.delete(outbox).where(inArray(outbox.id, part)));
    if (statements.length > 0) await this.backend.writeAtomically(statements);
  }

  async defer(id: number, attempts: number, at: number): Promise<void> {
    await this.backend.writeAtomically([this.backend.db.update(outbox).set({ attempts, nextAttemptAt: at }).where(eq(outbox.id, id))]);
  }
}
