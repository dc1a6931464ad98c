/**
 * Delivering a workflow's effects on other workflows (start a child, report a child's end to
 * its parent, terminate a child), the same on every host; only how a workflow is reached
 * differs. Every delivery may be repeated: starting an existing id, reporting to a task that
 * already ended and terminating an ended workflow all change nothing.
 */
import type { ChildOutcome, ChildStart, WorkflowMessage } from "../engine/context.ts";
import type { StartParams } from "../engine/start.ts";
import { Conflict, InvalidInput, NotFound } from "../errors.ts";
import { parse, WorkflowDefSchema } from "../model/index.ts";
import type { MetadataStore } from "../ports/stores.ts";
import { definitionForStart } from "./definitions.ts";

export interface WorkflowReach {
  metadata: MetadataStore;
  start(params: StartParams): Promise<void>;
  notify(parentWorkflowId: string, outcome: ChildOutcome): Promise<void>;
  terminate(workflowId: string, reason: string): Promise<void>;
}

async function startChild(reach: WorkflowReach, child: ChildStart): Promise<void> {
  let definition;
  try {
    // An inline definition may come from data (an expression in the parent), so it is parsed here.
    const inline = child.workflowDef ? parse(WorkflowDefSchema, child.workflowDef, "workflowDefinition") : undefined;
    definition = await definitionForStart(reach.metadata, child.name, child.version, inline);
  } catch (error) {
    const cannotExist = error instanceof NotFound || error instanceof InvalidInput;
    if (!cannotExist) throw error; // a passing failure: the delivery is tried again
    if (!child.parentWorkflowId || !child.parentWorkflowTaskId) {
      // START_WORKFLOW has nobody to tell; retrying would never succeed.
      console.warn(`START_WORKFLOW could not start '${child.name}': ${(error as Error).message}`);
      return;
    }
    // The child cannot exist: its SUB_WORKFLOW task fails, as a failed child would make it.
    await reach.notify(child.parentWorkflowId, {
      parentWorkflowTaskId: child.parentWorkflowTaskId,
      childWorkflowId: child.workflowId,
      status: "FAILED",
      output: {},
      reasonForIncompletion: error.message,
    });
    return;
  }
  await reach.start({
    workflowId: child.workflowId,
    definition,
    input: child.input,
    correlationId: child.correlationId,
    taskToDomain: child.taskToDomain,
    priority: child.priority,
    parentWorkflowId: child.parentWorkflowId,
    parentWorkflowTaskId: child.parentWorkflowTaskId,
  });
}

export async function deliverWorkflowMessage(reach: WorkflowReach, message: WorkflowMessage): Promise<void> {
  switch (message.kind) {
    case "workflow.start":
      return startChild(reach, message.payload);
    case "workflow.notify":
      return reach.notify(message.target, message.payload);
    case "workflow.terminate":
      try {
        await reach.terminate(message.target, message.payload.reason);
      } catch (error) {
        // Already gone, or already completed: nothing left to stop.
        if (!(error instanceof NotFound) && !(error instanceof Conflict)) throw error;
      }
  }
}
