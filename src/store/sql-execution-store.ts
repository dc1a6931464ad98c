/** Executions, their tasks, timers and queue messages in SQL: one decision, one atomic write. */
import { and, asc, desc, eq, gte, isNotNull, lte, sql } from "drizzle-orm";
import type { Task, TaskExecLog, Workflow } from "../model/index.ts";
import type { ExecutionCommit, ExecutionQuery, ExecutionStore, StoredExecution } from "../ports/stores.ts";
import type { SqlBackend, Statement } from "./database.ts";
import { queueMessages, taskLogs, tasks, workflows } from "./schema.ts";

export class SqlExecutionStore implements ExecutionStore {
  constructor(private readonly backend: SqlBackend) {}

  async load(workflowId: string): Promise<StoredExecution | undefined> {
    const { db } = this.backend;
    const row = await db.select().from(workflows).where(eq(workflows.workflowId, workflowId)).get();
    if (!row) return undefined;
    const taskRows = await db.select({ doc: tasks.doc }).from(tasks).where(eq(tasks.workflowId, workflowId)).orderBy(asc(tasks.seq)).all();
    const execution = JSON.parse(row.doc) as Workflow;
    execution.workflowDefinition = JSON.parse(row.definition);
    execution.tasks = taskRows.map((r: { doc: string }) => JSON.parse(r.doc) as Task);
    return { execution, rev: row.rev };
  }

  async commit(commits: ExecutionCommit[]): Promise<void> {
    const statements: Statement[] = [];
    for (const c of commits) this.statementsFor(c, statements);
    if (statements.length > 0) await this.backend.writeAtomically(statements);
  }

  private statementsFor(c: ExecutionCommit, out: Statement[]): void {
    const { db } = this.backend;
    const { tasks: _tasks, workflowDefinition, ...rest } = c.execution;
    const doc = JSON.stringify(rest);
    const wf = c.execution;
    const columns = {
      status: wf.status,
      correlationId: wf.correlationId ?? null,
      updateTime: wf.updateTime ?? 0,
      endTime: wf.endTime || null,
      rev: c.rev + 1,
      wakeAt: c.wakeAt,
      doc,
    };
    if (c.rev === 0) {
      out.push(
        db.insert(workflows).values({
          ...columns,
          workflowId: wf.workflowId,
          workflowName: wf.workflowName ?? workflowDefinition?.name ?? "",
          workflowVersion: wf.workflowVersion ?? workflowDefinition?.version ?? 1,
          parentWorkflowId: wf.parentWorkflowId ?? null,
          createTime: wf.createTime ?? 0,
          definition: JSON.stringify(workflowDefinition ?? {}),
        }),
      );
    } else {
      // The rev guard trigger rejects this update if another writer advanced the row meanwhile.
      out.push(db.update(workflows).set(columns).where(eq(workflows.workflowId, wf.workflowId)));
    }
    for (const task of c.changedTasks) {
      const taskDoc = JSON.stringify(task);
      out.push(
        db
          .insert(tasks)
          .values({ taskId: task.taskId, workflowId: wf.workflowId, seq: task.seq ?? 0, doc: taskDoc })
          .onConflictDoUpdate({ target: tasks.taskId, set: { doc: taskDoc } }),
      );
    }
    for (const e of c.effects) {
      if (e.type === "enqueue") {
        const values = { taskId: e.taskId, queueName: e.queueName, workflowId: e.workflowId, priority: e.priority, visibleAt: e.visibleAt };
        out.push(db.insert(queueMessages).values(values).onConflictDoUpdate({ target: queueMessages.taskId, set: values }));
      } else {
        out.push(db.delete(queueMessages).where(eq(queueMessages.taskId, e.taskId)));
      }
    }
    for (const log of c.logs ?? []) out.push(db.insert(taskLogs).values({ taskId: log.taskId!, log: log.log, createdTime: log.createdTime ?? 0 }));
  }

  async remove(workflowId: string): Promise<boolean> {
    const { db } = this.backend;
    const found = await db.select({ id: workflows.workflowId }).from(workflows).where(eq(workflows.workflowId, workflowId)).get();
    if (!found) return false;
    const taskIds = db.select({ id: tasks.taskId }).from(tasks).where(eq(tasks.workflowId, workflowId));
    await this.backend.writeAtomically([
      db.delete(taskLogs).where(sql`${taskLogs.taskId} in ${taskIds}`),
      db.delete(queueMessages).where(eq(queueMessages.workflowId, workflowId)),
      db.delete(tasks).where(eq(tasks.workflowId, workflowId)),
      db.delete(workflows).where(eq(workflows.workflowId, workflowId)),
    ]);
    return true;
  }

  async workflowIdOfTask(taskId: string): Promise<string | undefined> {
    const row = await this.backend.db.select({ id: tasks.workflowId }).from(tasks).where(eq(tasks.taskId, taskId)).get();
    return row?.id;
  }

  async getTask(taskId: string): Promise<Task | undefined> {
    const row = await this.backend.db.select({ doc: tasks.doc }).from(tasks).where(eq(tasks.taskId, taskId)).get();
    return row ? (JSON.parse(row.doc) as Task) : undefined;
  }

  async findWorkflowIds(q: ExecutionQuery): Promise<string[]> {
    const conditions = [eq(workflows.workflowName, q.workflowName)];
    if (q.version !== undefined) conditions.push(eq(workflows.workflowVersion, q.version));
    if (q.correlationId !== undefined) conditions.push(eq(workflows.correlationId, q.correlationId));
    if (!q.includeClosed) conditions.push(eq(workflows.status, "RUNNING"));
    if (q.startTime !== undefined) conditions.push(gte(workflows.createTime, q.startTime));
    if (q.endTime !== undefined) conditions.push(lte(workflows.createTime, q.endTime));
    const rows = await this.backend.db
      .select({ id: workflows.workflowId })
      .from(workflows)
      .where(and(...conditions))
      .orderBy(desc(workflows.createTime))
      .all();
    return rows.map((r: { id: string }) => r.id);
  }

  async dueWorkflowIds(now: number, limit: number): Promise<string[]> {
    const rows = await this.backend.db
      .select({ id: workflows.workflowId })
      .from(workflows)
      .where(and(isNotNull(workflows.wakeAt), lte(workflows.wakeAt, now)))
      .orderBy(asc(workflows.wakeAt))
      .limit(limit)
      .all();
    return rows.map((r: { id: string }) => r.id);
  }

  async nextWakeAt(): Promise<number | null> {
    const row = await this.backend.db.select({ at: sql<number | null>`min(${workflows.wakeAt})` }).from(workflows).get();
    return row?.at ?? null;
  }

  async addLogs(logs: TaskExecLog[]): Promise<void> {
    if (logs.length === 0) return;
    const { db } = this.backend;
    await this.backend.writeAtomically(logs.map((l) => db.insert(taskLogs).values({ taskId: l.taskId!, log: l.log, createdTime: l.createdTime ?? 0 })));
  }

  async getLogs(taskId: string): Promise<TaskExecLog[]> {
    const rows = await this.backend.db.select().from(taskLogs).where(eq(taskLogs.taskId, taskId)).orderBy(asc(taskLogs.id)).all();
    return rows.map((r: { taskId: string; log: string; createdTime: number }) => ({ taskId: r.taskId, log: r.log, createdTime: r.createdTime }));
  }
}
