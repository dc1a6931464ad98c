/**
 * Stopping a workflow from outside: its open tasks are cancelled, leave their queue, and a worker
 * still holding one cannot bring it back.
 */
import { expect, test } from "bun:test";
import { SCENARIO_TIMEOUT_MS, uniqueName, type Harness } from "./harness.ts";

export function terminateScenarios(h: Harness): void {
  test("terminating a running workflow cancels its scheduled task, which can no longer be polled", async () => {
    const type = uniqueName("cf_unwanted");
    const wfName = uniqueName("cf_terminate");
    await h.registerTaskDefs({ name: type });
    await h.registerSimpleWorkflow(wfName, [["pending", type, {}]]);

    const id = await h.start(wfName, { why: "testing" });
    const running = await h.workflow(id);
    expect(running.status).toBe("RUNNING");
    expect(running.tasks?.map((t) => t.status)).toEqual(["SCHEDULED"]);

    await h.workflows.terminate(id, "customer cancelled the order");

    const wf = await h.workflow(id);
    expect(wf.status).toBe("TERMINATED");
    expect(wf.reasonForIncompletion).toContain("customer cancelled the order");
    expect(wf.endTime).toBeGreaterThan(0);
    expect(wf.tasks?.map((t) => t.status)).toEqual(["CANCELED"]);
    expect((await h.workflows.getWorkflowStatus(id, false, false)).status).toBe("TERMINATED");

    // A worker arriving now finds nothing: a long poll runs out empty.
    const poll = await h.batchPoll(type, { count: 5, timeoutMs: 500 });
    expect(poll.tasks).toEqual([]);
  }, SCENARIO_TIMEOUT_MS);

  test("a worker finishing a task of a terminated workflow is answered normally and changes nothing", async () => {
    const type = uniqueName("cf_slow");
    const next = uniqueName("cf_after");
    const wfName = uniqueName("cf_terminate_held");
    await h.registerTaskDefs({ name: type }, { name: next });
    await h.registerSimpleWorkflow(wfName, [
      ["slow", type, {}],
      ["after", next, {}],
    ]);

    const id = await h.start(wfName);
    const [held] = (await h.batchPoll(type, { count: 1, timeoutMs: 1000, workerId: "busy-worker" })).tasks;
    expect(held.workflowInstanceId).toBe(id);

    await h.workflows.terminate(id, "operator stop");
    expect(await h.tasks.getTask(held.taskId!)).toMatchObject({ status: "CANCELED" });

    const late = await h.updateV2({ taskId: held.taskId!, workflowInstanceId: id, status: "COMPLETED", outputData: { done: true }, workerId: "busy-worker" });
    expect(late.next).toBeUndefined();

    const wf = await h.workflow(id);
    expect(wf.status).toBe("TERMINATED");
    expect(wf.tasks?.map((t) => `${t.referenceTaskName}:${t.status}`)).toEqual(["slow:CANCELED"]);
    expect((await h.batchPoll(next, { count: 1, timeoutMs: 0 })).tasks).toEqual([]);
  }, SCENARIO_TIMEOUT_MS);
}
