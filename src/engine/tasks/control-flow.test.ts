import { describe, expect, test } from "bun:test";
import type { WorkflowTaskInput } from "../../model/index.ts";
import { onTimer } from "../terminate.ts";
import { byRef, FakeContext, finishWorker, refs, run } from "../testing.ts";
import { applyTaskResult } from "../update-task.ts";

describe("SWITCH", () => {
  const switchOn = (defaultCase: WorkflowTaskInput[] = [{ name: "d", taskReferenceName: "d1" }]): WorkflowTaskInput[] => [
    {
      name: "sw",
      taskReferenceName: "sw",
      type: "SWITCH",
      evaluatorType: "value-param",
      expression: "kind",
      inputParameters: { kind: "${workflow.input.kind}" },
      decisionCases: { a: [{ name: "a", taskReferenceName: "a1" }, { name: "a", taskReferenceName: "a2" }], empty: [] },
      defaultCase,
    },
    { name: "after", taskReferenceName: "after" },
  ];

  test("runs the matching case, then what follows the switch", () => {
    const { ctx, execution } = run(switchOn(), { kind: "a" });
    expect(byRef(execution, "sw")).toMatchObject({ status: "COMPLETED", taskType: "SWITCH", outputData: { evaluationResult: ["a"], selectedCase: "a" } });
    expect(refs(execution)).toEqual(["sw:COMPLETED", "a1:SCHEDULED"]);
    finishWorker(ctx, execution, "a1");
    finishWorker(ctx, execution, "a2");
    expect(refs(execution)).toEqual(["sw:COMPLETED", "a1:COMPLETED", "a2:COMPLETED", "after:SCHEDULED"]);
    expect(finishWorker(ctx, execution, "after").execution.status).toBe("COMPLETED");
  });

  test("no matching case runs the default case", () => {
    const { execution } = run(switchOn(), { kind: "zzz" });
    expect(refs(execution)).toEqual(["sw:COMPLETED", "d1:SCHEDULED"]);
  });

  test("a case that is present but empty runs nothing and the flow goes on", () => {
    const { execution } = run(switchOn(), { kind: "empty" });
    expect(refs(execution)).toEqual(["sw:COMPLETED", "after:SCHEDULED"]);
  });

  test("no match and no default goes straight on", () => {
    const { execution } = run(switchOn([]), { kind: "zzz" });
    expect(refs(execution)).toEqual(["sw:COMPLETED", "after:SCHEDULED"]);
  });

  test("a javascript switch without a sandbox fails the workflow with a clear reason", () => {
    const { execution } = run([{ name: "sw", taskReferenceName: "sw", type: "SWITCH", evaluatorType: "javascript", expression: "$.x", decisionCases: { a: [] } }]);
    expect(execution.status).toBe("FAILED");
    expect(byRef(execution, "sw").reasonForIncompletion).toContain("sandbox");
  });

  test("DECISION with caseValueParam, and an empty case falls back to the default", () => {
    const tasks: WorkflowTaskInput[] = [
      { name: "dec", taskReferenceName: "dec", type: "DECISION", caseValueParam: "c", inputParameters: { c: "${workflow.input.c}" }, decisionCases: { x: [{ name: "x", taskReferenceName: "x1" }], e: [] }, defaultCase: [{ name: "d", taskReferenceName: "d1" }] },
    ];
    expect(refs(run(tasks, { c: "x" }).execution)).toEqual(["dec:COMPLETED", "x1:SCHEDULED"]);
    expect(byRef(run(tasks, { c: "x" }).execution, "dec").outputData).toEqual({ caseOutput: ["x"] });
    expect(refs(run(tasks, { c: "e" }).execution)).toEqual(["dec:COMPLETED", "d1:SCHEDULED"]);
  });
});

