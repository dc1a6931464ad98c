/** Executions, their tasks, timers and queue messages in SQL: one decision, one atomic write. */
import { and, asc, desc, eq, gte, inArray, isNotNull, lte, sql } from "drizzle-orm";
import type { Task, TaskExecLog, Workflow } from "../model/index.ts";
import type { ExecutionCommit, ExecutionQuery, ExecutionStore, StoredExecution } from "../ports/stores.ts";
import { chunk, type SqlBackend, type Statement } from "./database.ts";
import { decodeTask, definitionTasksByRef, encodeTask } from "./task-doc.ts";
import { mergeCommits, type NetChanges, type NetExecution } from "./merge-commits.ts";
import { upsertQueueRows } from "./queue-rows.ts";
import { outbox, queueMessages, taskLogs, tasks, workflows } from "./schema.ts";

export class SqlExecutionStore implements ExecutionStore {
  constructor(private readonly backend: SqlBackend) {}

  async load(workflowId: string): Promise<StoredExecution | undefined> {
    const { db } = this.backend;
    const row = await db.select().from(workflows).where(eq(workflows.workflowId, workflowId)).get();
    if (!row) return undefined;
    const taskRows = await db.select({ doc: tasks.doc }).from(tasks).where(eq(tasks.workflowId, workflowId)).orderBy(asc(tasks.seq)).all();
    const execution = JSON.parse(row.doc) as Workflow;
    execution.workflowDefinition = JSON.parse(row.definition);
    const byRef = definitionTasksByRef(execution.workflowDefinition);
    execution.tasks = taskRows.map((r: { doc: string }) => decodeTask(r.doc, byRef));
    return { execution, rev: row.rev };
  }

  async commit(commits: ExecutionCommit[]): Promise<void> {
    const statements = this.statementsFor(mergeCommits(commits));
    if (statements.length > 0) await this.backend.writeAtomically(statements);
  }

  private statementsFor(net: NetChanges): Statement[] {
    const { db, maxParameters } = this.backend;
    const out: Statement[] = [];
    const rows = (columns: number) => Math.max(1, Math.floor(maxParameters / columns));

    const created = net.executions.filter((e) => e.baseRev === 0).map(workflowRow);
    for (const part of chunk(created, rows(13))) out.push(db.insert(workflows).values(part));
    for (const e of net.executions) {
      if (e.baseRev === 0) continue;
      // The rev guard trigger rejects this (and so the whole batch) if another writer moved the row on.
      out.push(db.update(workflows).set(workflowColumns(e)).where(eq(workflows.workflowId, e.execution.workflowId)));
    }

    const byRef = new Map(net.executions.map((e) => [e.execution.workflowId, definitionTasksByRef(e.execution.workflowDefinition)]));
    const taskRows = net.tasks.map(({ workflowId, task }) => ({ taskId: task.taskId, workflowId, seq: task.seq ?? 0, doc: encodeTask(task, byRef.get(workflowId) ?? new Map()) }));
    for (const part of chunk(taskRows, rows(4))) {
      out.push(db.insert(tasks).values(part).onConflictDoUpdate({ target: tasks.taskId, set: { doc: sql`excluded.doc` } }));
    }

    out.push(...upsertQueueRows(this.backend, net.enqueued));
    for (const part of chunk(net.dequeued, maxParameters)) out.push(db.delete(queueMessages).where(inArray(queueMessages.taskId, part)));

    for (const part of chunk(net.removedTaskIds, maxParameters)) out.push(db.delete(tasks).where(inArray(tasks.taskId, part)));
    for (const part of chunk(net.removed, maxParameters)) {
      const taskIds = db.select({ id: tasks.taskId }).from(tasks).where(inArray(tasks.workflowId, part));
      out.push(db.delete(taskLogs).where(inArray(taskLogs.taskId, taskIds)));
      out.push(db.delete(queueMessages).where(inArray(queueMessages.workflowId, part)));
      out.push(db.delete(tasks).where(inArray(tasks.workflowId, part)));
      out.push(db.delete(workflows).where(inArray(workflows.workflowId, part)));
    }

    const outboxRows = net.outbox.map((m) => ({ kind: m.kind, target: m.target, payload: JSON.stringify(m.payload) }));
    for (const part of chunk(outboxRows, rows(3))) out.push(db.insert(outbox).values(part));

    const logRows = net.logs.map((l) => ({ taskId: l.taskId!, log: l.log, createdTime: l.createdTime ?? 0 }));
    for (const part of chunk(logRows, rows(3))) out.push(db.insert(taskLogs).values(part));
    return out;
  }

  async workflowIdOfTask(taskId: string): Promise<string | undefined> {
    const row = await this.backend.db.select({ id: tasks.workflowId }).from(tasks).where(eq(tasks.taskId, taskId)).get();
    return row?.id;
  }

  async getTask(taskId: string): Promise<Task | undefined> {
    const row = await this.backend.db
      .select({ doc: tasks.doc, definition: workflows.definition })
      .from(tasks)
      .innerJoin(workflows, eq(workflows.workflowId, tasks.workflowId))
      .where(eq(tasks.taskId, taskId))
      .get();
    return row ? decodeTask(row.doc, definitionTasksByRef(JSON.parse(row.definition))) : undefined;
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
    const statements = this.statementsFor({ executions: [], tasks: [], enqueued: [], dequeued: [], logs, removed: [], outbox: [], removedTaskIds: [] });
    if (statements.length > 0) await this.backend.writeAtomically(statements);
  }

  async getLogs(taskId: string): Promise<TaskExecLog[]> {
    const rows = await this.backend.db.select().from(taskLogs).where(eq(taskLogs.taskId, taskId)).orderBy(asc(taskLogs.id)).all();
    return rows.map((r: { taskId: string; log: string; createdTime: number }) => ({ taskId: r.taskId, log: r.log, createdTime: r.createdTime }));
  }
}

/** The searchable columns and the document of an execution row. */
function workflowColumns(e: NetExecution) {
  const { tasks: _tasks, workflowDefinition: _definition, ...rest } = e.execution;
  return {
    status: rest.status,
    correlationId: rest.correlationId ?? null,
    updateTime: rest.updateTime ?? 0,
    endTime: rest.endTime || null,
    rev: e.baseRev + 1,
    wakeAt: e.wakeAt,
    doc: JSON.stringify(rest),
  };
}

function workflowRow(e: NetExecution) {
  const wf = e.execution;
  return {
    ...workflowColumns(e),
    workflowId: wf.workflowId,
    workflowName: wf.workflowName ?? wf.workflowDefinition?.name ?? "",
    workflowVersion: wf.workflowVersion ?? wf.workflowDefinition?.version ?? 1,
    parentWorkflowId: wf.parentWorkflowId ?? null,
    createTime: wf.createTime ?? 0,
    definition: JSON.stringify(wf.workflowDefinition ?? {}),
  };
}
