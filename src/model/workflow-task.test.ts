import { describe, expect, test } from "bun:test";
import { parse } from "./parse.ts";
import {
  isSystemTaskType,
  isWorkerTaskType,
  SYSTEM_TASK_TYPES,
  UNSUPPORTED_TASK_TYPES,
  WorkflowTaskSchema,
} from "./workflow-task.ts";

const parseTask = (input: unknown) => parse(WorkflowTaskSchema, input, "WorkflowTask");

describe("WorkflowTaskSchema", () => {
  test("applies defaults", () => {
    expect(parseTask({ name: "encode", taskReferenceName: "encode_ref" })).toEqual({
      name: "encode",
      taskReferenceName: "encode_ref",
      inputParameters: {},
      type: "SIMPLE",
      startDelay: 0,
      optional: false,
      asyncComplete: false,
      permissive: false,
    });
  });

  test("parses nested cases, branches and loops with their defaults", () => {
    const leaf = (ref: string) => ({ name: ref, taskReferenceName: ref });
    const task = parseTask({
      name: "switch",
      taskReferenceName: "switch",
      type: "SWITCH",
      evaluatorType: "value-param",
      expression: "kind",
      decisionCases: {
        a: [{ ...leaf("fork"), type: "FORK_JOIN", forkTasks: [[leaf("b1")], [leaf("b2")]] }],
      },
      defaultCase: [{ ...leaf("loop"), type: "DO_WHILE", loopCondition: "false", loopOver: [leaf("body")] }],
    });
    expect(task.decisionCases?.a[0].forkTasks?.[1][0]).toMatchObject({ taskReferenceName: "b2", type: "SIMPLE" });
    expect(task.defaultCase?.[0].loopOver?.[0]).toMatchObject({ taskReferenceName: "body", optional: false });
  });

  test("keeps system-task fields and an embedded TaskDef with its defaults", () => {
    const task = parseTask({
      name: "http",
      taskReferenceName: "http",
      type: "HTTP",
      retryCount: 1,
      joinOn: ["x"],
      sink: "conductor",
      joinMode: "SYNC",
      onStateChange: { onSCHEDULED: [{ type: "t", payload: { a: 1 } }] },
      cacheConfig: { key: "k" },
      taskDefinition: { timeoutSeconds: 10, responseTimeoutSeconds: 5 },
    });
    expect(task).toMatchObject({ retryCount: 1, joinOn: ["x"], sink: "conductor", joinMode: "SYNC" });
    expect(task.cacheConfig).toEqual({ key: "k", ttlInSecond: 0 });
    expect(task.taskDefinition).toMatchObject({ name: "", retryCount: 3, timeoutSeconds: 10 });
  });

  test("subWorkflowParam takes an inline definition or an expression", () => {
    const inline = parseTask({
      name: "sub",
      taskReferenceName: "sub",
      type: "SUB_WORKFLOW",
      subWorkflowParam: {
        name: "child",
        priority: 5,
        idempotencyStrategy: "RETURN_EXISTING",
        workflowDefinition: { name: "child", tasks: [{ name: "t", taskReferenceName: "t" }] },
      },
    });
    const inner = inline.subWorkflowParam?.workflowDefinition;
    expect(typeof inner === "object" && inner.tasks[0].type).toBe("SIMPLE");
    expect(inline.subWorkflowParam?.idempotencyStrategy).toBe("RETURN_EXISTING");

    const dynamic = parseTask({
      name: "sub",
      taskReferenceName: "sub",
      type: "SUB_WORKFLOW",
      subWorkflowParam: { workflowDefinition: "${workflow.input.def}", priority: "${workflow.input.p}" },
    });
    expect(dynamic.subWorkflowParam?.workflowDefinition).toBe("${workflow.input.def}");

    expect(() =>
      parseTask({ name: "s", taskReferenceName: "s", subWorkflowParam: { workflowDefinition: "child" } }),
    ).toThrow("subWorkflowParam.workflowDefinition: must be a workflow definition or a ${...} expression");
  });

  test("a bad joinMode names the field", () => {
    expect(() => parseTask({ name: "j", taskReferenceName: "j", joinMode: "LATER" })).toThrow(
      'joinMode: expected one of SYNC, ASYNC but received "LATER"',
    );
  });
});

describe("task types", () => {
  test("worker types are SIMPLE and anything not built in", () => {
    expect(isWorkerTaskType("SIMPLE")).toBe(true);
    expect(isWorkerTaskType("encode_video")).toBe(true);
    for (const type of SYSTEM_TASK_TYPES) expect(isWorkerTaskType(type)).toBe(false);
    expect(isWorkerTaskType("FORK")).toBe(false);
    expect(isWorkerTaskType("KAFKA_PUBLISH")).toBe(false);
  });

  test("system and unsupported lists do not overlap", () => {
    for (const type of UNSUPPORTED_TASK_TYPES) expect(isSystemTaskType(type)).toBe(false);
    expect(isSystemTaskType("SWITCH")).toBe(true);
  });
});
