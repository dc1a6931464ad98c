import { describe, expect, test } from "bun:test";
import { parse } from "./parse.ts";
import { TaskSchema } from "./task.ts";

describe("TaskSchema", () => {
  test("fills the fields Conductor always emits", () => {
    const task = parse(
      TaskSchema,
      { taskId: "t1", taskType: "encode", status: "SCHEDULED", referenceTaskName: "encode", workflowInstanceId: "w1" },
      "Task",
    );
    expect(task).toEqual({
      taskId: "t1",
      taskType: "encode",
      status: "SCHEDULED",
      referenceTaskName: "encode",
      workflowInstanceId: "w1",
      inputData: {},
      outputData: {},
      retryCount: 0,
      seq: 0,
      pollCount: 0,
      scheduledTime: 0,
      startTime: 0,
      endTime: 0,
      updateTime: 0,
      startDelayInSeconds: 0,
      retried: false,
      executed: false,
      callbackFromWorker: true,
      responseTimeoutSeconds: 0,
      callbackAfterSeconds: 0,
      rateLimitPerFrequency: 0,
      rateLimitFrequencyInSeconds: 0,
      workflowPriority: 0,
      iteration: 0,
    });
  });

  test("round-trips a full task with its workflowTask", () => {
    const input = {
      taskId: "t1",
      taskType: "encode",
      status: "COMPLETED",
      referenceTaskName: "encode__2",
      workflowInstanceId: "w1",
      iteration: 2,
      domain: "blue",
      workerId: "host",
      workflowTask: { name: "encode", taskReferenceName: "encode" },
      executionMetadata: { serverSendTime: 3 },
    };
    const task = parse(TaskSchema, input, "Task");
    expect(task.workflowTask?.type).toBe("SIMPLE");
    expect(task).toMatchObject({ iteration: 2, domain: "blue", executionMetadata: { serverSendTime: 3 } });
  });

  test("rejects an unknown status", () => {
    expect(() =>
      parse(TaskSchema, { taskId: "t", taskType: "x", status: "DONE", referenceTaskName: "x", workflowInstanceId: "w" }, "Task"),
    ).toThrow('status: expected one of IN_PROGRESS, CANCELED');
  });
});
