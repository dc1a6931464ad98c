import { describe, expect, test } from "bun:test";
import { parse } from "./parse.ts";
import { TaskDefSchema } from "./task-def.ts";
import { forEachWorkflowTask, validateTaskDef, validateWorkflowDef } from "./validate-workflow-def.ts";
import { WorkflowDefSchema } from "./workflow-def.ts";
import type { WorkflowTaskInput } from "./workflow-task.ts";

const def = (tasks: WorkflowTaskInput[], extra: Record<string, unknown> = {}) =>
  parse(WorkflowDefSchema, { name: "wf", tasks, ...extra }, "WorkflowDef");
const simple = (ref: string, inputParameters: Record<string, unknown> = {}): WorkflowTaskInput => ({
  name: "worker",
  taskReferenceName: ref,
  inputParameters,
});
const errorsOf = (tasks: WorkflowTaskInput[], extra: Record<string, unknown> = {}) =>
  validateWorkflowDef(def(tasks, extra));
const paths = (tasks: WorkflowTaskInput[], extra: Record<string, unknown> = {}) =>
  errorsOf(tasks, extra).map((e) => e.path);

/** A SWITCH containing a fork whose branch holds a loop: one task of each nesting kind. */
const nested = (bodyRef: string): WorkflowTaskInput[] => [
  {
    name: "switch",
    taskReferenceName: "switch",
    type: "SWITCH",
    evaluatorType: "value-param",
    expression: "k",
    decisionCases: {
      a: [
        {
          name: "fork",
          taskReferenceName: "fork",
          type: "FORK_JOIN",
          forkTasks: [
            [{ name: "loop", taskReferenceName: "loop", type: "DO_WHILE", loopCondition: "false", loopOver: [simple(bodyRef)] }],
            [simple("branch")],
          ],
        },
        { name: "join", taskReferenceName: "join", type: "JOIN", joinOn: ["loop", "branch"] },
      ],
    },
    defaultCase: [simple("fallback")],
  },
];

