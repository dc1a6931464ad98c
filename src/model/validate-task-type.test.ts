import { describe, expect, test } from "bun:test";
import { parse } from "./parse.ts";
import { TaskDefSchema } from "./task-def.ts";
import { validateTaskType, type TaskTypeContext } from "./validate-task-type.ts";
import { WorkflowTaskSchema, type WorkflowTaskInput } from "./workflow-task.ts";

const task = (type: string, fields: Partial<WorkflowTaskInput> = {}) =>
  parse(WorkflowTaskSchema, { name: "t", taskReferenceName: "t", type, ...fields }, "WorkflowTask");
const join = task("JOIN");
const check = (t: ReturnType<typeof task>, ctx: TaskTypeContext = {}) => validateTaskType(t, "tasks[0]", ctx);
const paths = (t: ReturnType<typeof task>, ctx: TaskTypeContext = {}) => check(t, ctx).map((e) => e.path);
const leaf = { name: "x", taskReferenceName: "x" };

describe("SWITCH", () => {
  test("needs evaluatorType, expression and a case", () => {
    expect(check(task("SWITCH"))).toEqual([
      { path: "tasks[0].evaluatorType", message: "a SWITCH task needs evaluatorType (value-param or javascript)" },
      { path: "tasks[0].expression", message: "a SWITCH task needs expression" },
      { path: "tasks[0].decisionCases", message: "a SWITCH task needs at least one case in decisionCases" },
    ]);
  });

  test("passes when complete", () => {
    expect(check(task("SWITCH", { evaluatorType: "javascript", expression: "$.x", decisionCases: { a: [leaf] } }))).toEqual([]);
  });

  test("rejects an evaluator Baton cannot run", () => {
    const errors = check(task("SWITCH", { evaluatorType: "python", expression: "x", decisionCases: { a: [] } }));
    expect(errors).toEqual([
      {
        path: "tasks[0].evaluatorType",
        message: 'evaluatorType "python" is not supported by Baton; use one of value-param, javascript, graaljs',
        invalidValue: "python",
      },
    ]);
  });
});

describe("DECISION", () => {
  test("needs caseValueParam or caseExpression and a case", () => {
    expect(paths(task("DECISION"))).toEqual(["tasks[0].caseValueParam", "tasks[0].decisionCases"]);
  });
  test("passes with either", () => {
    expect(check(task("DECISION", { caseValueParam: "k", decisionCases: { a: [leaf] } }))).toEqual([]);
    expect(check(task("DECISION", { caseExpression: "1", decisionCases: { a: [leaf] } }))).toEqual([]);
  });
});

describe("FORK_JOIN", () => {
  test("needs branches, non-empty ones, and a JOIN after it", () => {
    expect(paths(task("FORK_JOIN"), { next: join })).toEqual(["tasks[0].forkTasks"]);
    expect(paths(task("FORK_JOIN", { forkTasks: [[leaf], []] }), { next: join })).toEqual(["tasks[0].forkTasks[1]"]);
    expect(check(task("FORK_JOIN", { forkTasks: [[leaf]] }), { next: task("SIMPLE") })).toEqual([
      { path: "tasks[0]", message: "a FORK_JOIN task must be followed by a JOIN task in the same list" },
    ]);
    expect(paths(task("FORK_JOIN", { forkTasks: [[leaf]] }))).toEqual(["tasks[0]"]);
  });
  test("passes when complete", () => {
    expect(check(task("FORK_JOIN", { forkTasks: [[leaf], [leaf]] }), { next: join })).toEqual([]);
  });
});

describe("FORK_JOIN_DYNAMIC", () => {
  test("needs its parameters and a JOIN", () => {
    expect(paths(task("FORK_JOIN_DYNAMIC"), { next: join })).toEqual(["tasks[0].dynamicForkTasksParam"]);
    expect(paths(task("FORK_JOIN_DYNAMIC", { dynamicForkTasksParam: "ts" }), { next: join })).toEqual([
      "tasks[0].dynamicForkTasksInputParamName",
    ]);
    expect(paths(task("FORK_JOIN_DYNAMIC", { inputParameters: { forkTaskInputs: [] } }))).toEqual(["tasks[0]"]);
  });
  test("rejects the legacy parameter mixed with the new ones", () => {
    const t = task("FORK_JOIN_DYNAMIC", { dynamicForkJoinTasksParam: "d", dynamicForkTasksParam: "ts" });
    expect(paths(t, { next: join })).toEqual(["tasks[0].dynamicForkJoinTasksParam"]);
  });
  test("accepts each of the three forms", () => {
    const forms: Partial<WorkflowTaskInput>[] = [
      { dynamicForkTasksParam: "ts", dynamicForkTasksInputParamName: "ins" },
      { dynamicForkJoinTasksParam: "d" },
      { inputParameters: { forkTaskName: "encode", forkTaskInputs: "${workflow.input.items}" } },
    ];
    for (const form of forms) expect(check(task("FORK_JOIN_DYNAMIC", form), { next: join })).toEqual([]);
  });
});

