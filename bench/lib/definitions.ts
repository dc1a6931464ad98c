/** The definitions every scenario runs: a chain of SIMPLE tasks of one task type. */
import { postJson } from "./server.ts";

export const TASK_TYPE = "bench_task";
export const WORKFLOW_NAME = "bench_chain";
export const TASKS_PER_WORKFLOW = 5;
export const LAST_REF = `t${TASKS_PER_WORKFLOW}`;

/** The TaskDef of `bench_task`. */
export function taskDefinition() {
  return { name: TASK_TYPE, retryCount: 0, timeoutSeconds: 300, responseTimeoutSeconds: 120, ownerEmail: "bench@example.com" };
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

export async function registerDefinitions(baseUrl: string): Promise<void> {
  for (const [path, body] of definitionRequests()) {
    const res = await postJson(baseUrl + path, body);
    if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  }
}

export function startRequest(n: number): { name: string; version: number; input: Record<string, unknown> } {
  return { name: WORKFLOW_NAME, version: 1, input: { n } };
}
