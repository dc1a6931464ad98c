import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { createAppFixture, expectError, nullPaths, type AppFixture } from "../../../test/support/app-fixture.ts";

let f: AppFixture;
beforeEach(async () => {
  f = await createAppFixture();
  await register(twoSteps("order", 1));
});
afterEach(async () => {
  await f.close();
});

function twoSteps(name: string, version: number, extra: Record<string, unknown> = {}) {
  return {
    name,
    version,
    tasks: [
      { name: "pick", taskReferenceName: "pick_ref", inputParameters: { item: "${workflow.input.item}" } },
      { name: "pack", taskReferenceName: "pack_ref" },
    ],
    ...extra,
  };
}

async function register(def: unknown) {
  const res = await f.call("POST", "/api/metadata/workflow", def);
  expect(res.status).toBe(200);
}

async function start(request: Record<string, unknown>): Promise<string> {
  const res = await f.call("POST", "/api/workflow", request);
  expect(res.status).toBe(200);
  return res.text();
}

async function getWorkflow(id: string, query = "") {
  const res = await f.call("GET", `/api/workflow/${id}${query}`);
  expect(res.status).toBe(200);
  return res.json();
}

/** Polls one task of `type` and reports it with `status`. */
async function work(type: string, status = "COMPLETED", outputData: Record<string, unknown> = {}) {
  const [task] = await (await f.call("GET", `/api/tasks/poll/batch/${type}?workerid=w1`)).json();
  expect(task).toBeDefined();
  const res = await f.call("POST", "/api/tasks", { workflowInstanceId: task.workflowInstanceId, taskId: task.taskId, status, outputData });
  expect(res.status).toBe(200);
  return task;
}

describe("POST /api/workflow", () => {
  test("starts a workflow and answers its id as text/plain", async () => {
    const res = await f.call("POST", "/api/workflow", { name: "order", input: { item: "book" }, correlationId: "c-1", priority: 7 });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toStartWith("text/plain");
    const id = await res.text();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const wf = await getWorkflow(id);
    expect(wf).toMatchObject({
      workflowId: id,
      workflowName: "order",
      workflowVersion: 1,
      status: "RUNNING",
      input: { item: "book" },
      correlationId: "c-1",
      priority: 7,
      workflowDefinition: { name: "order", version: 1 },
    });
    expect(wf.tasks).toHaveLength(1);
    expect(wf.tasks[0]).toMatchObject({ referenceTaskName: "pick_ref", status: "SCHEDULED", inputData: { item: "book" } });
  });

  test("the first task is on its queue when the start answers", async () => {
    await start({ name: "order" });
    expect(await (await f.call("GET", "/api/tasks/queue/size?taskType=pick")).json()).toBe(1);
  });

  test("an unknown workflow is 404", async () => {
    await expectError(await f.call("POST", "/api/workflow", { name: "nope" }), 404);
  });

  test("an unknown version of a known workflow is 404", async () => {
    await expectError(await f.call("POST", "/api/workflow", { name: "order", version: 5 }), 404);
  });

  test("a request without a name is 400 naming the field", async () => {
    const body = await expectError(await f.call("POST", "/api/workflow", { input: {} }), 400);
    expect(body.validationErrors.map((e: { path: string }) => e.path)).toContain("name");
  });

  test("malformed JSON is 400", async () => {
    await expectError(await f.call("POST", "/api/workflow", '{"name": "order",'), 400);
  });

  test("an empty body is 400", async () => {
    await expectError(await f.call("POST", "/api/workflow", ""), 400);
  });

  test("priority 100 is 400", async () => {
    const body = await expectError(await f.call("POST", "/api/workflow", { name: "order", priority: 100 }), 400);
    expect(body.validationErrors.map((e: { path: string }) => e.path)).toContain("priority");
  });

  test("an inline workflowDef runs without being registered", async () => {
    const workflowDef = { name: "adhoc", version: 3, tasks: [{ name: "solo", taskReferenceName: "solo_ref" }] };
    const id = await start({ name: "adhoc", workflowDef, input: { k: 1 } });
    const wf = await getWorkflow(id);
    expect(wf).toMatchObject({ status: "RUNNING", workflowName: "adhoc", workflowDefinition: { name: "adhoc", version: 3 } });
    expect(wf.tasks[0]).toMatchObject({ referenceTaskName: "solo_ref", taskType: "solo" });
    expect((await f.call("GET", "/api/metadata/workflow/adhoc")).status).toBe(404);
  });

  test("unknown request fields are ignored", async () => {
    const id = await start({ name: "order", someFutureOption: true });
    expect((await getWorkflow(id)).status).toBe("RUNNING");
  });
});