describe("FORK_JOIN and JOIN", () => {
  const forked: WorkflowTaskInput[] = [
    { name: "fork", taskReferenceName: "fork", type: "FORK_JOIN", forkTasks: [[{ name: "l", taskReferenceName: "l1" }, { name: "l", taskReferenceName: "l2" }], [{ name: "r", taskReferenceName: "r1" }]] },
    { name: "join", taskReferenceName: "join", type: "JOIN", joinOn: ["l2", "r1"] },
    { name: "end", taskReferenceName: "end", inputParameters: { both: "${join.output}" } },
  ];

  test("starts every branch and the join; the join completes with the joined outputs once all are done", () => {
    const { ctx, execution } = run(forked);
    expect(byRef(execution, "fork").taskType).toBe("FORK");
    expect(refs(execution)).toEqual(["fork:COMPLETED", "l1:SCHEDULED", "r1:SCHEDULED", "join:IN_PROGRESS"]);
    finishWorker(ctx, execution, "r1", { r: 1 });
    finishWorker(ctx, execution, "l1");
    expect(byRef(execution, "join").status).toBe("IN_PROGRESS");
    finishWorker(ctx, execution, "l2", { l: 2 });
    expect(byRef(execution, "join")).toMatchObject({ status: "COMPLETED", outputData: { l2: { l: 2 }, r1: { r: 1 } } });
    expect(byRef(execution, "end")).toMatchObject({ status: "SCHEDULED", inputData: { both: { l2: { l: 2 }, r1: { r: 1 } } } });
  });

  test("a failed branch task fails the workflow", () => {
    const { ctx, execution } = run(forked);
    const d = finishWorker(ctx, execution, "r1", {}, "FAILED");
    // r1 has the default three retries; use them up.
    for (let i = 0; i < 3; i++) finishWorker(ctx, execution, "r1", {}, "FAILED");
    expect(d.execution.status).toBe("FAILED");
    expect(byRef(execution, "join").status).toBe("CANCELED");
  });

  test("an optional branch task that fails makes the join COMPLETED_WITH_ERRORS", () => {
    const tasks = structuredClone(forked);
    tasks[0].forkTasks![1][0] = { name: "r", taskReferenceName: "r1", optional: true, retryCount: 0 };
    const { ctx, execution } = run(tasks);
    finishWorker(ctx, execution, "r1", {}, "FAILED");
    finishWorker(ctx, execution, "l1");
    finishWorker(ctx, execution, "l2");
    expect(byRef(execution, "join").status).toBe("COMPLETED_WITH_ERRORS");
    expect(execution.status).toBe("RUNNING");
  });

  test("a switch inside a branch flows back into the branch's end", () => {
    const tasks: WorkflowTaskInput[] = [
      { name: "fork", taskReferenceName: "fork", type: "FORK_JOIN", forkTasks: [[{ name: "sw", taskReferenceName: "sw", type: "SWITCH", evaluatorType: "value-param", expression: "k", inputParameters: { k: "a" }, decisionCases: { a: [{ name: "a", taskReferenceName: "a1" }] } }, { name: "tail", taskReferenceName: "tail" }], [{ name: "r", taskReferenceName: "r1" }]] },
      { name: "join", taskReferenceName: "join", type: "JOIN", joinOn: ["tail", "r1"] },
    ];
    const { ctx, execution } = run(tasks);
    finishWorker(ctx, execution, "a1");
    expect(byRef(execution, "tail").status).toBe("SCHEDULED");
    finishWorker(ctx, execution, "tail");
    finishWorker(ctx, execution, "r1");
    expect(execution.status).toBe("COMPLETED");
  });
});

describe("TERMINATE, SET_VARIABLE, NOOP", () => {
  test("TERMINATE ends the workflow with its status, reason and output; nothing after it runs", () => {
    const { execution } = run([
      { name: "noop", taskReferenceName: "n", type: "NOOP" },
      { name: "t", taskReferenceName: "t", type: "TERMINATE", inputParameters: { terminationStatus: "FAILED", terminationReason: "enough", workflowOutput: { why: "${workflow.input.why}" } } },
      { name: "never", taskReferenceName: "never" },
    ], { why: "because" });
    expect(execution).toMatchObject({ status: "FAILED", reasonForIncompletion: "enough", output: { why: "because" } });
    expect(refs(execution)).toEqual(["n:COMPLETED", "t:COMPLETED"]);
  });

  test("TERMINATE with COMPLETED completes the workflow and cancels open branches", () => {
    const { execution } = run([
      { name: "fork", taskReferenceName: "fork", type: "FORK_JOIN", forkTasks: [[{ name: "r", taskReferenceName: "r1" }], [{ name: "t", taskReferenceName: "t", type: "TERMINATE", inputParameters: { terminationStatus: "COMPLETED", workflowOutput: 5 } }]] },
      { name: "join", taskReferenceName: "join", type: "JOIN", joinOn: ["t", "r1"] },
    ]);
    expect(execution).toMatchObject({ status: "COMPLETED", output: { output: 5 } });
    expect(byRef(execution, "r1").status).toBe("CANCELED");
    expect(execution.tasks.some((t) => t.referenceTaskName === "join")).toBe(false);
  });

  test("an unknown terminationStatus fails the task", () => {
    const { execution } = run([{ name: "t", taskReferenceName: "t", type: "TERMINATE", inputParameters: { terminationStatus: "DONE" } }]);
    expect(execution.status).toBe("FAILED");
    expect(byRef(execution, "t").reasonForIncompletion).toContain("terminationStatus");
  });

  test("SET_VARIABLE merges its input into workflow.variables for later tasks", () => {
    const { execution } = run([
      { name: "sv", taskReferenceName: "sv", type: "SET_VARIABLE", inputParameters: { count: 2, who: "${workflow.input.who}" } },
      { name: "use", taskReferenceName: "use", inputParameters: { v: "${workflow.variables.who}" } },
    ], { who: "ann" }, new FakeContext(), { variables: { keep: true } });
    expect(execution.variables).toEqual({ keep: true, count: 2, who: "ann" });
    expect(byRef(execution, "use").inputData).toEqual({ v: "ann" });
  });
});

