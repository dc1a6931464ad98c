import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { createAppFixture, expectError, nullPaths, type AppFixture } from "../../../test/support/app-fixture.ts";

let f: AppFixture;
beforeEach(async () => {
  f = await createAppFixture();
  // A registered TaskDef pins the retry policy the failure tests rely on.
  const taskDef = await f.call("POST", "/api/metadata/taskdefs", [{ name: "label", retryCount: 1, retryDelaySeconds: 60 }]);
  expect(taskDef.status).toBe(200);
  const register = await f.call("POST", "/api/metadata/workflow", {
    name: "ship",
    tasks: [
      { name: "label", taskReferenceName: "label_ref", inputParameters: { to: "${workflow.input.to}" } },
      { name: "label", taskReferenceName: "label_again" },
    ],
  });
  expect(register.status).toBe(200);
});
afterEach(async () => {
  await f.close();
});

async function start(request: Record<string, unknown> = {}): Promise<string> {
  const res = await f.call("POST", "/api/workflow", { name: "ship", ...request });
  expect(res.status).toBe(200);
  return res.text();
}

async function pollOne(type: string, query = "workerid=w1") {
  const res = await f.call("GET", `/api/tasks/poll/batch/${type}?${query}`);
  expect(res.status).toBe(200);
  const tasks = await res.json();
  expect(tasks).toHaveLength(1);
  return tasks[0];
}

async function workflow(id: string) {
  return (await f.call("GET", `/api/workflow/${id}`)).json();
}

const paths = (body: { validationErrors?: { path: string }[] }) => (body.validationErrors ?? []).map((e) => e.path);

describe("GET /api/tasks/poll/batch/{type}", () => {
  test("answers [] when nothing is queued", async () => {
    const res = await f.call("GET", "/api/tasks/poll/batch/label?workerid=w1&timeout=0");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toStartWith("application/json");
    expect(await res.json()).toEqual([]);
  });

  test("hands out a queued task as IN_PROGRESS with what a worker needs", async () => {
    const id = await start({ input: { to: "Oslo" } });
    const task = await pollOne("label");
    expect(nullPaths(task)).toEqual([]);
    expect(typeof task.taskId).toBe("string");
    expect(task).toMatchObject({
      workflowInstanceId: id,
      taskType: "label",
      referenceTaskName: "label_ref",
      inputData: { to: "Oslo" },
      status: "IN_PROGRESS",
      responseTimeoutSeconds: 3600,
      workerId: "w1",
      pollCount: 1,
    });
  });

  test("a task is handed out once", async () => {
    await start();
    await pollOne("label");
    expect(await (await f.call("GET", "/api/tasks/poll/batch/label?timeout=0")).json()).toEqual([]);
  });

  test("count bounds how many tasks one poll takes", async () => {
    for (let i = 0; i < 3; i++) await start();
    const two = await (await f.call("GET", "/api/tasks/poll/batch/label?count=2")).json();
    expect(two).toHaveLength(2);
    expect(new Set(two.map((t: { taskId: string }) => t.taskId)).size).toBe(2);
    const rest = await (await f.call("GET", "/api/tasks/poll/batch/label?count=10")).json();
    expect(rest).toHaveLength(1);
  });

  test("higher workflow priority is handed out first", async () => {
    await start({ priority: 1 });
    const urgent = await start({ priority: 90 });
    expect((await pollOne("label")).workflowInstanceId).toBe(urgent);
  });

  test("timeout above 5000 is 400", async () => {
    const body = await expectError(await f.call("GET", "/api/tasks/poll/batch/label?timeout=5001"), 400);
    expect(paths(body)).toContain("timeout");
  });

  test("count=0 is 400", async () => {
    const body = await expectError(await f.call("GET", "/api/tasks/poll/batch/label?count=0"), 400);
    expect(paths(body)).toContain("count");
  });

  test("a count that is not a number is 400", async () => {
    const body = await expectError(await f.call("GET", "/api/tasks/poll/batch/label?count=many"), 400);
    expect(paths(body)).toContain("count");
  });

  test("a timeout that is not a number is 400", async () => {
    await expectError(await f.call("GET", "/api/tasks/poll/batch/label?timeout=soon"), 400);
  });

  test("a task routed to a domain is only handed to pollers of that domain", async () => {
    const id = await start({ taskToDomain: { label: "blue" } });
    expect(await (await f.call("GET", "/api/tasks/poll/batch/label?timeout=0")).json()).toEqual([]);
    expect(await (await f.call("GET", "/api/tasks/poll/batch/label?domain=green&timeout=0")).json()).toEqual([]);
    const task = await pollOne("label", "workerid=w1&domain=blue");
    expect(task).toMatchObject({ workflowInstanceId: id, domain: "blue" });
  });

  test("a long poll answers with a task queued while it waits", async () => {
    const polling = f.call("GET", "/api/tasks/poll/batch/label?timeout=5000&workerid=w1");
    const id = await start();
    const tasks = await (await polling).json();
    expect(tasks.map((t: { workflowInstanceId: string }) => t.workflowInstanceId)).toEqual([id]);
  });
});

