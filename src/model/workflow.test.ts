import { describe, expect, test } from "bun:test";
import { parse } from "./parse.ts";
import { WorkflowSchema, WorkflowStatusSummarySchema } from "./workflow.ts";

describe("WorkflowSchema", () => {
  test("fills defaults and parses tasks and the embedded definition", () => {
    const workflow = parse(
      WorkflowSchema,
      {
        workflowId: "w1",
        status: "RUNNING",
        createTime: 10,
        tasks: [{ taskId: "t1", taskType: "a", status: "SCHEDULED", referenceTaskName: "a", workflowInstanceId: "w1" }],
        workflowDefinition: { name: "wf", tasks: [{ name: "a", taskReferenceName: "a" }] },
        workflowName: "wf",
        workflowVersion: 1,
      },
      "Workflow",
    );
    expect(workflow).toMatchObject({
      createTime: 10,
      endTime: 0,
      input: {},
      output: {},
      taskToDomain: {},
      failedReferenceTaskNames: [],
      failedTaskNames: [],
      priority: 0,
      variables: {},
      lastRetriedTime: 0,
    });
    expect(workflow.tasks[0].retryCount).toBe(0);
    expect(workflow.workflowDefinition?.tasks[0].type).toBe("SIMPLE");
  });

  test("rejects an unknown status", () => {
    expect(() => parse(WorkflowSchema, { workflowId: "w", status: "DONE" }, "Workflow")).toThrow(
      'Invalid Workflow: status: expected one of RUNNING, COMPLETED, FAILED, TIMED_OUT, TERMINATED, PAUSED but received "DONE"',
    );
  });
});

describe("WorkflowStatusSummarySchema", () => {
  test("output and variables are optional", () => {
    expect(parse(WorkflowStatusSummarySchema, { workflowId: "w", status: "PAUSED" }, "status")).toEqual({
      workflowId: "w",
      status: "PAUSED",
    });
  });
});