describe("validateWorkflowDef", () => {
  test("a sound definition has no errors", () => {
    expect(errorsOf([simple("a"), simple("b", { x: "${a.output.y}", w: "${workflow.input.z}" }), ...nested("body")])).toEqual([]);
  });

  test("the name is required and limited to Conductor's characters", () => {
    expect(validateWorkflowDef({ ...def([simple("a")]), name: " " })).toEqual([{ path: "name", message: "is required" }]);
    expect(paths([simple("a")], { name: "my.workflow" })).toEqual(["name"]);
    expect(errorsOf([simple("a")], { name: "Order flow <v2> #1_a-b" })).toEqual([]);
  });

  test("tasks must not be empty", () => {
    expect(errorsOf([])).toEqual([{ path: "tasks", message: "must contain at least one task" }]);
  });

  test("schemaVersion must be 2", () => {
    expect(paths([simple("a")], { schemaVersion: 1 })).toEqual(["schemaVersion"]);
  });

  test("every task needs a name and a reference name", () => {
    expect(paths([{ name: "", taskReferenceName: "" }])).toEqual(["tasks[0].name", "tasks[0].taskReferenceName"]);
  });

  test("duplicate reference names at the top level", () => {
    expect(errorsOf([simple("a"), simple("a")])).toEqual([
      {
        path: "tasks[1].taskReferenceName",
        message: '"a" is already used by tasks[0]; reference names must be unique in a workflow',
        invalidValue: "a",
      },
    ]);
  });

  test("duplicate reference names nested in a switch, a fork and a loop", () => {
    expect(paths([simple("body"), ...nested("body")])).toEqual([
      "tasks[1].decisionCases.a[0].forkTasks[0][0].loopOver[0].taskReferenceName",
    ]);
    expect(paths([...nested("fallback")])).toEqual(["tasks[0].defaultCase[0].taskReferenceName"]);
    expect(paths([...nested("switch")])).toEqual(["tasks[0].decisionCases.a[0].forkTasks[0][0].loopOver[0].taskReferenceName"]);
  });

  test("unsupported task types are rejected, unknown ones are worker tasks", () => {
    expect(errorsOf([{ ...simple("k"), type: "KAFKA_PUBLISH" }])).toEqual([
      { path: "tasks[0].type", message: "task type KAFKA_PUBLISH is not supported by Baton", invalidValue: "KAFKA_PUBLISH" },
    ]);
    expect(errorsOf([{ ...simple("k"), type: "my_worker_type" }])).toEqual([]);
    expect(paths([{ ...simple("k"), type: "" }])).toEqual(["tasks[0].type"]);
  });

  test("per-type rules apply anywhere in the tree", () => {
    const loop = { name: "l", taskReferenceName: "l", type: "DO_WHILE", loopCondition: "true", loopOver: [{ ...simple("s"), type: "SWITCH" }] };
    expect(paths([loop])).toEqual([
      "tasks[0].loopOver[0].evaluatorType",
      "tasks[0].loopOver[0].expression",
      "tasks[0].loopOver[0].decisionCases",
    ]);
  });

  test("a fork must be followed by a JOIN", () => {
    const fork = { name: "f", taskReferenceName: "f", type: "FORK_JOIN", forkTasks: [[simple("a")]] };
    expect(paths([fork, simple("b")])).toEqual(["tasks[0]"]);
    expect(errorsOf([fork, { name: "j", taskReferenceName: "j", type: "JOIN", joinOn: ["a"] }])).toEqual([]);
  });

  test("HTTP and JQ rules see the registered TaskDef's inputTemplate", () => {
    const http = def([{ name: "call", taskReferenceName: "call", type: "HTTP" }]);
    expect(validateWorkflowDef(http).map((e) => e.path)).toEqual(["tasks[0].inputParameters"]);
    const registered = parse(TaskDefSchema, { name: "call", inputTemplate: { http_request: { uri: "u" } } }, "TaskDef");
    expect(validateWorkflowDef(http, { taskDef: (name) => (name === "call" ? registered : undefined) })).toEqual([]);
  });

  test("JOIN may only wait on reference names that exist", () => {
    const fork = { name: "f", taskReferenceName: "f", type: "FORK_JOIN", forkTasks: [[simple("a")]] };
    expect(errorsOf([fork, { name: "j", taskReferenceName: "j", type: "JOIN", joinOn: ["a", "nope"] }])).toEqual([
      { path: "tasks[1].joinOn[1]", message: '"nope" is not a taskReferenceName in this workflow', invalidValue: "nope" },
    ]);
    const dynamic = { name: "d", taskReferenceName: "d", type: "FORK_JOIN_DYNAMIC", dynamicForkJoinTasksParam: "x" };
    expect(errorsOf([dynamic, { name: "j", taskReferenceName: "j", type: "JOIN", joinOn: ["made_at_run_time"] }])).toEqual([]);
  });

  test("embedded TaskDef timeouts must be in order", () => {
    const withDef = (taskDefinition: Record<string, unknown>) => [{ ...simple("a"), taskDefinition }];
    expect(errorsOf(withDef({ timeoutSeconds: 10, responseTimeoutSeconds: 20 }))).toEqual([
      { path: "tasks[0].taskDefinition.responseTimeoutSeconds", message: "must not exceed timeoutSeconds (10)", invalidValue: 20 },
    ]);
    expect(paths(withDef({ timeoutSeconds: 100, responseTimeoutSeconds: 10, totalTimeoutSeconds: 50 }))).toEqual([
      "tasks[0].taskDefinition.timeoutSeconds",
    ]);
    expect(paths(withDef({ responseTimeoutSeconds: 0 }))).toEqual(["tasks[0].taskDefinition.responseTimeoutSeconds"]);
    expect(errorsOf(withDef({ timeoutSeconds: 100, responseTimeoutSeconds: 10, totalTimeoutSeconds: 100 }))).toEqual([]);
  });

  test("${...} in top-level inputs must name the workflow, CPEWF_TASK_ID or a reference name", () => {
    const errors = errorsOf([simple("a", { ok: "${workflow.input.x}", id: "${CPEWF_TASK_ID}", bad: "x-${ghost.output.y}" })]);
    expect(errors).toEqual([
      {
        path: "tasks[0].inputParameters.bad",
        message: 'refers to "ghost", which is neither "workflow" nor a taskReferenceName in this workflow',
        invalidValue: "x-${ghost.output.y}",
      },
    ]);
  });

  test("references may point into nested tasks and deep into values", () => {
    expect(errorsOf([...nested("body"), simple("after", { deep: { list: ["${body.output.v}"] } })])).toEqual([]);
    expect(paths([simple("after", { deep: { list: ["${nobody.output.v}"] } })])).toEqual(["tasks[0].inputParameters.deep"]);
  });

  test("nested tasks' inputs are not checked, as in Conductor", () => {
    const loop = { name: "l", taskReferenceName: "l", type: "DO_WHILE", loopCondition: "true", loopOver: [simple("b", { x: "${ghost.output}" })] };
    expect(errorsOf([loop])).toEqual([]);
  });

  test("outputParameters references are checked too", () => {
    expect(paths([simple("a")], { outputParameters: { r: "${a.output.r}", bad: "${ghost.output}" } })).toEqual([
      "outputParameters.bad",
    ]);
  });

  test("an inline sub-workflow definition is validated with its own namespace", () => {
    const sub = (tasks: WorkflowTaskInput[]) => ({
      name: "s",
      taskReferenceName: "a",
      type: "SUB_WORKFLOW",
      subWorkflowParam: { workflowDefinition: { name: "child", tasks } },
    });
    expect(errorsOf([sub([simple("a")])])).toEqual([]);
    expect(paths([sub([])])).toEqual(["tasks[0].subWorkflowParam.workflowDefinition.tasks"]);
  });
});

