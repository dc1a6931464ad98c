/** Helpers for the engine's unit tests: a controllable clock, predictable ids, definitions from JSON. */
import * as v from "valibot";
import { TaskDefSchema, WorkflowDefSchema, type TaskDefInput, type WorkflowDef, type WorkflowDefInput } from "../model/index.ts";
import type { DecideContext } from "./context.ts";

export class FakeContext implements DecideContext {
  now = 1_000_000;
  private counter = 0;
  randomValue = 0;

  newId = (): string => `id-${++this.counter}`;
  random = (): number => this.randomValue;

  advance(ms: number): this {
    this.now += ms;
    return this;
  }
}

/** A parsed definition; `taskDefs` are embedded into the tasks with those names, as the host does at start. */
export function workflowDef(input: WorkflowDefInput, taskDefs: TaskDefInput[] = []): WorkflowDef {
  const def = v.parse(WorkflowDefSchema, input);
  const byName = new Map(taskDefs.map((t) => [t.name, v.parse(TaskDefSchema, t)]));
  for (const task of def.tasks) {
    const registered = byName.get(task.name);
    if (registered && !task.taskDefinition) task.taskDefinition = registered;
  }
  return def;
}
