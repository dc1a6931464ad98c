/** Helpers for the engine's unit tests: a controllable clock, predictable ids, definitions from JSON. */
import * as v from "valibot";
import { TaskDefSchema, WorkflowDefSchema, type Task, type TaskDefInput, type Workflow, type WorkflowDef, type WorkflowDefInput, type WorkflowTaskInput } from "../model/index.ts";
import { claimTask } from "./claim-task.ts";
import type { DecideContext, Decision } from "./context.ts";
import type { Jq } from "../ports/jq.ts";
import type { ScriptSandbox } from "../ports/sandbox.ts";
import { startExecution } from "./start.ts";
import { applyTaskResult } from "./update-task.ts";

export class FakeContext implements DecideContext {
  now = 1_000_000;
  sandbox?: ScriptSandbox;
  jq?: Jq;
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

/** Starts workflow "flow" of these tasks with this input. */
export function run(tasks: WorkflowTaskInput[], input: Record<string, unknown> = {}, ctx = new FakeContext(), extra: Partial<WorkflowDefInput> = {}) {
  const def = workflowDef({ name: "flow", tasks, ...extra });
  const decision = startExecution({ workflowId: "wf", definition: def, input }, ctx);
  return { ctx, execution: decision.execution, decision };
}

/** The latest task of a reference name. */
export function byRef(execution: Workflow, ref: string): Task {
  const found = [...execution.tasks].reverse().find((t) => t.referenceTaskName === ref);
  if (!found) throw new Error(`no task ${ref} in ${execution.tasks.map((t) => t.referenceTaskName)}`);
  return found;
}

/** A worker polls the task of that reference name and reports it done (or failed). */
export function finishWorker(ctx: FakeContext, execution: Workflow, ref: string, output: Record<string, unknown> = {}, status: "COMPLETED" | "FAILED" = "COMPLETED"): Decision {
  const task = byRef(execution, ref);
  claimTask(execution, task.taskId, "w", ctx);
  const out = applyTaskResult(execution, task, { workflowInstanceId: execution.workflowId, taskId: task.taskId, status, outputData: output, callbackAfterSeconds: 0, logs: [], extendLease: false }, ctx);
  if (out.kind !== "applied") throw new Error(`the update of ${ref} was ignored`);
  return out.decision;
}

/** `ref:STATUS` of every task, in order. */
export const refs = (execution: Workflow): string[] => execution.tasks.map((t) => `${t.referenceTaskName}:${t.status}`);
