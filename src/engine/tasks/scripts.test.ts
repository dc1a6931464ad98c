/** Task types that run user JavaScript, with the real QuickJS sandbox the Bun build uses. */
import { beforeAll, describe, expect, test } from "bun:test";
import { createSandbox } from "../../../adapters/bun/sandbox.ts";
import { createJq } from "../../jq/jqjs.ts";
import type { ScriptSandbox } from "../../ports/sandbox.ts";
import type { WorkflowTaskInput } from "../../model/index.ts";
import { byRef, FakeContext, finishWorker, refs, run } from "../testing.ts";

let sandbox: ScriptSandbox;
beforeAll(async () => {
  sandbox = await createSandbox();
});

function context(): FakeContext {
  const ctx = new FakeContext();
  ctx.sandbox = sandbox;
  return ctx;
}

describe("INLINE and LAMBDA", () => {
  test("INLINE evaluates its expression over the input and outputs `result`", () => {
    const { execution } = run(
      [{ name: "i", taskReferenceName: "calc", type: "INLINE", inputParameters: { evaluatorType: "javascript", expression: "({ sum: $.a + $.b, items: [$.a, $.b] })", a: "${workflow.input.a}", b: 2 } }],
      { a: 40 },
      context(),
    );
    expect(byRef(execution, "calc")).toMatchObject({ status: "COMPLETED", outputData: { result: { sum: 42, items: [40, 2] } } });
    expect(execution.output).toEqual({ result: { sum: 42, items: [40, 2] } });
  });

  test("a script error fails the task for good, with the message in output.error", () => {
    const { execution } = run([{ name: "i", taskReferenceName: "bad", type: "INLINE", inputParameters: { expression: "$.missing.deeper" } }], {}, context());
    const task = byRef(execution, "bad");
    expect(task.status).toBe("FAILED_WITH_TERMINAL_ERROR");
    expect(String(task.outputData?.error)).toContain("TypeError");
    expect(execution.status).toBe("FAILED");
  });

  test("LAMBDA runs scriptExpression as a function body", () => {
    const { execution } = run([{ name: "l", taskReferenceName: "l", type: "LAMBDA", scriptExpression: "if ($.n > 1) { return 'many'; } return 'one';", inputParameters: { n: 3 } }], {}, context());
    expect(byRef(execution, "l").outputData).toEqual({ result: "many" });
  });
});

describe("SWITCH with javascript", () => {
  test("the script's value picks the case", () => {
    const tasks: WorkflowTaskInput[] = [
      { name: "sw", taskReferenceName: "sw", type: "SWITCH", evaluatorType: "javascript", expression: "$.amount > 100 ? 'big' : 'small'", inputParameters: { amount: "${workflow.input.amount}" }, decisionCases: { big: [{ name: "b", taskReferenceName: "big" }], small: [{ name: "s", taskReferenceName: "small" }] } },
    ];
    expect(refs(run(tasks, { amount: 500 }, context()).execution)).toEqual(["sw:COMPLETED", "big:SCHEDULED"]);
    expect(refs(run(tasks, { amount: 5 }, context()).execution)).toEqual(["sw:COMPLETED", "small:SCHEDULED"]);
  });
});

