import { describe, expect, test } from "bun:test";
import type { Workflow } from "../model/index.ts";
import { claimTask } from "./claim-task.ts";
import type { Decision } from "./context.ts";
import { startExecution } from "./start.ts";
import { onTimer, terminateExecution } from "./terminate.ts";
import { FakeContext, workflowDef } from "./testing.ts";
import { applyTaskResult, findTask } from "./update-task.ts";

const threeSteps = (taskDefs: Parameters<typeof workflowDef>[1] = []) =>
  workflowDef(
    {
      name: "three",
      tasks: [
        { name: "a", taskReferenceName: "a1", inputParameters: { x: "${workflow.input.x}" } },
        { name: "b", taskReferenceName: "b1", inputParameters: { fromA: "${a1.output.value}" } },
        { name: "c", taskReferenceName: "c1" },
      ],
      outputParameters: { result: "${c1.output.done}", x: "${workflow.input.x}" },
    },
    taskDefs,
  );

function start(ctx: FakeContext, def = threeSteps(), input: Record<string, unknown> = { x: 7 }): Decision {
  return startExecution({ workflowId: "wf-1", definition: def, input, correlationId: "corr" }, ctx);
}

function complete(ctx: FakeContext, execution: Workflow, ref: string, output: Record<string, unknown> = {}, status: "COMPLETED" | "FAILED" | "FAILED_WITH_TERMINAL_ERROR" = "COMPLETED", reason?: string) {
  const task = [...execution.tasks].reverse().find((t) => t.referenceTaskName === ref)!;
  claimTask(execution, task.taskId, "worker-1", ctx);
  const outcome = applyTaskResult(execution, task, { workflowInstanceId: execution.workflowId, taskId: task.taskId, status, outputData: output, reasonForIncompletion: reason, callbackAfterSeconds: 0, logs: [], extendLease: false }, ctx);
  if (outcome.kind !== "applied") throw new Error("update ignored");
  return outcome.decision;
}

describe("a sequence of worker tasks", () => {
  test("start schedules the first task with its input resolved and enqueues it", () => {
    const ctx = new FakeContext();
    const d = start(ctx);
    expect(d.execution.status).toBe("RUNNING");
    expect(d.execution.tasks).toHaveLength(1);
    const [a] = d.execution.tasks;
    expect(a).toMatchObject({ referenceTaskName: "a1", taskType: "a", status: "SCHEDULED", inputData: { x: 7 }, seq: 1, correlationId: "corr", workflowInstanceId: "wf-1" });
    expect(d.effects).toEqual([{ type: "enqueue", taskId: a.taskId, queueName: "a", workflowId: "wf-1", priority: 0, visibleAt: ctx.now }]);
  });

  test("each completion schedules the next, and the last one completes the workflow with outputParameters", () => {
    const ctx = new FakeContext();
    const { execution } = start(ctx);
    let d = complete(ctx.advance(500), execution, "a1", { value: "A" });
    expect(d.execution.updateTime).toBe(ctx.now);
    expect(d.execution.tasks.map((t) => [t.referenceTaskName, t.status])).toEqual([["a1", "COMPLETED"], ["b1", "SCHEDULED"]]);
    expect(d.execution.tasks[1].inputData).toEqual({ fromA: "A" });
    complete(ctx, execution, "b1");
    d = complete(ctx, execution, "c1", { done: true });
    expect(d.execution.status).toBe("COMPLETED");
    expect(d.execution.output).toEqual({ result: true, x: 7 });
    expect(d.execution.endTime).toBe(ctx.now);
    expect(d.wakeAt).toBeNull();
  });

  test("without outputParameters the output is the last task's output", () => {
    const ctx = new FakeContext();
    const def = workflowDef({ name: "one", tasks: [{ name: "a", taskReferenceName: "a1" }] });
    const { execution } = start(ctx, def);
    expect(complete(ctx, execution, "a1", { k: [1, 2] }).execution.output).toEqual({ k: [1, 2] });
  });

  test("a second completion of the same task changes nothing", () => {
    const ctx = new FakeContext();
    const { execution } = start(ctx);
    complete(ctx, execution, "a1", { value: 1 });
    const a = execution.tasks[0];
    const again = applyTaskResult(execution, a, { workflowInstanceId: "wf-1", taskId: a.taskId, status: "FAILED", outputData: {}, callbackAfterSeconds: 0, logs: [], extendLease: false }, ctx);
    expect(again.kind).toBe("ignored");
    expect(a.status).toBe("COMPLETED");
    expect(execution.tasks).toHaveLength(2);
  });

  test("a claim starts the attempt; a stale claim is refused", () => {
    const ctx = new FakeContext();
    const { execution } = start(ctx);
    const id = execution.tasks[0].taskId;
    const first = claimTask(execution, id, "w1", ctx.advance(50));
    expect(first?.task).toMatchObject({ status: "IN_PROGRESS", pollCount: 1, workerId: "w1", startTime: ctx.now });
    expect(claimTask(execution, id, "w2", ctx)).toBeNull();
  });
});

