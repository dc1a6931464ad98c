import { afterEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../adapters/bun/database.ts";
import { startExecution } from "../engine/start.ts";
import { FakeContext, workflowDef } from "../engine/testing.ts";
import { SqlExecutionStore } from "./sql-execution-store.ts";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

async function store() {
  const dir = mkdtempSync(join(tmpdir(), "baton-store-"));
  dirs.push(dir);
  const { backend, close } = await openDatabase(`file:${join(dir, "b.db")}`);
  return { executions: new SqlExecutionStore(backend), close };
}

test("a batch writes the net state of each execution; removed tasks are deleted; a stale revision is refused", async () => {
  const { executions, close } = await store();
  const ctx = new FakeContext();
  const def = workflowDef({ name: "w", tasks: [{ name: "a", taskReferenceName: "a" }, { name: "b", taskReferenceName: "b" }] });
  const d = startExecution({ workflowId: "wf-1", definition: def, input: { x: 1 } }, ctx);
  await executions.commit([{ execution: d.execution, rev: 0, changedTasks: d.changedTasks, effects: d.effects, wakeAt: d.wakeAt }]);

  const loaded = (await executions.load("wf-1"))!;
  expect(loaded.rev).toBe(1);
  expect(loaded.execution.tasks.map((t) => t.referenceTaskName)).toEqual(["a"]);
  // The definition's own workflow task is linked back, not stored per task.
  expect(loaded.execution.tasks[0].workflowTask?.taskReferenceName).toBe("a");

  const a = loaded.execution.tasks[0];
  await executions.commit([{ execution: loaded.execution, rev: 1, changedTasks: [], removedTaskIds: [a.taskId], effects: [], wakeAt: null }]);
  expect((await executions.load("wf-1"))!.execution.tasks).toEqual([]);
  expect(await executions.getTask(a.taskId)).toBeUndefined();

  // Another writer holding revision 1 may not overwrite revision 2.
  await expect(executions.commit([{ execution: loaded.execution, rev: 1, changedTasks: [], effects: [], wakeAt: null }])).rejects.toThrow();
  close();
});
