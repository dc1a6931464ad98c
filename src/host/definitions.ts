/**
 * The definition an execution runs on: the registered one (a given version, or the latest) or
 * an inline one, with the registered TaskDef of every task copied in, as Conductor does at
 * start, so that the execution is immune to later edits.
 */
import { NotFound } from "../errors.ts";
import { assertValid, forEachWorkflowTask, type WorkflowDef, type WorkflowTask } from "../model/index.ts";
import type { MetadataStore } from "../ports/stores.ts";
import { workflowDefErrors } from "./metadata-service.ts";

export async function definitionForStart(
  metadata: MetadataStore,
  name: string,
  version: number | undefined,
  inline: WorkflowDef | undefined,
): Promise<WorkflowDef> {
  if (inline) {
    // A registered definition was checked when it was registered; an inline one is checked now.
    assertValid(await workflowDefErrors(inline, metadata), "workflowDef");
    return withTaskDefinitions(structuredClone(inline), metadata);
  }
  const def = await metadata.getWorkflowDef(name, version || undefined);
  if (!def) throw new NotFound(`No such workflow defined. name=${name}, version=${version ?? "latest"}`);
  // The engine never changes a definition, so executions of one may share it. A caching store
  // hands out the same object until a definition changes, so this is prepared once per change.
  let prepared = prepareds.get(def);
  if (!prepared) {
    prepared = withTaskDefinitions(structuredClone(def), metadata);
    prepareds.set(def, prepared);
    prepared.catch(() => prepareds.delete(def));
  }
  return prepared;
}

const prepareds = new WeakMap<WorkflowDef, Promise<WorkflowDef>>();

async function withTaskDefinitions(def: WorkflowDef, metadata: MetadataStore): Promise<WorkflowDef> {
  const needing: WorkflowTask[] = [];
  forEachWorkflowTask(def.tasks, (task) => {
    if (!task.taskDefinition) needing.push(task);
  });
  // One read per task name, however many steps use it.
  const names = [...new Set(needing.map((t) => t.name))];
  const found = new Map(await Promise.all(names.map(async (n) => [n, await metadata.getTaskDef(n)] as const)));
  for (const task of needing) {
    const registered = found.get(task.name);
    if (registered) task.taskDefinition = registered;
  }
  return def;
}