describe("retries", () => {
  const def = () => threeSteps([{ name: "a", retryCount: 2, retryDelaySeconds: 3, retryLogic: "FIXED" }]);

  test("a failed attempt is retried as a new task after the delay, with retriedTaskId", () => {
    const ctx = new FakeContext();
    const { execution } = start(ctx, def());
    const first = execution.tasks[0];
    const d = complete(ctx, execution, "a1", {}, "FAILED", "boom");
    expect(first).toMatchObject({ status: "FAILED", retried: true, reasonForIncompletion: "boom" });
    const retry = d.execution.tasks[1];
    expect(retry).toMatchObject({ referenceTaskName: "a1", status: "SCHEDULED", retryCount: 1, retriedTaskId: first.taskId, seq: 2 });
    expect(retry.taskId).not.toBe(first.taskId);
    expect(d.effects).toContainEqual(expect.objectContaining({ type: "enqueue", taskId: retry.taskId, visibleAt: ctx.now + 3000 }));
  });

  test("when retries run out the workflow fails naming the task", () => {
    const ctx = new FakeContext();
    const { execution } = start(ctx, def());
    complete(ctx, execution, "a1", {}, "FAILED", "1");
    complete(ctx, execution, "a1", {}, "FAILED", "2");
    const d = complete(ctx, execution, "a1", {}, "FAILED", "3");
    expect(d.execution.status).toBe("FAILED");
    const last = d.execution.tasks[2];
    expect(d.execution.reasonForIncompletion).toBe(`Task ${last.taskId} failed with status: FAILED and reason: '3'`);
    expect(d.execution.failedReferenceTaskNames).toEqual(["a1"]);
    expect(d.execution.tasks).toHaveLength(3);
  });

  test("FAILED_WITH_TERMINAL_ERROR is never retried", () => {
    const ctx = new FakeContext();
    const { execution } = start(ctx, def());
    const d = complete(ctx, execution, "a1", {}, "FAILED_WITH_TERMINAL_ERROR", "fatal");
    expect(d.execution.status).toBe("FAILED");
    expect(d.execution.tasks).toHaveLength(1);
  });

  test("the workflow task's retryCount overrides the definition's", () => {
    const ctx = new FakeContext();
    const d0 = workflowDef({ name: "w", tasks: [{ name: "a", taskReferenceName: "a1", retryCount: 0 }] }, [{ name: "a", retryCount: 5 }]);
    const { execution } = start(ctx, d0);
    expect(complete(ctx, execution, "a1", {}, "FAILED").execution.status).toBe("FAILED");
  });

  test("an optional task that fails for good completes with errors and the flow goes on", () => {
    const ctx = new FakeContext();
    const d0 = workflowDef({ name: "w", tasks: [{ name: "a", taskReferenceName: "a1", optional: true }, { name: "b", taskReferenceName: "b1" }] }, [{ name: "a", retryCount: 0 }]);
    const { execution } = start(ctx, d0);
    const d = complete(ctx, execution, "a1", {}, "FAILED");
    expect(d.execution.tasks.map((t) => t.status)).toEqual(["COMPLETED_WITH_ERRORS", "SCHEDULED"]);
    expect(complete(ctx, execution, "b1").execution.status).toBe("COMPLETED");
  });
});

