import { describe, expect, test } from "bun:test";
import { parse } from "./parse.ts";
import { WorkflowDefSchema } from "./workflow-def.ts";

const parseDef = (input: unknown) => parse(WorkflowDefSchema, input, "WorkflowDef");
const task = { name: "t", taskReferenceName: "t" };

describe("WorkflowDefSchema", () => {
  test("applies the server's defaults", () => {
    const def = parseDef({ name: "wf", tasks: [task] });
    expect(def).toEqual({
      name: "wf",
      version: 1,
      inputParameters: [],
      outputParameters: {},
      schemaVersion: 2,
      restartable: true,
      workflowStatusListenerEnabled: false,
      timeoutPolicy: "ALERT_ONLY",
      timeoutSeconds: 0,
      variables: {},
      inputTemplate: {},
      enforceSchema: true,
      tasks: [
        {
          name: "t",
          taskReferenceName: "t",
          inputParameters: {},
          type: "SIMPLE",
          startDelay: 0,
          optional: false,
          asyncComplete: false,
          permissive: false,
        },
      ],
    });
  });

  test("keeps the optional fields given", () => {
    const def = parseDef({
      name: "wf",
      tasks: [task],
      failureWorkflow: "cleanup",
      failureWorkflowVersion: 2,
      rateLimitConfig: { rateLimitKey: "${workflow.input.k}" },
      maskedFields: ["secret"],
      ownerEmail: "a@b.c",
    });
    expect(def.rateLimitConfig).toEqual({ rateLimitKey: "${workflow.input.k}", concurrentExecLimit: 0, policy: "QUEUE" });
    expect(def).toMatchObject({ failureWorkflow: "cleanup", failureWorkflowVersion: 2, maskedFields: ["secret"] });
  });

  test("ignores unknown fields at every level", () => {
    const def = parseDef({ name: "wf", ui: { x: 1 }, tasks: [{ ...task, position: { x: 1 } }] });
    expect(def).not.toHaveProperty("ui");
    expect(def.tasks[0]).not.toHaveProperty("position");
  });

  test("keeps a schemaVersion other than 2 for the validator to reject", () => {
    expect(parseDef({ name: "wf", schemaVersion: 1, tasks: [task] }).schemaVersion).toBe(1);
  });

  test("requires tasks", () => {
    expect(() => parseDef({ name: "wf" })).toThrow("Invalid WorkflowDef: tasks: is required");
  });

  test("a bad timeoutPolicy names the field", () => {
    expect(() => parseDef({ name: "wf", tasks: [task], timeoutPolicy: "RETRY" })).toThrow(
      'timeoutPolicy: expected one of TIME_OUT_WF, ALERT_ONLY but received "RETRY"',
    );
  });
});