describe("DO_WHILE", () => {
  const loop = (condition: string): WorkflowTaskInput[] => [
    {
      name: "loop",
      taskReferenceName: "loop",
      type: "DO_WHILE",
      loopCondition: condition,
      inputParameters: { limit: "${workflow.input.limit}" },
      loopOver: [
        { name: "step", taskReferenceName: "step", inputParameters: { i: "${loop.output.iteration}" } },
        { name: "check", taskReferenceName: "check", type: "INLINE", inputParameters: { expression: "$.v * 10", v: "${step.output.v}" } },
      ],
    },
    { name: "after", taskReferenceName: "after", inputParameters: { last: "${check.output.result}" } },
  ];

  test("runs the body, evaluates the condition, goes round while true, then moves on", () => {
    const ctx = context();
    const { execution } = run(loop("$.loop['iteration'] < $.limit"), { limit: 3 }, ctx);
    expect(refs(execution)).toEqual(["loop:IN_PROGRESS", "step__1:SCHEDULED"]);
    expect(byRef(execution, "step__1").inputData).toEqual({ i: 1 });
    for (let i = 1; i <= 3; i++) finishWorker(ctx, execution, `step__${i}`, { v: i });
    const loopTask = byRef(execution, "loop");
    expect(loopTask.status).toBe("COMPLETED");
    expect(loopTask.outputData).toMatchObject({ iteration: 3, "1": { step: { v: 1 }, check: { result: 10 } }, "3": { check: { result: 30 } } });
    // `${check.output...}` is the latest iteration's.
    expect(byRef(execution, "after").inputData).toEqual({ last: 30 });
    expect(execution.tasks.filter((t) => t.iteration === 2).map((t) => t.referenceTaskName)).toEqual(["step__2", "check__2"]);
  });

  test("a loop whose body starts with a fork goes round too (the fork is acted on in the same decision)", () => {
    const ctx = context();
    const { execution } = run(
      [
        {
          name: "loop",
          taskReferenceName: "loop",
          type: "DO_WHILE",
          loopCondition: "$.loop['iteration'] < 2",
          loopOver: [
            { name: "fork", taskReferenceName: "fork", type: "FORK_JOIN", forkTasks: [[{ name: "a", taskReferenceName: "a" }], [{ name: "b", taskReferenceName: "b" }]] },
            { name: "join", taskReferenceName: "join", type: "JOIN", joinOn: ["a", "b"] },
          ],
        },
      ],
      {},
      ctx,
    );
    finishWorker(ctx, execution, "a__1");
    finishWorker(ctx, execution, "b__1");
    expect(refs(execution).slice(-4)).toEqual(["fork__2:COMPLETED", "a__2:SCHEDULED", "b__2:SCHEDULED", "join__2:IN_PROGRESS"]);
    finishWorker(ctx, execution, "a__2");
    finishWorker(ctx, execution, "b__2");
    expect(execution.status).toBe("COMPLETED");
  });

  test("the body always runs once, even when the condition is false from the start", () => {
    const ctx = context();
    const { execution } = run(loop("false"), { limit: 0 }, ctx);
    finishWorker(ctx, execution, "step__1", { v: 1 });
    expect(byRef(execution, "loop")).toMatchObject({ status: "COMPLETED", outputData: { iteration: 1 } });
  });

  test("a body task that fails for good fails the loop and the workflow", () => {
    const ctx = context();
    const { execution } = run(loop("true"), { limit: 1 }, ctx);
    const step = byRef(execution, "step__1");
    step.workflowTask = { ...step.workflowTask!, retryCount: 0 };
    finishWorker(ctx, execution, "step__1", {}, "FAILED");
    expect(byRef(execution, "loop")).toMatchObject({ status: "FAILED" });
    expect(execution.status).toBe("FAILED");
  });

  test("a condition that throws fails the loop for good", () => {
    const ctx = context();
    const { execution } = run(loop("$.nothing.here"), { limit: 1 }, ctx);
    finishWorker(ctx, execution, "step__1", { v: 1 });
    expect(byRef(execution, "loop").status).toBe("FAILED_WITH_TERMINAL_ERROR");
    expect(execution.status).toBe("FAILED");
  });
});

describe("JSON_JQ_TRANSFORM", () => {
  test("runs the query over the whole input: result is the first output, resultList all of them", () => {
    const ctx = context();
    ctx.jq = createJq();
    const { execution } = run(
      [{ name: "jq", taskReferenceName: "jq", type: "JSON_JQ_TRANSFORM", inputParameters: { key1: { value1: 2 }, key2: { value2: 3 }, queryExpression: "{ key3: (.key1.value1 + .key2.value2) }, .key1" } }],
      {},
      ctx,
    );
    expect(byRef(execution, "jq")).toMatchObject({ status: "COMPLETED", outputData: { result: { key3: 5 }, resultList: [{ key3: 5 }, { value1: 2 }] } });
  });

  test("a jq error fails the task with the message in output.error", () => {
    const ctx = context();
    ctx.jq = createJq();
    const { execution } = run([{ name: "jq", taskReferenceName: "jq", type: "JSON_JQ_TRANSFORM", inputParameters: { n: 1, queryExpression: ".n.deeper" } }], {}, ctx);
    const task = byRef(execution, "jq");
    expect(task.status).toBe("FAILED");
    expect(String(task.outputData?.error)).not.toBe("");
  });
});