describe("GET /api/tasks/poll/{type}", () => {
  test("answers 204 with no body when nothing is queued", async () => {
    const res = await f.call("GET", "/api/tasks/poll/label?workerid=w1");
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
  });

  test("answers 200 with the task when one is queued", async () => {
    const id = await start();
    const res = await f.call("GET", "/api/tasks/poll/label?workerid=w1");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ workflowInstanceId: id, taskType: "label", status: "IN_PROGRESS", workerId: "w1" });
  });

  test("honours domain", async () => {
    await start({ taskToDomain: { label: "blue" } });
    expect((await f.call("GET", "/api/tasks/poll/label")).status).toBe(204);
    expect((await f.call("GET", "/api/tasks/poll/label?domain=blue")).status).toBe(200);
  });
});

describe("POST /api/tasks", () => {
  test("applies the result and answers the task id as text/plain", async () => {
    const id = await start();
    const task = await pollOne("label");
    const res = await f.call("POST", "/api/tasks", { workflowInstanceId: id, taskId: task.taskId, status: "COMPLETED", outputData: { tracking: "T1" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toStartWith("text/plain");
    expect(await res.text()).toBe(task.taskId);
    const wf = await workflow(id);
    expect(wf.tasks[0]).toMatchObject({ taskId: task.taskId, status: "COMPLETED", outputData: { tracking: "T1" } });
    expect(wf.tasks[1]).toMatchObject({ referenceTaskName: "label_again", status: "SCHEDULED" });
  });

  test("completing a task that already completed is 200 and changes nothing", async () => {
    const id = await start();
    const task = await pollOne("label");
    await f.call("POST", "/api/tasks", { workflowInstanceId: id, taskId: task.taskId, status: "COMPLETED", outputData: { n: 1 } });
    const before = await workflow(id);
    const again = await f.call("POST", "/api/tasks", { workflowInstanceId: id, taskId: task.taskId, status: "FAILED", outputData: { n: 2 } });
    expect(again.status).toBe(200);
    expect(await again.text()).toBe(task.taskId);
    expect(await workflow(id)).toEqual(before);
  });

  test("IN_PROGRESS with callbackAfterSeconds keeps the task open and off the queue until then", async () => {
    const id = await start();
    const task = await pollOne("label");
    const res = await f.call("POST", "/api/tasks", { workflowInstanceId: id, taskId: task.taskId, status: "IN_PROGRESS", callbackAfterSeconds: 3600 });
    expect(res.status).toBe(200);
    const wf = await workflow(id);
    expect(wf.status).toBe("RUNNING");
    expect(wf.tasks).toHaveLength(1);
    expect(wf.tasks[0].callbackAfterSeconds).toBe(3600);
    expect(await (await f.call("GET", "/api/tasks/poll/batch/label?timeout=0")).json()).toEqual([]);
  });

  test("an extendLease heartbeat keeps the task IN_PROGRESS and changes nothing else", async () => {
    const id = await start();
    const task = await pollOne("label");
    const res = await f.call("POST", "/api/tasks", { workflowInstanceId: id, taskId: task.taskId, status: "IN_PROGRESS", extendLease: true, outputData: { ignored: true } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(task.taskId);
    const wf = await workflow(id);
    expect(wf.tasks).toHaveLength(1);
    expect(wf.tasks[0]).toMatchObject({ status: "IN_PROGRESS", outputData: {} });
  });

  test("a FAILED result with retries left schedules a new attempt of the same reference", async () => {
    const id = await start();
    const task = await pollOne("label");
    await f.call("POST", "/api/tasks", { workflowInstanceId: id, taskId: task.taskId, status: "FAILED", reasonForIncompletion: "printer jammed" });
    const wf = await workflow(id);
    expect(wf.status).toBe("RUNNING");
    expect(wf.tasks.map((t: { referenceTaskName: string; status: string; retryCount: number }) => [t.referenceTaskName, t.status, t.retryCount])).toEqual([
      ["label_ref", "FAILED", 0],
      ["label_ref", "SCHEDULED", 1],
    ]);
    expect(wf.tasks[0]).toMatchObject({ reasonForIncompletion: "printer jammed", retried: true });
    expect(wf.tasks[1].retriedTaskId).toBe(task.taskId);
  });

  test("FAILED_WITH_TERMINAL_ERROR fails the workflow without a retry", async () => {
    const id = await start();
    const task = await pollOne("label");
    await f.call("POST", "/api/tasks", { workflowInstanceId: id, taskId: task.taskId, status: "FAILED_WITH_TERMINAL_ERROR", reasonForIncompletion: "bad address" });
    const wf = await workflow(id);
    expect(wf.status).toBe("FAILED");
    expect(wf.tasks).toHaveLength(1);
    expect(wf.failedReferenceTaskNames).toEqual(["label_ref"]);
  });

  test("an unknown task id is 404", async () => {
    const id = await start();
    await expectError(await f.call("POST", "/api/tasks", { workflowInstanceId: id, taskId: "no-such-task", status: "COMPLETED" }), 404);
  });

  test("a status a worker may not report (SKIPPED) is 400 naming status", async () => {
    const id = await start();
    const task = await pollOne("label");
    const body = await expectError(await f.call("POST", "/api/tasks", { workflowInstanceId: id, taskId: task.taskId, status: "SKIPPED" }), 400);
    expect(paths(body)).toContain("status");
    expect((await workflow(id)).tasks[0].status).toBe("IN_PROGRESS");
  });

  test("a result without taskId is 400 naming taskId", async () => {
    const id = await start();
    const body = await expectError(await f.call("POST", "/api/tasks", { workflowInstanceId: id, status: "COMPLETED" }), 400);
    expect(paths(body)).toContain("taskId");
  });

  test("malformed JSON is 400", async () => {
    await expectError(await f.call("POST", "/api/tasks", "{"), 400);
  });

  test("unknown fields are ignored", async () => {
    const id = await start();
    const task = await pollOne("label");
    const res = await f.call("POST", "/api/tasks", { workflowInstanceId: id, taskId: task.taskId, status: "COMPLETED", notInConductor: 1 });
    expect(res.status).toBe(200);
  });
});

describe("POST /api/tasks/update-v2", () => {
  test("answers the next task of the same type when one is queued", async () => {
    const id = await start();
    const first = await pollOne("label");
    const res = await f.call("POST", "/api/tasks/update-v2", { workflowInstanceId: id, taskId: first.taskId, status: "COMPLETED", workerId: "w1" });
    expect(res.status).toBe(200);
    const next = await res.json();
    expect(next).toMatchObject({ workflowInstanceId: id, referenceTaskName: "label_again", taskType: "label", status: "IN_PROGRESS", workerId: "w1" });
    expect(await (await f.call("GET", "/api/tasks/poll/batch/label?timeout=0")).json()).toEqual([]);
  });

  test("answers 204 when nothing of that type is queued", async () => {
    await f.call("POST", "/api/metadata/workflow", { name: "single", tasks: [{ name: "once", taskReferenceName: "once" }] });
    const id = await (await f.call("POST", "/api/workflow", { name: "single" })).text();
    const task = await pollOne("once");
    const res = await f.call("POST", "/api/tasks/update-v2", { workflowInstanceId: id, taskId: task.taskId, status: "COMPLETED" });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
    expect((await workflow(id)).status).toBe("COMPLETED");
  });

  test("answers 204 when the next task of that type is not due yet (a retry waiting out its delay)", async () => {
    const id = await start();
    const task = await pollOne("label");
    const res = await f.call("POST", "/api/tasks/update-v2", { workflowInstanceId: id, taskId: task.taskId, status: "FAILED" });
    expect(res.status).toBe(204);
    expect((await workflow(id)).tasks[1]).toMatchObject({ status: "SCHEDULED", retryCount: 1 });
  });

  test("answers 204 when the updated task is still in progress", async () => {
    const id = await start();
    await start();
    const task = await pollOne("label");
    const res = await f.call("POST", "/api/tasks/update-v2", { workflowInstanceId: id, taskId: task.taskId, status: "IN_PROGRESS", callbackAfterSeconds: 60 });
    expect(res.status).toBe(204);
  });

  test("an unknown task id is 404", async () => {
    await expectError(await f.call("POST", "/api/tasks/update-v2", { workflowInstanceId: "x", taskId: "y", status: "COMPLETED" }), 404);
  });

  test("a bad status is 400", async () => {
    const body = await expectError(await f.call("POST", "/api/tasks/update-v2", { workflowInstanceId: "x", taskId: "y", status: "DONE" }), 400);
    expect(paths(body)).toContain("status");
  });
});

describe("POST /api/tasks/{workflowId}/{ref}/{status}", () => {
  test("updates the pending task of that reference with the body as output, answering its id as text", async () => {
    const id = await start();
    const task = await pollOne("label");
    const res = await f.call("POST", `/api/tasks/${id}/label_ref/COMPLETED?workerid=w9`, { tracking: "T2" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toStartWith("text/plain");
    expect(await res.text()).toBe(task.taskId);
    expect((await workflow(id)).tasks[0]).toMatchObject({ status: "COMPLETED", outputData: { tracking: "T2" } });
  });

  test("works on a task no worker has polled yet", async () => {
    const id = await start();
    const res = await f.call("POST", `/api/tasks/${id}/label_ref/FAILED`, {});
    expect(res.status).toBe(200);
    const wf = await workflow(id);
    expect(wf.tasks[0]).toMatchObject({ referenceTaskName: "label_ref", status: "FAILED" });
  });

  test("answers an empty body when no pending task has that reference", async () => {
    const id = await start();
    const res = await f.call("POST", `/api/tasks/${id}/no_such_ref/COMPLETED`, {});
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
  });

  test("a status a worker may not report is 400", async () => {
    const id = await start();
    const body = await expectError(await f.call("POST", `/api/tasks/${id}/label_ref/SKIPPED`, {}), 400);
    expect(body.message).toContain("SKIPPED");
    expect((await workflow(id)).tasks[0].status).toBe("SCHEDULED");
  });

  test("an unknown workflow is 404", async () => {
    await expectError(await f.call("POST", "/api/tasks/no-such-wf/label_ref/COMPLETED", {}), 404);
  });

  test("a body that is not a JSON object is 400", async () => {
    const id = await start();
    await expectError(await f.call("POST", `/api/tasks/${id}/label_ref/COMPLETED`, "[1]"), 400);
  });
});

describe("GET /api/tasks/{taskId}", () => {
  test("answers the task", async () => {
    const id = await start({ input: { to: "Oslo" } });
    const polled = await pollOne("label");
    const res = await f.call("GET", `/api/tasks/${polled.taskId}`);
    expect(res.status).toBe(200);
    const task = await res.json();
    expect(task).toMatchObject({ taskId: polled.taskId, workflowInstanceId: id, status: "IN_PROGRESS" });
    expect(nullPaths(task)).toEqual([]);
  });

  test("an unknown id is 404", async () => {
    await expectError(await f.call("GET", "/api/tasks/no-such-task"), 404);
  });
});

describe("task logs", () => {
  test("POST /{taskId}/log stores the raw body and GET lists the entries", async () => {
    await start();
    const task = await pollOne("label");
    const posted = await f.call("POST", `/api/tasks/${task.taskId}/log`, "printing label");
    expect(posted.status).toBe(200);
    await f.call("POST", `/api/tasks/${task.taskId}/log`, "label printed");
    const res = await f.call("GET", `/api/tasks/${task.taskId}/log`);
    expect(res.status).toBe(200);
    const logs = await res.json();
    expect(logs.map((l: { log: string }) => l.log)).toEqual(["printing label", "label printed"]);
    expect(logs[0]).toMatchObject({ taskId: task.taskId, createdTime: expect.any(Number) });
  });

  test("logs sent with a task result are kept", async () => {
    const id = await start();
    const task = await pollOne("label");
    await f.call("POST", "/api/tasks", { workflowInstanceId: id, taskId: task.taskId, status: "COMPLETED", logs: [{ log: "from the worker", createdTime: 5 }] });
    const logs = await (await f.call("GET", `/api/tasks/${task.taskId}/log`)).json();
    expect(logs).toEqual([{ taskId: task.taskId, log: "from the worker", createdTime: 5 }]);
  });

  test("GET /{taskId}/log with no entries is 204", async () => {
    await start();
    const task = await pollOne("label");
    const res = await f.call("GET", `/api/tasks/${task.taskId}/log`);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
  });
});

describe("queue inspection", () => {
  test("GET /queue/sizes answers a size for each taskType named", async () => {
    await start();
    await start();
    const res = await f.call("GET", "/api/tasks/queue/sizes?taskType=label&taskType=other");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ label: 2, other: 0 });
  });

  test("GET /queue/sizes with no taskType is an empty map", async () => {
    expect(await (await f.call("GET", "/api/tasks/queue/sizes")).json()).toEqual({});
  });

  test("GET /queue/size counts one queue, per domain", async () => {
    await start({ taskToDomain: { label: "blue" } });
    await start();
    expect(await (await f.call("GET", "/api/tasks/queue/size?taskType=label")).json()).toBe(1);
    expect(await (await f.call("GET", "/api/tasks/queue/size?taskType=label&domain=blue")).json()).toBe(1);
    expect(await (await f.call("GET", "/api/tasks/queue/size?taskType=label&domain=green")).json()).toBe(0);
  });

  test("GET /queue/size without taskType is 400", async () => {
    const body = await expectError(await f.call("GET", "/api/tasks/queue/size"), 400);
    expect(paths(body)).toContain("taskType");
  });

  test("a polled task leaves the queue", async () => {
    await start();
    await pollOne("label");
    expect(await (await f.call("GET", "/api/tasks/queue/size?taskType=label")).json()).toBe(0);
  });

  test("GET /queue/polldata shows who polled a task type, and /queue/polldata/all every queue", async () => {
    await f.call("GET", "/api/tasks/poll/batch/label?workerid=worker-7&timeout=0");
    await f.call("GET", "/api/tasks/poll/batch/label?workerid=worker-8&domain=blue&timeout=0");
    await f.call("GET", "/api/tasks/poll/batch/other?workerid=worker-9&timeout=0");

    const res = await f.call("GET", "/api/tasks/queue/polldata?taskType=label");
    expect(res.status).toBe(200);
    const label = await res.json();
    expect(label).toHaveLength(2);
    expect(label).toContainEqual({ queueName: "label", workerId: "worker-7", lastPollTime: expect.any(Number) });
    expect(label).toContainEqual({ queueName: "label", domain: "blue", workerId: "worker-8", lastPollTime: expect.any(Number) });

    const all = await (await f.call("GET", "/api/tasks/queue/polldata/all")).json();
    expect(all.map((p: { workerId: string }) => p.workerId).sort()).toEqual(["worker-7", "worker-8", "worker-9"]);
  });

  test("GET /queue/polldata for a type nobody polled is an empty list", async () => {
    expect(await (await f.call("GET", "/api/tasks/queue/polldata?taskType=label")).json()).toEqual([]);
  });

  test("GET /queue/polldata without taskType is 400", async () => {
    await expectError(await f.call("GET", "/api/tasks/queue/polldata"), 400);
  });
});
