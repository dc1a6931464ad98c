import { afterEach, beforeEach, expect, test } from "bun:test";
import { ActorWorld, type QueueHandle } from "../../test/support/actor-fixture.ts";
import type { QueuedMessage } from "../ports/stores.ts";
import { LEASE_MS } from "./queue-actor.ts";

let world: ActorWorld;
let q: QueueHandle;
beforeEach(async () => {
  world = await ActorWorld.create();
  q = await world.queue("work");
  // Loaded before each test, so a poll started by a test is waiting by the next turn of the event loop.
  await q.actor.size();
});
afterEach(() => world.close());

function message(taskId: string, priority = 0, visibleAt = world.clock.now): QueuedMessage {
  return { taskId, queueName: "work", workflowId: taskId.split(".")[0], priority, visibleAt };
}

const ids = (messages: QueuedMessage[]) => messages.map((m) => m.taskId);
const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A poll that is still waiting (its deadline is far off on the test's clock) until something wakes it. */
async function waitingPoll(pollId?: string): Promise<{ result: Promise<QueuedMessage[]>; answered(): boolean }> {
  let done = false;
  const result = q.actor.poll(1, 600_000, "worker-w", pollId).finally(() => (done = true));
  await nextTurn();
  expect(done).toBe(false);
  return { result, answered: () => done };
}

test("messages are handed out by priority, highest first, then in arrival order, also after a restart", async () => {
  await q.actor.offer([message("w1.t1", 0), message("w2.t2", 5)]);
  await q.actor.offer([message("w3.t3", 0), message("w4.t4", 5), message("w5.t5", 9)]);
  const order = ["w5.t5", "w2.t2", "w4.t4", "w1.t1", "w3.t3"];
  expect(ids(await q.actor.poll(2, 0, "worker-1"))).toEqual(order.slice(0, 2));
  expect(ids(await q.actor.poll(10, 0, "worker-1"))).toEqual(order.slice(2));

  const restarted = await world.restartQueue("work");
  expect(ids(await restarted.actor.poll(10, 0, "worker-1"))).toEqual(order);
});

test("an offer of a task id already queued replaces it: one message", async () => {
  await q.actor.offer([message("w1.t1", 0)]);
  await q.actor.offer([message("w1.t1", 0)]);
  expect(await q.actor.size()).toBe(1);
  expect(await q.store.loadAll()).toHaveLength(1);
});

test("concurrent polls never lease one message twice", async () => {
  await q.actor.offer([message("w1.t1"), message("w2.t2"), message("w3.t3")]);
  const answers = await Promise.all([1, 2, 3, 4].map((n) => q.actor.poll(2, 0, `worker-${n}`)));
  const leased = answers.flatMap(ids);
  expect(leased.sort()).toEqual(["w1.t1", "w2.t2", "w3.t3"]);

  // Two long polls waiting, one message: exactly one of them gets it.
  const first = await waitingPoll("p1");
  const second = await waitingPoll("p2");
  await q.actor.offer([message("w4.t4")]);
  await Promise.race([first.result, second.result]);
  await q.actor.cancelPoll("p1");
  await q.actor.cancelPoll("p2");
  expect(ids([...(await first.result), ...(await second.result)])).toEqual(["w4.t4"]);
});

test("a lease that is not acknowledged runs out when the alarm rings, and the message is handed out again", async () => {
  await q.actor.offer([message("w1.t1")]);
  expect(ids(await q.actor.poll(1, 0, "worker-1"))).toEqual(["w1.t1"]);
  expect(await q.actor.poll(1, 0, "worker-2")).toEqual([]);
  expect(q.alarm.at).toBe(world.clock.now + LEASE_MS);

  const waiting = await waitingPoll();
  world.clock.now = q.alarm.at!;
  await q.actor.alarm();
  expect(ids(await waiting.result)).toEqual(["w1.t1"]);
});

test("an acknowledged message is gone for good, even after a restart; an unacknowledged lease is not", async () => {
  await q.actor.offer([message("w1.t1"), message("w2.t2"), message("w3.t3")]);
  expect(await q.actor.poll(3, 0, "worker-1")).toHaveLength(3);
  await q.actor.ack(["w1.t1"]);
  expect(await q.actor.size()).toBe(2);

  // The object is evicted while w2.t2 and w3.t3 are leased: the leases were in memory only.
  const restarted = await world.restartQueue("work");
  expect(ids(await restarted.store.loadAll())).toEqual(["w2.t2", "w3.t3"]);
  expect(ids(await restarted.actor.poll(5, 0, "worker-2"))).toEqual(["w2.t2", "w3.t3"]);
  await restarted.actor.ack(["w2.t2", "w3.t3"]);

  world.clock.advance(LEASE_MS);
  await restarted.actor.alarm();
  expect(await restarted.actor.poll(5, 0, "worker-3")).toEqual([]);
  expect(await restarted.actor.size()).toBe(0);
});

test("a long poll is answered by the offer that follows it", async () => {
  const waiting = await waitingPoll();
  await q.actor.offer([message("w1.t1")]);
  expect(ids(await waiting.result)).toEqual(["w1.t1"]);
});

test("a cancelled poll answers nothing and leases nothing", async () => {
  const waiting = await waitingPoll("p1");
  await q.actor.cancelPoll("p1");
  expect(await waiting.result).toEqual([]);
  await q.actor.offer([message("w1.t1")]);

  // Called off before it arrived (the RPCs crossed): it answers at once, taking nothing.
  await q.actor.cancelPoll("p2");
  expect(await q.actor.poll(1, 600_000, "worker-1", "p2")).toEqual([]);
  expect(ids(await q.actor.poll(1, 0, "worker-2"))).toEqual(["w1.t1"]);
});

test("released messages are visible again at once, and wake a waiting poll", async () => {
  await q.actor.offer([message("w1.t1"), message("w2.t2")]);
  expect(await q.actor.poll(2, 0, "worker-1")).toHaveLength(2);
  await q.actor.release(["w1.t1"]);
  expect(ids(await q.actor.poll(5, 0, "worker-2"))).toEqual(["w1.t1"]);

  const waiting = await waitingPoll();
  await q.actor.release(["w2.t2"]);
  expect(ids(await waiting.result)).toEqual(["w2.t2"]);
});

test("a delayed message is pollable once the alarm rings at its time", async () => {
  const due = world.clock.now + 5_000;
  await q.actor.offer([message("w1.t1", 0, due)]);
  expect(await q.actor.poll(1, 0, "worker-1")).toEqual([]);
  expect(q.alarm.at).toBe(due);

  const waiting = await waitingPoll();
  world.clock.now = due - 1;
  await q.actor.alarm();
  await nextTurn();
  expect(waiting.answered()).toBe(false);

  world.clock.now = due;
  await q.actor.alarm();
  expect(ids(await waiting.result)).toEqual(["w1.t1"]);
});

test("a removed message is not handed out, even when it was leased; removing a missing one is harmless", async () => {
  await q.actor.offer([message("w1.t1"), message("w2.t2")]);
  expect(await q.actor.poll(1, 0, "worker-1")).toHaveLength(1);
  await q.actor.remove(["w1.t1", "w2.t2", "w9.missing"]);
  world.clock.advance(LEASE_MS);
  await q.actor.alarm();
  expect(await q.actor.poll(5, 0, "worker-2")).toEqual([]);
  expect(await q.actor.size()).toBe(0);
  expect(q.alarm.at).toBeNull();
});
