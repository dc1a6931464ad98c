/**
 * DYNAMIC: runs the worker task whose name is in the input key `dynamicTaskNameParam`. The task
 * becomes that worker task (its type is the resolved name) and is queued like any other.
 */
import { fail, type TaskHandler } from "./handler.ts";
import { worker } from "./worker.ts";

export const dynamic: TaskHandler = {
  start(run, delayMs) {
    const { task } = run;
    const wt = task.workflowTask!;
    const name = task.inputData?.[wt.dynamicTaskNameParam ?? ""];
    if (typeof name !== "string" || name.trim() === "") {
      fail(run, `Cannot map a dynamic task based on the parameter and input. Parameter= ${wt.dynamicTaskNameParam}, input= ${JSON.stringify(task.inputData)}`, { terminal: true });
      return;
    }
    // A retry re-schedules from this workflow task, so it is the worker task's from now on.
    task.workflowTask = { ...wt, name, type: "SIMPLE" };
    task.taskType = name;
    task.taskDefName = name;
    worker.start(run, delayMs);
  },
};
