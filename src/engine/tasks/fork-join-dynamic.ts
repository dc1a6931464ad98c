/**
 * FORK_JOIN_DYNAMIC (task type "FORK"): forks into branches decided at run time, each a single
 * task, and the JOIN that follows it in the definition waits for exactly those. The branches
 * come from the input, in one of two forms:
 * - `dynamicForkTasksParam` names an input holding a list of workflow tasks, and
 *   `dynamicForkTasksInputParamName` one holding each branch's input by reference name;
 * - `forkTaskName` (and `forkTaskType`, default SIMPLE) with `forkTaskInputs`, a list: one
 *   branch per element, named `_{forkTaskName}_{index}`;
 * - the older `dynamicForkJoinTasksParam`, naming an input holding `{ dynamicTasks: [{ taskName,
 *   referenceName, type, input, workflowName }] }` (`workflowName` makes a SUB_WORKFLOW branch).
 */
import * as v from "valibot";
import { WorkflowTaskSchema, type WorkflowTask } from "../../model/index.ts";
import { nextInDefinition } from "../flow.ts";
import { complete, fail, type TaskHandler, type TaskRun } from "./handler.ts";
import { asRecord } from "./input.ts";

interface Branch {
  task: WorkflowTask;
  input: Record<string, unknown>;
}


function branches(run: TaskRun): Branch[] {
  const wt = run.task.workflowTask!;
  const input = run.task.inputData ?? {};
  if (input.forkTaskInputs !== undefined) {
    const inputs = input.forkTaskInputs;
    if (!Array.isArray(inputs)) throw new Error("forkTaskInputs must be a list");
    const name = String(input.forkTaskName ?? "");
    if (!name) throw new Error("forkTaskName is required with forkTaskInputs");
    const type = typeof input.forkTaskType === "string" ? input.forkTaskType : "SIMPLE";
    return inputs.map((item, i) => ({
      task: v.parse(WorkflowTaskSchema, { name, taskReferenceName: `_${name}_${i}`, type }),
      input: { ...asRecord(item), __index: i },
    }));
  }
  if (wt.dynamicForkJoinTasksParam) {
    const dynamicTasks = asRecord(input[wt.dynamicForkJoinTasksParam]).dynamicTasks;
    if (!Array.isArray(dynamicTasks)) throw new Error(`Input '${wt.dynamicForkJoinTasksParam}' must hold { dynamicTasks: [...] }`);
    return dynamicTasks.map((raw, i) => {
      const d = asRecord(raw);
      const spec = {
        name: String(d.taskName ?? d.workflowName ?? ""),
        taskReferenceName: String(d.referenceName ?? ""),
        type: typeof d.type === "string" ? d.type : d.workflowName ? "SUB_WORKFLOW" : "SIMPLE",
        subWorkflowParam: d.workflowName ? { name: String(d.workflowName) } : undefined,
      };
      const parsed = v.safeParse(WorkflowTaskSchema, spec);
      if (!parsed.success) throw new Error(`Dynamic task ${i} is not valid: ${parsed.issues[0].message}`);
      return { task: parsed.output, input: asRecord(d.input) };
    });
  }
  const listed = input[wt.dynamicForkTasksParam ?? ""];
  if (!Array.isArray(listed)) throw new Error(`Input '${wt.dynamicForkTasksParam}' must be a list of tasks, got ${JSON.stringify(listed)}`);
  const inputs = asRecord(input[wt.dynamicForkTasksInputParamName ?? ""]);
  return listed.map((raw, i) => {
    const parsed = v.safeParse(WorkflowTaskSchema, raw);
    if (!parsed.success) throw new Error(`Dynamic fork task ${i} is not a valid workflow task: ${parsed.issues[0].message}`);
    return { task: parsed.output, input: asRecord(inputs[parsed.output.taskReferenceName]) };
  });
}

export const forkJoinDynamic: TaskHandler = {
  start(run) {
    let forked: Branch[];
    try {
      forked = branches(run);
    } catch (error) {
      fail(run, (error as Error).message, { terminal: true });
      return;
    }
    const join = nextInDefinition(run.draft, run.task);
    run.task.inputData = { ...run.task.inputData, forkedTasks: forked.map((b) => b.task.taskReferenceName), forkedTaskDefs: forked.map((b) => b.task) };
    complete(run, {});
    for (const b of forked) run.schedule({ ...b.task, inputParameters: b.input }, { input: b.input });
    if (join) run.schedule(join, { input: { joinOn: forked.map((b) => b.task.taskReferenceName) } });
  },
  // The branches and the JOIN were scheduled by `start`, with what only it knew.
  successors: () => [],
};