describe("validateTaskDef", () => {
  const taskDef = (fields: Record<string, unknown>) => parse(TaskDefSchema, { name: "encode", ...fields }, "TaskDef");

  test("a default TaskDef is valid", () => {
    expect(validateTaskDef(taskDef({}))).toEqual([]);
  });

  test("responseTimeoutSeconds must be at least 1 and within timeoutSeconds", () => {
    expect(validateTaskDef(taskDef({ responseTimeoutSeconds: 0 }))).toEqual([
      { path: "responseTimeoutSeconds", message: "must be at least 1 second", invalidValue: 0 },
    ]);
    expect(validateTaskDef(taskDef({ timeoutSeconds: 60 }))).toEqual([
      { path: "responseTimeoutSeconds", message: "must not exceed timeoutSeconds (60)", invalidValue: 3600 },
    ]);
  });

  test("timeoutSeconds must be within totalTimeoutSeconds", () => {
    const errors = validateTaskDef(taskDef({ timeoutSeconds: 60, responseTimeoutSeconds: 30, totalTimeoutSeconds: 30 }));
    expect(errors.map((e) => e.path)).toEqual(["timeoutSeconds"]);
  });

  test("names must be present and free of ':'", () => {
    expect(validateTaskDef(taskDef({ name: "" }), "[0]")).toEqual([{ path: "[0].name", message: "is required" }]);
    expect(validateTaskDef(taskDef({ name: "blue:encode" })).map((e) => e.path)).toEqual(["name"]);
    expect(validateTaskDef(taskDef({ name: "com.example.Encode video-2" }))).toEqual([]);
  });
});

describe("forEachWorkflowTask", () => {
  test("visits every task once, depth-first, with its path and siblings", () => {
    const seen: string[] = [];
    forEachWorkflowTask(def(nested("body")).tasks, (task, path, siblings, index) => {
      expect(siblings[index]).toBe(task);
      seen.push(`${task.taskReferenceName}@${path}`);
    });
    expect(seen).toEqual([
      "switch@tasks[0]",
      "fork@tasks[0].decisionCases.a[0]",
      "loop@tasks[0].decisionCases.a[0].forkTasks[0][0]",
      "body@tasks[0].decisionCases.a[0].forkTasks[0][0].loopOver[0]",
      "branch@tasks[0].decisionCases.a[0].forkTasks[1][0]",
      "join@tasks[0].decisionCases.a[1]",
      "fallback@tasks[0].defaultCase[0]",
    ]);
  });
});
