import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { createAppFixture, nullPaths, type AppFixture } from "../../../test/support/app-fixture.ts";

let f: AppFixture;
beforeEach(async () => {
  f = await createAppFixture();
});
afterEach(async () => {
  await f.close();
});

const simple = (name: string, version = 1, extra: Record<string, unknown> = {}) => ({
  name,
  version,
  tasks: [{ name: "work", taskReferenceName: "work_ref" }],
  ...extra,
});

async function expectValidationError(res: Response, path: string) {
  expect(res.status).toBe(400);
  const body = await res.json();
  // Plain checks: bun's toMatchObject overwrites matched fields with the asymmetric matchers.
  expect(body.status).toBe(400);
  expect(typeof body.message).toBe("string");
  expect(body.retryable).toBe(false);
  const error = body.validationErrors.find((e: { path: string }) => e.path === path);
  expect(error).toBeDefined();
  expect(typeof error.message).toBe("string");
  return error as { path: string; message: string; invalidValue?: unknown };
}

describe("task definitions", () => {
  test("POST /taskdefs registers a list and GET fills in Conductor's defaults", async () => {
    const res = await f.call("POST", "/api/metadata/taskdefs", [{ name: "encode" }, { name: "decode", retryCount: 1 }]);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");

    const got = await f.call("GET", "/api/metadata/taskdefs/encode");
    expect(got.status).toBe(200);
    expect(await got.json()).toMatchObject({
      name: "encode",
      retryCount: 3,
      timeoutSeconds: 0,
      timeoutPolicy: "TIME_OUT_WF",
      retryLogic: "FIXED",
      retryDelaySeconds: 60,
      responseTimeoutSeconds: 3600,
      inputKeys: [],
      outputKeys: [],
      inputTemplate: {},
      backoffScaleFactor: 1,
      totalTimeoutSeconds: 0,
      createTime: expect.any(Number),
    });
    expect((await (await f.call("GET", "/api/metadata/taskdefs/decode")).json()).retryCount).toBe(1);
  });

  test("POST /taskdefs with an empty list is 400", async () => {
    const res = await f.call("POST", "/api/metadata/taskdefs", []);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ status: 400, message: expect.any(String) });
  });

  test("POST /taskdefs with a field of the wrong type is 400 naming its path", async () => {
    const res = await f.call("POST", "/api/metadata/taskdefs", [{ name: "ok" }, { name: "bad", retryCount: "three" }]);
    const error = await expectValidationError(res, "[1].retryCount");
    expect(error.invalidValue).toBe("three");
    expect((await f.call("GET", "/api/metadata/taskdefs/ok")).status).toBe(404);
  });

  test("POST /taskdefs with timeouts out of order is 400", async () => {
    const res = await f.call("POST", "/api/metadata/taskdefs", [{ name: "slow", timeoutSeconds: 10, responseTimeoutSeconds: 20 }]);
    const error = await expectValidationError(res, "[0].responseTimeoutSeconds");
    expect(error.invalidValue).toBe(20);
  });

  test("POST /taskdefs with a body that is not a list is 400", async () => {
    const res = await f.call("POST", "/api/metadata/taskdefs", { name: "single" });
    expect(res.status).toBe(400);
  });

  test("PUT /taskdefs creates a task definition that does not exist yet", async () => {
    const res = await f.call("PUT", "/api/metadata/taskdefs", { name: "fresh", retryCount: 5 });
    expect(res.status).toBe(200);
    expect(await (await f.call("GET", "/api/metadata/taskdefs/fresh")).json()).toMatchObject({ name: "fresh", retryCount: 5 });
  });

  test("PUT /taskdefs updates an existing one and keeps its createTime", async () => {
    await f.call("POST", "/api/metadata/taskdefs", [{ name: "encode", retryCount: 1 }]);
    const before = await (await f.call("GET", "/api/metadata/taskdefs/encode")).json();
    const res = await f.call("PUT", "/api/metadata/taskdefs", { ...before, retryCount: 7, description: "now retried more" });
    expect(res.status).toBe(200);
    const after = await (await f.call("GET", "/api/metadata/taskdefs/encode")).json();
    expect(after).toMatchObject({ retryCount: 7, description: "now retried more", createTime: before.createTime });
  });

  test("PUT /taskdefs with an invalid body is 400", async () => {
    const res = await f.call("PUT", "/api/metadata/taskdefs", { name: "x", timeoutPolicy: "SOMETIMES" });
    await expectValidationError(res, "timeoutPolicy");
  });

  test("GET /taskdefs lists every task definition", async () => {
    await f.call("POST", "/api/metadata/taskdefs", [{ name: "b" }, { name: "a" }]);
    const res = await f.call("GET", "/api/metadata/taskdefs");
    expect(res.status).toBe(200);
    const names = (await res.json()).map((d: { name: string }) => d.name);
    expect(names.sort()).toEqual(["a", "b"]);
  });

  test("GET /taskdefs is an empty list when there are none", async () => {
    expect(await (await f.call("GET", "/api/metadata/taskdefs")).json()).toEqual([]);
  });

  test("GET /taskdefs/{name} of an unknown task is 404 with Conductor's error body", async () => {
    const res = await f.call("GET", "/api/metadata/taskdefs/nope");
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ status: 404, message: expect.stringContaining("nope"), instance: "test", retryable: false });
  });

  test("DELETE /taskdefs/{name} removes it; a second delete is 404", async () => {
    await f.call("POST", "/api/metadata/taskdefs", [{ name: "gone" }]);
    expect((await f.call("DELETE", "/api/metadata/taskdefs/gone")).status).toBe(200);
    expect((await f.call("GET", "/api/metadata/taskdefs/gone")).status).toBe(404);
    const again = await f.call("DELETE", "/api/metadata/taskdefs/gone");
    expect(again.status).toBe(404);
    expect((await again.json()).status).toBe(404);
  });

  test("unknown fields are ignored and null fields are left out of the answer", async () => {
    const res = await f.call("POST", "/api/metadata/taskdefs", [{ name: "lenient", description: null, ownerEmail: null, someFutureField: { a: 1 } }]);
    expect(res.status).toBe(200);
    const def = await (await f.call("GET", "/api/metadata/taskdefs/lenient")).json();
    expect(def).not.toHaveProperty("someFutureField");
    expect(def).not.toHaveProperty("description");
    expect(nullPaths(def)).toEqual([]);
  });
});

