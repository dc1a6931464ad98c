/**
 * The everyday path: definitions registered and workflows started through the SDK, tasks run by
 * SDK workers, and the finished execution read back through the SDK.
 */
import { expect, test } from "bun:test";
import { clearWorkerRegistry, createConductorClient, worker, WorkflowExecutor, type Task } from "@io-orkes/conductor-javascript";
import { SCENARIO_TIMEOUT_MS, uniqueName, type Harness } from "./harness.ts";

export function sdkWorkerScenarios(h: Harness): void {
  test("a workflow of three SIMPLE tasks runs to COMPLETED on SDK workers, with inputs and outputs wired by expressions", async () => {
    const [a, b, c] = [uniqueName("cf_parse"), uniqueName("cf_greet"), uniqueName("cf_sum")];
    const wfName = uniqueName("cf_three_steps");
    await h.registerTaskDefs({ name: a, description: "doubles n" }, { name: b, retryCount: 2 }, { name: c });
    expect(await h.metadata.getTask(b)).toMatchObject({ name: b, retryCount: 2 });

    await h.registerSimpleWorkflow(
      wfName,
      [
        ["parse", a, { n: "${workflow.input.x}" }],
        ["greet", b, { v: "${parse.output.doubled}", who: "${workflow.input.who}" }],
        ["sum", c, { g: "${greet.output.greeting}", n: "${greet.output.plusOne}" }],
      ],
      {
        doubled: "${parse.output.doubled}",
        summary: "${sum.output.summary}",
        who: "${workflow.input.who}",
      },
    );

    const seen: Task[] = [];
    const workers = await h.runWithTaskHandler([
      {
        taskDefName: a,
        execute: async (t) => {
          seen.push(t);
          return { status: "COMPLETED", outputData: { doubled: (t.inputData?.n as number) * 2 } };
        },
      },
      {
        taskDefName: b,
        execute: async (t) => {
          seen.push(t);
          return { status: "COMPLETED", outputData: { greeting: `hi ${t.inputData?.who}`, plusOne: (t.inputData?.v as number) + 1 } };
        },
      },
      {
        taskDefName: c,
        execute: async (t) => {
          seen.push(t);
          return { status: "COMPLETED", outputData: { summary: `${t.inputData?.g}/${t.inputData?.n}` } };
        },
      },
    ]);
    try {
      const correlationId = uniqueName("order");
      const id = await h.start(wfName, { x: 21, who: "ada" }, correlationId);
      expect(id).toMatch(/^\S+$/);

      const wf = await h.settled(id);
      expect(wf.status).toBe("COMPLETED");
      expect(wf.workflowId).toBe(id);
      expect(wf.correlationId).toBe(correlationId);
      expect(wf.input).toEqual({ x: 21, who: "ada" });
      expect(wf.output).toEqual({ doubled: 42, summary: "hi ada/43", who: "ada" });

      const tasks = wf.tasks ?? [];
      expect(tasks.map((t) => t.referenceTaskName)).toEqual(["parse", "greet", "sum"]);
      expect(tasks.map((t) => t.taskType)).toEqual([a, b, c]);
      expect(tasks.every((t) => t.status === "COMPLETED")).toBe(true);
      const seqs = tasks.map((t) => t.seq ?? 0);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      expect(new Set(seqs).size).toBe(3);
      expect(tasks.map((t) => t.inputData)).toEqual([{ n: 21 }, { v: 42, who: "ada" }, { g: "hi ada", n: 43 }]);
      expect(tasks.map((t) => t.outputData)).toEqual([{ doubled: 42 }, { greeting: "hi ada", plusOne: 43 }, { summary: "hi ada/43" }]);
      for (const t of tasks) {
        expect(t.workflowInstanceId).toBe(id);
        expect(t.correlationId).toBe(correlationId);
        expect(t.retryCount ?? 0).toBe(0);
        expect(t.workerId).toBeTruthy();
      }

      // What the workers were handed is what the execution records, one poll each.
      expect(seen.map((t) => t.taskId)).toEqual(tasks.map((t) => t.taskId));
      expect(seen.map((t) => t.inputData)).toEqual(tasks.map((t) => t.inputData));

      // The workers reported through update-v2 and did not have to fall back to POST /api/tasks.
      expect(h.sdkFoundUpdateV2).toBe(true);

      const summary = await h.workflows.getWorkflowStatus(id, true, false);
      expect(summary).toMatchObject({ workflowId: id, correlationId, status: "COMPLETED", output: wf.output });
    } finally {
      await workers.stop();
    }
  }, SCENARIO_TIMEOUT_MS);

  test("twenty workflows started at once complete on two concurrent worker types, each task executed exactly once", async () => {
    const [fetchType, shipType] = [uniqueName("cf_fetch"), uniqueName("cf_ship")];
    const wfName = uniqueName("cf_fan_in");
    await h.registerTaskDefs({ name: fetchType }, { name: shipType });
    await h.registerSimpleWorkflow(
      wfName,
      [
        ["fetch", fetchType, { item: "${workflow.input.item}" }],
        ["ship", shipType, { weight: "${fetch.output.weight}" }],
      ],
      { label: "${ship.output.label}" },
    );

    const executions = new Map<string, number>();
    const count = (t: Task) => executions.set(t.taskId!, (executions.get(t.taskId!) ?? 0) + 1);
    // A short pause in each task makes executions overlap, as they would with real work.
    const busy = async <T>(work: () => T): Promise<T> => {
      await Bun.sleep(20);
      return work();
    };
    const workers = h.runWithTaskManager([
      {
        taskDefName: fetchType,
        concurrency: 4,
        pollInterval: 50,
        execute: (t) => busy(() => (count(t), { status: "COMPLETED" as const, outputData: { weight: (t.inputData?.item as number) * 10 } })),
      },
      {
        taskDefName: shipType,
        concurrency: 3,
        pollInterval: 50,
        execute: (t) => busy(() => (count(t), { status: "COMPLETED" as const, outputData: { label: `parcel-${t.inputData?.weight}` } })),
      },
    ]);
    try {
      const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => h.start(wfName, { item: i })));
      expect(new Set(ids).size).toBe(20);

      const finished = await Promise.all(ids.map((id) => h.settled(id)));
      finished.forEach((wf, i) => {
        expect(wf.status).toBe("COMPLETED");
        expect(wf.output).toEqual({ label: `parcel-${i * 10}` });
        expect(wf.tasks?.map((t) => `${t.referenceTaskName}:${t.status}`)).toEqual(["fetch:COMPLETED", "ship:COMPLETED"]);
      });

      const allTaskIds = finished.flatMap((wf) => wf.tasks!.map((t) => t.taskId!));
      expect(new Set(allTaskIds).size).toBe(40);
      expect([...executions.keys()].sort()).toEqual([...allTaskIds].sort());
      expect([...executions.values()].every((n) => n === 1)).toBe(true);
    } finally {
      await workers.stop();
    }
  }, SCENARIO_TIMEOUT_MS);

  test("an SDK configured with an API key works unchanged against a server without auth", async () => {
    const type = uniqueName("cf_keyed");
    const wfName = uniqueName("cf_keyed_wf");
    await h.registerTaskDefs({ name: type });
    await h.registerSimpleWorkflow(wfName, [["only", type, {}]]);

    // Orkes users carry a key and secret; the SDK asks /api/token for a token and, on a 404,
    // carries on without auth. Anything else from that endpoint makes client creation fail.
    const keyed = await createConductorClient({ serverUrl: h.baseUrl, keyId: "some-key", keySecret: "some-secret", logger: h.logger });
    try {
      const executor = new WorkflowExecutor(keyed);
      const id = await executor.startWorkflow({ name: wfName, version: 1, input: { via: "keyed client" } });
      expect(await executor.getWorkflow(id, false)).toMatchObject({ workflowId: id, status: "RUNNING", input: { via: "keyed client" } });
      await executor.terminate(id, "done looking");
    } finally {
      keyed.stopBackgroundRefresh();
    }
  }, SCENARIO_TIMEOUT_MS);

  test("@worker functions with registerTaskDef register their task definitions when the TaskHandler starts, then run", async () => {
    const [tuned, plain] = [uniqueName("cf_tuned"), uniqueName("cf_plain")];
    const wfName = uniqueName("cf_decorated");

    // The registry is process-wide: start from an empty one and leave it empty.
    clearWorkerRegistry();
    try {
      // Applied by hand: the same call a `@worker(...)` decorator makes on a function.
      worker({
        taskDefName: tuned,
        registerTaskDef: true,
        taskDef: { name: tuned, description: "registered by the SDK", retryCount: 1, retryDelaySeconds: 0, timeoutSeconds: 300, totalTimeoutSeconds: 0, responseTimeoutSeconds: 30 },
      })(async (t: Task) => ({ status: "COMPLETED" as const, outputData: { echo: t.inputData?.msg } }));
      worker({ taskDefName: plain, registerTaskDef: true })(async (t: Task) => ({ status: "COMPLETED" as const, outputData: { shout: String(t.inputData?.echo).toUpperCase() } }));

      const workers = await h.runWithTaskHandler([], { scanForDecorated: true });
      try {
        // With a template the SDK upserts it; without one it sends a minimal definition.
        expect(await h.metadata.getTask(tuned)).toMatchObject({ name: tuned, description: "registered by the SDK", retryCount: 1, timeoutSeconds: 300, responseTimeoutSeconds: 30 });
        expect(await h.metadata.getTask(plain)).toMatchObject({ name: plain, timeoutSeconds: 3600 });

        await h.registerSimpleWorkflow(
          wfName,
          [
            ["tuned", tuned, { msg: "${workflow.input.msg}" }],
            ["plain", plain, { echo: "${tuned.output.echo}" }],
          ],
          { shout: "${plain.output.shout}" },
        );
        const id = await h.start(wfName, { msg: "hello" });
        const wf = await h.settled(id);
        expect(wf.status).toBe("COMPLETED");
        expect(wf.output).toEqual({ shout: "HELLO" });
        expect(wf.tasks?.[0].responseTimeoutSeconds).toBe(30);
      } finally {
        await workers.stop();
      }
    } finally {
      clearWorkerRegistry();
    }
  }, SCENARIO_TIMEOUT_MS);
}
