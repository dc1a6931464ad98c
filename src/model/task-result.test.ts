import { describe, expect, test } from "bun:test";
import { parse } from "./parse.ts";
import { TaskResultSchema } from "./task-result.ts";

const parseResult = (input: unknown) => parse(TaskResultSchema, input, "TaskResult");
const ids = { workflowInstanceId: "w1", taskId: "t1" };

describe("TaskResultSchema", () => {
  test("applies defaults", () => {
    expect(parseResult({ ...ids, status: "COMPLETED" })).toEqual({
      ...ids,
      status: "COMPLETED",
      callbackAfterSeconds: 0,
      outputData: {},
      logs: [],
      extendLease: false,
    });
  });

  test("keeps what an SDK sends, ignoring the rest", () => {
    const result = parseResult({
      ...ids,
      status: "IN_PROGRESS",
      callbackAfterSeconds: 30,
      workerId: "host-1",
      outputData: { a: 1 },
      logs: [{ log: "hello", createdTime: 1, taskId: "t1" }],
      extendLease: true,
      executionMetadata: { executionStartTime: 5, additionalContext: { k: "v" } },
      outputMessage: null,
    });
    expect(result).toMatchObject({ callbackAfterSeconds: 30, workerId: "host-1", extendLease: true });
    expect(result.logs).toEqual([{ log: "hello", createdTime: 1, taskId: "t1" }]);
    expect(result).not.toHaveProperty("outputMessage");
  });

  test("cuts the reason to 500 characters", () => {
    const result = parseResult({ ...ids, status: "FAILED", reasonForIncompletion: "x".repeat(600) });
    expect(result.reasonForIncompletion).toHaveLength(500);
  });

  test("only worker statuses are accepted", () => {
    expect(() => parseResult({ ...ids, status: "SKIPPED" })).toThrow(
      'status: expected one of IN_PROGRESS, FAILED, FAILED_WITH_TERMINAL_ERROR, COMPLETED, CANCELED but received "SKIPPED"',
    );
  });

  test("ids are required and must not be empty", () => {
    expect(() => parseResult({ taskId: "t1", status: "COMPLETED" })).toThrow("workflowInstanceId: is required");
    expect(() => parseResult({ ...ids, taskId: "", status: "COMPLETED" })).toThrow("taskId: must not be empty");
  });
});
