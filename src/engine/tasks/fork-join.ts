/**
 * FORK_JOIN (task type "FORK"): completes at once and starts every branch; the JOIN that must
 * follow it in the definition is scheduled with the branches and waits for them.
 */
import { nextInDefinition } from "../flow.ts";
import { complete, type TaskHandler } from "./handler.ts";

export const forkJoin: TaskHandler = {
  start: (run) => complete(run, {}),
  successors(run) {
    const wt = run.task.workflowTask!;
    const heads = (wt.forkTasks ?? []).filter((branch) => branch.length > 0).map((branch) => branch[0]);
    const join = nextInDefinition(run.draft, run.task);
    return join ? [...heads, join] : heads;
  },
};