describe("timeouts", () => {
  test("a worker that goes silent past responseTimeoutSeconds times out and the task is retried", () => {
    const ctx = new FakeContext();
    const def = threeSteps([{ name: "a", responseTimeoutSeconds: 10, retryCount: 1, retryDelaySeconds: 0 }]);
    const { execution } = start(ctx, def);
    const a = execution.tasks[0];
    const claimed = claimTask(execution, a.taskId, "w1", ctx)!;
    expect(claimed.decision.wakeAt).toBe(ctx.now + 10_000);
    const early = onTimer(execution, ctx.advance(9_999));
    expect(early.changedTasks).toHaveLength(0);
    const d = onTimer(execution, ctx.advance(1));
    expect(a.status).toBe("TIMED_OUT");
    expect(a.reasonForIncompletion).toContain("responseTimeout");
    expect(d.execution.tasks[1]).toMatchObject({ referenceTaskName: "a1", status: "SCHEDULED", retryCount: 1 });
  });

  test("a heartbeat (extendLease) pushes the response deadline back", () => {
    const ctx = new FakeContext();
    const def = threeSteps([{ name: "a", responseTimeoutSeconds: 10 }]);
    const { execution } = start(ctx, def);
    const a = execution.tasks[0];
    claimTask(execution, a.taskId, "w1", ctx);
    ctx.advance(8_000);
    const beat = applyTaskResult(execution, a, { workflowInstanceId: "wf-1", taskId: a.taskId, status: "IN_PROGRESS", extendLease: true, outputData: {}, callbackAfterSeconds: 0, logs: [] }, ctx);
    expect(beat.kind === "applied" && beat.decision.wakeAt).toBe(ctx.now + 10_000);
    onTimer(execution, ctx.advance(5_000));
    expect(a.status).toBe("IN_PROGRESS");
  });

  test("timeoutSeconds with TIME_OUT_WF times out the workflow", () => {
    const ctx = new FakeContext();
    const def = threeSteps([{ name: "a", timeoutSeconds: 30, responseTimeoutSeconds: 30, timeoutPolicy: "TIME_OUT_WF" }]);
    const { execution } = start(ctx, def);
    claimTask(execution, execution.tasks[0].taskId, "w1", ctx);
    // A heartbeat keeps the response timeout away, but not the overall task timeout.
    ctx.advance(20_000);
    applyTaskResult(execution, execution.tasks[0], { workflowInstanceId: "wf-1", taskId: execution.tasks[0].taskId, status: "IN_PROGRESS", extendLease: true, outputData: {}, callbackAfterSeconds: 0, logs: [] }, ctx);
    const d = onTimer(execution, ctx.advance(10_000));
    expect(d.execution.status).toBe("TIMED_OUT");
    expect(execution.tasks[0].status).toBe("TIMED_OUT");
  });

  test("timeoutSeconds with RETRY times the attempt out and retries it", () => {
    const ctx = new FakeContext();
    const def = threeSteps([{ name: "a", timeoutSeconds: 5, responseTimeoutSeconds: 5, timeoutPolicy: "RETRY", retryCount: 1, retryDelaySeconds: 0 }]);
    const { execution } = start(ctx, def);
    claimTask(execution, execution.tasks[0].taskId, "w1", ctx);
    const d = onTimer(execution, ctx.advance(5_000));
    expect(d.execution.status).toBe("RUNNING");
    expect(d.execution.tasks.map((t) => t.status)).toEqual(["TIMED_OUT", "SCHEDULED"]);
  });

  test("pollTimeoutSeconds times out a task nobody polls", () => {
    const ctx = new FakeContext();
    const def = threeSteps([{ name: "a", pollTimeoutSeconds: 2, timeoutPolicy: "TIME_OUT_WF" }]);
    const { execution, wakeAt } = start(ctx, def);
    expect(wakeAt).toBe(ctx.now + 2_000);
    const d = onTimer(execution, ctx.advance(2_000));
    expect(d.execution.status).toBe("TIMED_OUT");
    expect(d.effects).toContainEqual({ type: "dequeue", taskId: execution.tasks[0].taskId, queueName: "a" });
  });

  test("ALERT_ONLY never stops anything", () => {
    const ctx = new FakeContext();
    const def = threeSteps([{ name: "a", timeoutSeconds: 5, responseTimeoutSeconds: 5, timeoutPolicy: "ALERT_ONLY" }]);
    const { execution } = start(ctx, def);
    const claimed = claimTask(execution, execution.tasks[0].taskId, "w1", ctx)!;
    // Only the response timeout (always enforced) is armed.
    expect(claimed.decision.wakeAt).toBe(ctx.now + 5_000);
  });
});

