/** The search index of executions in SQL (D1 in the Workers build). */
import { and, desc, eq, gte, inArray, lte, sql } from "drizzle-orm";
import type { ExecutionQuery, IndexStore, WorkflowSummaryRow } from "../ports/stores.ts";
import { chunk, type SqlBackend } from "./database.ts";
import { workflowSummaries } from "./schema.ts";

const COLUMNS = 11;

export class SqlIndexStore implements IndexStore {
  constructor(private readonly backend: SqlBackend) {}

  async upsert(rows: WorkflowSummaryRow[]): Promise<void> {
    const { db, maxParameters } = this.backend;
    const values = rows.map((r) => ({
      workflowId: r.workflowId,
      workflowName: r.workflowName,
      workflowVersion: r.workflowVersion,
      status: r.status,
      correlationId: r.correlationId ?? null,
      parentWorkflowId: r.parentWorkflowId ?? null,
      createTime: r.createTime,
      updateTime: r.updateTime,
      endTime: r.endTime || null,
      rev: r.rev,
      summary: JSON.stringify(r),
    }));
    const statements = chunk(values, Math.max(1, Math.floor(maxParameters / COLUMNS))).map((part) =>
      db
        .insert(workflowSummaries)
        .values(part)
        .onConflictDoUpdate({
          target: workflowSummaries.workflowId,
          set: {
            status: sql`excluded.status`,
            correlationId: sql`excluded.correlation_id`,
            updateTime: sql`excluded.update_time`,
            endTime: sql`excluded.end_time`,
            rev: sql`excluded.rev`,
            summary: sql`excluded.summary`,
          },
          // A redelivered older summary must not replace a newer one. Equal revisions come from
          // decisions committed in one batch, delivered in order, so the later one wins.
          setWhere: sql`excluded.rev >= ${workflowSummaries.rev}`,
        }),
    );
    if (statements.length > 0) await this.backend.writeAtomically(statements);
  }

  async remove(workflowIds: string[]): Promise<void> {
    const { db, maxParameters } = this.backend;
    const statements = chunk(workflowIds, maxParameters).map((ids) => db.delete(workflowSummaries).where(inArray(workflowSummaries.workflowId, ids)));
    if (statements.length > 0) await this.backend.writeAtomically(statements);
  }

  async findWorkflowIds(q: ExecutionQuery): Promise<string[]> {
    const t = workflowSummaries;
    const conditions = [eq(t.workflowName, q.workflowName)];
    if (q.version !== undefined) conditions.push(eq(t.workflowVersion, q.version));
    if (q.correlationId !== undefined) conditions.push(eq(t.correlationId, q.correlationId));
    if (!q.includeClosed) conditions.push(eq(t.status, "RUNNING"));
    if (q.startTime !== undefined) conditions.push(gte(t.createTime, q.startTime));
    if (q.endTime !== undefined) conditions.push(lte(t.createTime, q.endTime));
    const rows = await this.backend.db.select({ id: t.workflowId }).from(t).where(and(...conditions)).orderBy(desc(t.createTime)).all();
    return rows.map((r: { id: string }) => r.id);
  }
}
