/** The search-index entry of an execution. */
import type { Workflow } from "../model/index.ts";
import type { WorkflowSummaryRow } from "../ports/stores.ts";

export function summaryRow(execution: Workflow, rev: number): WorkflowSummaryRow {
  return {
    workflowId: execution.workflowId,
    workflowName: execution.workflowName ?? execution.workflowDefinition?.name ?? "",
    workflowVersion: execution.workflowVersion ?? execution.workflowDefinition?.version ?? 1,
    status: execution.status,
    correlationId: execution.correlationId,
    parentWorkflowId: execution.parentWorkflowId,
    createTime: execution.createTime ?? 0,
    updateTime: execution.updateTime ?? 0,
    endTime: execution.endTime || undefined,
    rev,
  };
}
