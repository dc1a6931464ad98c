/**
 * The worker protocol under the SDK: long polls that wake when work arrives, polls that never
 * hand one task to two workers, update-v2 chaining, and IN_PROGRESS callbacks.
 */
import { expect, test } from "bun:test";
import type { Task } from "@io-orkes/conductor-javascript";
import { SCENARIO_TIMEOUT_MS, uniqueName, waitFor, type Harness } from "./harness.ts";
import type { ConformanceCapabilities } from "./suite.ts";

async function singleTaskWorkflow(h: Harness, prefix: string, extraDef: Record<string, unknown> = {}): Promise<{ type: string; wfName: string }> {
  const type = uniqueName(`cf_${prefix}`);
  const wfName = uniqueName(`cf_${prefix}_wf`);
  await h.registerTaskDefs({ name: type, ...extraDef });
  await h.registerSimpleWorkflow(wfName, [["only", type, { n: "${workflow.input.n}" }]], { result: "${only.output.result}" });
  return { type, wfName };
}

export function pollingScenarios(h: Harness, capabilities: ConformanceCapabilities): void {
  test("a long poll on an empty queue answers as soon as a workflow schedules a task", async () => {
    const { type, wfName } = await singleTaskWorkflow(h, "longpoll", { responseTimeoutSeconds: 30 });

    const poll = h.batchPoll(type, { count: 1, timeoutMs: 5000, workerId: "patient-worker" });
    // Give the poll time to reach the server and start waiting before the task exists.
    await Bun.sleep(300);
    const id = await h.start(wfName, { n: 7 });
    const answer = await poll;

    expect(answer.status).toBe(200);
    expect(answer.tasks).toHaveLength(1);
    // Well under the 5 s the poll was allowed to wait: the start woke it up.
    expect(answer.elapsedMs).toBeLessThan(4000);
    const [task] = answer.tasks;
    // What a worker needs from a polled task (and what the SDK checks before running it).
    expect(task).toMatchObject({
      workflowInstanceId: id,
      taskType: type,
      referenceTaskName: "only",
      status: "IN_PROGRESS",
      inputData: { n: 7 },
      responseTimeoutSeconds: 30,
      workerId: "patient-worker",
      pollCount: 1,
    });
    expect(typeof task.taskId).toBe("string");

    // Handed out once: the queue is empty again.
    expect((await h.batchPoll(type, { count: 5, timeoutMs: 0 })).tasks).toEqual([]);
    await h.workflows.updateTask(task.taskId!, id, "COMPLETED", { result: "done" });
    expect((await h.settled(id)).status).toBe("COMPLETED");
  }, SCENARIO_TIMEOUT_MS);

  if (capabilities.clientAbort) test("a long poll whose client went away takes no task", async () => {
    const { type, wfName } = await singleTaskWorkflow(h, "abandoned", { responseTimeoutSeconds: 60 });
    const gone = new AbortController();
    const abandoned = fetch(`${h.baseUrl}/api/tasks/poll/batch/${type}?count=1&timeout=5000&workerid=gone`, { signal: gone.signal }).catch(() => undefined);
    await Bun.sleep(300);
    gone.abort();
    await abandoned;
    await Bun.sleep(100);
    const id = await h.start(wfName, { n: 1 });
    const answer = await h.batchPoll(type, { count: 1, timeoutMs: 2000, workerId: "alive" });
    expect(answer.tasks.map((t: Task) => [t.workflowInstanceId, t.workerId])).toEqual([[id, "alive"]]);
    await h.workflows.updateTask(answer.tasks[0].taskId!, id, "COMPLETED", { result: "done" });
    expect((await h.settled(id)).status).toBe("COMPLETED");
  }, SCENARIO_TIMEOUT_MS);

  test("a long poll with nothing to hand out answers an empty list when its timeout runs out", async () => {
    const type = uniqueName("cf_idle");
    const answer = await h.batchPoll(type, { count: 3, timeoutMs: 1500 });
    expect(answer.status).toBe(200);
    expect(answer.tasks).toEqual([]);
    // It held the request (that is what spares workers from busy polling) and then let go.
    expect(answer.elapsedMs).toBeGreaterThanOrEqual(1000);
    expect(answer.elapsedMs).toBeLessThan(5000);
  }, SCENARIO_TIMEOUT_MS);

  test("two workers polling the same queue at the same time never receive the same task", async () => {
    const { type, wfName } = await singleTaskWorkflow(h, "contended");
    const total = 30;
    const received: Record<"left" | "right", string[]> = { left: [], right: [] };
    const deadline = Date.now() + 20_000;
    const handedOut = () => received.left.length + received.right.length;
    const poller = async (side: "left" | "right") => {
      while (handedOut() < total && Date.now() < deadline) {
        const { tasks } = await h.batchPoll(type, { count: 4, timeoutMs: 500, workerId: `worker-${side}` });
        received[side].push(...tasks.map((t) => t.taskId!));
      }
    };
    // Pollers already waiting while the workflows arrive, so wake-ups race as well as claims.
    const polling = Promise.all([poller("left"), poller("right")]);
    const ids = await Promise.all(Array.from({ length: total }, (_, n) => h.start(wfName, { n })));
    await polling;

    const scheduled = await Promise.all(ids.map(async (id) => (await h.workflow(id)).tasks!.map((t) => t.taskId!)));
    expect(scheduled.every((taskIds) => taskIds.length === 1)).toBe(true);
    const all = [...received.left, ...received.right];
    expect(received.left.filter((id) => received.right.includes(id))).toEqual([]);
    expect(all).toHaveLength(total);
    expect(new Set(all).size).toBe(total);
    expect([...all].sort()).toEqual(scheduled.flat().sort());
    // Nothing is left behind for a third worker either.
    expect((await h.batchPoll(type, { count: 10, timeoutMs: 0 })).tasks).toEqual([]);

    await Promise.all(ids.map((id, i) => h.workflows.updateTask(scheduled[i][0], id, "COMPLETED", { result: i })));
    const done = await Promise.all(ids.map((id) => h.settled(id)));
    expect(done.map((wf) => wf.output?.result)).toEqual(ids.map((_, i) => i));
  }, SCENARIO_TIMEOUT_MS);

  test("update-v2 completes a task and hands the worker the next task of the same type", async () => {
    const { type, wfName } = await singleTaskWorkflow(h, "chain");
    const first = await h.start(wfName, { n: 1 });
    const second = await h.start(wfName, { n: 2 });

    const { tasks } = await h.batchPoll(type, { count: 1, timeoutMs: 1000, workerId: "chainer" });
    expect(tasks).toHaveLength(1);
    const [polled] = tasks;
    const other = polled.workflowInstanceId === first ? second : first;

    const chained = await h.updateV2({ taskId: polled.taskId!, workflowInstanceId: polled.workflowInstanceId!, status: "COMPLETED", outputData: { result: "a" }, workerId: "chainer" });
    expect(chained.status).toBe(200);
    const next = chained.next as Task;
    expect(next).toMatchObject({ taskType: type, workflowInstanceId: other, status: "IN_PROGRESS", workerId: "chainer", inputData: { n: other === first ? 1 : 2 } });
    expect(next.taskId).not.toBe(polled.taskId);
    // The hand-off is a real claim: nobody else can poll that task now.
    expect((await h.batchPoll(type, { count: 5, timeoutMs: 0 })).tasks).toEqual([]);
    expect(await h.tasks.getTask(next.taskId!)).toMatchObject({ status: "IN_PROGRESS", workerId: "chainer" });

    const last = await h.updateV2({ taskId: next.taskId!, workflowInstanceId: other, status: "COMPLETED", outputData: { result: "b" }, workerId: "chainer" });
    expect(last.status).toBe(204);
    expect(last.next).toBeUndefined();

    expect((await h.settled(polled.workflowInstanceId!)).output).toEqual({ result: "a" });
    expect((await h.settled(other)).output).toEqual({ result: "b" });
  }, SCENARIO_TIMEOUT_MS);

  test("a worker answering IN_PROGRESS with callbackAfterSeconds gets the same task again after the delay, then completes it", async () => {
    const { type, wfName } = await singleTaskWorkflow(h, "callback");
    const calls: { task: Task; at: number }[] = [];
    const workers = await h.runWithTaskHandler([
      {
        taskDefName: type,
        execute: async (task) => {
          calls.push({ task, at: performance.now() });
          if (calls.length === 1) return { status: "IN_PROGRESS", callbackAfterSeconds: 1, outputData: { progress: 50 } };
          return { status: "COMPLETED", outputData: { result: `finished after ${task.outputData?.progress}%` } };
        },
      },
    ]);
    try {
      const id = await h.start(wfName, { n: 3 });
      const wf = await h.settled(id);
      expect(wf.status).toBe("COMPLETED");
      expect(wf.output).toEqual({ result: "finished after 50%" });
      expect(calls).toHaveLength(2);
      const [firstCall, secondCall] = calls;
      // One task, polled twice: IN_PROGRESS keeps the attempt, it is not a retry.
      expect(secondCall.task.taskId).toBe(firstCall.task.taskId);
      expect(secondCall.task.outputData).toEqual({ progress: 50 });
      expect(secondCall.task.pollCount).toBe(2);
      expect(secondCall.at - firstCall.at).toBeGreaterThanOrEqual(900);
      expect(wf.tasks).toHaveLength(1);
      expect(wf.tasks?.[0]).toMatchObject({ taskId: firstCall.task.taskId, status: "COMPLETED", retryCount: 0, pollCount: 2 });
    } finally {
      await workers.stop();
    }
  }, SCENARIO_TIMEOUT_MS);

  test("while its callback delay runs, an IN_PROGRESS task waits SCHEDULED and is not handed out", async () => {
    const { type, wfName } = await singleTaskWorkflow(h, "snooze");
    const id = await h.start(wfName, { n: 1 });
    const [task] = (await h.batchPoll(type, { count: 1, timeoutMs: 1000 })).tasks;
    expect(task.workflowInstanceId).toBe(id);

    const snoozedAt = performance.now();
    const ack = await h.updateV1({ taskId: task.taskId!, workflowInstanceId: id, status: "IN_PROGRESS", callbackAfterSeconds: 3, outputData: { step: 1 } });
    expect(ack.status).toBe(200);
    expect(await h.tasks.getTask(task.taskId!)).toMatchObject({ status: "SCHEDULED", callbackAfterSeconds: 3, outputData: { step: 1 } });

    const again = await waitFor("the snoozed task to be pollable again", async () => {
      const { tasks } = await h.batchPoll(type, { count: 1, timeoutMs: 5000 });
      return tasks[0];
    });
    expect(performance.now() - snoozedAt).toBeGreaterThanOrEqual(2900);
    expect(again).toMatchObject({ taskId: task.taskId, status: "IN_PROGRESS", pollCount: 2, outputData: { step: 1 } });
    await h.workflows.updateTask(again.taskId!, id, "COMPLETED", { result: "woke" });
    expect((await h.settled(id)).output).toEqual({ result: "woke" });
  }, SCENARIO_TIMEOUT_MS);

  test("taskToDomain routes a workflow's task to the SDK worker polling that domain only", async () => {
    const { type, wfName } = await singleTaskWorkflow(h, "routed");
    const servedBy: Record<string, string> = {};
    const serve = (who: string) => async (t: Task) => ((servedBy[t.workflowInstanceId!] = who), { status: "COMPLETED" as const, outputData: { result: who } });
    const blue = h.runWithTaskManager([{ taskDefName: type, domain: "blue", execute: serve("blue") }]);
    const plain = h.runWithTaskManager([{ taskDefName: type, execute: serve("plain") }]);
    try {
      const routed = await h.workflows.startWorkflow({ name: wfName, version: 1, input: { n: 1 }, taskToDomain: { [type]: "blue" } });
      const unrouted = await h.start(wfName, { n: 2 });
      const [routedWf, unroutedWf] = await Promise.all([h.settled(routed), h.settled(unrouted)]);
      expect(routedWf.output).toEqual({ result: "blue" });
      expect(routedWf.tasks?.[0].domain).toBe("blue");
      expect(unroutedWf.output).toEqual({ result: "plain" });
      expect(unroutedWf.tasks?.[0].domain).toBeUndefined();
      expect(servedBy).toEqual({ [routed]: "blue", [unrouted]: "plain" });
    } finally {
      await Promise.all([blue.stop(), plain.stop()]);
    }
  }, SCENARIO_TIMEOUT_MS);
}
