import { afterEach, beforeEach, expect, mock, spyOn, test } from "bun:test";
import * as v from "valibot";
import { ActorWorld, taskResult, workflowDef } from "../../test/support/actor-fixture.ts";
import { NotFound } from "../errors.ts";
import { StartWorkflowRequestSchema, type StartWorkflowRequestInput } from "../model/index.ts";
import type { Peers, QueuePeer } from "../ports/peers.ts";
import type { PollRequest } from "../ports/services.ts";
import { SqlMetadataStore } from "../store/sql-metadata-store.ts";
import { SqlQueueStore } from "../store/sql-queue-store.ts";
import { LEASE_MS } from "./queue-actor.ts";
import { RoutedServices } from "./routed-services.ts";

let world: ActorWorld;
let services: RoutedServices;

/** The Worker's services over the given peers, with definitions, index and poll data in "D1". */
function routed(peers: Peers): RoutedServices {
  let n = 0;
  return new RoutedServices({
    peers,
    metadata: new SqlMetadataStore(world.d1),
    index: world.index,
    pollData: new SqlQueueStore(world.d1),
    newId: () => `wf-${++n}`,
  });
}

beforeEach(async () => {
  // Failed deliveries are logged by design; one test fails them on purpose.
  spyOn(console, "warn").mockImplementation(() => undefined);
  world = await ActorWorld.create();
  const pair = workflowDef({
    name: "pair",
    version: 1,
    tasks: [
      { name: "a", taskReferenceName: "a1", inputParameters: { x: "${workflow.input.x}" } },
      { name: "b", taskReferenceName: "b1", inputParameters: { fromA: "${a1.output.y}" } },
    ],
    outputParameters: { result: "${b1.output.z}" },
  });
  await new SqlMetadataStore(world.d1).putWorkflowDef(pair, true, world.clock.now);
  services = routed(world.peers());
});
afterEach(async () => {
  mock.restore();
  await world.close();
});

const request = (input: Omit<StartWorkflowRequestInput, "name"> = {}) => v.parse(StartWorkflowRequestSchema, { name: "pair", ...input });
const now = (workerId = "worker-1"): PollRequest => ({ count: 1, timeoutMs: 0, workerId });

test("a workflow of two worker tasks runs to COMPLETED through start, poll and update", async () => {
  const id = await services.start(request({ input: { x: 7 } }));
  expect(await services.running("pair", 1)).toEqual([id]);

  const [a] = await services.poll("a", now());
  expect(a).toMatchObject({ workflowInstanceId: id, referenceTaskName: "a1", status: "IN_PROGRESS", workerId: "worker-1", inputData: { x: 7 } });
  expect(await services.poll("a", now("worker-2"))).toEqual([]);
  await services.update(taskResult(a, "COMPLETED", { y: "from a" }));

  const [b] = await services.poll("b", now());
  expect(b).toMatchObject({ referenceTaskName: "b1", inputData: { fromA: "from a" } });
  expect(await services.running("pair", 1)).toEqual([id]);
  await services.update(taskResult(b, "COMPLETED", { z: 3 }));

  const workflow = await services.get(id, true);
  expect(workflow).toMatchObject({ status: "COMPLETED", output: { result: 3 } });
  expect(workflow.tasks.map((t) => [t.referenceTaskName, t.status])).toEqual([["a1", "COMPLETED"], ["b1", "COMPLETED"]]);
  expect(await services.running("pair", 1)).toEqual([]);
  expect(await services.queueSize("a")).toBe(0);
  expect(await services.queueSize("b")).toBe(0);
});

test("running() lists only the workflows that run, from the index", async () => {
  const first = await services.start(request());
  const second = await services.start(request());
  expect((await services.running("pair", 1)).sort()).toEqual([first, second]);
  await services.terminate(first, "enough");
  expect(await services.running("pair", 1)).toEqual([second]);
  expect(await services.running("pair", 2)).toEqual([]);
});

test("a task is found by its id alone; an id that names no task is NotFound", async () => {
  const id = await services.start(request());
  const [a] = await services.poll("a", now());
  expect(await services.getTask(a.taskId)).toMatchObject({ taskId: a.taskId, workflowInstanceId: id, status: "IN_PROGRESS" });
  await expect(services.getTask(`${id}.not-a-task`)).rejects.toBeInstanceOf(NotFound);
  await expect(services.getTask("wf-never.task")).rejects.toBeInstanceOf(NotFound);
  await expect(services.getTask("no-workflow-in-this-id")).rejects.toBeInstanceOf(NotFound);
});

test("a long poll through the services is answered by the start that queues its task", async () => {
  const polled = services.poll("a", { count: 1, timeoutMs: 600_000, workerId: "worker-1" });
  await new Promise((resolve) => setTimeout(resolve, 0));
  const id = await services.start(request());
  const [a] = await polled;
  expect(a).toMatchObject({ workflowInstanceId: id, status: "IN_PROGRESS" });
});

test("a poll whose client went away takes nothing", async () => {
  const gone = new AbortController();
  const polled = services.poll("a", { count: 1, timeoutMs: 600_000, workerId: "worker-1", signal: gone.signal });
  await new Promise((resolve) => setTimeout(resolve, 0));
  gone.abort();
  expect(await polled).toEqual([]);
  const id = await services.start(request());
  expect(await services.queueSize("a")).toBe(1);
  expect((await services.get(id, true)).tasks[0].status).toBe("SCHEDULED");
});

test("a poll that leased a task the workflow no longer waits for (terminated meanwhile) returns nothing", async () => {
  const id = await services.start(request());
  // The terminate lands between the queue's answer and the claim at the workflow.
  const peers = world.peers();
  const racing = routed({
    workflow: peers.workflow,
    queue(name): QueuePeer {
      const queue = peers.queue(name);
      return {
        ...queue,
        async poll(...args) {
          const leased = await queue.poll(...args);
          await services.terminate(id, "operator");
          return leased;
        },
      };
    },
  });
  expect(await racing.poll("a", now())).toEqual([]);
  const workflow = await services.get(id, true);
  expect(workflow.status).toBe("TERMINATED");
  expect(workflow.tasks[0]).toMatchObject({ status: "CANCELED", pollCount: 0 });
  expect(await services.queueSize("a")).toBe(0);
});

test("a stale message (its removal has not arrived) is acknowledged by the poll that finds it, never handed out", async () => {
  const id = await services.start(request());
  world.breakQueue("a", "remove");
  await services.terminate(id, "operator");
  expect(await services.queueSize("a")).toBe(1);

  expect(await services.poll("a", now())).toEqual([]);
  expect(await services.queueSize("a")).toBe(0);
  const queue = await world.queue("a");
  expect(await queue.store.loadAll()).toEqual([]);
  // Not merely leased: once a lease would have run out, it is still gone.
  world.clock.advance(LEASE_MS);
  await queue.actor.alarm();
  expect(await services.poll("a", now("worker-2"))).toEqual([]);

  // The removal, delivered late, finds nothing to remove.
  world.healQueue("a");
  const workflow = await world.workflow(id);
  expect(workflow.alarm.at).toBeLessThanOrEqual(world.clock.now);
  await workflow.actor.alarm();
  expect(await workflow.outbox.nextDue()).toBeNull();
  expect(await services.queueSize("a")).toBe(0);
});
