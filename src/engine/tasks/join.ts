/**
 * JOIN: waits until every task of `joinOn` has ended, then completes with their outputs keyed by
 * reference name. An optional task that failed makes it COMPLETED_WITH_ERRORS; a permissive one
 * that failed makes it FAILED (the flow waited for all branches first, as Conductor does).
 */
import { isSuccessfulTaskStatus, isTerminalTaskStatus } from "../../model/index.ts";
import { latestIn, scopeOf } from "../flow.ts";
import { begin, complete, fail, type TaskHandler } from "./handler.ts";


export const join: TaskHandler = {
  start: (run) => begin(run),
  check(run) {
    // After a dynamic fork the branches are only known at run time: the fork gives them as input.
    const given = run.task.inputData?.joinOn;
    const joinOn = Array.isArray(given) ? (given as string[]) : (run.task.workflowTask?.joinOn ?? []);
    const scope = scopeOf(run.task);
    const joined = joinOn.map((ref) => [ref, latestIn(run.draft, ref, scope)] as const);
    if (joined.some(([, t]) => !t || !isTerminalTaskStatus(t.status) || (t.retried ?? false))) return;
    const output: Record<string, unknown> = {};
    for (const [ref, t] of joined) if (t && Object.keys(t.outputData ?? {}).length > 0) output[ref] = t.outputData;
    const failed = joined.find(([, t]) => t && !isSuccessfulTaskStatus(t.status) && !t.workflowTask?.optional);
    if (failed) {
      fail(run, `Join failed: task ${failed[1]!.taskId} (${failed[0]}) ended ${failed[1]!.status}`, { output });
      return;
    }
    const withErrors = joined.some(([, t]) => t?.status === "COMPLETED_WITH_ERRORS");
    complete(run, output, withErrors ? "COMPLETED_WITH_ERRORS" : "COMPLETED");
  },
};
