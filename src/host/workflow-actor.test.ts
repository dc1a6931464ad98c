import { afterEach, beforeEach, expect, mock, spyOn, test } from "bun:test";
import { ActorWorld, taskResult, workflowDef, type WorkflowHandle } from "../../test/support/actor-fixture.ts";
import type { StartParams } from "../engine/start.ts";
import { NotFound } from "../errors.ts";
import type { Task } from "../model/index.ts";
import type { QueuedMessage } from "../ports/stores.ts";
import { backoffMs } from "./outbox-delivery.ts";

const EVERYTHING = Number.MAX_SAFE_INTEGER;

let world: ActorWorld;
beforeEach(async () => {
  // Failed deliveries are logged by design; some tests fail them on purpose.
  spyOn(console, "warn").mockImplementation(() => undefined);
  world = await ActorWorld.create();
});
afterEach(async () => {
  mock.restore();
  await world.close();
});

const steps = workflowDef(
  {
    name: "steps",
    tasks: [
      { name: "a", taskReferenceName: "a1" },
      { name: "b", taskReferenceName: "b1", inputParameters: { fromA: "${a1.output.value}" } },
      { name: "c", taskReferenceName: "c1" },
    ],
  },
  [{ name: "a", responseTimeoutSeconds: 10, retryCount: 1, retryDelaySeconds: 0 }],
);

function params(input: Record<string, unknown> = {}): StartParams {
  return { workflowId: "wf-1", definition: steps, input };
}

async function started(): Promise<WorkflowHandle> {
  const w = await world.workflow("wf-1");
  await w.actor.start(params());
  return w;
}

/** What the Worker does on a poll: lease at the queue, start the attempt at the workflow, acknowledge. */
async function pollAndClaim(w: WorkflowHandle, queueName: string): Promise<Task> {
  const queue = (await world.queue(queueName)).actor;
  const [message] = await queue.poll(1, 0, "worker-1");
  expect(message).toBeDefined();
  const task = await w.actor.claim(message.taskId, "worker-1");
  await queue.ack([message.taskId]);
  expect(task).not.toBeNull();
  return task!;
}

async function queued(queueName: string): Promise<string[]> {
  return (await (await world.queue(queueName)).store.loadAll()).map((m) => m.taskId);
}

const statuses = async (w: WorkflowHandle) => (await w.actor.get(true))!.tasks.map((t) => [t.referenceTaskName, t.status]);

test("start answers once the first task is on its queue and the index knows the workflow", async () => {
  const w = await started();
  const [first] = (await w.actor.get(true))!.tasks;
  expect(first).toMatchObject({ referenceTaskName: "a1", status: "SCHEDULED" });
  expect(first.taskId.startsWith("wf-1.")).toBe(true);
  expect(await queued("a")).toEqual([first.taskId]);
  expect(await world.index.findWorkflowIds({ workflowName: "steps" })).toEqual(["wf-1"]);
  expect(await w.outbox.nextDue()).toBeNull();
});

test("a queue that fails during start: the start still commits, and the alarm is armed for the retry", async () => {
  world.breakQueue("a", "offer");
  const w = await started();
  const stored = await w.executions.load("wf-1");
  expect(stored?.execution.tasks.map((t) => t.status)).toEqual(["SCHEDULED"]);
  const [offer] = await w.outbox.due(EVERYTHING, 10);
  expect(offer).toMatchObject({ kind: "queue.offer", target: "a", attempts: 1, nextAttemptAt: world.clock.now + backoffMs(0) });
  expect(w.alarm.at).toBe(offer.nextAttemptAt);
});