describe("callbacks, delays and termination", () => {
  test("IN_PROGRESS with callbackAfterSeconds re-queues the same task after the delay", () => {
    const ctx = new FakeContext();
    const { execution } = start(ctx);
    const a = execution.tasks[0];
    claimTask(execution, a.taskId, "w1", ctx);
    const out = applyTaskResult(execution, a, { workflowInstanceId: "wf-1", taskId: a.taskId, status: "IN_PROGRESS", callbackAfterSeconds: 30, outputData: { p: 1 }, logs: [], extendLease: false }, ctx);
    expect(out.kind).toBe("applied");
    expect(a).toMatchObject({ status: "SCHEDULED", callbackAfterSeconds: 30, outputData: { p: 1 } });
    expect(out.kind === "applied" && out.decision.effects).toContainEqual(expect.objectContaining({ type: "enqueue", taskId: a.taskId, visibleAt: ctx.now + 30_000 }));
  });

  test("startDelay delays the task's visibility", () => {
    const ctx = new FakeContext();
    const def = workflowDef({ name: "w", tasks: [{ name: "a", taskReferenceName: "a1", startDelay: 4 }] });
    const d = start(ctx, def);
    expect(d.effects[0]).toMatchObject({ type: "enqueue", visibleAt: ctx.now + 4_000 });
  });

  test("terminate cancels open tasks and removes their queue messages; terminating again is a no-op", () => {
    const ctx = new FakeContext();
    const { execution } = start(ctx);
    const d = terminateExecution(execution, "stop", ctx)!;
    expect(d.execution).toMatchObject({ status: "TERMINATED", reasonForIncompletion: "stop" });
    expect(findTask(execution, execution.tasks[0].taskId)?.status).toBe("CANCELED");
    expect(d.effects).toContainEqual({ type: "dequeue", taskId: execution.tasks[0].taskId, queueName: "a" });
    expect(terminateExecution(execution, "again", ctx)).toBeNull();
  });

  test("terminate without a reason records none", () => {
    const ctx = new FakeContext();
    const { execution } = start(ctx);
    expect(terminateExecution(execution, undefined, ctx)!.execution.reasonForIncompletion).toBeUndefined();
  });

  test("taskToDomain routes the task to a domain queue", () => {
    const ctx = new FakeContext();
    const d = startExecution({ workflowId: "w", definition: threeSteps(), taskToDomain: { "*": "blue" } }, ctx);
    expect(d.execution.tasks[0].domain).toBe("blue");
    expect(d.effects[0]).toMatchObject({ queueName: "blue:a" });
  });
});
