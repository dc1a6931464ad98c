/**
 * System tasks the engine runs itself, mixed with SDK workers: SWITCH, FORK_JOIN/JOIN,
 * SET_VARIABLE, WAIT, DYNAMIC and TERMINATE in one definition, registered and run through the SDK.
 */
import { expect, test } from "bun:test";
import { SCENARIO_TIMEOUT_MS, uniqueName, waitFor, type Harness } from "./harness.ts";

export function systemTaskScenarios(h: Harness): void {
  test("a switch picks a branch that forks into worker tasks; the join, variables, a wait, a dynamic task and a terminate finish it", async () => {
    const [pack, ship, label, audit] = [uniqueName("cf_pack"), uniqueName("cf_ship"), uniqueName("cf_label"), uniqueName("cf_audit")];
    const wfName = uniqueName("cf_system");
    await h.registerTaskDefs({ name: pack }, { name: ship }, { name: label }, { name: audit });
    await h.workflows.registerWorkflow(true, {
      name: wfName,
      version: 1,
      tasks: [
        {
          name: "route",
          taskReferenceName: "route",
          type: "SWITCH",
          evaluatorType: "value-param",
          expression: "kind",
          inputParameters: { kind: "${workflow.input.kind}" },
          decisionCases: {
            parcel: [
              {
                name: "fork",
                taskReferenceName: "fork",
                type: "FORK_JOIN",
                forkTasks: [
                  [{ name: pack, taskReferenceName: "pack", type: "SIMPLE", inputParameters: { item: "${workflow.input.item}" } }],
                  [{ name: label, taskReferenceName: "label", type: "SIMPLE", inputParameters: {} }],
                ],
              },
              { name: "join", taskReferenceName: "join", type: "JOIN", joinOn: ["pack", "label"] },
              { name: ship, taskReferenceName: "ship", type: "SIMPLE", inputParameters: { box: "${pack.output.box}", tag: "${label.output.tag}" } },
            ],
          },
          defaultCase: [{ name: "refuse", taskReferenceName: "refuse", type: "TERMINATE", inputParameters: { terminationStatus: "FAILED", terminationReason: "cannot ship ${workflow.input.kind}" } }],
        },
        { name: "remember", taskReferenceName: "remember", type: "SET_VARIABLE", inputParameters: { tracking: "${ship.output.tracking}" } },
        { name: "pause", taskReferenceName: "pause", type: "WAIT", inputParameters: { duration: "1s" } },
        { name: "dyn", taskReferenceName: "dyn", type: "DYNAMIC", dynamicTaskNameParam: "which", inputParameters: { which: audit, tracking: "${workflow.variables.tracking}" } },
        { name: "done", taskReferenceName: "done", type: "TERMINATE", inputParameters: { terminationStatus: "COMPLETED", workflowOutput: { tracking: "${workflow.variables.tracking}", audited: "${dyn.output.ok}" } } },
        { name: "never", taskReferenceName: "never", type: "SIMPLE" },
      ],
      outputParameters: {},
      schemaVersion: 2,
      timeoutSeconds: 0,
    } as never);

    await h.runWithTaskHandler([
      { taskDefName: pack, execute: async (t) => ({ status: "COMPLETED", outputData: { box: `box-of-${t.inputData?.item}` } }) },
      { taskDefName: label, execute: async () => ({ status: "COMPLETED", outputData: { tag: "L1" } }) },
      { taskDefName: ship, execute: async (t) => ({ status: "COMPLETED", outputData: { tracking: `${t.inputData?.box}/${t.inputData?.tag}` } }) },
      { taskDefName: audit, execute: async (t) => ({ status: "COMPLETED", outputData: { ok: t.inputData?.tracking === "box-of-lamp/L1" } }) },
    ]);

    const shipped = await h.settled(await h.start(wfName, { kind: "parcel", item: "lamp" }));
    expect(shipped.status).toBe("COMPLETED");
    expect(shipped.output).toEqual({ tracking: "box-of-lamp/L1", audited: true });
    expect(shipped.variables).toMatchObject({ tracking: "box-of-lamp/L1" });
    const types = Object.fromEntries((shipped.tasks ?? []).map((t) => [t.referenceTaskName, [t.taskType, t.status]]));
    expect(types).toMatchObject({
      route: ["SWITCH", "COMPLETED"],
      fork: ["FORK", "COMPLETED"],
      join: ["JOIN", "COMPLETED"],
      remember: ["SET_VARIABLE", "COMPLETED"],
      pause: ["WAIT", "COMPLETED"],
      dyn: [audit, "COMPLETED"],
      done: ["TERMINATE", "COMPLETED"],
    });
    expect(types.never).toBeUndefined();
    const join = shipped.tasks!.find((t) => t.referenceTaskName === "join")!;
    expect(join.outputData).toEqual({ pack: { box: "box-of-lamp" }, label: { tag: "L1" } });

    const refused = await h.settled(await h.start(wfName, { kind: "pallet", item: "sofa" }));
    expect(refused).toMatchObject({ status: "FAILED", reasonForIncompletion: "cannot ship pallet" });
  }, SCENARIO_TIMEOUT_MS);
}

