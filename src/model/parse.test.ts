import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import { InvalidInput } from "../errors.ts";
import { assertValid, joinPath, parse } from "./parse.ts";
import { TaskDefSchema } from "./task-def.ts";
import { WorkflowDefSchema } from "./workflow-def.ts";

function failure(schema: v.GenericSchema, input: unknown, what = "TaskDef"): InvalidInput {
  try {
    parse(schema, input, what);
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidInput);
    return e as InvalidInput;
  }
  throw new Error("expected parse to fail");
}

describe("parse", () => {
  test("returns the parsed value with defaults", () => {
    expect(parse(TaskDefSchema, { name: "t" }, "TaskDef").retryCount).toBe(3);
  });

  test("a wrong type names the field and the problem", () => {
    const e = failure(TaskDefSchema, { name: "t", retryCount: "x" });
    expect(e.message).toBe('Invalid TaskDef: retryCount: expected a number but received "x"');
    expect(e.validationErrors).toEqual([
      { path: "retryCount", message: 'expected a number but received "x"', invalidValue: "x" },
    ]);
  });

  test("a bad enum lists the allowed values", () => {
    const e = failure(TaskDefSchema, { name: "t", retryLogic: "RANDOM" });
    expect(e.validationErrors[0]).toEqual({
      path: "retryLogic",
      message: 'expected one of FIXED, EXPONENTIAL_BACKOFF, LINEAR_BACKOFF but received "RANDOM"',
      invalidValue: "RANDOM",
    });
  });

  test("a missing required field says it is required", () => {
    const e = failure(TaskDefSchema, {});
    expect(e.message).toBe("Invalid TaskDef: name: is required");
    expect(e.validationErrors).toEqual([{ path: "name", message: "is required" }]);
  });

  test("a range violation gives the rule", () => {
    const e = failure(TaskDefSchema, { name: "t", retryCount: -1, backoffScaleFactor: 0.5 });
    expect(e.validationErrors.map((x) => [x.path, x.message])).toEqual([
      ["retryCount", "must be 0 or more"],
      ["backoffScaleFactor", "must be a whole number"],
      ["backoffScaleFactor", "must be 1 or more"],
    ]);
    expect(e.message).toBe("Invalid TaskDef: retryCount: must be 0 or more (and 2 more problems)");
  });

  test("a value that is not an object at all", () => {
    const e = failure(TaskDefSchema, "nope");
    expect(e.message).toBe('Invalid TaskDef: expected an object but received "nope"');
    expect(e.validationErrors[0].path).toBe("");
  });

  test("nested paths use dots and brackets", () => {
    const e = failure(
      WorkflowDefSchema,
      {
        name: "w",
        tasks: [
          { name: "a", taskReferenceName: "a" },
          {
            name: "s",
            taskReferenceName: "s",
            type: "SWITCH",
            decisionCases: { "case one": [{ name: "x" }] },
            forkTasks: [[{ name: "y", taskReferenceName: "y", startDelay: "soon" }]],
          },
        ],
      },
      "WorkflowDef",
    );
    expect(e.validationErrors.map((x) => x.path)).toEqual([
      'tasks[1].decisionCases["case one"][0].taskReferenceName',
      "tasks[1].forkTasks[0][0].startDelay",
    ]);
  });

  test("an invalid inline sub-workflow reports its own fields, not the union", () => {
    const e = failure(
      WorkflowDefSchema,
      {
        name: "w",
        tasks: [
          {
            name: "sub",
            taskReferenceName: "sub",
            type: "SUB_WORKFLOW",
            subWorkflowParam: { workflowDefinition: { name: "inner", tasks: [{ name: 1, taskReferenceName: "i" }] } },
          },
        ],
      },
      "WorkflowDef",
    );
    expect(e.validationErrors).toEqual([
      {
        path: "tasks[0].subWorkflowParam.workflowDefinition.tasks[0].name",
        message: "expected a string but received 1",
        invalidValue: 1,
      },
    ]);
  });

  test("a value fitting no alternative names them all", () => {
    const e = failure(
      WorkflowDefSchema,
      { name: "w", tasks: [{ name: "s", taskReferenceName: "s", subWorkflowParam: { workflowDefinition: 7 } }] },
      "WorkflowDef",
    );
    expect(e.validationErrors[0]).toMatchObject({
      path: "tasks[0].subWorkflowParam.workflowDefinition",
      message: "expected an object or a string but received 7",
    });
  });
});

describe("joinPath", () => {
  test("keys, indexes and odd keys", () => {
    expect(joinPath("", "tasks")).toBe("tasks");
    expect(joinPath("tasks", 2)).toBe("tasks[2]");
    expect(joinPath("tasks[2]", "name")).toBe("tasks[2].name");
    expect(joinPath("cases", "a-b")).toBe('cases["a-b"]');
  });
});

describe("assertValid", () => {
  test("passes with no errors, throws InvalidInput otherwise", () => {
    expect(() => assertValid([], "WorkflowDef")).not.toThrow();
    expect(() => assertValid([{ path: "tasks", message: "must contain at least one task" }], "WorkflowDef")).toThrow(
      "Invalid WorkflowDef: tasks: must contain at least one task",
    );
  });
});
