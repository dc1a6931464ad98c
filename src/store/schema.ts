/**
 * The one SQLite schema of Baton, shared by libSQL (Bun), D1 and Durable Object storage.
 * Documents are stored as JSON text in the Conductor wire shape; the columns beside them
 * exist only to be searched, ordered or guarded.
 */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const taskDefs = sqliteTable("task_defs", {
  name: text("name").primaryKey(),
  doc: text("doc").notNull(),
  createTime: integer("create_time").notNull(),
  updateTime: integer("update_time").notNull(),
});

export const workflowDefs = sqliteTable(
  "workflow_defs",
  {
    name: text("name").notNull(),
    version: integer("version").notNull(),
    doc: text("doc").notNull(),
    createTime: integer("create_time").notNull(),
    updateTime: integer("update_time").notNull(),
  },
  (t) => [primaryKey({ columns: [t.name, t.version] })],
);

/**
 * One row per workflow execution. `rev` is the optimistic-concurrency guard (a trigger in the
 * migration rejects any update that does not advance it by exactly one) and `wake_at` is the
 * execution's timer: the earliest moment the decider must look at it again.
 */
export const workflows = sqliteTable(
  "workflows",
  {
    workflowId: text("workflow_id").primaryKey(),
    workflowName: text("workflow_name").notNull(),
    workflowVersion: integer("workflow_version").notNull(),
    status: text("status").notNull(),
    correlationId: text("correlation_id"),
    parentWorkflowId: text("parent_workflow_id"),
    createTime: integer("create_time").notNull(),
    updateTime: integer("update_time").notNull(),
    endTime: integer("end_time"),
    rev: integer("rev").notNull(),
    wakeAt: integer("wake_at"),
    /** The execution without its tasks and definition. */
    doc: text("doc").notNull(),
    /** The definition the execution runs on, written once (definitions are immutable per run). */
    definition: text("definition").notNull(),
  },
  (t) => [
    index("workflows_name_status").on(t.workflowName, t.status, t.createTime),
    index("workflows_correlation").on(t.workflowName, t.correlationId),
    index("workflows_wake_at").on(t.wakeAt),
  ],
);

export const tasks = sqliteTable(
  "tasks",
  {
    taskId: text("task_id").primaryKey(),
    workflowId: text("workflow_id").notNull(),
    seq: integer("seq").notNull(),
    doc: text("doc").notNull(),
  },
  (t) => [index("tasks_workflow").on(t.workflowId, t.seq)],
);

/**
 * Pending worker tasks. Order of delivery: higher priority first, then first in first out
 * (by `id`). A message whose `visible_at` lies ahead is delayed (startDelay, retry delay,
 * callbackAfterSeconds).
 */
export const queueMessages = sqliteTable(
  "queue_messages",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    taskId: text("task_id").notNull().unique(),
    queueName: text("queue_name").notNull(),
    workflowId: text("workflow_id").notNull(),
    priority: integer("priority").notNull().default(0),
    visibleAt: integer("visible_at").notNull(),
  },
  (t) => [
    index("queue_messages_poll").on(t.queueName, t.priority, t.id),
    index("queue_messages_visible").on(t.visibleAt),
  ],
);

export const taskLogs = sqliteTable(
  "task_logs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    taskId: text("task_id").notNull(),
    log: text("log").notNull(),
    createdTime: integer("created_time").notNull(),
  },
  (t) => [index("task_logs_task").on(t.taskId, t.id)],
);

export const pollData = sqliteTable(
  "poll_data",
  {
    queueName: text("queue_name").notNull(),
    domain: text("domain").notNull().default(""),
    workerId: text("worker_id").notNull(),
    lastPollTime: integer("last_poll_time").notNull(),
  },
  (t) => [primaryKey({ columns: [t.queueName, t.domain] })],
);


/**
 * Effects of a decision on other objects (a task queue, the search index, another workflow),
 * written in the deciding transaction and delivered after commit until acknowledged. Used where
 * those live elsewhere (the Workers build); the single-process host writes its queues directly.
 */
export const outbox = sqliteTable("outbox", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  kind: text("kind").notNull(),
  target: text("target").notNull(),
  payload: text("payload").notNull(),
  attempts: integer("attempts").notNull().default(0),
  nextAttemptAt: integer("next_attempt_at").notNull().default(0),
});

/**
 * The search index of executions kept where executions are spread over many databases (D1 in
 * the Workers build): one summary row per workflow, advanced only by newer revisions.
 */
export const workflowSummaries = sqliteTable(
  "workflow_summaries",
  {
    workflowId: text("workflow_id").primaryKey(),
    workflowName: text("workflow_name").notNull(),
    workflowVersion: integer("workflow_version").notNull(),
    status: text("status").notNull(),
    correlationId: text("correlation_id"),
    parentWorkflowId: text("parent_workflow_id"),
    createTime: integer("create_time").notNull(),
    updateTime: integer("update_time").notNull(),
    endTime: integer("end_time"),
    rev: integer("rev").notNull(),
    summary: text("summary").notNull(),
  },
  (t) => [
    index("workflow_summaries_name_status").on(t.workflowName, t.status, t.createTime),
    index("workflow_summaries_correlation").on(t.workflowName, t.correlationId),
  ],
);
