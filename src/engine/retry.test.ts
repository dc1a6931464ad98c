import { expect, test } from "bun:test";
import * as v from "valibot";
import { TaskDefSchema, type TaskDefInput } from "../model/index.ts";
import { retryDelayMs } from "./retry.ts";

const def = (fields: Omit<TaskDefInput, "name">) => v.parse(TaskDefSchema, { name: "t", ...fields });

test("FIXED waits retryDelaySeconds every time", () => {
  const d = def({ retryLogic: "FIXED", retryDelaySeconds: 5 });
  expect([0, 1, 2].map((n) => retryDelayMs(d, n, 0))).toEqual([5000, 5000, 5000]);
});

test("EXPONENTIAL_BACKOFF doubles per attempt", () => {
  const d = def({ retryLogic: "EXPONENTIAL_BACKOFF", retryDelaySeconds: 2 });
  expect([0, 1, 2, 3].map((n) => retryDelayMs(d, n, 0))).toEqual([2000, 4000, 8000, 16000]);
});

test("LINEAR_BACKOFF grows by retryDelaySeconds × backoffScaleFactor", () => {
  const d = def({ retryLogic: "LINEAR_BACKOFF", retryDelaySeconds: 3, backoffScaleFactor: 2 });
  expect([0, 1, 2].map((n) => retryDelayMs(d, n, 0))).toEqual([6000, 12000, 18000]);
});

test("maxRetryDelaySeconds caps the delay and jitter adds up to backoffJitterMs", () => {
  const d = def({ retryLogic: "EXPONENTIAL_BACKOFF", retryDelaySeconds: 10, maxRetryDelaySeconds: 25, backoffJitterMs: 100 });
  expect(retryDelayMs(d, 5, 0)).toBe(25000);
  expect(retryDelayMs(d, 5, 0.999)).toBe(25100);
});

test("the default definition retries after 60 s", () => {
  expect(retryDelayMs(def({}), 0, 0)).toBe(60000);
});
