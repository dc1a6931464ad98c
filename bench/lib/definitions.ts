/** The definitions every scenario runs: a chain of SIMPLE tasks of one task type. */
import { postJson } from "./server.ts";

export const TASK_TYPE = "bench_task";
export const WORKFLOW_NAME = "bench_chain";
export const TASKS_PER_WORKFLOW = 5;
export const LAST_REF = `t${TASKS_PER_WORKFLOW}`;

export async function registerDefinitions(baseUrl: string): Promise<void> {
  const taskDef = { name: TASK_TYPE, retryCount: 0, timeoutSeconds: 300, responseTimeoutSeconds: 120, ownerEmail: "bench@example.com" };
  const tasks = Array.from({ length: TASKS_PER_WORKFLOW }, (_, i) => ({
    name: TASK_TYPE,
    taskReferenceName: `t${i + 1}`,
    type: "SIMPLE",
    // Each task reads the workflow input and its predecessor's output, so the decider evaluates
    // a couple of expressions per transition as real definitions do.
    inputParameters: i === 0 ? { n: "${workflow.input.n}" } : { n: "${workflow.input.n}", prev: `\${t${i}.output.step}` },
  }));
  const workflowDef = { name: WORKFLOW_NAME, version: 1, schemaVersion: 2, ownerEmail: "bench@example.com", tasks };
  for (const [path, body] of [
    ["/api/metadata/taskdefs", [taskDef]],
    ["/api/metadata/workflow?overwrite=true", workflowDef],
  ] as const) {
    const res = await postJson(baseUrl + path, body);
    if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  }
}

export function startRequest(n: number): { name: string; version: number; input: Record<string, unknown> } {
  return { name: WORKFLOW_NAME, version: 1, input: { n } };
}
