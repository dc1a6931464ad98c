/** Task queues and poll data in SQL. Messages are written by execution commits; this reads them. */
import { and, asc, count, desc, eq, gt, inArray, lte } from "drizzle-orm";
import type { PollData } from "../model/index.ts";
import type { QueueStore, QueuedMessage } from "../ports/stores.ts";
import { chunk, MAX_BOUND_PARAMETERS, type SqlBackend } from "./database.ts";
import { pollData, queueMessages } from "./schema.ts";

export class SqlQueueStore implements QueueStore {
  constructor(private readonly backend: SqlBackend) {}

  async peek(queueName: string, now: number, limit: number): Promise<QueuedMessage[]> {
    return this.backend.db
      .select({ taskId: queueMessages.taskId, workflowId: queueMessages.workflowId })
      .from(queueMessages)
      .where(and(eq(queueMessages.queueName, queueName), lte(queueMessages.visibleAt, now)))
      .orderBy(desc(queueMessages.priority), asc(queueMessages.id))
      .limit(limit)
      .all();
  }

  async size(queueName: string): Promise<number> {
    const row = await this.backend.db.select({ n: count() }).from(queueMessages).where(eq(queueMessages.queueName, queueName)).get();
    return row?.n ?? 0;
  }

  async discard(taskIds: string[]): Promise<void> {
    const { db } = this.backend;
    const statements = chunk(taskIds, MAX_BOUND_PARAMETERS).map((ids) => db.delete(queueMessages).where(inArray(queueMessages.taskId, ids)));
    if (statements.length > 0) await this.backend.writeAtomically(statements);
  }

  async nextVisible(now: number): Promise<{ queueName: string; visibleAt: number } | null> {
    const row = await this.backend.db
      .select({ queueName: queueMessages.queueName, visibleAt: queueMessages.visibleAt })
      .from(queueMessages)
      .where(gt(queueMessages.visibleAt, now))
      .orderBy(asc(queueMessages.visibleAt))
      .limit(1)
      .get();
    return row ?? null;
  }

  async visibleQueues(now: number): Promise<string[]> {
    const rows = await this.backend.db
      .selectDistinct({ queueName: queueMessages.queueName })
      .from(queueMessages)
      .where(lte(queueMessages.visibleAt, now))
      .all();
    return rows.map((r: { queueName: string }) => r.queueName);
  }

  async savePollData(entries: PollData[]): Promise<void> {
    const { db } = this.backend;
    const statements = entries.map((p) => {
      const values = { queueName: p.queueName, domain: p.domain ?? "", workerId: p.workerId ?? "", lastPollTime: p.lastPollTime ?? 0 };
      return db.insert(pollData).values(values).onConflictDoUpdate({ target: [pollData.queueName, pollData.domain], set: values });
    });
    if (statements.length > 0) await this.backend.writeAtomically(statements);
  }

  async loadPollData(): Promise<PollData[]> {
    const rows = await this.backend.db.select().from(pollData).all();
    return rows.map((r: { queueName: string; domain: string; workerId: string; lastPollTime: number }) => ({
      queueName: r.queueName,
      domain: r.domain || undefined,
      workerId: r.workerId,
      lastPollTime: r.lastPollTime,
    }));
  }
}

