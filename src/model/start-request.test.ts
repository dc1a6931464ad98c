import { describe, expect, test } from "bun:test";
import { parse } from "./parse.ts";
import { StartWorkflowRequestSchema } from "./start-request.ts";

const parseRequest = (input: unknown) => parse(StartWorkflowRequestSchema, input, "StartWorkflowRequest");

describe("StartWorkflowRequestSchema", () => {
  test("applies defaults and leaves version open", () => {
    expect(parseRequest({ name: "wf" })).toEqual({ name: "wf", input: {}, taskToDomain: {}, priority: 0 });
  });

  test("keeps everything given, including an inline definition", () => {
    const request = parseRequest({
      name: "wf",
      version: 3,
      correlationId: "c",
      input: { a: 1 },
      taskToDomain: { "*": "blue" },
      priority: 99,
      idempotencyKey: "k",
      idempotencyStrategy: "FAIL_ON_RUNNING",
      workflowDef: { name: "wf", tasks: [{ name: "t", taskReferenceName: "t" }] },
    });
    expect(request).toMatchObject({ version: 3, priority: 99, idempotencyStrategy: "FAIL_ON_RUNNING" });
    expect(request.workflowDef?.tasks[0].type).toBe("SIMPLE");
  });

  test("priority must be 0-99", () => {
    expect(() => parseRequest({ name: "wf", priority: 100 })).toThrow("priority: must be between 0 and 99");
    expect(() => parseRequest({ name: "wf", priority: -1 })).toThrow("priority: must be between 0 and 99");
  });

  test("rejects an unknown idempotency strategy and a missing name", () => {
    expect(() => parseRequest({ name: "wf", idempotencyStrategy: "MAYBE" })).toThrow(
      'idempotencyStrategy: expected one of FAIL, RETURN_EXISTING, FAIL_ON_RUNNING but received "MAYBE"',
    );
    expect(() => parseRequest({ input: {} })).toThrow("name: is required");
  });
});
