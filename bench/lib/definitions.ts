/**
 * The definitions the scenarios run: `bench_chain`, a chain of SIMPLE tasks of one task type
 * (throughput, latency, the Workers counts), and the `system` section's workflows of system tasks
 * (a dynamic fork, a WAIT, chains of INLINE / JSON_JQ_TRANSFORM / NOOP).
 */
import { postJson } from "./server.ts";
import { TYPICAL_INPUT, TYPICAL_JQ, TYPICAL_SCRIPT } from "./typical.ts";

export const TASK_TYPE = "bench_task";
export const WORKFLOW_NAME = "bench_chain";
export const TASKS_PER_WORKFLOW = 5;
export const LAST_REF = `t${TASKS_PER_WORKFLOW}`;

/** The TaskDef of `bench_task` (or of another worker task type). */
export function taskDefinition(name = TASK_TYPE) {
  return { name, retryCount: 0, timeoutSeconds: 300, responseTimeoutSeconds: 120, ownerEmail: "bench@example.com" };
}

/** `bench_chain`: TASKS_PER_WORKFLOW SIMPLE tasks of `bench_task` in sequence. */
export function workflowDefinition() {
  const tasks = Array.from({ length: TASKS_PER_WORKFLOW }, (_, i) => ({
    name: TASK_TYPE,
    taskReferenceName: `t${i + 1}`,
    type: "SIMPLE",
    // Each task reads the workflow input and its predecessor's output, so the decider evaluates
    // a couple of expressions per transition as real definitions do.
    inputParameters: i === 0 ? { n: "${workflow.input.n}" } : { n: "${workflow.input.n}", prev: `\${t${i}.output.step}` },
  }));
  return { name: WORKFLOW_NAME, version: 1, schemaVersion: 2, ownerEmail: "bench@example.com", tasks };
}

/** The registration requests, in order: [path, body]. */
export function definitionRequests(): (readonly [string, unknown])[] {
  return [
    ["/api/metadata/taskdefs", [taskDefinition()]],
    ["/api/metadata/workflow?overwrite=true", workflowDefinition()],
  ];
}

export async function registerDefinitions(baseUrl: string, requests = definitionRequests()): Promise<void> {
  for (const [path, body] of requests) {
    const res = await postJson(baseUrl + path, body);
    if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  }
}

export function startRequest(n: number): { name: string; version: number; input: Record<string, unknown> } {
  return { name: WORKFLOW_NAME, version: 1, input: { n } };
}

// ---- the `system` section (bench/scenarios/system.ts) ----

const OWNER = "bench@example.com";
/** The worker task that follows the system tasks in the fork and WAIT workflows: a worker reports the workflow done when it completes it. */
export const AFTER_REF = "after";

/** The task type of the dynamic fork's branches. */
export const BRANCH_TASK_TYPE = "bench_branch";
export const FORK_WORKFLOW = "bench_dynamic_fork";

/**
 * `bench_dynamic_fork`: a FORK_JOIN_DYNAMIC in the list form (one `bench_branch` branch per item
 * of `workflow.input.items`), its JOIN, then one more `bench_branch` task (`after`).
 */
export function forkWorkflowDefinition() {
  return {
    name: FORK_WORKFLOW,
    version: 1,
    schemaVersion: 2,
    ownerEmail: OWNER,
    tasks: [
      { name: "fork", taskReferenceName: "fork", type: "FORK_JOIN_DYNAMIC", inputParameters: { forkTaskName: BRANCH_TASK_TYPE, forkTaskInputs: "${workflow.input.items}" } },
      { name: "join", taskReferenceName: "join", type: "JOIN" },
      { name: BRANCH_TASK_TYPE, taskReferenceName: AFTER_REF, type: "SIMPLE", inputParameters: { n: "${workflow.input.n}", joined: "${join.output}" } },
    ],
  };
}

/** `n` < 0 marks a warm-up workflow (the workers report it apart). */
export function forkStartRequest(n: number, branches: number) {
  return { name: FORK_WORKFLOW, version: 1, input: { n, items: Array.from({ length: branches }, (_, i) => ({ item: i, n })) } };
}

export const WAIT_WORKFLOW = "bench_wait";
export const WAIT_SECONDS = 5;

/** `bench_wait`: WAIT `duration: "5s"`, then one `bench_task` (`after`). */
export function waitWorkflowDefinition() {
  return {
    name: WAIT_WORKFLOW,
    version: 1,
    schemaVersion: 2,
    ownerEmail: OWNER,
    tasks: [
      { name: "wait", taskReferenceName: "wait", type: "WAIT", inputParameters: { duration: `${WAIT_SECONDS}s` } },
      { name: TASK_TYPE, taskReferenceName: AFTER_REF, type: "SIMPLE", inputParameters: { n: "${workflow.input.n}" } },
    ],
  };
}

export function waitStartRequest(n: number) {
  return { name: WAIT_WORKFLOW, version: 1, input: { n } };
}

/** The system task chains: each task reads the typical input (bench/lib/typical.ts) from the workflow input. */
export const SCRIPT_KINDS = ["NOOP", "INLINE", "JSON_JQ_TRANSFORM"] as const;
export type ScriptKind = (typeof SCRIPT_KINDS)[number];
export const SYSTEM_TASKS_PER_WORKFLOW = 5;

const scriptWorkflowName = (kind: ScriptKind) => `bench_${kind.toLowerCase()}_chain`;

/** SYSTEM_TASKS_PER_WORKFLOW tasks of one kind in sequence; the NOOPs get the same input, so only the script or jq differs. */
export function scriptWorkflowDefinition(kind: ScriptKind) {
  const code = kind === "INLINE" ? { evaluatorType: "javascript", expression: TYPICAL_SCRIPT } : kind === "JSON_JQ_TRANSFORM" ? { queryExpression: TYPICAL_JQ } : {};
  const tasks = Array.from({ length: SYSTEM_TASKS_PER_WORKFLOW }, (_, i) => ({
    name: `${kind.toLowerCase()}_${i + 1}`,
    taskReferenceName: `s${i + 1}`,
    type: kind,
    inputParameters: { ...code, orders: "${workflow.input.orders}" },
  }));
  return { name: scriptWorkflowName(kind), version: 1, schemaVersion: 2, ownerEmail: OWNER, tasks };
}

export function scriptStartRequest(kind: ScriptKind, n: number) {
  return { name: scriptWorkflowName(kind), version: 1, input: { n, ...TYPICAL_INPUT } };
}

/** Everything the `system` section registers. */
export function systemDefinitionRequests(): (readonly [string, unknown])[] {
  return [
    ["/api/metadata/taskdefs", [taskDefinition(), taskDefinition(BRANCH_TASK_TYPE)]],
    ["/api/metadata/workflow?overwrite=true", forkWorkflowDefinition()],
    ["/api/metadata/workflow?overwrite=true", waitWorkflowDefinition()],
    ...SCRIPT_KINDS.map((kind) => ["/api/metadata/workflow?overwrite=true", scriptWorkflowDefinition(kind)] as const),
  ];
}
