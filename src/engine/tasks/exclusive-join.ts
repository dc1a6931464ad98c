/**
 * EXCLUSIVE_JOIN: after a SWITCH, completes with the output of whichever `joinOn` task ran (or,
 * if none did, of a `defaultExclusiveJoinTask`), failing if that task failed.
 */
import { isSuccessfulTaskStatus, isTerminalTaskStatus, type Task } from "../../model/index.ts";
import { latestIn, scopeOf } from "../flow.ts";
import { begin, complete, fail, type TaskHandler, type TaskRun } from "./handler.ts";

function ended(run: TaskRun, refs: readonly string[]): Task | undefined {
  const scope = scopeOf(run.task);
  for (const ref of refs) {
    const t = latestIn(run.draft, ref, scope);
    if (t && isTerminalTaskStatus(t.status) && !t.retried && t.status !== "SKIPPED") return t;
  }
  return undefined;
}

export const exclusiveJoin: TaskHandler = {
  start: (run) => begin(run),
  check(run) {
    const wt = run.task.workflowTask!;
    const found = ended(run, wt.joinOn ?? []) ?? ended(run, wt.defaultExclusiveJoinTask ?? []);
    if (!found) return;
    if (isSuccessfulTaskStatus(found.status)) complete(run, { ...(found.outputData ?? {}) });
    else fail(run, `Task ${found.taskId} (${found.referenceTaskName}) ended ${found.status}`);
  },
};