test("after a failed start, ringing the alarm once the queue is back delivers the task, which can then be polled", async () => {
  world.breakQueue("a", "offer");
  const w = await started();
  const [offer] = await w.outbox.due(EVERYTHING, 10);
  const { taskId } = offer.payload as QueuedMessage;
  expect(w.alarm.at).not.toBeNull();
  expect(await queued("a")).toEqual([]);

  world.healQueue("a");
  world.clock.now = offer.nextAttemptAt;
  await w.actor.alarm();
  expect(await queued("a")).toEqual([taskId]);
  expect(await w.outbox.nextDue()).toBeNull();
  const task = await pollAndClaim(w, "a");
  expect(task).toMatchObject({ taskId, status: "IN_PROGRESS", workerId: "worker-1" });
});

test("a second start with the same id changes nothing", async () => {
  const w = await world.workflow("wf-1");
  await w.actor.start(params({ n: 1 }));
  await w.actor.start(params({ n: 2 }));
  const execution = (await w.actor.get(true))!;
  expect(execution.input).toEqual({ n: 1 });
  expect(execution.tasks).toHaveLength(1);
  expect(await queued("a")).toHaveLength(1);
  expect(await w.outbox.nextDue()).toBeNull();
});

test("claim starts the attempt, and the update answers once the next task is on its queue", async () => {
  const w = await started();
  const a = await pollAndClaim(w, "a");
  expect(a).toMatchObject({ status: "IN_PROGRESS", workerId: "worker-1", pollCount: 1 });
  expect(await queued("a")).toEqual([]);

  const done = await w.actor.update(taskResult(a, "COMPLETED", { value: 42 }));
  expect(done.status).toBe("COMPLETED");
  const b = (await w.actor.get(true))!.tasks[1];
  expect(b).toMatchObject({ referenceTaskName: "b1", status: "SCHEDULED", inputData: { fromA: 42 } });
  expect(await queued("b")).toEqual([b.taskId]);
});

test("a claim of a task that is no longer waiting returns null and changes nothing", async () => {
  const w = await started();
  const a = await pollAndClaim(w, "a");
  expect(await w.actor.claim(a.taskId, "worker-2")).toBeNull();
  expect((await w.actor.getTask(a.taskId))).toMatchObject({ workerId: "worker-1", pollCount: 1 });
});

test("an update for a task the workflow does not have is NotFound, also across RPC", async () => {
  const w = await started();
  await expect(w.actor.update(taskResult({ taskId: "wf-1.unknown", workflowInstanceId: "wf-1" }, "COMPLETED"))).rejects.toBeInstanceOf(NotFound);
  await expect(world.workflowPeer("wf-never").update(taskResult({ taskId: "wf-never.x", workflowInstanceId: "wf-never" }, "COMPLETED"))).rejects.toBeInstanceOf(NotFound);
  expect(await statuses(w)).toEqual([["a1", "SCHEDULED"]]);
});

test("a duplicate completion is harmless: the first result stands and the next task is queued once", async () => {
  const w = await started();
  const a = await pollAndClaim(w, "a");
  await w.actor.update(taskResult(a, "COMPLETED", { value: 1 }));
  const again = await w.actor.update(taskResult(a, "FAILED", { value: 2 }));
  expect(again).toMatchObject({ status: "COMPLETED", outputData: { value: 1 } });
  expect(await statuses(w)).toEqual([["a1", "COMPLETED"], ["b1", "SCHEDULED"]]);
  expect(await queued("b")).toHaveLength(1);
  expect(await w.outbox.nextDue()).toBeNull();
});

test("the alarm rung at the response deadline times the attempt out and queues the retry", async () => {
  const w = await started();
  const a = await pollAndClaim(w, "a");
  const deadline = world.clock.now + 10_000;
  expect(w.alarm.at).toBe(deadline);

  // A ring before the deadline (alarms may be retried early) decides nothing.
  world.clock.now = deadline - 1;
  await w.actor.alarm();
  expect(await statuses(w)).toEqual([["a1", "IN_PROGRESS"]]);

  world.clock.now = deadline;
  await w.actor.alarm();
  const [timedOut, retry] = (await w.actor.get(true))!.tasks;
  expect(timedOut).toMatchObject({ taskId: a.taskId, status: "TIMED_OUT" });
  expect(retry).toMatchObject({ referenceTaskName: "a1", status: "SCHEDULED", retryCount: 1, retriedTaskId: a.taskId });
  expect(await queued("a")).toEqual([retry.taskId]);
  expect(await w.actor.update(taskResult(a, "COMPLETED"))).toMatchObject({ status: "TIMED_OUT" });
});

