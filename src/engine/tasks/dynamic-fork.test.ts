import { describe, expect, test } from "bun:test";
import type { WorkflowTaskInput } from "../../model/index.ts";
import { byRef, finishWorker, refs, run } from "../testing.ts";

const join: WorkflowTaskInput = { name: "join", taskReferenceName: "join", type: "JOIN" };

describe("FORK_JOIN_DYNAMIC", () => {
  test("forks into the listed tasks with their inputs; the join waits for exactly those", () => {
    const { ctx, execution } = run(
      [
        { name: "dyn", taskReferenceName: "dyn", type: "FORK_JOIN_DYNAMIC", dynamicForkTasksParam: "tasks", dynamicForkTasksInputParamName: "inputs", inputParameters: { tasks: "${workflow.input.tasks}", inputs: "${workflow.input.inputs}" } },
        join,
        { name: "after", taskReferenceName: "after", inputParameters: { all: "${join.output}" } },
      ],
      { tasks: [{ name: "img", taskReferenceName: "img_a" }, { name: "img", taskReferenceName: "img_b" }], inputs: { img_a: { url: "a" }, img_b: { url: "b" } } },
    );
    expect(byRef(execution, "dyn")).toMatchObject({ taskType: "FORK", status: "COMPLETED", inputData: { forkedTasks: ["img_a", "img_b"] } });
    expect(byRef(execution, "img_a")).toMatchObject({ taskType: "img", status: "SCHEDULED", inputData: { url: "a" } });
    expect(byRef(execution, "join")).toMatchObject({ status: "IN_PROGRESS", inputData: { joinOn: ["img_a", "img_b"] } });
    finishWorker(ctx, execution, "img_b", { size: 2 });
    expect(byRef(execution, "join").status).toBe("IN_PROGRESS");
    finishWorker(ctx, execution, "img_a", { size: 1 });
    expect(byRef(execution, "after").inputData).toEqual({ all: { img_a: { size: 1 }, img_b: { size: 2 } } });
  });

  test("forkTaskName with forkTaskInputs makes one branch per element", () => {
    const { execution } = run(
      [{ name: "dyn", taskReferenceName: "dyn", type: "FORK_JOIN_DYNAMIC", inputParameters: { forkTaskName: "send", forkTaskInputs: [{ to: "x" }, { to: "y" }] } }, join],
    );
    expect(refs(execution)).toEqual(["dyn:COMPLETED", "_send_0:SCHEDULED", "_send_1:SCHEDULED", "join:IN_PROGRESS"]);
    expect(byRef(execution, "_send_1").inputData).toEqual({ to: "y", __index: 1 });
  });

  test("the legacy dynamicForkJoinTasksParam form, with a worker branch and a sub-workflow branch", () => {
    const { execution } = run(
      [{ name: "dyn", taskReferenceName: "dyn", type: "FORK_JOIN_DYNAMIC", dynamicForkJoinTasksParam: "plan", inputParameters: { plan: "${workflow.input.plan}" } }, join],
      { plan: { dynamicTasks: [{ taskName: "resize", referenceName: "r1", input: { w: 10 } }, { workflowName: "child", referenceName: "c1", input: { n: 1 } }] } },
    );
    expect(byRef(execution, "r1")).toMatchObject({ taskType: "resize", status: "SCHEDULED", inputData: { w: 10 } });
    expect(byRef(execution, "c1")).toMatchObject({ taskType: "SUB_WORKFLOW", status: "IN_PROGRESS", inputData: { n: 1 } });
    expect(byRef(execution, "join").inputData).toEqual({ joinOn: ["r1", "c1"] });
  });

  test("zero branches: the join completes at once and the flow goes on", () => {
    const { execution } = run([{ name: "dyn", taskReferenceName: "dyn", type: "FORK_JOIN_DYNAMIC", inputParameters: { forkTaskName: "send", forkTaskInputs: [] } }, join, { name: "after", taskReferenceName: "after" }]);
    expect(refs(execution)).toEqual(["dyn:COMPLETED", "join:COMPLETED", "after:SCHEDULED"]);
  });

  test("input that is not a list of tasks fails the workflow naming the parameter", () => {
    const { execution } = run([{ name: "dyn", taskReferenceName: "dyn", type: "FORK_JOIN_DYNAMIC", dynamicForkTasksParam: "tasks", dynamicForkTasksInputParamName: "inputs", inputParameters: { tasks: 5, inputs: {} } }, join]);
    expect(execution.status).toBe("FAILED");
    expect(byRef(execution, "dyn").reasonForIncompletion).toContain("'tasks'");
  });
});

describe("EXCLUSIVE_JOIN", () => {
  const tasks = (defaultExclusiveJoinTask?: string[]): WorkflowTaskInput[] => [
    { name: "sw", taskReferenceName: "sw", type: "SWITCH", evaluatorType: "value-param", expression: "k", inputParameters: { k: "${workflow.input.k}" }, decisionCases: { a: [{ name: "a", taskReferenceName: "a1" }], b: [{ name: "b", taskReferenceName: "b1" }] }, defaultCase: [{ name: "d", taskReferenceName: "d1" }] },
    { name: "ej", taskReferenceName: "ej", type: "EXCLUSIVE_JOIN", joinOn: ["a1", "b1"], defaultExclusiveJoinTask },
  ];

  test("completes with the output of the branch that ran", () => {
    const { ctx, execution } = run(tasks(), { k: "b" });
    finishWorker(ctx, execution, "b1", { picked: "b" });
    expect(byRef(execution, "ej")).toMatchObject({ status: "COMPLETED", outputData: { picked: "b" } });
    expect(execution.status).toBe("COMPLETED");
  });

  test("falls back to defaultExclusiveJoinTask when no joinOn task ran", () => {
    const { ctx, execution } = run(tasks(["d1"]), { k: "zzz" });
    finishWorker(ctx, execution, "d1", { picked: "default" });
    expect(byRef(execution, "ej").outputData).toEqual({ picked: "default" });
  });
});
