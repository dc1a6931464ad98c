/**
 * The definition an execution runs on: the registered one (a given version, or the latest) or
 * an inline one, with the registered TaskDef of every task copied in, as Conductor does at
 * start, so that the execution is immune to later edits.
 */
import { NotFound } from "../errors.ts";
import { assertValid, forEachWorkflowTask, type WorkflowDef } from "../model/index.ts";
import type { MetadataStore } from "../ports/stores.ts";
import { workflowDefErrors } from "./metadata-service.ts";

export async function definitionForStart(
  metadata: MetadataStore,
  name: string,
  version: number | undefined,
  inline: WorkflowDef | undefined,
): Promise<WorkflowDef> {
  const def = inline ?? (await metadata.getWorkflowDef(name, version || undefined));
  if (!def) throw new NotFound(`No such workflow defined. name=${name}, version=${version ?? "latest"}`);
  // A registered definition was checked when it was registered; an inline one is checked now.
  if (inline) assertValid(await workflowDefErrors(inline, metadata), "workflowDef");
  return withTaskDefinitions(structuredClone(def), metadata);
}

async function withTaskDefinitions(def: WorkflowDef, metadata: MetadataStore): Promise<WorkflowDef> {
  const pending: Promise<void>[] = [];
  forEachWorkflowTask(def.tasks, (task) => {
    if (task.taskDefinition) return;
    pending.push(
      metadata.getTaskDef(task.name).then((registered) => {
        if (registered) task.taskDefinition = registered;
      }),
    );
  });
  await Promise.all(pending);
  return def;
}
