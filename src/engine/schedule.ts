/**
 * Turning a workflow task into an execution task: ids, sequence, resolved input, domain, and the
 * hand-off to the module of its type.
 */
import { isWorkerTaskType, type Task, type WorkflowTask } from "../model/index.ts";
import type { Draft } from "./draft.ts";
import { expressionDocument } from "./expression-document.ts";
import { resolveParameters } from "./expressions.ts";
import { scopeOf, TOP_SCOPE, type Scope } from "./flow.ts";
import { effectiveTaskDef } from "./task-def.ts";
import type { TaskRun } from "./tasks/handler.ts";
import { handlerFor } from "./tasks/index.ts";

export interface ScheduleOptions {
  /** The failed attempt this task retries. */
  retryOf?: Task;
  /** Extra delay before the task may run (a retry's backoff). */
  delayMs?: number;
  /** The loop iteration it runs in (see flow.ts); outside loops by default. */
  scope?: Scope;
  /** Input given as data (a dynamic fork's branch input), used as is instead of resolving `inputParameters`. */
  input?: Record<string, unknown>;
}

/** A task handed to its type's handler, able to schedule further tasks in its own iteration. */
export function runFor(draft: Draft, task: Task): TaskRun {
  return { draft, task, schedule: (wt, opts) => scheduleTask(draft, wt, { scope: opts?.scope ?? scopeOf(task), input: opts?.input }) };
}

const NO_DOMAIN = "NO_DOMAIN";

function domainFor(draft: Draft, taskType: string): string | undefined {
  const map = draft.execution.taskToDomain;
  if (!map) return undefined;
  const spec = map[taskType] ?? map["*"];
  if (!spec) return undefined;
  const domains = spec.split(",").map((d) => d.trim()).filter(Boolean);
  if (domains.length === 0) return undefined;
  const chosen = draft.ctx.activeDomain?.(taskType, domains) ?? domains[0];
  return chosen === NO_DOMAIN ? undefined : chosen;
}

function resolveInput(draft: Draft, wt: WorkflowTask, taskId: string): Record<string, unknown> {
  const input = resolveParameters(wt.inputParameters ?? {}, expressionDocument(draft.execution), { taskId });
  const template = effectiveTaskDef(wt).inputTemplate ?? {};
  for (const [key, value] of Object.entries(template)) {
    if (input[key] === undefined || input[key] === null) input[key] = value;
  }
  return input;
}

function nextSeq(draft: Draft): number {
  const tasks = draft.execution.tasks;
  return tasks.length === 0 ? 1 : (tasks[tasks.length - 1].seq ?? tasks.length) + 1;
}

/** Creates and schedules the task for `wt`; returns it. */
export function scheduleTask(draft: Draft, wt: WorkflowTask, opts: ScheduleOptions = {}): Task {
  const { execution, now } = draft;
  const def = effectiveTaskDef(wt);
  const worker = isWorkerTaskType(wt.type);
  const taskType = worker ? wt.name : wt.type === "FORK_JOIN" || wt.type === "FORK_JOIN_DYNAMIC" ? "FORK" : wt.type;
  const taskId = draft.ctx.newId();
  const delayMs = (opts.delayMs ?? 0) + (wt.startDelay ?? 0) * 1000;
  const scope = opts.scope ?? (opts.retryOf ? scopeOf(opts.retryOf) : TOP_SCOPE);
  const task: Task = {
    taskType,
    status: "SCHEDULED",
    inputData: opts.input ?? resolveInput(draft, wt, taskId),
    outputData: {},
    referenceTaskName: wt.taskReferenceName + scope.suffix,
    retryCount: opts.retryOf ? (opts.retryOf.retryCount ?? 0) + 1 : 0,
    seq: nextSeq(draft),
    pollCount: 0,
    correlationId: execution.correlationId,
    taskDefName: wt.name,
    scheduledTime: now,
    startTime: 0,
    endTime: 0,
    updateTime: now,
    startDelayInSeconds: wt.startDelay ?? 0,
    retriedTaskId: opts.retryOf?.taskId,
    retried: false,
    executed: false,
    callbackFromWorker: true,
    responseTimeoutSeconds: def.responseTimeoutSeconds,
    workflowInstanceId: execution.workflowId,
    workflowType: execution.workflowName,
    workflowPriority: execution.priority ?? 0,
    taskId,
    callbackAfterSeconds: Math.ceil(delayMs / 1000),
    workflowTask: wt,
    domain: worker ? domainFor(draft, taskType) : undefined,
    rateLimitPerFrequency: def.rateLimitPerFrequency ?? 0,
    rateLimitFrequencyInSeconds: def.rateLimitFrequencyInSeconds ?? 1,
    iteration: scope.iteration,
  };
  draft.addTask(task);
  handlerFor(wt.type).start(runFor(draft, task), delayMs);
  return task;
}
