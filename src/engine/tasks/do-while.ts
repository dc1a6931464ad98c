/**
 * DO_WHILE: runs its `loopOver` tasks, then evaluates `loopCondition` (JavaScript) and goes round
 * again while it is true; the body always runs at least once. Body tasks are named `ref__N` in
 * iteration N. The loop's output holds `iteration` and, per iteration, the body tasks' outputs;
 * the condition sees the loop's input, `$[loopRef]` (its output) and `$[bodyRef]` (each body
 * task's latest output).
 */
import { isTerminalTaskStatus, type Task } from "../../model/index.ts";
import { refsWithin } from "../definition-tree.ts";
import { baseReferenceName } from "../expression-document.ts";
import { iterationScope } from "../flow.ts";
import { begin, complete, fail, type TaskHandler, type TaskRun } from "./handler.ts";
import { evaluateScript } from "./script.ts";

/** The tasks of one iteration, including those of loops nested in it. */
function bodyTasks(run: TaskRun, iteration: number): Task[] {
  const refs = refsWithin(run.task.workflowTask!.loopOver ?? []);
  const { suffix } = iterationScope(run.task, iteration);
  return run.draft.execution.tasks.filter((t) => {
    const base = baseReferenceName(t.referenceTaskName);
    const rest = t.referenceTaskName.slice(base.length);
    return refs.has(base) && (rest === suffix || rest.startsWith(`${suffix}__`));
  });
}

function startIteration(run: TaskRun, iteration: number): void {
  const head = run.task.workflowTask!.loopOver?.[0];
  run.task.outputData = { ...run.task.outputData, iteration };
  run.draft.touch(run.task);
  if (head) run.schedule(head, { scope: iterationScope(run.task, iteration) });
}

export const doWhile: TaskHandler = {
  start(run) {
    begin(run);
    startIteration(run, 1);
  },
  check(run) {
    const { task } = run;
    const iteration = Number(task.outputData?.iteration ?? 1);
    const body = bodyTasks(run, iteration);
    // The iteration is over when everything it started has ended and been acted on.
    if (body.length === 0 || body.some((t) => !isTerminalTaskStatus(t.status) || !t.executed)) return;
    const outputs: Record<string, unknown> = {};
    // Tasks are in order, so each body task's latest attempt (and innermost iteration) wins.
    for (const t of body) outputs[baseReferenceName(t.referenceTaskName)] = t.outputData ?? {};
    task.outputData = { ...task.outputData, iteration, [String(iteration)]: outputs };
    const loopRef = baseReferenceName(task.referenceTaskName);
    let again: unknown;
    try {
      again = evaluateScript(run, task.workflowTask!.loopCondition ?? "false", { ...task.inputData, ...outputs, [loopRef]: task.outputData });
    } catch (error) {
      fail(run, `Unable to evaluate the loop condition: ${(error as Error).message}`, { terminal: true, output: task.outputData });
      return;
    }
    if (again === true || again === "true") startIteration(run, iteration + 1);
    else complete(run, task.outputData);
  },
};
