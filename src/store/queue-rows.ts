/** Writing queue message rows: an upsert by task id, shared by execution commits and queue objects. */
import { sql } from "drizzle-orm";
import type { QueuedMessage } from "../ports/stores.ts";
import { chunk, type SqlBackend, type Statement } from "./database.ts";
import { queueMessages } from "./schema.ts";

const COLUMNS = 5;

export function upsertQueueRows(backend: SqlBackend, messages: QueuedMessage[]): Statement[] {
  const rows = messages.map((m) => ({ taskId: m.taskId, queueName: m.queueName, workflowId: m.workflowId, priority: m.priority, visibleAt: m.visibleAt }));
  return chunk(rows, Math.max(1, Math.floor(backend.maxParameters / COLUMNS))).map((part) =>
    backend.db
      .insert(queueMessages)
      .values(part)
      .onConflictDoUpdate({
        target: queueMessages.taskId,
        set: { queueName: sql`excluded.queue_name`, priority: sql`excluded.priority`, visibleAt: sql`excluded.visible_at` },
      }),
  );
}
