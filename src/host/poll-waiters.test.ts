import { expect, test } from "bun:test";
import { PollWaiters } from "./poll-waiters.ts";

test("a notify wakes the oldest waiters of that queue only", async () => {
  const w = new PollWaiters();
  const woken: string[] = [];
  const far = Date.now() + 60_000;
  const a = w.wait("q", far).then(() => woken.push("a"));
  const b = w.wait("q", far).then(() => woken.push("b"));
  w.wait("other", far).then(() => woken.push("other"));
  w.notify("q", 1);
  await a;
  expect(woken).toEqual(["a"]);
  w.notify("q");
  await b;
  expect(woken).toEqual(["a", "b"]);
  expect(w.size).toBe(1);
  w.notify("other");
});

test("waiters expire at their deadlines, in order, on one shared timer", async () => {
  const w = new PollWaiters();
  const start = Date.now();
  const order: number[] = [];
  await Promise.all([w.wait("q", start + 60).then(() => order.push(60)), w.wait("q", start + 20).then(() => order.push(20))]);
  expect(order).toEqual([20, 60]);
  expect(Date.now() - start).toBeGreaterThanOrEqual(55);
  expect(w.size).toBe(0);
});

test("an aborted waiter is let go and does not use up a wake-up", async () => {
  const w = new PollWaiters();
  const far = Date.now() + 60_000;
  const gone = new AbortController();
  const woken: string[] = [];
  const a = w.wait("q", far, gone.signal).then(() => woken.push("gone"));
  const b = w.wait("q", far).then(() => woken.push("alive"));
  gone.abort();
  await a;
  w.notify("q", 1);
  await b;
  expect(woken).toEqual(["gone", "alive"]);
});
