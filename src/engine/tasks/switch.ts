/**
 * SWITCH (and the older DECISION): picks a case from `decisionCases` by a value — an input key
 * (`value-param`, DECISION's `caseValueParam`) or a script (`javascript`/`graaljs`, DECISION's
 * `caseExpression`) — and the flow continues with that case's tasks, or `defaultCase`, then
 * with what follows the SWITCH.
 */
import type { WorkflowTask } from "../../model/index.ts";
import { evaluateScript } from "./script.ts";
import { complete, fail, type TaskHandler, type TaskRun } from "./handler.ts";

function caseValue(run: TaskRun): unknown {
  const wt = run.task.workflowTask!;
  const input = run.task.inputData ?? {};
  if (wt.type === "DECISION") {
    return wt.caseValueParam ? input[wt.caseValueParam] : evaluateScript(run, wt.caseExpression ?? "", input);
  }
  return wt.evaluatorType === "value-param" ? input[wt.expression ?? ""] : evaluateScript(run, wt.expression ?? "", input);
}

function chosenCase(wt: WorkflowTask, selected: string): WorkflowTask[] | undefined {
  const cases = wt.decisionCases ?? {};
  if (Object.hasOwn(cases, selected)) {
    const branch = cases[selected];
    // SWITCH runs nothing for a case that is present but empty; DECISION falls back to the default.
    if (branch.length > 0 || wt.type !== "DECISION") return branch;
  }
  return wt.defaultCase;
}

export const switchTask: TaskHandler = {
  start(run) {
    let value: unknown;
    try {
      value = caseValue(run);
    } catch (error) {
      fail(run, error instanceof Error ? error.message : String(error));
      return;
    }
    const selected = value === null || value === undefined ? "null" : String(value);
    run.task.inputData = { ...run.task.inputData, case: selected };
    complete(run, run.task.workflowTask!.type === "DECISION" ? { caseOutput: [selected] } : { evaluationResult: [selected], selectedCase: selected });
  },
  successors(run) {
    const wt = run.task.workflowTask!;
    const selected = String(run.task.inputData?.case);
    const branch = chosenCase(wt, selected) ?? [];
    // An empty or missing case: on to what follows the SWITCH, as for any task.
    return branch.length > 0 ? [branch[0]] : undefined;
  },
};
