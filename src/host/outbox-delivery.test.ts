import { afterEach, beforeEach, expect, mock, spyOn, test } from "bun:test";
import { ActorWorld } from "../../test/support/actor-fixture.ts";
import type { OutboxMessage, OutboxRow, OutboxStore, QueuedMessage, WorkflowSummaryRow } from "../ports/stores.ts";
import type { SqlBackend } from "../store/database.ts";
import { outbox } from "../store/schema.ts";
import { SqlOutboxStore } from "../store/sql-outbox-store.ts";
import { backoffMs, OutboxDelivery, type Deliver } from "./outbox-delivery.ts";

const EVERYTHING = Number.MAX_SAFE_INTEGER;

let world: ActorWorld;
let backend: SqlBackend;
let store: SqlOutboxStore;

beforeEach(async () => {
  // Failed deliveries are logged by design; these tests fail them on purpose.
  spyOn(console, "warn").mockImplementation(() => undefined);
  world = await ActorWorld.create();
  backend = await world.open("sender");
  store = new SqlOutboxStore(backend);
});
afterEach(async () => {
  mock.restore();
  await world.close();
});

/** Rows as a deciding transaction leaves them: in order, due at once. */
async function write(...messages: OutboxMessage[]): Promise<void> {
  const rows = messages.map((m) => ({ kind: m.kind, target: m.target, payload: JSON.stringify(m.payload) }));
  await backend.writeAtomically([backend.db.insert(outbox).values(rows)]);
}

function offer(taskId: string, queueName: string): OutboxMessage {
  const message: QueuedMessage = { taskId, queueName, workflowId: "wf-1", priority: 0, visibleAt: world.clock.now };
  return { kind: "queue.offer", target: queueName, payload: message };
}

function summary(rev: number, status: string): WorkflowSummaryRow {
  return { workflowId: "wf-1", workflowName: "flow", workflowVersion: 1, status, createTime: 1, updateTime: rev, rev };
}

/** The real receivers: queue objects and the index, as a workflow object delivers to them. */
const delivered: string[] = [];
const toReceivers: Deliver = async (row) => {
  if (row.kind === "queue.offer") await world.queuePeer(row.target).offer([row.payload as QueuedMessage]);
  else if (row.kind === "queue.remove") await world.queuePeer(row.target).remove([(row.payload as { taskId: string }).taskId]);
  else if (row.kind === "index") await world.index.upsert([row.payload as WorkflowSummaryRow]);
  else await world.index.remove([(row.payload as { workflowId: string }).workflowId]);
  delivered.push(`${row.kind}:${row.target}`);
};
beforeEach(() => void delivered.splice(0));

const pending = (): Promise<OutboxRow[]> => store.due(EVERYTHING, 100);
const queueSize = async (name: string): Promise<number> => (await world.queue(name)).actor.size();

test("a delivery that throws stays, is retried after a growing backoff, and is retired once delivered", async () => {
  const { clock } = world;
  await write(offer("wf-1.a", "a"));
  world.breakQueue("a", "offer");
  const delivery = new OutboxDelivery(store, toReceivers, clock.read);

  await delivery.flush();
  let [row] = await pending();
  expect(row).toMatchObject({ kind: "queue.offer", attempts: 1, nextAttemptAt: clock.now + backoffMs(0) });
  expect(await store.nextDue()).toBe(row.nextAttemptAt);

  // Before its time the row is left alone: a down receiver is not hammered.
  clock.advance(backoffMs(0) - 1);
  await delivery.flush();
  expect((await pending())[0].attempts).toBe(1);

  clock.advance(1);
  await delivery.flush();
  [row] = await pending();
  expect(row).toMatchObject({ attempts: 2, nextAttemptAt: clock.now + backoffMs(1) });
  expect(backoffMs(1)).toBeGreaterThan(backoffMs(0));

  world.healQueue("a");
  clock.now = row.nextAttemptAt;
  await delivery.flush();
  expect(await pending()).toEqual([]);
  expect(await store.nextDue()).toBeNull();
  expect(await queueSize("a")).toBe(1);
});

test("the backoff grows with each attempt up to a cap", () => {
  const delays = [0, 1, 2, 3, 10, 20, 40].map(backoffMs);
  for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1]);
  expect(delays[3]).toBeGreaterThan(delays[0]);
  expect(delays.at(-1)).toBe(backoffMs(1000));
});

