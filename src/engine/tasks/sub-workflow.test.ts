import { describe, expect, test } from "bun:test";
import { applyChildOutcome } from "../child-outcome.ts";
import { startExecution } from "../start.ts";
import { terminateExecution } from "../terminate.ts";
import { byRef, FakeContext, refs, run } from "../testing.ts";

const parent = (retryCount = 0) => [
  { name: "sub", taskReferenceName: "sub", type: "SUB_WORKFLOW", retryCount, subWorkflowParam: { name: "child", version: 2 }, inputParameters: { n: "${workflow.input.n}" } },
  { name: "after", taskReferenceName: "after", inputParameters: { got: "${sub.output.result}" } },
];

describe("SUB_WORKFLOW", () => {
  test("asks for the child to start (derived id, the task's input, the parent's correlation) and waits", () => {
    const { execution, decision } = run(parent(), { n: 3 });
    const sub = byRef(execution, "sub");
    expect(sub).toMatchObject({ status: "IN_PROGRESS", taskType: "SUB_WORKFLOW", outputData: { subWorkflowId: sub.subWorkflowId } });
    expect(decision.messages).toEqual([
      {
        kind: "workflow.start",
        target: sub.subWorkflowId!,
        payload: expect.objectContaining({ workflowId: sub.subWorkflowId, name: "child", version: 2, input: { n: 3 }, parentWorkflowId: "wf", parentWorkflowTaskId: sub.taskId }),
      },
    ]);
    // Derived, so a repeated start finds the same child.
    expect(run(parent(), { n: 3 }).execution.tasks[0].subWorkflowId).toBe(sub.subWorkflowId);
  });

  test("the child's completion completes the task with the child's output and the flow goes on", () => {
    const ctx = new FakeContext();
    const { execution } = run(parent(), { n: 3 }, ctx);
    const sub = byRef(execution, "sub");
    applyChildOutcome(execution, { parentWorkflowTaskId: sub.taskId, childWorkflowId: sub.subWorkflowId!, status: "COMPLETED", output: { result: 9 } }, ctx);
    expect(sub).toMatchObject({ status: "COMPLETED", outputData: { result: 9, subWorkflowId: sub.subWorkflowId } });
    expect(byRef(execution, "after").inputData).toEqual({ got: 9 });
    // A second report of the same end changes nothing.
    expect(applyChildOutcome(execution, { parentWorkflowTaskId: sub.taskId, childWorkflowId: sub.subWorkflowId!, status: "FAILED", output: {} }, ctx)).toBeNull();
  });

  test("a failed child fails the task; with retries left, the retry starts a new child", () => {
    const ctx = new FakeContext();
    const { execution } = run(parent(1), {}, ctx);
    const first = byRef(execution, "sub");
    const d = applyChildOutcome(execution, { parentWorkflowTaskId: first.taskId, childWorkflowId: first.subWorkflowId!, status: "FAILED", output: {}, reasonForIncompletion: "child broke" }, ctx)!;
    expect(first).toMatchObject({ status: "FAILED", reasonForIncompletion: "child broke", retried: true });
    const retry = byRef(execution, "sub");
    expect(retry.retryCount).toBe(1);
    expect(retry.subWorkflowId).not.toBe(first.subWorkflowId);
    expect(d.messages).toEqual([expect.objectContaining({ kind: "workflow.start", target: retry.subWorkflowId })]);
    applyChildOutcome(execution, { parentWorkflowTaskId: retry.taskId, childWorkflowId: retry.subWorkflowId!, status: "FAILED", output: {} }, ctx);
    expect(execution.status).toBe("FAILED");
  });

  test("a terminated child cancels the task; terminating the parent terminates the running child", () => {
    const ctx = new FakeContext();
    const a = run(parent(), {}, ctx).execution;
    const sub = byRef(a, "sub");
    applyChildOutcome(a, { parentWorkflowTaskId: sub.taskId, childWorkflowId: sub.subWorkflowId!, status: "TERMINATED", output: {} }, ctx);
    expect(sub.status).toBe("CANCELED");

    const b = run(parent(), {}, ctx).execution;
    const d = terminateExecution(b, "stop", ctx)!;
    expect(d.messages).toEqual([{ kind: "workflow.terminate", target: byRef(b, "sub").subWorkflowId!, payload: expect.objectContaining({ reason: expect.any(String) }) }]);
  });

  test("a child that ends reports to its parent", () => {
    const ctx = new FakeContext();
    const def = run([{ name: "noop", taskReferenceName: "n", type: "NOOP" }], {}, ctx).execution.workflowDefinition!;
    const d = startExecution({ workflowId: "child-1", definition: def, parentWorkflowId: "p", parentWorkflowTaskId: "p.task" }, ctx);
    expect(d.execution.status).toBe("COMPLETED");
    expect(d.messages).toEqual([{ kind: "workflow.notify", target: "p", payload: expect.objectContaining({ parentWorkflowTaskId: "p.task", childWorkflowId: "child-1", status: "COMPLETED" }) }]);
  });
});

describe("SUB_WORKFLOW with an inline definition", () => {
  test("given as data, or through an expression, the child starts from it", () => {
    const def = { name: "inline_child", tasks: [{ name: "t", taskReferenceName: "t" }] };
    const asData = run([{ name: "sub", taskReferenceName: "sub", type: "SUB_WORKFLOW", subWorkflowParam: { workflowDefinition: def } }]);
    expect(asData.decision.messages[0]).toMatchObject({ kind: "workflow.start", payload: { name: "inline_child", workflowDef: def } });
    const viaInput = run([{ name: "sub", taskReferenceName: "sub", type: "SUB_WORKFLOW", subWorkflowParam: { workflowDefinition: "${workflow.input.def}" } }], { def });
    expect(viaInput.decision.messages[0]).toMatchObject({ kind: "workflow.start", payload: { name: "inline_child", workflowDef: def } });
  });
});

describe("forks: edge cases", () => {
  test("a fork whose branches are all empty goes straight to its join", () => {
    const { execution } = run([
      { name: "f", taskReferenceName: "f", type: "FORK_JOIN", forkTasks: [[], []] },
      { name: "j", taskReferenceName: "j", type: "JOIN", joinOn: [] },
      { name: "after", taskReferenceName: "after" },
    ]);
    expect(refs(execution)).toEqual(["f:COMPLETED", "j:COMPLETED", "after:SCHEDULED"]);
  });
});
