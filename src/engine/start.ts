/** A new execution of a definition, with its first task scheduled. */
import type { Workflow, WorkflowDef } from "../model/index.ts";
import type { DecideContext, Decision } from "./context.ts";
import { decide } from "./decide.ts";
import { Draft } from "./draft.ts";
import { scheduleTask } from "./schedule.ts";

export interface StartParams {
  workflowId: string;
  /** The definition to run, its tasks' TaskDefs already filled in by the host. */
  definition: WorkflowDef;
  input?: Record<string, unknown>;
  correlationId?: string;
  priority?: number;
  taskToDomain?: Record<string, string>;
  parentWorkflowId?: string;
  parentWorkflowTaskId?: string;
  createdBy?: string;
  idempotencyKey?: string;
}

export function startExecution(params: StartParams, ctx: DecideContext): Decision {
  const { definition: def, now } = { definition: params.definition, now: ctx.now };
  const input: Record<string, unknown> = { ...(def.inputTemplate ?? {}), ...(params.input ?? {}) };
  const execution: Workflow = {
    workflowId: params.workflowId,
    workflowName: def.name,
    workflowVersion: def.version,
    status: "RUNNING",
    input,
    output: {},
    correlationId: params.correlationId,
    priority: params.priority ?? 0,
    taskToDomain: params.taskToDomain ?? {},
    variables: structuredClone(def.variables ?? {}),
    parentWorkflowId: params.parentWorkflowId,
    parentWorkflowTaskId: params.parentWorkflowTaskId,
    createdBy: params.createdBy,
    idempotencyKey: params.idempotencyKey,
    createTime: now,
    startTime: now,
    updateTime: now,
    endTime: 0,
    lastRetriedTime: 0,
    failedReferenceTaskNames: [],
    failedTaskNames: [],
    tasks: [],
    workflowDefinition: def,
  };
  const draft = new Draft(execution, ctx);
  draft.touchWorkflow();
  const first = def.tasks[0];
  if (first) scheduleTask(draft, first);
  decide(draft);
  return draft.finish();
}
