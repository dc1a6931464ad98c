import { describe, expect, test } from "bun:test";
import { parse } from "./parse.ts";
import { EmbeddedTaskDefSchema, TaskDefSchema } from "./task-def.ts";

const parseTaskDef = (input: unknown) => parse(TaskDefSchema, input, "TaskDef");

describe("TaskDefSchema", () => {
  test("applies the server's defaults", () => {
    expect(parseTaskDef({ name: "encode" })).toEqual({
      name: "encode",
      retryCount: 3,
      timeoutSeconds: 0,
      inputKeys: [],
      outputKeys: [],
      runtimeMetadata: [],
      timeoutPolicy: "TIME_OUT_WF",
      retryLogic: "FIXED",
      retryDelaySeconds: 60,
      responseTimeoutSeconds: 3600,
      inputTemplate: {},
      backoffScaleFactor: 1,
      maxRetryDelaySeconds: 0,
      backoffJitterMs: 0,
      totalTimeoutSeconds: 0,
      taskStatusListenerEnabled: true,
      enforceSchema: false,
    });
  });

  test("keeps given values and optional fields", () => {
    const def = parseTaskDef({
      name: "encode",
      retryCount: 0,
      retryLogic: "EXPONENTIAL_BACKOFF",
      concurrentExecLimit: 2,
      rateLimitPerFrequency: 10,
      rateLimitFrequencyInSeconds: 1,
      ownerEmail: "a@b.c",
      pollTimeoutSeconds: 30,
      inputSchema: { name: "s", type: "JSON" },
      createTime: 1700000000000,
    });
    expect(def).toMatchObject({
      retryCount: 0,
      retryLogic: "EXPONENTIAL_BACKOFF",
      concurrentExecLimit: 2,
      rateLimitPerFrequency: 10,
      ownerEmail: "a@b.c",
      pollTimeoutSeconds: 30,
      inputSchema: { name: "s", type: "JSON", version: 1 },
      createTime: 1700000000000,
    });
  });

  test("ignores unknown fields", () => {
    const def = parseTaskDef({ name: "t", colour: "blue", nested: { a: 1 } });
    expect(def).not.toHaveProperty("colour");
    expect(def).not.toHaveProperty("nested");
  });

  test("treats null as absent", () => {
    const def = parseTaskDef({ name: "t", retryCount: null, description: null, inputKeys: null });
    expect(def.retryCount).toBe(3);
    expect(def.description).toBeUndefined();
    expect(def.inputKeys).toEqual([]);
  });

  test("defaults are fresh objects per parse", () => {
    const a = parseTaskDef({ name: "a" });
    a.inputKeys.push("x");
    a.inputTemplate.y = 1;
    const b = parseTaskDef({ name: "b" });
    expect(b.inputKeys).toEqual([]);
    expect(b.inputTemplate).toEqual({});
  });

  test("accepts responseTimeoutSeconds 0, which Conductor uses for system tasks", () => {
    expect(parseTaskDef({ name: "t", responseTimeoutSeconds: 0 }).responseTimeoutSeconds).toBe(0);
  });

  test("rejects a bad timeoutPolicy", () => {
    expect(() => parseTaskDef({ name: "t", timeoutPolicy: "NEVER" })).toThrow(
      'Invalid TaskDef: timeoutPolicy: expected one of RETRY, TIME_OUT_WF, ALERT_ONLY but received "NEVER"',
    );
  });
});

describe("EmbeddedTaskDefSchema", () => {
  test("lets the name be left out", () => {
    const def = parse(EmbeddedTaskDefSchema, { retryCount: 1 }, "TaskDef");
    expect(def.name).toBe("");
    expect(def.retryCount).toBe(1);
  });
});
