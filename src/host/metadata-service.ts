/** Registering and reading definitions: validation first, then the store. Shared by every build. */
import { isRunnableSystemTaskType } from "../engine/tasks/index.ts";
import { Conflict, InvalidInput, NotFound, type ValidationError } from "../errors.ts";
import { assertValid, forEachWorkflowTask, validateTaskDef, validateWorkflowDef, type BulkResponse, type TaskDef, type WorkflowDef } from "../model/index.ts";
import type { MetadataService } from "../ports/services.ts";
import type { MetadataStore } from "../ports/stores.ts";

/** Everything that keeps a definition from being registered or run. */
export async function workflowDefErrors(def: WorkflowDef, store: MetadataStore): Promise<ValidationError[]> {
  const registered = new Map<string, TaskDef | undefined>();
  const names = new Set<string>();
  forEachWorkflowTask(def.tasks, (t) => names.add(t.name));
  await Promise.all([...names].map(async (n) => registered.set(n, await store.getTaskDef(n))));
  return validateWorkflowDef(def, { taskDef: (n) => registered.get(n), systemTaskRunnable: isRunnableSystemTaskType });
}

export class StoreMetadataService implements MetadataService {
  constructor(private readonly store: MetadataStore, private readonly now: () => number = Date.now) {}

  async registerTaskDefs(defs: TaskDef[]): Promise<void> {
    if (defs.length === 0) throw new InvalidInput("TaskDef list must not be empty", [{ path: "", message: "must contain at least one TaskDef", invalidValue: [] }]);
    assertValid(defs.flatMap((d, i) => validateTaskDef(d, `[${i}]`)), "TaskDef");
    await this.store.putTaskDefs(defs, this.now());
  }

  async updateTaskDef(def: TaskDef): Promise<void> {
    assertValid(validateTaskDef(def), "TaskDef");
    await this.store.putTaskDefs([def], this.now());
  }

  async getTaskDef(name: string): Promise<TaskDef> {
    const def = await this.store.getTaskDef(name);
    if (!def) throw new NotFound(`No such taskType found by name: ${name}`);
    return def;
  }

  listTaskDefs(): Promise<TaskDef[]> {
    return this.store.listTaskDefs();
  }

  async deleteTaskDef(name: string): Promise<void> {
    if (!(await this.store.deleteTaskDef(name))) throw new NotFound(`No such taskType found by name: ${name}`);
  }

  async validateWorkflowDef(def: WorkflowDef): Promise<void> {
    assertValid(await workflowDefErrors(def, this.store), "WorkflowDef");
  }

  async registerWorkflowDef(def: WorkflowDef, overwrite: boolean): Promise<void> {
    await this.validateWorkflowDef(def);
    if (!(await this.store.putWorkflowDef(def, overwrite, this.now()))) {
      throw new Conflict(`Workflow with ${def.name}.${def.version} already exists!`);
    }
  }

  async upsertWorkflowDefs(defs: WorkflowDef[]): Promise<BulkResponse> {
    const response: BulkResponse = { bulkSuccessfulResults: [], bulkErrorResults: {}, message: "Bulk Request has been processed." };
    for (const def of defs) {
      try {
        await this.registerWorkflowDef(def, true);
        response.bulkSuccessfulResults.push(def.name);
      } catch (e) {
        response.bulkErrorResults[def.name] = e instanceof Error ? e.message : String(e);
      }
    }
    return response;
  }

  async getWorkflowDef(name: string, version?: number): Promise<WorkflowDef> {
    const def = await this.store.getWorkflowDef(name, version);
    if (!def) throw new NotFound(`No such workflow found by name: ${name}, version: ${version ?? "latest"}`);
    return def;
  }

  listWorkflowDefs(): Promise<WorkflowDef[]> {
    return this.store.listWorkflowDefs();
  }

  async deleteWorkflowDef(name: string, version: number): Promise<void> {
    if (!(await this.store.deleteWorkflowDef(name, version))) throw new NotFound(`No such workflow definition: ${name} version: ${version}`);
  }
}