describe("DO_WHILE", () => {
  test("needs loopCondition and a body", () => {
    expect(paths(task("DO_WHILE"))).toEqual(["tasks[0].loopCondition", "tasks[0].loopOver"]);
    expect(check(task("DO_WHILE", { loopCondition: "false", loopOver: [leaf] }))).toEqual([]);
  });
});

describe("DYNAMIC", () => {
  test("needs dynamicTaskNameParam", () => {
    expect(paths(task("DYNAMIC"))).toEqual(["tasks[0].dynamicTaskNameParam"]);
    expect(check(task("DYNAMIC", { dynamicTaskNameParam: "taskName" }))).toEqual([]);
  });
});

describe("SUB_WORKFLOW", () => {
  test("needs subWorkflowParam with a name or a definition", () => {
    expect(paths(task("SUB_WORKFLOW"))).toEqual(["tasks[0].subWorkflowParam"]);
    expect(paths(task("SUB_WORKFLOW", { subWorkflowParam: { version: 2 } }))).toEqual(["tasks[0].subWorkflowParam.name"]);
    expect(check(task("SUB_WORKFLOW", { subWorkflowParam: { name: "child" } }))).toEqual([]);
    expect(check(task("SUB_WORKFLOW", { subWorkflowParam: { workflowDefinition: "${workflow.input.d}" } }))).toEqual([]);
  });
});

describe("INLINE", () => {
  test("needs an expression; evaluatorType defaults to javascript but must be runnable", () => {
    expect(paths(task("INLINE"))).toEqual(["tasks[0].inputParameters.expression"]);
    expect(check(task("INLINE", { inputParameters: { expression: "1 + 1" } }))).toEqual([]);
    expect(check(task("INLINE", { inputParameters: { expression: "1", evaluatorType: "graaljs" } }))).toEqual([]);
    expect(paths(task("INLINE", { inputParameters: { expression: "1", evaluatorType: "python" } }))).toEqual([
      "tasks[0].inputParameters.evaluatorType",
    ]);
  });
});

describe("JSON_JQ_TRANSFORM", () => {
  test("needs queryExpression in its inputs or its TaskDef's template", () => {
    expect(paths(task("JSON_JQ_TRANSFORM"))).toEqual(["tasks[0].inputParameters"]);
    expect(check(task("JSON_JQ_TRANSFORM", { inputParameters: { queryExpression: "." } }))).toEqual([]);
    const taskDef = parse(TaskDefSchema, { name: "t", inputTemplate: { queryExpression: "." } }, "TaskDef");
    expect(check(task("JSON_JQ_TRANSFORM"), { taskDef })).toEqual([]);
  });
});

describe("HTTP", () => {
  test("needs http_request, or uri or method at the top level, or a template", () => {
    expect(check(task("HTTP"))).toEqual([
      { path: "tasks[0].inputParameters", message: "an HTTP task needs inputParameters.http_request or inputParameters.uri" },
    ]);
    expect(check(task("HTTP", { inputParameters: { http_request: { uri: "http://x" } } }))).toEqual([]);
    expect(check(task("HTTP", { inputParameters: { uri: "http://x" } }))).toEqual([]);
    const taskDef = parse(TaskDefSchema, { name: "t", inputTemplate: { http_request: { uri: "u" } } }, "TaskDef");
    expect(check(task("HTTP"), { taskDef })).toEqual([]);
  });
});

describe("EVENT", () => {
  test("needs a sink", () => {
    expect(paths(task("EVENT"))).toEqual(["tasks[0].sink"]);
    expect(check(task("EVENT", { sink: "conductor" }))).toEqual([]);
  });
});

describe("TERMINATE", () => {
  test("needs a valid terminationStatus and cannot be optional", () => {
    expect(paths(task("TERMINATE"))).toEqual(["tasks[0].inputParameters.terminationStatus"]);
    expect(paths(task("TERMINATE", { inputParameters: { terminationStatus: "PAUSED" } }))).toEqual([
      "tasks[0].inputParameters.terminationStatus",
    ]);
    expect(paths(task("TERMINATE", { optional: true, inputParameters: { terminationStatus: "FAILED" } }))).toEqual([
      "tasks[0].optional",
    ]);
    for (const status of ["COMPLETED", "FAILED", "TERMINATED"]) {
      expect(check(task("TERMINATE", { inputParameters: { terminationStatus: status } }))).toEqual([]);
    }
  });
});

describe("WAIT", () => {
  test("takes duration or until, not both", () => {
    expect(paths(task("WAIT", { inputParameters: { duration: "1s", until: "2030-01-01" } }))).toEqual([
      "tasks[0].inputParameters",
    ]);
    expect(check(task("WAIT", { inputParameters: { duration: "1s" } }))).toEqual([]);
    expect(check(task("WAIT"))).toEqual([]);
  });
});

test("worker and rule-free system tasks have no per-type requirements", () => {
  for (const type of ["SIMPLE", "encode", "JOIN", "NOOP", "HUMAN", "SET_VARIABLE", "constructor", "toString"]) {
    expect(check(task(type))).toEqual([]);
  }
});