test("objects evicted and recreated mid-workflow finish it with nothing lost and nothing done twice", async () => {
  let w = await started();
  const a = await pollAndClaim(w, "a");
  await w.actor.update(taskResult(a, "COMPLETED", { value: "A" }));

  // Evicted while b waits on its queue.
  w = await world.restartWorkflow("wf-1");
  await world.restartQueue("b");
  const b = await pollAndClaim(w, "b");
  expect(b.inputData).toEqual({ fromA: "A" });

  // Evicted while b runs; then c's offer cannot reach its queue.
  w = await world.restartWorkflow("wf-1");
  world.breakQueue("c", "offer");
  await w.actor.update(taskResult(b, "COMPLETED"));
  const [stuck] = await w.outbox.due(EVERYTHING, 10);
  expect(stuck).toMatchObject({ kind: "queue.offer", target: "c" });

  // Evicted with the offer still in its outbox: the alarm brings the new object back to deliver it.
  w = await world.restartWorkflow("wf-1");
  await world.restartQueue("c");
  world.healQueue("c");
  world.clock.now = w.alarm.at!;
  await w.actor.alarm();
  const c = await pollAndClaim(w, "c");
  await w.actor.update(taskResult(c, "COMPLETED"));

  const execution = (await w.actor.get(true))!;
  expect(execution.status).toBe("COMPLETED");
  expect(execution.tasks.map((t) => [t.referenceTaskName, t.status, t.pollCount])).toEqual([
    ["a1", "COMPLETED", 1],
    ["b1", "COMPLETED", 1],
    ["c1", "COMPLETED", 1],
  ]);
  for (const name of ["a", "b", "c"]) expect(await queued(name)).toEqual([]);
  expect(await w.outbox.nextDue()).toBeNull();
  expect(w.alarm.at).toBeNull();
  expect(await world.index.findWorkflowIds({ workflowName: "steps" })).toEqual([]);
  expect(await world.index.findWorkflowIds({ workflowName: "steps", includeClosed: true })).toEqual(["wf-1"]);
});

test("terminate takes the scheduled task off its queue", async () => {
  const w = await started();
  expect(await queued("a")).toHaveLength(1);
  await w.actor.terminate("operator");
  expect((await w.actor.get(false))!.status).toBe("TERMINATED");
  expect(await queued("a")).toEqual([]);
  expect(await (await world.queue("a")).actor.poll(1, 0, "worker-1")).toEqual([]);
  expect(await world.index.findWorkflowIds({ workflowName: "steps" })).toEqual([]);
});

test("two changes committed in one batch leave the index at the later one", async () => {
  const withVariable = workflowDef({
    name: "vars",
    tasks: [
      { name: "a", taskReferenceName: "a1" },
      { name: "sv", taskReferenceName: "sv1", type: "SET_VARIABLE", inputParameters: { seen: true } },
      { name: "b", taskReferenceName: "b1" },
    ],
  });
  const w = await world.workflow("wf-1");
  await w.actor.start({ workflowId: "wf-1", definition: withVariable });
  const a = await pollAndClaim(w, "a");
  // Called together, the two reach the object's lane together and are written as one batch;
  // each changes the workflow itself (its variables, then its status), so each sends a summary.
  await Promise.all([w.actor.update(taskResult(a, "COMPLETED")), w.actor.terminate("operator")]);
  expect((await w.actor.get(false))!.status).toBe("TERMINATED");
  expect(await world.index.findWorkflowIds({ workflowName: "vars" })).toEqual([]);
});
