/**
 * The task types the engine runs, by workflow-task type. Worker tasks (SIMPLE and any type that
 * is not a system type) go to `worker`; a system type missing here is refused at registration
 * rather than queued for a worker that will never come.
 */
import { isWorkerTaskType } from "../../model/index.ts";
import { doWhile } from "./do-while.ts";
import { dynamic } from "./dynamic.ts";
import { event } from "./event.ts";
import { exclusiveJoin } from "./exclusive-join.ts";
import { forkJoinDynamic } from "./fork-join-dynamic.ts";
import { forkJoin } from "./fork-join.ts";
import type { TaskHandler } from "./handler.ts";
import { http } from "./http.ts";
import { human } from "./human.ts";
import { inline, lambda } from "./inline.ts";
import { join } from "./join.ts";
import { jsonJqTransform } from "./json-jq-transform.ts";
import { noop } from "./noop.ts";
import { setVariable } from "./set-variable.ts";
import { startWorkflow } from "./start-workflow.ts";
import { subWorkflow } from "./sub-workflow.ts";
import { switchTask } from "./switch.ts";
import { terminate } from "./terminate.ts";
import { wait } from "./wait.ts";
import { worker } from "./worker.ts";

const SYSTEM_HANDLERS: Record<string, TaskHandler> = {
  SWITCH: switchTask,
  DECISION: switchTask,
  FORK_JOIN: forkJoin,
  FORK_JOIN_DYNAMIC: forkJoinDynamic,
  JOIN: join,
  EXCLUSIVE_JOIN: exclusiveJoin,
  DO_WHILE: doWhile,
  DYNAMIC: dynamic,
  INLINE: inline,
  LAMBDA: lambda,
  JSON_JQ_TRANSFORM: jsonJqTransform,
  NOOP: noop,
  SET_VARIABLE: setVariable,
  TERMINATE: terminate,
  WAIT: wait,
  HUMAN: human,
  HTTP: http,
  EVENT: event,
  SUB_WORKFLOW: subWorkflow,
  START_WORKFLOW: startWorkflow,
};

export function handlerFor(type: string): TaskHandler {
  return SYSTEM_HANDLERS[type] ?? (isWorkerTaskType(type) ? worker : unsupported(type));
}

export function isRunnableSystemTaskType(type: string): boolean {
  return Object.hasOwn(SYSTEM_HANDLERS, type);
}

function unsupported(type: string): never {
  throw new Error(`task type ${type} cannot run on this server`);
}
