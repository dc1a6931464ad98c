/**
 * EVENT: publishes the task's input (plus the workflow's identity) to `sink`. Baton has no event
 * bus yet, so the event is recorded in the task's output (`event_produced` names where it would
 * go, as Conductor names it) and the task completes — or stays IN_PROGRESS with `asyncComplete`.
 */
import { begin, complete, fail, type TaskHandler } from "./handler.ts";

/** Conductor's sink naming: `conductor` alone means this workflow's own queue for this task. */
export function eventName(sink: string, workflowName: string, ref: string): string {
  if (sink === "conductor") return `conductor:${workflowName}:${ref}`;
  if (sink.startsWith("conductor:")) return `conductor:${workflowName}:${sink.slice("conductor:".length)}`;
  return sink;
}

export const event: TaskHandler = {
  start(run) {
    const { draft, task } = run;
    const wt = task.workflowTask!;
    const sink = wt.sink ?? (typeof task.inputData?.sink === "string" ? task.inputData.sink : undefined);
    if (!sink) {
      fail(run, "An EVENT task needs a sink", { terminal: true });
      return;
    }
    const execution = draft.execution;
    const payload = {
      ...(task.inputData ?? {}),
      workflowInstanceId: execution.workflowId,
      workflowType: execution.workflowName,
      workflowVersion: execution.workflowVersion,
      correlationId: execution.correlationId,
      taskToDomain: execution.taskToDomain,
    };
    const output = { ...payload, event_produced: eventName(sink, execution.workflowName ?? "", task.referenceTaskName) };
    if (wt.asyncComplete) {
      task.outputData = output;
      begin(run);
    } else complete(run, output);
  },
};
