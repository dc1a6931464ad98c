/**
 * System tasks the engine runs itself, mixed with SDK workers: SWITCH, FORK_JOIN/JOIN,
 * SET_VARIABLE, WAIT, DYNAMIC and TERMINATE in one definition, registered and run through the SDK.
 */
import { expect, test } from "bun:test";
import { SCENARIO_TIMEOUT_MS, uniqueName, type Harness } from "./harness.ts";

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
