/** An object's outbox in SQL (rows are written by execution commits; this reads and retires them). */
import { asc, eq, inArray, lte, min } from "drizzle-orm";
import type { OutboxMessage, OutboxRow, OutboxStore } from "../ports/stores.ts";
import { chunk, type SqlBackend } from "./database.ts";
import { outbox } from "./schema.ts";

export class SqlOutboxStore implements OutboxStore {
  constructor(private readonly backend: SqlBackend) {}

  async due(now: number, limit: number): Promise<OutboxRow[]> {
    const rows = await this.backend.db.select().from(outbox).where(lte(outbox.nextAttemptAt, now)).orderBy(asc(outbox.id)).limit(limit).all();
    return rows.map((r: typeof outbox.$inferSelect) => ({
      id: r.id,
      kind: r.kind as OutboxMessage["kind"],
      target: r.target,
      payload: JSON.parse(r.payload),
      attempts: r.attempts,
      nextAttemptAt: r.nextAttemptAt,
    }));
  }

  async nextDue(): Promise<number | null> {
    const row = await this.backend.db.select({ at: min(outbox.nextAttemptAt) }).from(outbox).get();
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
