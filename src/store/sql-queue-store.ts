/** Task queue rows and poll data in SQL. Messages are written by execution commits; this reads them. */
import { asc, inArray } from "drizzle-orm";
import type { PollData } from "../model/index.ts";
import type { QueueStore, QueuedMessage } from "../ports/stores.ts";
import { chunk, type SqlBackend } from "./database.ts";
import { upsertQueueRows } from "./queue-rows.ts";
import { pollData, queueMessages } from "./schema.ts";

export class SqlQueueStore implements QueueStore {
  constructor(private readonly backend: SqlBackend) {}

  async loadAll(): Promise<QueuedMessage[]> {
    return await this.backend.db
      .select({
        taskId: queueMessages.taskId,
        queueName: queueMessages.queueName,
        workflowId: queueMessages.workflowId,
        priority: queueMessages.priority,
        visibleAt: queueMessages.visibleAt,
      })
      .from(queueMessages)
      .orderBy(asc(queueMessages.id))
      .all();
  }

  async offer(messages: QueuedMessage[]): Promise<void> {
    const statements = upsertQueueRows(this.backend, messages);
    if (statements.length > 0) await this.backend.writeAtomically(statements);
  }

  async discard(taskIds: string[]): Promise<void> {
    const { db, maxParameters } = this.backend;
    const statements = chunk(taskIds, maxParameters).map((ids) => db.delete(queueMessages).where(inArray(queueMessages.taskId, ids)));
    if (statements.length > 0) await this.backend.writeAtomically(statements);
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