export function subWorkflowScenarios(h: Harness): void {
  test("SUB_WORKFLOW runs a child to its end and takes its output, a failed child fails it, and START_WORKFLOW fires and forgets", async () => {
    const step = uniqueName("cf_child_step");
    const [child, parent, launcher] = [uniqueName("cf_child"), uniqueName("cf_parent"), uniqueName("cf_launcher")];
    await h.registerTaskDefs({ name: step, retryCount: 0 });
    await h.registerSimpleWorkflow(child, [["work", step, { n: "${workflow.input.n}" }]], { doubled: "${work.output.doubled}" });
    await h.workflows.registerWorkflow(true, {
      name: parent,
      version: 1,
      tasks: [
        { name: "sub", taskReferenceName: "sub", type: "SUB_WORKFLOW", subWorkflowParam: { name: child, version: 1 }, inputParameters: { n: "${workflow.input.n}" } },
        { name: "use", taskReferenceName: "use", type: "SET_VARIABLE", inputParameters: { got: "${sub.output.doubled}" } },
      ],
      outputParameters: { got: "${workflow.variables.got}", childId: "${sub.output.subWorkflowId}" },
      schemaVersion: 2,
      timeoutSeconds: 0,
    } as never);
    await h.workflows.registerWorkflow(true, {
      name: launcher,
      version: 1,
      tasks: [{ name: "launch", taskReferenceName: "launch", type: "START_WORKFLOW", inputParameters: { startWorkflow: { name: child, input: { n: 50 } } } }],
      schemaVersion: 2,
      timeoutSeconds: 0,
    } as never);

    let failNext = false;
    await h.runWithTaskHandler([
      {
        taskDefName: step,
        execute: async (t) => (failNext ? { status: "FAILED", reasonForIncompletion: "child broke" } : { status: "COMPLETED", outputData: { doubled: (t.inputData?.n as number) * 2 } }),
      },
    ]);

    const done = await h.settled(await h.start(parent, { n: 21 }, "corr-sub"));
    expect(done.status).toBe("COMPLETED");
    expect(done.output?.got).toBe(42);
    const childRun = await h.workflow(done.output?.childId as string);
    expect(childRun).toMatchObject({ status: "COMPLETED", parentWorkflowId: done.workflowId, correlationId: "corr-sub", output: { doubled: 42 } });

    failNext = true;
    const failed = await h.settled(await h.start(parent, { n: 1 }));
    expect(failed.status).toBe("FAILED");
    expect(failed.tasks!.find((t) => t.referenceTaskName === "sub")).toMatchObject({ status: "FAILED", taskType: "SUB_WORKFLOW" });
    failNext = false;

    const launched = await h.settled(await h.start(launcher));
    expect(launched.status).toBe("COMPLETED");
    const startedId = launched.tasks![0].outputData?.workflowId as string;
    // Fire and forget: the launched workflow is created just after the launcher's task ends.
    await waitFor("the launched workflow to exist", async () => (await fetch(`${h.baseUrl}/api/workflow/${startedId}?includeTasks=false`)).ok);
    expect((await h.settled(startedId)).output).toEqual({ doubled: 100 });
  }, SCENARIO_TIMEOUT_MS);

  test("terminating a parent terminates its running child", async () => {
    const slow = uniqueName("cf_slow");
    const [child, parent] = [uniqueName("cf_child_t"), uniqueName("cf_parent_t")];
    await h.registerTaskDefs({ name: slow, responseTimeoutSeconds: 60 });
    await h.registerSimpleWorkflow(child, [["wait_here", slow, {}]]);
    await h.workflows.registerWorkflow(true, {
      name: parent,
      version: 1,
      tasks: [{ name: "sub", taskReferenceName: "sub", type: "SUB_WORKFLOW", subWorkflowParam: { name: child } }],
      schemaVersion: 2,
      timeoutSeconds: 0,
    } as never);
    const id = await h.start(parent);
    const childId = await waitFor("the child to start", async () => {
      const sub = (await h.workflow(id)).tasks?.find((t) => t.referenceTaskName === "sub");
      if (!sub?.subWorkflowId) return undefined;
      const res = await fetch(`${h.baseUrl}/api/workflow/${sub.subWorkflowId}?includeTasks=false`);
      return res.ok ? sub.subWorkflowId : undefined;
    });
    await h.workflows.terminate(id, "stop it");
    const child_ = await waitFor("the child to be terminated", async () => {
      const w = await h.workflow(childId);
      return w.status === "TERMINATED" ? w : undefined;
    });
    expect(child_.status).toBe("TERMINATED");
  }, SCENARIO_TIMEOUT_MS);
}