describe("POST /api/workflow/{name}", () => {
  test("takes the body as input and the rest from query parameters, answering the id as text/plain", async () => {
    await register(twoSteps("order", 2));
    const res = await f.call("POST", "/api/workflow/order?version=1&correlationId=c-9&priority=42", { item: "lamp" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toStartWith("text/plain");
    const wf = await getWorkflow(await res.text());
    expect(wf).toMatchObject({ workflowVersion: 1, correlationId: "c-9", priority: 42, input: { item: "lamp" } });
  });

  test("without a version it starts the latest", async () => {
    await register(twoSteps("order", 2));
    const id = await (await f.call("POST", "/api/workflow/order", {})).text();
    expect((await getWorkflow(id)).workflowVersion).toBe(2);
  });

  test("an empty body is an empty input", async () => {
    const res = await f.call("POST", "/api/workflow/order");
    expect(res.status).toBe(200);
    expect((await getWorkflow(await res.text())).input).toEqual({});
  });

  test("an unknown workflow is 404", async () => {
    await expectError(await f.call("POST", "/api/workflow/nope", {}), 404);
  });

  test("malformed JSON is 400", async () => {
    await expectError(await f.call("POST", "/api/workflow/order", "{oops"), 400);
  });

  test("a body that is not an object is 400", async () => {
    await expectError(await f.call("POST", "/api/workflow/order", [1, 2]), 400);
  });

  test("priority 100 is 400", async () => {
    const body = await expectError(await f.call("POST", "/api/workflow/order?priority=100", {}), 400);
    expect(body.message).toContain("priority");
  });

  test("a version that is not a number is 400", async () => {
    await expectError(await f.call("POST", "/api/workflow/order?version=latest", {}), 400);
  });
});

describe("GET /api/workflow/{id}", () => {
  test("includes the tasks by default", async () => {
    const id = await start({ name: "order", input: { item: "x" } });
    await work("pick");
    const wf = await getWorkflow(id);
    expect(wf.tasks.map((t: { referenceTaskName: string; status: string }) => [t.referenceTaskName, t.status])).toEqual([
      ["pick_ref", "COMPLETED"],
      ["pack_ref", "SCHEDULED"],
    ]);
  });

  test("?includeTasks=false leaves the tasks out", async () => {
    const id = await start({ name: "order" });
    const wf = await getWorkflow(id, "?includeTasks=false");
    expect(wf.workflowId).toBe(id);
    expect(wf.tasks ?? []).toEqual([]);
  });

  test("leaving the tasks out of one answer does not lose them for the next", async () => {
    const id = await start({ name: "order" });
    await getWorkflow(id, "?includeTasks=false");
    expect((await getWorkflow(id)).tasks).toHaveLength(1);
  });

  test("an unknown id is 404", async () => {
    await expectError(await f.call("GET", "/api/workflow/no-such-id"), 404);
  });

  test("an includeTasks that is not a boolean is 400", async () => {
    const id = await start({ name: "order" });
    await expectError(await f.call("GET", `/api/workflow/${id}?includeTasks=yes`), 400);
  });

  // Values inside inputData/outputData are the user's and may be null; Conductor keeps those.
  test("the answer carries no null fields", async () => {
    const id = await start({ name: "order", input: { item: "x" } });
    await work("pick");
    expect(nullPaths(await getWorkflow(id))).toEqual([]);
  });
});

describe("GET /api/workflow/{id}/status", () => {
  test("answers id, correlation id and status only, by default", async () => {
    const id = await start({ name: "order", correlationId: "c-1" });
    const res = await f.call("GET", `/api/workflow/${id}/status`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ workflowId: id, correlationId: "c-1", status: "RUNNING" });
  });

  test("includeOutput and includeVariables add those", async () => {
    await register(twoSteps("vars", 1, { variables: { tries: 2 } }));
    const id = await start({ name: "vars" });
    await work("pick");
    await work("pack", "COMPLETED", { box: 4 });
    const res = await f.call("GET", `/api/workflow/${id}/status?includeOutput=true&includeVariables=true`);
    expect(await res.json()).toEqual({ workflowId: id, status: "COMPLETED", output: { box: 4 }, variables: { tries: 2 } });
  });

  test("an unknown id is 404", async () => {
    await expectError(await f.call("GET", "/api/workflow/no-such-id/status"), 404);
  });
});

describe("GET /api/workflow/running/{name}", () => {
  test("lists running ids of version 1 unless a version is given", async () => {
    await register(twoSteps("order", 2));
    const v1 = await start({ name: "order", version: 1 });
    const v2 = await start({ name: "order", version: 2 });
    const ended = await start({ name: "order", version: 1 });
    await f.call("DELETE", `/api/workflow/${ended}`);

    const byDefault = await f.call("GET", "/api/workflow/running/order");
    expect(byDefault.status).toBe(200);
    expect(await byDefault.json()).toEqual([v1]);
    expect(await (await f.call("GET", "/api/workflow/running/order?version=2")).json()).toEqual([v2]);
  });

  test("startTime and endTime bound the start time of the ids listed", async () => {
    const id = await start({ name: "order" });
    const { startTime } = await getWorkflow(id);
    expect(await (await f.call("GET", `/api/workflow/running/order?startTime=${startTime}&endTime=${startTime}`)).json()).toEqual([id]);
    expect(await (await f.call("GET", `/api/workflow/running/order?startTime=${startTime + 1}`)).json()).toEqual([]);
    expect(await (await f.call("GET", `/api/workflow/running/order?endTime=${startTime - 1}`)).json()).toEqual([]);
  });

  test("an unknown name is an empty list", async () => {
    expect(await (await f.call("GET", "/api/workflow/running/nope")).json()).toEqual([]);
  });

  test("a version that is not a number is 400", async () => {
    await expectError(await f.call("GET", "/api/workflow/running/order?version=x"), 400);
  });
});

describe("correlated workflows", () => {
  test("GET /{name}/correlated/{cid} lists only running ones unless includeClosed=true", async () => {
    const running = await start({ name: "order", correlationId: "batch-1" });
    const closed = await start({ name: "order", correlationId: "batch-1" });
    await start({ name: "order", correlationId: "batch-2" });
    await f.call("DELETE", `/api/workflow/${closed}`);

    const open = await (await f.call("GET", "/api/workflow/order/correlated/batch-1")).json();
    expect(open.map((w: { workflowId: string }) => w.workflowId)).toEqual([running]);
    const all = await (await f.call("GET", "/api/workflow/order/correlated/batch-1?includeClosed=true")).json();
    expect(all.map((w: { workflowId: string }) => w.workflowId).sort()).toEqual([running, closed].sort());
  });

  test("tasks are left out unless includeTasks=true", async () => {
    await start({ name: "order", correlationId: "batch-1" });
    const [without] = await (await f.call("GET", "/api/workflow/order/correlated/batch-1")).json();
    expect(without.tasks ?? []).toEqual([]);
    const [withTasks] = await (await f.call("GET", "/api/workflow/order/correlated/batch-1?includeTasks=true")).json();
    expect(withTasks.tasks).toHaveLength(1);
  });

  test("GET with an unknown correlation id is an empty list", async () => {
    expect(await (await f.call("GET", "/api/workflow/order/correlated/none")).json()).toEqual([]);
  });

  test("POST /{name}/correlated answers a map from each correlation id to its workflows", async () => {
    const a = await start({ name: "order", correlationId: "a" });
    const b = await start({ name: "order", correlationId: "b" });
    const res = await f.call("POST", "/api/workflow/order/correlated", ["a", "b", "c"]);
    expect(res.status).toBe(200);
    const found = await res.json();
    expect(Object.keys(found).sort()).toEqual(["a", "b", "c"]);
    expect(found.a.map((w: { workflowId: string }) => w.workflowId)).toEqual([a]);
    expect(found.b.map((w: { workflowId: string }) => w.workflowId)).toEqual([b]);
    expect(found.c).toEqual([]);
  });

  test("POST /{name}/correlated with a body that is not a list of strings is 400", async () => {
    await expectError(await f.call("POST", "/api/workflow/order/correlated", { correlationId: "a" }), 400);
  });
});

describe("DELETE /api/workflow/{id} (terminate)", () => {
  test("terminates with the reason recorded and open tasks cancelled", async () => {
    const id = await start({ name: "order" });
    const res = await f.call("DELETE", `/api/workflow/${id}?reason=${encodeURIComponent("customer cancelled")}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    const wf = await getWorkflow(id);
    expect(wf).toMatchObject({ status: "TERMINATED", reasonForIncompletion: "customer cancelled" });
    expect(wf.endTime).toBeGreaterThan(0);
    expect(wf.tasks.map((t: { status: string }) => t.status)).toEqual(["CANCELED"]);
    expect(await (await f.call("GET", "/api/tasks/queue/size?taskType=pick")).json()).toBe(0);
  });

  test("terminating a COMPLETED workflow is 409", async () => {
    const id = await start({ name: "order" });
    await work("pick");
    await work("pack");
    expect((await getWorkflow(id)).status).toBe("COMPLETED");
    await expectError(await f.call("DELETE", `/api/workflow/${id}`), 409);
    expect((await getWorkflow(id)).status).toBe("COMPLETED");
  });

  test("terminating twice is a 200 no-op that keeps the first reason", async () => {
    const id = await start({ name: "order" });
    await f.call("DELETE", `/api/workflow/${id}?reason=first`);
    const before = await getWorkflow(id);
    const again = await f.call("DELETE", `/api/workflow/${id}?reason=second`);
    expect(again.status).toBe(200);
    const after = await getWorkflow(id);
    expect(after).toMatchObject({ status: "TERMINATED", reasonForIncompletion: "first", endTime: before.endTime });
  });

  test("an unknown id is 404", async () => {
    await expectError(await f.call("DELETE", "/api/workflow/no-such-id"), 404);
  });
});

describe("DELETE /api/workflow/{id}/remove", () => {
  test("removes the execution and its queued tasks", async () => {
    const id = await start({ name: "order" });
    const res = await f.call("DELETE", `/api/workflow/${id}/remove`);
    expect(res.status).toBe(200);
    await expectError(await f.call("GET", `/api/workflow/${id}`), 404);
    expect(await (await f.call("GET", "/api/tasks/queue/size?taskType=pick")).json()).toBe(0);
    expect(await (await f.call("GET", "/api/tasks/poll/batch/pick")).json()).toEqual([]);
  });

  test("an unknown id is 404", async () => {
    await expectError(await f.call("DELETE", "/api/workflow/no-such-id/remove"), 404);
  });
});

describe("PUT /api/workflow/decide/{id}", () => {
  test("answers 200 and leaves a workflow with nothing due as it was", async () => {
    const id = await start({ name: "order" });
    const before = await getWorkflow(id);
    const res = await f.call("PUT", `/api/workflow/decide/${id}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    const after = await getWorkflow(id);
    expect(after.status).toBe("RUNNING");
    expect(after.tasks).toEqual(before.tasks);
  });

  test("an unknown id is 404", async () => {
    await expectError(await f.call("PUT", "/api/workflow/decide/no-such-id"), 404);
  });
});
