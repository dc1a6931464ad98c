/**
 * SUB_WORKFLOW: starts a child workflow (a registered one by `subWorkflowParam.name`/`version`,
 * or an inline `workflowDefinition`) with the task's input, and waits for it: the child's end is
 * reported back and ends the task (TERMINATED becomes CANCELED). The child's id is derived from
 * the task, so a repeated start finds the same child; a retry is a new task, so a new child.
 */
import type { WorkflowDef } from "../../model/index.ts";
import type { ChildStart } from "../context.ts";
import { derivedId } from "../derived-id.ts";
import { expressionDocument } from "../expression-document.ts";
import { resolveTemplate } from "../expressions.ts";
import { begin, fail, type TaskHandler } from "./handler.ts";

export const subWorkflow: TaskHandler = {
  start(run) {
    const { draft, task } = run;
    const param = task.workflowTask?.subWorkflowParam;
    // An inline definition may be given as data, or as an expression (`${workflow.input.def}`) naming it.
    const given = typeof param?.workflowDefinition === "string" ? resolveTemplate(param.workflowDefinition, expressionDocument(draft.execution)) : param?.workflowDefinition;
    const inline = given && typeof given === "object" ? (given as WorkflowDef) : undefined;
    const name = inline?.name ?? param?.name;
    if (!name) {
      fail(run, "subWorkflowParam needs a name or a workflowDefinition", { terminal: true });
      return;
    }
    const execution = draft.execution;
    const childId = derivedId("subworkflow", execution.workflowId, task.taskId);
    const child: ChildStart = {
      workflowId: childId,
      name,
      version: inline ? undefined : param?.version,
      workflowDef: inline,
      input: { ...(task.inputData ?? {}) },
      correlationId: execution.correlationId,
      taskToDomain: param?.taskToDomain ?? execution.taskToDomain,
      priority: typeof param?.priority === "number" ? param.priority : execution.priority,
      parentWorkflowId: execution.workflowId,
      parentWorkflowTaskId: task.taskId,
    };
    task.subWorkflowId = childId;
    task.outputData = { subWorkflowId: childId };
    begin(run);
    draft.message({ kind: "workflow.start", target: childId, payload: child });
  },
};