export function scriptedFlowScenarios(h: Harness): void {
  test("a loop whose body forks a worker task and a sub-workflow, then an INLINE script, a jq transform and a javascript SWITCH on its result", async () => {
    const [work, childStep] = [uniqueName("cf_loop_work"), uniqueName("cf_loop_child_step")];
    const [child, wfName] = [uniqueName("cf_loop_child"), uniqueName("cf_loop")];
    await h.registerTaskDefs({ name: work }, { name: childStep });
    await h.workflows.registerWorkflow(true, {
      name: child,
      version: 1,
      tasks: [{ name: "square", taskReferenceName: "square", type: "INLINE", inputParameters: { evaluatorType: "graaljs", expression: "$.n * $.n", n: "${workflow.input.n}" } }],
      outputParameters: { squared: "${square.output.result}" },
      schemaVersion: 2,
      timeoutSeconds: 0,
    } as never);
    await h.workflows.registerWorkflow(true, {
      name: wfName,
      version: 1,
      tasks: [
        {
          name: "loop",
          taskReferenceName: "loop",
          type: "DO_WHILE",
          loopCondition: "$.loop['iteration'] < $.rounds",
          inputParameters: { rounds: "${workflow.input.rounds}" },
          loopOver: [
            {
              name: "fork",
              taskReferenceName: "fork",
              type: "FORK_JOIN",
              forkTasks: [
                [{ name: work, taskReferenceName: "work", type: "SIMPLE", inputParameters: { i: "${loop.output.iteration}" } }],
                [{ name: "sub", taskReferenceName: "sub", type: "SUB_WORKFLOW", subWorkflowParam: { name: child, version: 1 }, inputParameters: { n: "${loop.output.iteration}" } }],
              ],
            },
            { name: "join", taskReferenceName: "join", type: "JOIN", joinOn: ["work", "sub"] },
          ],
        },
        {
          name: "total",
          taskReferenceName: "total",
          type: "INLINE",
          inputParameters: {
            evaluatorType: "javascript",
            expression: "(function () { var t = 0; for (var k in $.rounds) { if (k === 'iteration') continue; t += $.rounds[k].work.plusOne + $.rounds[k].sub.squared; } return t; })()",
            rounds: "${loop.output}",
          },
        },
        {
          name: "shape",
          taskReferenceName: "shape",
          type: "JSON_JQ_TRANSFORM",
          inputParameters: {
            rounds: "${loop.output}",
            total: "${total.output.result}",
            queryExpression: "{ total: .total, squares: [.rounds | to_entries[] | select(.key != \"iteration\") | .value.sub.squared] | sort }",
          },
        },
        {
          name: "size",
          taskReferenceName: "size",
          type: "SWITCH",
          evaluatorType: "javascript",
          expression: "$.shaped.total > 20 ? 'large' : 'small'",
          inputParameters: { shaped: "${shape.output.result}" },
          decisionCases: {
            large: [{ name: "label", taskReferenceName: "label", type: "SET_VARIABLE", inputParameters: { size: "large" } }],
            small: [{ name: "label_small", taskReferenceName: "label_small", type: "SET_VARIABLE", inputParameters: { size: "small" } }],
          },
        },
      ],
      outputParameters: { total: "${total.output.result}", squares: "${shape.output.result.squares}", size: "${workflow.variables.size}", iterations: "${loop.output.iteration}" },
      schemaVersion: 2,
      timeoutSeconds: 0,
    } as never);
    await h.runWithTaskHandler([{ taskDefName: work, execute: async (t) => ({ status: "COMPLETED", outputData: { plusOne: (t.inputData?.i as number) + 1 } }) }]);

    const done = await h.settled(await h.start(wfName, { rounds: 3 }));
    expect({ status: done.status, reason: done.reasonForIncompletion }).toEqual({ status: "COMPLETED", reason: undefined });
    // Rounds 1..3: (i + 1) + i² = 3 + 7 + 13.
    expect(done.output).toEqual({ total: 23, squares: [1, 4, 9], size: "large", iterations: 3 });
    const refsSeen = (done.tasks ?? []).map((t) => t.referenceTaskName);
    expect(refsSeen).toEqual(expect.arrayContaining(["work__1", "sub__2", "join__3", "total", "size", "label"]));
  }, SCENARIO_TIMEOUT_MS);
}