describe("workflow definitions: registering", () => {
  test("POST /workflow registers a definition with defaults applied", async () => {
    const res = await f.call("POST", "/api/metadata/workflow", simple("flow"));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    const def = await (await f.call("GET", "/api/metadata/workflow/flow")).json();
    expect(def).toMatchObject({
      name: "flow",
      version: 1,
      schemaVersion: 2,
      restartable: true,
      timeoutPolicy: "ALERT_ONLY",
      timeoutSeconds: 0,
      tasks: [{ name: "work", taskReferenceName: "work_ref", type: "SIMPLE", inputParameters: {}, optional: false }],
      createTime: expect.any(Number),
    });
  });

  test("POST /workflow with a version that exists is 409", async () => {
    await f.call("POST", "/api/metadata/workflow", simple("flow"));
    const res = await f.call("POST", "/api/metadata/workflow", simple("flow", 1, { description: "second" }));
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ status: 409, message: expect.any(String) });
    expect((await (await f.call("GET", "/api/metadata/workflow/flow")).json()).description).toBeUndefined();
  });

  test("POST /workflow?overwrite=true replaces the existing version", async () => {
    await f.call("POST", "/api/metadata/workflow", simple("flow"));
    const res = await f.call("POST", "/api/metadata/workflow?overwrite=true", simple("flow", 1, { description: "second" }));
    expect(res.status).toBe(200);
    const def = await (await f.call("GET", "/api/metadata/workflow/flow?version=1")).json();
    expect(def.description).toBe("second");
  });

  test("POST /workflow with a malformed body is 400", async () => {
    const res = await f.call("POST", "/api/metadata/workflow", "{not json");
    expect(res.status).toBe(400);
    expect((await res.json()).status).toBe(400);
  });

  test("PUT /workflow upserts a list and answers a BulkResponse", async () => {
    await f.call("POST", "/api/metadata/workflow", simple("existing"));
    const res = await f.call("PUT", "/api/metadata/workflow", [simple("existing", 1, { description: "updated" }), simple("brand_new")]);
    expect(res.status).toBe(200);
    const bulk = await res.json();
    expect(bulk.bulkSuccessfulResults.sort()).toEqual(["brand_new", "existing"]);
    expect(bulk.bulkErrorResults).toEqual({});
    expect((await (await f.call("GET", "/api/metadata/workflow/existing")).json()).description).toBe("updated");
    expect((await f.call("GET", "/api/metadata/workflow/brand_new")).status).toBe(200);
  });

  test("PUT /workflow reports an invalid definition per item and still stores the others", async () => {
    const bad = { name: "bad", tasks: [{ name: "k", taskReferenceName: "k", type: "KAFKA_PUBLISH" }] };
    const res = await f.call("PUT", "/api/metadata/workflow", [simple("good"), bad]);
    expect(res.status).toBe(200);
    const bulk = await res.json();
    expect(bulk.bulkSuccessfulResults).toEqual(["good"]);
    expect(Object.keys(bulk.bulkErrorResults)).toEqual(["bad"]);
    expect((await f.call("GET", "/api/metadata/workflow/bad")).status).toBe(404);
  });

  test("PUT /workflow with a single object instead of a list is 400", async () => {
    expect((await f.call("PUT", "/api/metadata/workflow", simple("flow"))).status).toBe(400);
  });

  test("POST /workflow/validate answers 200 for a valid definition without storing it", async () => {
    const res = await f.call("POST", "/api/metadata/workflow/validate", simple("checked"));
    expect(res.status).toBe(200);
    expect((await f.call("GET", "/api/metadata/workflow/checked")).status).toBe(404);
  });

  test("POST /workflow/validate answers 400 with validationErrors for an invalid one", async () => {
    const res = await f.call("POST", "/api/metadata/workflow/validate", { name: "checked", tasks: [] });
    await expectValidationError(res, "tasks");
  });

  test("unknown fields are ignored and null fields are left out of the answer", async () => {
    const def = { ...simple("lenient"), description: null, failureWorkflow: null, notAConductorField: true };
    def.tasks = [{ name: "work", taskReferenceName: "work_ref", description: null, whatever: 1 } as never];
    expect((await f.call("POST", "/api/metadata/workflow", def)).status).toBe(200);
    const got = await (await f.call("GET", "/api/metadata/workflow/lenient")).json();
    expect(got).not.toHaveProperty("notAConductorField");
    expect(got.tasks[0]).not.toHaveProperty("whatever");
    expect(nullPaths(got)).toEqual([]);
  });
});