describe("nested DO_WHILE", () => {
  test("a loop inside a loop runs fully in every outer iteration, with refs suffixed per level", () => {
    const ctx = context();
    const { execution } = run(
      [
        {
          name: "outer",
          taskReferenceName: "outer",
          type: "DO_WHILE",
          loopCondition: "$.outer['iteration'] < 2",
          loopOver: [
            {
              name: "inner",
              taskReferenceName: "inner",
              type: "DO_WHILE",
              loopCondition: "$.inner['iteration'] < 2",
              loopOver: [{ name: "leaf", taskReferenceName: "leaf" }],
            },
          ],
        },
        { name: "after", taskReferenceName: "after" },
      ],
      {},
      ctx,
    );
    for (const ref of ["leaf__1__1", "leaf__1__2", "leaf__2__1", "leaf__2__2"]) finishWorker(ctx, execution, ref, { at: ref });
    expect(execution.tasks.map((t) => t.referenceTaskName)).toEqual([
      "outer", "inner__1", "leaf__1__1", "leaf__1__2", "inner__2", "leaf__2__1", "leaf__2__2", "after",
    ]);
    expect(byRef(execution, "outer")).toMatchObject({ status: "COMPLETED", outputData: { iteration: 2 } });
    expect(byRef(execution, "inner__2")).toMatchObject({ status: "COMPLETED", outputData: { iteration: 2, "2": { leaf: { at: "leaf__2__2" } } } });
  });
});

describe("DO_WHILE over a list, and keepLastN", () => {
  const overItems = (extra: Record<string, unknown> = {}): WorkflowTaskInput[] => [
    {
      name: "each",
      taskReferenceName: "each",
      type: "DO_WHILE",
      items: "${workflow.input.people}",
      inputParameters: { keepLastN: 2 },
      loopOver: [{ name: "greet", taskReferenceName: "greet", inputParameters: { who: "${each.output.loopItem}", at: "${each.output.loopIndex}" } }],
      ...extra,
    },
  ];

  test("one iteration per item, with loopItem and loopIndex; only the last keepLastN iterations are kept", () => {
    const ctx = context();
    const { execution } = run(overItems(), { people: ["ann", "bob", "cy"] }, ctx);
    expect(byRef(execution, "greet__1").inputData).toEqual({ who: "ann", at: 0 });
    finishWorker(ctx, execution, "greet__1", { said: "hi ann" });
    expect(byRef(execution, "greet__2").inputData).toEqual({ who: "bob", at: 1 });
    finishWorker(ctx, execution, "greet__2", { said: "hi bob" });
    finishWorker(ctx, execution, "greet__3", { said: "hi cy" });
    const loop = byRef(execution, "each");
    expect(loop.status).toBe("COMPLETED");
    expect(loop.outputData).toMatchObject({ iteration: 3, loopIndex: 2, loopItem: "cy", "3": { greet: { said: "hi cy" } } });
    expect(Object.keys(loop.outputData ?? {})).not.toContain("1");
    expect(execution.tasks.map((t) => t.referenceTaskName)).toEqual(["each", "greet__2", "greet__3"]);
    expect(execution.status).toBe("COMPLETED");
  });

  test("with keepLastN 1 and a body of system tasks, the loop still runs to its end in one decision", () => {
    const { execution } = run(
      [
        {
          name: "each",
          taskReferenceName: "each",
          type: "DO_WHILE",
          items: "${workflow.input.n}",
          inputParameters: { keepLastN: 1 },
          loopOver: [{ name: "twice", taskReferenceName: "twice", type: "INLINE", inputParameters: { expression: "$.x * 2", x: "${each.output.loopItem}" } }],
        },
      ],
      { n: [1, 2, 3, 4] },
      context(),
    );
    expect(byRef(execution, "each")).toMatchObject({ status: "COMPLETED", outputData: { iteration: 4, "4": { twice: { result: 8 } } } });
    expect(execution.tasks.map((t) => t.referenceTaskName)).toEqual(["each", "twice__4"]);
    expect(execution.status).toBe("COMPLETED");
  });

  test("an empty list completes the loop at once with iteration 0", () => {
    const { execution } = run(overItems(), { people: [] }, context());
    expect(byRef(execution, "each")).toMatchObject({ status: "COMPLETED", outputData: { iteration: 0 } });
    expect(execution.status).toBe("COMPLETED");
  });

  test("a condition can end a list loop early", () => {
    const ctx = context();
    const { execution } = run(overItems({ loopCondition: "$.loopItem !== 'bob'" }), { people: ["ann", "bob", "cy"] }, ctx);
    finishWorker(ctx, execution, "greet__1");
    finishWorker(ctx, execution, "greet__2");
    expect(byRef(execution, "each")).toMatchObject({ status: "COMPLETED", outputData: { iteration: 2 } });
  });
});
