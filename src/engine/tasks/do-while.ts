/**
 * DO_WHILE: runs its `loopOver` tasks, then evaluates `loopCondition` (JavaScript) and goes round
 * again while it is true; the body always runs at least once. Body tasks are named `ref__N` in
 * iteration N. The loop's output holds `iteration` and, per iteration, the body tasks' outputs;
 * the condition sees the loop's input, `$[loopRef]` (its output) and `$[bodyRef]` (each body
 * task's latest output).
 *
 * Over a list (`items`, an expression, or an `_items` input): one iteration per element, with
 * `loopItem` and `loopIndex` (from 0) in the loop's output and the condition's input; a condition,
 * if given, can end the loop early; an empty list completes it at once. `keepLastN` (input) keeps
 * only that many iterations' tasks and outputs.
 */
import { isTerminalTaskStatus, type Task } from "../../model/index.ts";
import { refsWithin } from "../definition-tree.ts";
import { baseReferenceName, expressionDocument } from "../expression-document.ts";
import { resolveTemplate } from "../expressions.ts";
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

/** The list a list loop goes over, or undefined for a loop on its condition alone. */
function itemsOf(run: TaskRun): unknown[] | undefined {
  const wt = run.task.workflowTask!;
  const items = wt.items ? resolveTemplate(wt.items, expressionDocument(run.draft.execution), { taskId: run.task.taskId }) : run.task.inputData?._items;
  if (items === undefined || (items === null && !wt.items)) return undefined;
  return Array.isArray(items) ? items : [];
}

function listVariables(items: unknown[] | undefined, iteration: number): Record<string, unknown> {
  if (!items) return {};
  const loopIndex = iteration - 1;
  return loopIndex < items.length ? { loopIndex, loopItem: items[loopIndex] } : { loopIndex };
}

function startIteration(run: TaskRun, iteration: number, items: unknown[] | undefined): void {
  const head = run.task.workflowTask!.loopOver?.[0];
  run.task.outputData = { ...run.task.outputData, iteration, ...listVariables(items, iteration) };
  run.draft.touch(run.task);
  if (head) run.schedule(head, { scope: iterationScope(run.task, iteration) });
}

/** Drops iterations older than the last `keepLastN`: their output keys and their tasks. */
function keepLast(run: TaskRun, iteration: number): void {
  const keep = Number(run.task.inputData?.keepLastN);
  if (!Number.isInteger(keep) || keep < 1 || iteration <= keep) return;
  for (let old = 1; old <= iteration - keep; old++) {
    delete run.task.outputData?.[String(old)];
    for (const t of bodyTasks(run, old)) run.draft.removeTask(t);
  }
}

export const doWhile: TaskHandler = {
  start(run) {
    begin(run);
    const items = itemsOf(run);
    if (items && items.length === 0) {
      complete(run, { iteration: 0 });
      return;
    }
    startIteration(run, 1, items);
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
    keepLast(run, iteration);
    const loopRef = baseReferenceName(task.referenceTaskName);
    const items = itemsOf(run);
    const condition = task.workflowTask!.loopCondition;
    let again: unknown;
    try {
      const input = { ...task.inputData, ...outputs, [loopRef]: task.outputData, ...listVariables(items, iteration) };
      // A list loop goes on while there are items (and its condition, if it has one, holds).
      again = items && !condition ? true : evaluateScript(run, condition ?? "false", input);
    } catch (error) {
      fail(run, `Unable to evaluate the loop condition: ${(error as Error).message}`, { terminal: true, output: task.outputData });
      return;
    }
    const moreItems = !items || iteration < items.length;
    if ((again === true || again === "true") && moreItems) startIteration(run, iteration + 1, items);
    else complete(run, task.outputData ?? {});
  },
};