describe("workflow definitions: what registration rejects", () => {
  test("a task without taskReferenceName", async () => {
    const res = await f.call("POST", "/api/metadata/workflow", { name: "w", tasks: [{ name: "work" }] });
    const body = await res.clone().json();
    expect(body).toMatchObject({ status: 400, message: expect.any(String), validationErrors: expect.any(Array) });
    await expectValidationError(res, "tasks[0].taskReferenceName");
  });

  test("a reference name used twice across the branches of a FORK_JOIN", async () => {
    const def = {
      name: "w",
      tasks: [
        {
          name: "fork",
          taskReferenceName: "fork",
          type: "FORK_JOIN",
          forkTasks: [[{ name: "a", taskReferenceName: "same" }], [{ name: "b", taskReferenceName: "same" }]],
        },
        { name: "join", taskReferenceName: "join", type: "JOIN", joinOn: ["same"] },
      ],
    };
    const error = await expectValidationError(await f.call("POST", "/api/metadata/workflow", def), "tasks[0].forkTasks[1][0].taskReferenceName");
    expect(error.invalidValue).toBe("same");
  });

  test("a reference name used twice inside a SWITCH's cases", async () => {
    const def = {
      name: "w",
      tasks: [
        {
          name: "route",
          taskReferenceName: "route",
          type: "SWITCH",
          evaluatorType: "value-param",
          expression: "kind",
          inputParameters: { kind: "${workflow.input.kind}" },
          decisionCases: { a: [{ name: "a", taskReferenceName: "twice" }] },
          defaultCase: [{ name: "b", taskReferenceName: "twice" }],
        },
      ],
    };
    const error = await expectValidationError(await f.call("POST", "/api/metadata/workflow", def), "tasks[0].defaultCase[0].taskReferenceName");
    expect(error.invalidValue).toBe("twice");
  });

  test("a DO_WHILE body reusing a reference name of the outer workflow", async () => {
    const def = {
      name: "w",
      tasks: [
        { name: "first", taskReferenceName: "step" },
        { name: "loop", taskReferenceName: "loop", type: "DO_WHILE", loopCondition: "false", loopOver: [{ name: "again", taskReferenceName: "step" }] },
      ],
    };
    const error = await expectValidationError(await f.call("POST", "/api/metadata/workflow", def), "tasks[1].loopOver[0].taskReferenceName");
    expect(error.invalidValue).toBe("step");
  });

  test("a task type Baton does not run (KAFKA_PUBLISH)", async () => {
    const def = { name: "w", tasks: [{ name: "publish", taskReferenceName: "publish", type: "KAFKA_PUBLISH" }] };
    const error = await expectValidationError(await f.call("POST", "/api/metadata/workflow", def), "tasks[0].type");
    expect(error.invalidValue).toBe("KAFKA_PUBLISH");
  });

  test("an input expression naming a reference that does not exist", async () => {
    const def = {
      name: "w",
      tasks: [
        { name: "a", taskReferenceName: "a" },
        { name: "b", taskReferenceName: "b", inputParameters: { fromA: "${a.output.x}", fromGhost: "${ghost.output.y}" } },
      ],
    };
    const error = await expectValidationError(await f.call("POST", "/api/metadata/workflow", def), "tasks[1].inputParameters.fromGhost");
    expect(error.invalidValue).toBe("${ghost.output.y}");
    expect(error.message).toContain("ghost");
  });

  test("an embedded taskDefinition whose responseTimeoutSeconds exceeds timeoutSeconds", async () => {
    const def = {
      name: "w",
      tasks: [{ name: "a", taskReferenceName: "a", taskDefinition: { timeoutSeconds: 10, responseTimeoutSeconds: 30 } }],
    };
    const error = await expectValidationError(await f.call("POST", "/api/metadata/workflow", def), "tasks[0].taskDefinition.responseTimeoutSeconds");
    expect(error.invalidValue).toBe(30);
  });

  test("nothing is stored when registration is rejected", async () => {
    await f.call("POST", "/api/metadata/workflow", { name: "w", tasks: [{ name: "p", taskReferenceName: "p", type: "KAFKA_PUBLISH" }] });
    expect((await f.call("GET", "/api/metadata/workflow/w")).status).toBe(404);
  });
});

