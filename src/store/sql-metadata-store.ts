/** Task and workflow definitions in SQL. */
import { and, desc, eq } from "drizzle-orm";
import type { TaskDef, WorkflowDef } from "../model/index.ts";
import type { MetadataStore } from "../ports/stores.ts";
import type { SqlBackend } from "./database.ts";
import { taskDefs, workflowDefs } from "./schema.ts";

export class SqlMetadataStore implements MetadataStore {
  constructor(private readonly backend: SqlBackend) {}

  async putTaskDefs(defs: TaskDef[], now: number): Promise<void> {
    const { db } = this.backend;
    const statements = defs.map((def) => {
      const stamped = { ...def, updateTime: now, createTime: def.createTime ?? now };
      return db
        .insert(taskDefs)
        .values({ name: def.name, doc: JSON.stringify(stamped), createTime: stamped.createTime, updateTime: now })
        .onConflictDoUpdate({ target: taskDefs.name, set: { doc: JSON.stringify(stamped), updateTime: now } });
    });
    if (statements.length > 0) await this.backend.writeAtomically(statements);
  }

  async getTaskDef(name: string): Promise<TaskDef | undefined> {
    const row = await this.backend.db.select({ doc: taskDefs.doc }).from(taskDefs).where(eq(taskDefs.name, name)).get();
    return row ? (JSON.parse(row.doc) as TaskDef) : undefined;
  }

  async listTaskDefs(): Promise<TaskDef[]> {
    const rows = await this.backend.db.select({ doc: taskDefs.doc }).from(taskDefs).orderBy(taskDefs.name).all();
    return rows.map((r: { doc: string }) => JSON.parse(r.doc) as TaskDef);
  }

  async deleteTaskDef(name: string): Promise<boolean> {
    const deleted = await this.backend.db.delete(taskDefs).where(eq(taskDefs.name, name)).returning({ name: taskDefs.name }).all();
    return deleted.length > 0;
  }

  async putWorkflowDef(def: WorkflowDef, overwrite: boolean, now: number): Promise<boolean> {
    const { db } = this.backend;
    const existing = await this.getWorkflowDef(def.name, def.version);
    if (existing && !overwrite) return false;
    const stamped = { ...def, createTime: existing?.createTime ?? def.createTime ?? now, updateTime: now };
    const doc = JSON.stringify(stamped);
    await db
      .insert(workflowDefs)
      .values({ name: def.name, version: def.version, doc, createTime: stamped.createTime!, updateTime: now })
      .onConflictDoUpdate({ target: [workflowDefs.name, workflowDefs.version], set: { doc, updateTime: now } })
      .run();
    return true;
  }

  async getWorkflowDef(name: string, version?: number): Promise<WorkflowDef | undefined> {
    const { db } = this.backend;
    const where = version === undefined ? eq(workflowDefs.name, name) : and(eq(workflowDefs.name, name), eq(workflowDefs.version, version));
    const row = await db.select({ doc: workflowDefs.doc }).from(workflowDefs).where(where).orderBy(desc(workflowDefs.version)).limit(1).get();
    return row ? (JSON.parse(row.doc) as WorkflowDef) : undefined;
  }

  async listWorkflowDefs(): Promise<WorkflowDef[]> {
    const rows = await this.backend.db.select({ doc: workflowDefs.doc }).from(workflowDefs).orderBy(workflowDefs.name, workflowDefs.version).all();
    return rows.map((r: { doc: string }) => JSON.parse(r.doc) as WorkflowDef);
  }

  async deleteWorkflowDef(name: string, version: number): Promise<boolean> {
    const deleted = await this.backend.db
      .delete(workflowDefs)
      .where(and(eq(workflowDefs.name, name), eq(workflowDefs.version, version)))
      .returning({ name: workflowDefs.name })
      .all();
    return deleted.length > 0;
  }
}
