/**
 * Failure handling as a worker sees it: failed attempts are retried as new tasks, terminal
 * errors are not, and a worker that disappears holding a task does not stall the workflow.
 */
import { expect, test } from "bun:test";
import { NonRetryableException, type Task } from "@io-orkes/conductor-javascript";
import { SCENARIO_TIMEOUT_MS, uniqueName, type Harness } from "./harness.ts";

export function retryScenarios(h: Harness): void {
  test("a failed attempt is retried as a new task that records what it retries, and the workflow completes", async () => {
    const type = uniqueName("cf_flaky");
    const wfName = uniqueName("cf_retry");
    await h.registerTaskDefs({ name: type, retryCount: 3, retryDelaySeconds: 0 });
    await h.registerSimpleWorkflow(wfName, [["flaky", type, { attempt: "${workflow.input.label}" }]], { result: "${flaky.output.result}" });

    const attempts: Task[] = [];
    const workers = await h.runWithTaskHandler([
      {
        taskDefName: type,
        execute: async (t) => {
          attempts.push(t);
          // The first attempt reports the failure, the second fails by throwing, as a worker
          // whose dependency is down would; the third succeeds.
          if (attempts.length === 1) return { status: "FAILED", reasonForIncompletion: "upstream answered 503", outputData: { tried: 1 } };
          if (attempts.length === 2) throw new Error("connection reset by upstream");
          return { status: "COMPLETED", outputData: { result: "ok" } };
        },
      },
    ]);
    try {
      const id = await h.start(wfName, { label: "x" });
      const wf = await h.settled(id);
      expect(wf.status).toBe("COMPLETED");
      expect(wf.output).toEqual({ result: "ok" });

      const tasks = wf.tasks ?? [];
      expect(tasks.map((t) => t.status)).toEqual(["FAILED", "FAILED", "COMPLETED"]);
      expect(tasks.every((t) => t.referenceTaskName === "flaky")).toBe(true);
      expect(tasks.map((t) => t.retryCount ?? 0)).toEqual([0, 1, 2]);
      expect(tasks.map((t) => t.retried ?? false)).toEqual([true, true, false]);
      expect(tasks[0].retriedTaskId).toBeUndefined();
      expect(tasks[1].retriedTaskId).toBe(tasks[0].taskId);
      expect(tasks[2].retriedTaskId).toBe(tasks[1].taskId);
      expect(new Set(tasks.map((t) => t.taskId)).size).toBe(3);
      expect(tasks[0].reasonForIncompletion).toBe("upstream answered 503");
      expect(tasks[1].reasonForIncompletion).toContain("connection reset by upstream");
      // A retry is scheduled from the same step, so it gets the same resolved input.
      expect(tasks.map((t) => t.inputData)).toEqual([{ attempt: "x" }, { attempt: "x" }, { attempt: "x" }]);
      // The worker was handed each attempt as its own task, and saw which attempt it was.
      expect(attempts.map((t) => t.taskId)).toEqual(tasks.map((t) => t.taskId));
      expect(attempts.map((t) => t.retryCount ?? 0)).toEqual([0, 1, 2]);
      // Failures that were retried away are not the workflow's failures.
      expect(wf.failedReferenceTaskNames ?? []).toEqual([]);
    } finally {
      await workers.stop();
    }
  }, SCENARIO_TIMEOUT_MS);

  test("NonRetryableException fails the workflow at once, without using the task's retries", async () => {
    const type = uniqueName("cf_validate");
    const next = uniqueName("cf_never");
    const wfName = uniqueName("cf_terminal");
    await h.registerTaskDefs({ name: type, retryCount: 3, retryDelaySeconds: 0 }, { name: next });
    await h.registerSimpleWorkflow(wfName, [
      ["validate", type, { orderId: "${workflow.input.orderId}" }],
      ["after", next, {}],
    ]);

    let calls = 0;
    let nextCalls = 0;
    const workers = await h.runWithTaskHandler([
      {
        taskDefName: type,
        execute: async (t) => {
          calls++;
          throw new NonRetryableException(`order ${t.inputData?.orderId} does not exist`);
        },
      },
      { taskDefName: next, execute: async () => (nextCalls++, { status: "COMPLETED", outputData: {} }) },
    ]);
    try {
      const id = await h.start(wfName, { orderId: 42 });
      const wf = await h.settled(id);
      expect(wf.status).toBe("FAILED");
      expect(wf.reasonForIncompletion).toContain("order 42 does not exist");
      expect(wf.tasks?.map((t) => t.status)).toEqual(["FAILED_WITH_TERMINAL_ERROR"]);
      expect(wf.tasks?.[0].retried ?? false).toBe(false);
      expect(wf.tasks?.[0].reasonForIncompletion).toContain("order 42 does not exist");
      expect(wf.failedReferenceTaskNames).toEqual(["validate"]);
      expect(calls).toBe(1);
      expect(nextCalls).toBe(0);
    } finally {
      await workers.stop();
    }
  }, SCENARIO_TIMEOUT_MS);

  test("a worker returning FAILED_WITH_TERMINAL_ERROR fails the workflow without a retry", async () => {
    const type = uniqueName("cf_charge");
    const wfName = uniqueName("cf_terminal_status");
    await h.registerTaskDefs({ name: type, retryCount: 2, retryDelaySeconds: 0 });
    await h.registerSimpleWorkflow(wfName, [["charge", type, {}]]);

    let calls = 0;
    const workers = h.runWithTaskManager([
      {
        taskDefName: type,
        execute: async () => (calls++, { status: "FAILED_WITH_TERMINAL_ERROR", reasonForIncompletion: "card declined", outputData: { code: "D1" } }),
      },
    ]);
    try {
      const id = await h.start(wfName);
      const wf = await h.settled(id);
      expect(wf.status).toBe("FAILED");
      expect(wf.reasonForIncompletion).toContain("card declined");
      expect(wf.tasks?.map((t) => `${t.status}:${t.retryCount ?? 0}`)).toEqual(["FAILED_WITH_TERMINAL_ERROR:0"]);
      expect(wf.tasks?.[0].outputData).toEqual({ code: "D1" });
      expect(calls).toBe(1);
    } finally {
      await workers.stop();
    }
  }, SCENARIO_TIMEOUT_MS);

  test("a worker that dies holding a task: the attempt times out, the retry completes on another worker, a late answer changes nothing", async () => {
    const type = uniqueName("cf_fragile");
    const wfName = uniqueName("cf_dead_worker");
    await h.registerTaskDefs({ name: type, retryCount: 1, retryDelaySeconds: 0, responseTimeoutSeconds: 2, timeoutSeconds: 60 });
    await h.registerSimpleWorkflow(wfName, [["fragile", type, { n: "${workflow.input.n}" }]], { doubled: "${fragile.output.doubled}" });

    const id = await h.start(wfName, { n: 5 });
    // The doomed worker: takes the task and is never heard from again.
    const { tasks: held } = await h.batchPoll(type, { count: 1, timeoutMs: 5000, workerId: "doomed-worker" });
    expect(held.map((t) => t.workflowInstanceId)).toEqual([id]);
    const dead = held[0];
    expect(dead.responseTimeoutSeconds).toBe(2);

    const survivors: Task[] = [];
    const workers = h.runWithTaskManager([
      { taskDefName: type, execute: async (t) => (survivors.push(t), { status: "COMPLETED", outputData: { doubled: (t.inputData?.n as number) * 2 } }) },
    ]);
    try {
      const wf = await h.settled(id);
      expect(wf.status).toBe("COMPLETED");
      expect(wf.output).toEqual({ doubled: 10 });
      const [timedOut, retry] = wf.tasks ?? [];
      expect(wf.tasks).toHaveLength(2);
      expect(timedOut).toMatchObject({ taskId: dead.taskId, status: "TIMED_OUT", retried: true, workerId: "doomed-worker" });
      expect(timedOut.reasonForIncompletion).toBeTruthy();
      expect(retry).toMatchObject({ status: "COMPLETED", retryCount: 1, retriedTaskId: dead.taskId, inputData: { n: 5 } });
      expect(retry.workerId).not.toBe("doomed-worker");
      expect(survivors.map((t) => t.taskId)).toEqual([retry.taskId!]);
    } finally {
      await workers.stop();
    }

    // The dead worker comes back and reports, through both update endpoints the SDK uses.
    const before = await h.workflow(id);
    const v1 = await h.updateV1({ taskId: dead.taskId!, workflowInstanceId: id, status: "COMPLETED", outputData: { doubled: -1 }, workerId: "doomed-worker" });
    expect(v1.status).toBe(200);
    expect(v1.contentType).toContain("text/plain");
    expect(v1.body).toBe(dead.taskId!);
    const v2 = await h.updateV2({ taskId: dead.taskId!, workflowInstanceId: id, status: "COMPLETED", outputData: { doubled: -2 }, workerId: "doomed-worker" });
    expect(v2.next).toBeUndefined();
    // The SDK helper a script would use for the same thing.
    expect(await h.workflows.updateTask(dead.taskId!, id, "FAILED", { doubled: -3 })).toBe(dead.taskId!);

    const after = await h.workflow(id);
    expect(after.status).toBe("COMPLETED");
    expect(after.output).toEqual({ doubled: 10 });
    expect(after.tasks).toEqual(before.tasks);
    expect(await h.tasks.getTask(dead.taskId!)).toMatchObject({ status: "TIMED_OUT", outputData: {} });
  }, SCENARIO_TIMEOUT_MS);

  test("a long-running SDK worker with lease extension keeps its task past responseTimeoutSeconds", async () => {
    const type = uniqueName("cf_marathon");
    const wfName = uniqueName("cf_lease");
    // The SDK heartbeats at 80 % of the response timeout; 4 s leaves it a comfortable margin.
    await h.registerTaskDefs({ name: type, retryCount: 1, retryDelaySeconds: 0, responseTimeoutSeconds: 4, timeoutSeconds: 60 });
    await h.registerSimpleWorkflow(wfName, [["marathon", type, {}]], { laps: "${marathon.output.laps}" });

    let calls = 0;
    const workers = h.runWithTaskManager([
      {
        taskDefName: type,
        leaseExtendEnabled: true,
        execute: async () => {
          calls++;
          // Nearly twice the response timeout: only the heartbeats keep the attempt alive.
          await Bun.sleep(7000);
          return { status: "COMPLETED", outputData: { laps: 42 } };
        },
      },
    ]);
    try {
      const id = await h.start(wfName);
      const wf = await h.settled(id);
      expect(wf.status).toBe("COMPLETED");
      expect(wf.output).toEqual({ laps: 42 });
      expect(wf.tasks?.map((t) => `${t.status}:${t.retryCount ?? 0}`)).toEqual(["COMPLETED:0"]);
      expect(calls).toBe(1);
    } finally {
      await workers.stop();
    }
  }, SCENARIO_TIMEOUT_MS);
}