describe("workflow definitions: reading and deleting", () => {
  beforeEach(async () => {
    for (const def of [simple("alpha", 1), simple("alpha", 2, { description: "v2" }), simple("beta", 1)]) {
      expect((await f.call("POST", "/api/metadata/workflow", def)).status).toBe(200);
    }
  });

  test("GET /workflow/{name} answers the latest version", async () => {
    const res = await f.call("GET", "/api/metadata/workflow/alpha");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ name: "alpha", version: 2, description: "v2" });
  });

  test("GET /workflow/{name}?version= answers that version", async () => {
    const def = await (await f.call("GET", "/api/metadata/workflow/alpha?version=1")).json();
    expect(def).toMatchObject({ name: "alpha", version: 1 });
    expect(def.description).toBeUndefined();
  });

  test("GET /workflow/{name} of an unknown name or version is 404", async () => {
    const unknown = await f.call("GET", "/api/metadata/workflow/gamma");
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ status: 404, message: expect.any(String) });
    expect((await f.call("GET", "/api/metadata/workflow/alpha?version=3")).status).toBe(404);
  });

  test("GET /workflow/{name}?version= that is not a number is 400", async () => {
    await expectValidationError(await f.call("GET", "/api/metadata/workflow/alpha?version=two"), "version");
  });

  test("GET /workflow lists every version of every definition", async () => {
    const defs = await (await f.call("GET", "/api/metadata/workflow")).json();
    expect(defs.map((d: { name: string; version: number }) => `${d.name}:${d.version}`).sort()).toEqual(["alpha:1", "alpha:2", "beta:1"]);
  });

  test("GET /workflow/latest-versions lists only the latest of each", async () => {
    const defs = await (await f.call("GET", "/api/metadata/workflow/latest-versions")).json();
    expect(defs.map((d: { name: string; version: number }) => `${d.name}:${d.version}`).sort()).toEqual(["alpha:2", "beta:1"]);
  });

  test("GET /workflow/names lists each name once", async () => {
    const names = await (await f.call("GET", "/api/metadata/workflow/names")).json();
    expect(names.sort()).toEqual(["alpha", "beta"]);
  });

  test("GET /workflow/names-and-versions groups version summaries by name", async () => {
    const grouped = await (await f.call("GET", "/api/metadata/workflow/names-and-versions")).json();
    expect(Object.keys(grouped).sort()).toEqual(["alpha", "beta"]);
    expect(grouped.alpha.map((s: { version: number }) => s.version).sort()).toEqual([1, 2]);
    expect(grouped.beta[0]).toEqual({ name: "beta", version: 1, createTime: expect.any(Number), updateTime: expect.any(Number) });
  });

  test("GET /workflow/{name}/versions lists that name's version summaries", async () => {
    const versions = await (await f.call("GET", "/api/metadata/workflow/alpha/versions")).json();
    expect(versions.map((s: { name: string; version: number }) => `${s.name}:${s.version}`).sort()).toEqual(["alpha:1", "alpha:2"]);
    expect(versions[0]).not.toHaveProperty("tasks");
  });

  test("DELETE /workflow/{name}/{version} removes that version only", async () => {
    const res = await f.call("DELETE", "/api/metadata/workflow/alpha/2");
    expect(res.status).toBe(200);
    expect((await f.call("GET", "/api/metadata/workflow/alpha?version=2")).status).toBe(404);
    expect((await (await f.call("GET", "/api/metadata/workflow/alpha")).json()).version).toBe(1);
  });

  test("DELETE /workflow/{name}/{version} of an unknown version is 404", async () => {
    const res = await f.call("DELETE", "/api/metadata/workflow/alpha/9");
    expect(res.status).toBe(404);
    expect((await res.json()).status).toBe(404);
  });

  test("DELETE /workflow/{name}/{version} with a version that is not a number is 400, not a server error", async () => {
    const res = await f.call("DELETE", "/api/metadata/workflow/alpha/latest");
    expect(res.status).toBe(400);
    expect((await res.json()).status).toBe(400);
  });

  test("deleting a definition leaves running executions alone", async () => {
    const id = await (await f.call("POST", "/api/workflow", { name: "beta" })).text();
    expect((await f.call("DELETE", "/api/metadata/workflow/beta/1")).status).toBe(200);
    const wf = await (await f.call("GET", `/api/workflow/${id}`)).json();
    expect(wf).toMatchObject({ status: "RUNNING", workflowDefinition: { name: "beta", version: 1 } });
  });
});
