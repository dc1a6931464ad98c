/**
 * A server crash in the middle of work: everything committed before it is still there after the
 * restart, timers re-arm from storage, and the SDK workers finish the job without repeating
 * anything that was already done.
 */
import { expect, test } from "bun:test";
import type { Task, Workflow } from "@io-orkes/conductor-javascript";
import { SCENARIO_TIMEOUT_MS, uniqueName, waitFor, type Harness } from "./harness.ts";

export function restartScenarios(h: Harness): void {
  test("workflows survive a server crash and restart, and SDK workers finish them with nothing lost or done twice", async () => {
    const [prepare, finish] = [uniqueName("cf_prepare"), uniqueName("cf_finish")];
    const wfName = uniqueName("cf_durable");
    // A short response timeout so the task held across the crash is retried soon after it.
    await h.registerTaskDefs({ name: prepare, retryCount: 1, retryDelaySeconds: 0, responseTimeoutSeconds: 2, timeoutSeconds: 60 }, { name: finish });
    await h.registerSimpleWorkflow(
      wfName,
      [
        ["prepare", prepare, { n: "${workflow.input.n}" }],
        ["finish", finish, { doubled: "${prepare.output.doubled}" }],
      ],
      { result: "${finish.output.result}" },
    );

    const total = 10;
    const ids = await Promise.all(Array.from({ length: total }, (_, n) => h.start(wfName, { n }, `durable-${n}`)));

    // Before the crash, a hand-driven worker takes seven `prepare` tasks, finishes five, asks
    // to be called back about one, and is still holding the last when the server dies.
    const polled: Task[] = [];
    await waitFor("seven prepare tasks to be polled", async () => {
      polled.push(...(await h.batchPoll(prepare, { count: 7 - polled.length, timeoutMs: 1000, workerId: "pre-crash" })).tasks);
      return polled.length === 7;
    });
    const [held, snoozed, ...finishedBefore] = polled;
    await Promise.all(
      finishedBefore.map((t) => h.workflows.updateTask(t.taskId!, t.workflowInstanceId!, "COMPLETED", { doubled: (t.inputData?.n as number) * 2 })),
    );
    const snooze = await h.updateV1({ taskId: snoozed.taskId!, workflowInstanceId: snoozed.workflowInstanceId!, status: "IN_PROGRESS", callbackAfterSeconds: 2, outputData: { progress: "half" } });
    expect(snooze.status).toBe(200);
    const before = await Promise.all(ids.map((id) => h.workflow(id)));

    await h.target.restart!();

    const after = await Promise.all(ids.map((id) => h.workflow(id)));
    for (let i = 0; i < total; i++) {
      expect(after[i].status).toBe("RUNNING");
      expect(after[i].correlationId).toBe(`durable-${i}`);
      expect(after[i].input).toEqual({ n: i });
      // The held task may already have timed out by now; everything else is exactly as it was,
      // including the snoozed task still waiting SCHEDULED with its progress.
      const stable = (wf: Workflow) => wf.tasks!.filter((t) => t.taskId !== held.taskId).map((t) => ({ id: t.taskId, ref: t.referenceTaskName, status: t.status, output: t.outputData }));
      expect(stable(after[i])).toEqual(stable(before[i]));
    }

    const executed = new Map<string, Task[]>();
    const record = (t: Task) => executed.set(t.taskDefName ?? t.taskType!, [...(executed.get(t.taskDefName ?? t.taskType!) ?? []), t]);
    const workers = await h.runWithTaskHandler([
      { taskDefName: prepare, concurrency: 2, execute: async (t) => (record(t), { status: "COMPLETED", outputData: { doubled: (t.inputData?.n as number) * 2 } }) },
      { taskDefName: finish, concurrency: 2, execute: async (t) => (record(t), { status: "COMPLETED", outputData: { result: (t.inputData?.doubled as number) + 1 } }) },
    ]);
    try {
      // A workflow started after the restart runs too: definitions survived as well.
      const late = await h.start(wfName, { n: 100 });

      const done = await Promise.all([...ids, late].map((id) => h.settled(id)));
      done.forEach((wf, i) => {
        expect(wf.status).toBe("COMPLETED");
        expect(wf.output).toEqual({ result: (i < total ? i : 100) * 2 + 1 });
      });

      const heldWf = done[ids.indexOf(held.workflowInstanceId!)];
      expect(heldWf.tasks?.map((t) => `${t.referenceTaskName}:${t.status}:${t.retryCount ?? 0}`)).toEqual([
        "prepare:TIMED_OUT:0",
        "prepare:COMPLETED:1",
        "finish:COMPLETED:0",
      ]);
      expect(heldWf.tasks?.[1].retriedTaskId).toBe(held.taskId);

      // The callback delay was a stored timer too: the same attempt came back to a worker.
      const snoozedWf = done[ids.indexOf(snoozed.workflowInstanceId!)];
      expect(snoozedWf.tasks?.[0]).toMatchObject({ taskId: snoozed.taskId, status: "COMPLETED", retryCount: 0, pollCount: 2 });
      expect((executed.get(prepare) ?? []).find((t) => t.taskId === snoozed.taskId)?.outputData).toEqual({ progress: "half" });

      // Work finished before the crash was not handed out again; everything else ran once.
      const preparedBySdk = (executed.get(prepare) ?? []).map((t) => t.workflowInstanceId).sort();
      const finishedBeforeIds = new Set(finishedBefore.map((t) => t.workflowInstanceId));
      expect(preparedBySdk).toEqual([...ids.filter((id) => !finishedBeforeIds.has(id)), late].sort());
      expect((executed.get(finish) ?? []).map((t) => t.workflowInstanceId).sort()).toEqual([...ids, late].sort());
      for (const wf of done) {
        const prepared = wf.tasks!.filter((t) => t.referenceTaskName === "prepare" && t.status === "COMPLETED");
        expect(prepared).toHaveLength(1);
        if (finishedBeforeIds.has(wf.workflowId)) expect(prepared[0].workerId).toBe("pre-crash");
      }
    } finally {
      await workers.stop();
    }
  }, SCENARIO_TIMEOUT_MS);
}
