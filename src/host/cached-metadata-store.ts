/**
 * Definitions are read on every workflow start but written rarely. A single-process host is the
 * only writer of its store, so it can keep what it read and forget it on any write.
 */
import type { TaskDef, WorkflowDef } from "../model/index.ts";
import type { MetadataStore } from "../ports/stores.ts";

export class CachedMetadataStore implements MetadataStore {
  private taskDefs = new Map<string, Promise<TaskDef | undefined>>();
  private workflowDefs = new Map<string, Promise<WorkflowDef | undefined>>();

  constructor(private readonly inner: MetadataStore) {}

  private forget(): void {
    this.taskDefs.clear();
    this.workflowDefs.clear();
  }

  getTaskDef(name: string): Promise<TaskDef | undefined> {
    let hit = this.taskDefs.get(name);
    if (!hit) {
      hit = this.inner.getTaskDef(name);
      this.taskDefs.set(name, hit);
      hit.catch(() => this.taskDefs.delete(name));
    }
    return hit;
  }

  getWorkflowDef(name: string, version?: number): Promise<WorkflowDef | undefined> {
    const key = `${name}\u0000${version ?? ""}`;
    let hit = this.workflowDefs.get(key);
    if (!hit) {
      hit = this.inner.getWorkflowDef(name, version);
      this.workflowDefs.set(key, hit);
      hit.catch(() => this.workflowDefs.delete(key));
    }
    return hit;
  }

  async putTaskDefs(defs: TaskDef[], now: number): Promise<void> {
    try {
      await this.inner.putTaskDefs(defs, now);
    } finally {
      this.forget();
    }
  }

  async deleteTaskDef(name: string): Promise<boolean> {
    try {
      return await this.inner.deleteTaskDef(name);
    } finally {
      this.forget();
    }
  }

  async putWorkflowDef(def: WorkflowDef, overwrite: boolean, now: number): Promise<boolean> {
    try {
      return await this.inner.putWorkflowDef(def, overwrite, now);
    } finally {
      this.forget();
    }
  }

  async deleteWorkflowDef(name: string, version: number): Promise<boolean> {
    try {
      return await this.inner.deleteWorkflowDef(name, version);
    } finally {
      this.forget();
    }
  }

  listTaskDefs(): Promise<TaskDef[]> {
    return this.inner.listTaskDefs();
  }

  listWorkflowDefs(): Promise<WorkflowDef[]> {
    return this.inner.listWorkflowDefs();
  }
}
