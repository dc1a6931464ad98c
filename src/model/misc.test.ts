import { describe, expect, test } from "bun:test";
import {
  PollDataSchema,
  RerunWorkflowRequestSchema,
  searchResultSchema,
  SkipTaskRequestSchema,
  WorkflowSummarySchema,
} from "./misc.ts";
import { parse } from "./parse.ts";

describe("small shapes", () => {
  test("PollData", () => {
    expect(parse(PollDataSchema, { queueName: "q", workerId: "w", lastPollTime: 5, domain: null }, "PollData")).toEqual({
      queueName: "q",
      workerId: "w",
      lastPollTime: 5,
      domain: undefined,
    });
  });

  test("WorkflowSummary defaults match Conductor's", () => {
    const summary = parse(WorkflowSummarySchema, { workflowType: "wf", workflowId: "w", status: "COMPLETED" }, "WorkflowSummary");
    expect(summary).toMatchObject({
      version: 1,
      executionTime: 0,
      failedReferenceTaskNames: "",
      failedTaskNames: [],
      taskToDomain: {},
      parentWorkflowId: "",
      priority: 0,
    });
  });

  test("search results", () => {
    const schema = searchResultSchema(PollDataSchema);
    expect(parse(schema, { totalHits: 0, results: [] }, "SearchResult")).toEqual({ totalHits: 0, results: [] });
    expect(() => parse(schema, { totalHits: 1, results: [{}] }, "SearchResult")).toThrow("results[0].queueName: is required");
  });

  test("rerun and skip requests are all optional", () => {
    expect(parse(RerunWorkflowRequestSchema, {}, "RerunWorkflowRequest")).toEqual({});
    expect(parse(SkipTaskRequestSchema, { taskOutput: { a: 1 } }, "SkipTaskRequest")).toEqual({ taskOutput: { a: 1 } });
    expect(() => parse(RerunWorkflowRequestSchema, { taskInput: [] }, "RerunWorkflowRequest")).toThrow("taskInput: expected an object but received Array");
  });
});