export function listLoopScenarios(h: Harness): void {
  test("DO_WHILE over a list hands each item to a worker and keeps only the last iterations", async () => {
    const greet = uniqueName("cf_greet_each");
    const wfName = uniqueName("cf_each");
    await h.registerTaskDefs({ name: greet });
    await h.workflows.registerWorkflow(true, {
      name: wfName,
      version: 1,
      tasks: [
        {
          name: "each",
          taskReferenceName: "each",
          type: "DO_WHILE",
          items: "${workflow.input.people}",
          inputParameters: { keepLastN: 1 },
          loopOver: [{ name: greet, taskReferenceName: "greet", type: "SIMPLE", inputParameters: { who: "${each.output.loopItem}", index: "${each.output.loopIndex}" } }],
        },
      ],
      outputParameters: { last: "${greet.output.said}", iterations: "${each.output.iteration}" },
      schemaVersion: 2,
      timeoutSeconds: 0,
    } as never);
    const seen: string[] = [];
    await h.runWithTaskHandler([
      {
        taskDefName: greet,
        execute: async (t) => {
          seen.push(`${t.inputData?.index}:${t.inputData?.who}`);
          return { status: "COMPLETED", outputData: { said: `hi ${t.inputData?.who}` } };
        },
      },
    ]);
    const done = await h.settled(await h.start(wfName, { people: ["ann", "bob", "cy"] }));
    expect(done).toMatchObject({ status: "COMPLETED", output: { last: "hi cy", iterations: 3 } });
    expect(seen).toEqual(["0:ann", "1:bob", "2:cy"]);
    expect((done.tasks ?? []).map((t) => t.referenceTaskName)).toEqual(["each", "greet__3"]);
  }, SCENARIO_TIMEOUT_MS);
}