test("a failure ends the run: the rows written after it wait, and then go out in order", async () => {
  await write(offer("wf-1.a", "a"), offer("wf-1.b", "b"), { kind: "index", target: "", payload: summary(1, "RUNNING") });
  world.breakQueue("a", "offer");
  const delivery = new OutboxDelivery(store, toReceivers, world.clock.read);

  await delivery.flush();
  expect(delivered).toEqual([]);
  expect(await queueSize("b")).toBe(0);
  expect(await world.index.findWorkflowIds({ workflowName: "flow" })).toEqual([]);
  expect((await pending()).map((r) => r.attempts)).toEqual([1, 0, 0]);

  world.healQueue("a");
  world.clock.now = (await pending())[0].nextAttemptAt;
  await delivery.flush();
  expect(delivered).toEqual(["queue.offer:a", "queue.offer:b", "index:"]);
  expect(await pending()).toEqual([]);
});

test("rows behind a deferred row are not due before it: a later flush does not let them overtake", async () => {
  // The deferred head decides when the outbox is next due; rows behind it keep their place.
  await write(offer("wf-1.a", "a"));
  world.breakQueue("a", "offer");
  const delivery = new OutboxDelivery(store, toReceivers, world.clock.read);
  await delivery.flush();
  const retryAt = (await pending())[0].nextAttemptAt;

  // A later decision writes more rows (the same task's removal, and its index entry) and flushes.
  world.healQueue("a");
  await write({ kind: "queue.remove", target: "a", payload: { taskId: "wf-1.a" } }, { kind: "index", target: "", payload: summary(2, "TERMINATED") });
  expect(await store.nextDue()).toBe(retryAt);
  await delivery.flush();
  expect(delivered).toEqual([]);

  world.clock.now = retryAt;
  await delivery.flush();
  expect(delivered).toEqual(["queue.offer:a", "queue.remove:a", "index:"]);
  // In order, the removal came last: the queue is left without the message of a terminated workflow.
  expect(await queueSize("a")).toBe(0);
});

test("a message delivered twice (its acknowledgement was lost) is one message at the receivers", async () => {
  await write(offer("wf-1.a", "a"), { kind: "index", target: "", payload: summary(1, "RUNNING") });
  const answered = new Set<number>();
  // The receiver did the work, but the sender never heard back, so it sends again.
  const lossy: Deliver = async (row) => {
    await toReceivers(row);
    if (!answered.has(row.id)) {
      answered.add(row.id);
      throw new Error("connection reset after the call");
    }
  };
  const delivery = new OutboxDelivery(store, lossy, world.clock.read);
  for (let i = 0; i < 4 && (await pending()).length > 0; i++) {
    await delivery.flush();
    world.clock.advance(backoffMs(10));
  }
  expect(await pending()).toEqual([]);
  expect(delivered).toEqual(["queue.offer:a", "queue.offer:a", "index:", "index:"]);

  const queue = await world.queue("a");
  expect(await queue.actor.size()).toBe(1);
  expect(await queue.store.loadAll()).toHaveLength(1);
  expect(await queue.actor.poll(5, 0, "w1")).toHaveLength(1);
  expect(await queue.actor.poll(5, 0, "w2")).toEqual([]);
  expect(await world.index.findWorkflowIds({ workflowName: "flow" })).toEqual(["wf-1"]);
});

test("an index summary older than the one stored does not replace it, whatever order they arrive in", async () => {
  const index = world.index;
  await index.upsert([summary(3, "COMPLETED")]);
  await index.upsert([summary(2, "RUNNING")]);
  await index.upsert([summary(3, "COMPLETED")]);
  expect(await index.findWorkflowIds({ workflowName: "flow" })).toEqual([]);
  expect(await index.findWorkflowIds({ workflowName: "flow", includeClosed: true })).toEqual(["wf-1"]);
  await index.upsert([summary(4, "RUNNING")]);
  expect(await index.findWorkflowIds({ workflowName: "flow" })).toEqual(["wf-1"]);
});

test("a storage error while retiring delivered rows does not stop the outbox for good", async () => {
  let failDelete = true;
  const flaky: OutboxStore = {
    due: (now, limit) => store.due(now, limit),
    nextDue: () => store.nextDue(),
    defer: (id, attempts, at) => store.defer(id, attempts, at),
    async delete(ids) {
      if (failDelete) {
        failDelete = false;
        throw new Error("storage busy");
      }
      await store.delete(ids);
    },
  };
  const delivery = new OutboxDelivery(flaky, toReceivers, world.clock.read);
  await write(offer("wf-1.a", "a"));
  // The caller of a flush (a workflow object after its commit) relies on it never throwing.
  await expect(delivery.flush()).resolves.toBeUndefined();

  await write(offer("wf-1.b", "b"));
  world.clock.advance(backoffMs(10));
  await delivery.flush();
  expect(await pending()).toEqual([]);
  expect(await queueSize("a")).toBe(1);
  expect(await queueSize("b")).toBe(1);
});