describe("WAIT, HUMAN and DYNAMIC", () => {
  test("WAIT with a duration completes when the time has passed, and arms the timer for it", () => {
    const { ctx, execution, decision } = run([{ name: "w", taskReferenceName: "w", type: "WAIT", inputParameters: { duration: "1m 30s" } }, { name: "next", taskReferenceName: "next" }]);
    expect(byRef(execution, "w").status).toBe("IN_PROGRESS");
    expect(decision.wakeAt).toBe(ctx.now + 90_000);
    onTimer(execution, ctx.advance(89_999));
    expect(byRef(execution, "w").status).toBe("IN_PROGRESS");
    onTimer(execution, ctx.advance(1));
    expect(refs(execution)).toEqual(["w:COMPLETED", "next:SCHEDULED"]);
  });

  test("WAIT until a date; both or neither", () => {
    const ctx = new FakeContext();
    ctx.now = Date.parse("2026-12-01T09:00:00Z");
    const until = run([{ name: "w", taskReferenceName: "w", type: "WAIT", inputParameters: { until: "2026-12-01 10:00 UTC" } }], {}, ctx);
    expect(until.decision.wakeAt).toBe(Date.parse("2026-12-01T10:00:00Z"));
    const both = run([{ name: "w", taskReferenceName: "w", type: "WAIT", inputParameters: { until: "2026-12-01", duration: "1s" } }]);
    expect(byRef(both.execution, "w").status).toBe("FAILED_WITH_TERMINAL_ERROR");
    const bad = run([{ name: "w", taskReferenceName: "w", type: "WAIT", inputParameters: { duration: "soon" } }]);
    expect(byRef(bad.execution, "w").reasonForIncompletion).toContain("soon");
  });

  test("WAIT and HUMAN without a timer wait for an update", () => {
    for (const type of ["WAIT", "HUMAN"]) {
      const { ctx, execution, decision } = run([{ name: "h", taskReferenceName: "h", type }]);
      expect(decision.wakeAt).toBeNull();
      const h = byRef(execution, "h");
      applyTaskResult(execution, h, { workflowInstanceId: "wf", taskId: h.taskId, status: "COMPLETED", outputData: { ok: 1 }, callbackAfterSeconds: 0, logs: [], extendLease: false }, ctx);
      expect(execution).toMatchObject({ status: "COMPLETED", output: { ok: 1 } });
    }
  });

  test("DYNAMIC runs the worker task its input names", () => {
    const { execution, decision } = run([{ name: "dyn", taskReferenceName: "dyn", type: "DYNAMIC", dynamicTaskNameParam: "taskToRun", inputParameters: { taskToRun: "${workflow.input.t}" } }], { t: "resize" });
    expect(byRef(execution, "dyn")).toMatchObject({ taskType: "resize", taskDefName: "resize", status: "SCHEDULED" });
    expect(decision.effects[0]).toMatchObject({ type: "enqueue", queueName: "resize" });
  });
});

describe("EVENT", () => {
  test("records the event it would publish, with the workflow's identity, and completes", () => {
    const { execution } = run([{ name: "e", taskReferenceName: "notify", type: "EVENT", sink: "conductor", inputParameters: { order: "${workflow.input.order}" } }], { order: 7 });
    expect(byRef(execution, "notify")).toMatchObject({
      status: "COMPLETED",
      outputData: { order: 7, workflowInstanceId: "wf", workflowType: "flow", event_produced: "conductor:flow:notify" },
    });
  });

  test("sink conductor:name names a queue of this workflow; other sinks are kept as given", () => {
    expect(byRef(run([{ name: "e", taskReferenceName: "e", type: "EVENT", sink: "conductor:done" }]).execution, "e").outputData?.event_produced).toBe("conductor:flow:done");
    expect(byRef(run([{ name: "e", taskReferenceName: "e", type: "EVENT", sink: "sqs:orders" }]).execution, "e").outputData?.event_produced).toBe("sqs:orders");
  });
});
