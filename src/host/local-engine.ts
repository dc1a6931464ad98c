/**
 * The API's workflow and task services for a single process (the Bun build, and any runtime with
 * an embedded database), on LocalHost's machinery: every change is a step of its lane that decides
 * against memory and stages the decision, answered once the batch holding it is durable. Reads of
 * executions are served from the same memory when it has them, else from the store.
 */
import { claimTask } from "../engine/claim-task.ts";
import { startExecution } from "../engine/start.ts";
import { queueName } from "../engine/tasks/worker.ts";
import { onTimer, terminateExecution } from "../engine/terminate.ts";
import { findTask } from "../engine/update-task.ts";
import { NotFound } from "../errors.ts";
import {
  isTerminalTaskStatus,
  type PollData,
  type StartWorkflowRequest,
  type Task,
  type TaskExecLog,
  type TaskResult,
  type TaskResultStatus,
  type Workflow,
} from "../model/index.ts";
import type { PollRequest, TaskService, WorkflowService } from "../ports/services.ts";
import type { StoredExecution } from "../ports/stores.ts";
import { definitionForStart } from "./definitions.ts";
import { snapshot, startParams, updateTask, updateTaskByRef, workflowView } from "./execution-ops.ts";
import { LocalHost } from "./local-host.ts";

export type { LocalEngineDeps } from "./local-host.ts";

export class LocalEngine extends LocalHost implements WorkflowService, TaskService {
  // ---- workflows ----

  async start(request: StartWorkflowRequest): Promise<string> {
    const definition = await definitionForStart(this.deps.metadata, request.name, request.version, request.workflowDef);
    const workflowId = this.newId();
    await this.step(workflowId, async () => {
      const decision = startExecution(startParams(workflowId, definition, request), this.context());
      this.stage({ execution: decision.execution, rev: 0 }, decision);
    });
    return workflowId;
  }

  async get(workflowId: string, includeTasks: boolean): Promise<Workflow> {
    const found = this.cache.get(workflowId) ?? (await this.deps.executions.load(workflowId));
    if (!found) throw new NotFound(`No such workflow found by id: ${workflowId}`);
    // A copy: the cached execution is the lane's working state.
    return workflowView(found.execution, includeTasks);
  }

  running(name: string, version: number, startTime?: number, endTime?: number): Promise<string[]> {
    return this.afterPendingWrites(() => this.deps.executions.findWorkflowIds({ workflowName: name, version, startTime, endTime }));
  }

  async correlated(name: string, correlationIds: string[], includeClosed: boolean, includeTasks: boolean): Promise<Record<string, Workflow[]>> {
    const out: Record<string, Workflow[]> = {};
    for (const correlationId of correlationIds) {
      const ids = await this.afterPendingWrites(() => this.deps.executions.findWorkflowIds({ workflowName: name, correlationId, includeClosed }));
      out[correlationId] = await Promise.all(ids.map((id) => this.get(id, includeTasks)));
    }
    return out;
  }

  /** Queries over many executions read the store, so let staged decisions land first. */
  private afterPendingWrites<T>(query: () => Promise<T>): Promise<T> {
    return this.lane.run(async () => undefined).then(query);
  }

  terminate(workflowId: string, reason?: string): Promise<void> {
    return this.step(workflowId, async () => {
      const stored = await this.mustExist(workflowId);
      const decision = terminateExecution(stored.execution, reason, this.context());
      if (decision) this.stage(stored, decision);
    });
  }

  remove(workflowId: string): Promise<void> {
    return this.step(workflowId, async () => {
      const { execution, rev } = await this.mustExist(workflowId);
      this.queues.apply(execution.tasks.map((t) => ({ type: "dequeue" as const, taskId: t.taskId, queueName: "" })));
      this.cache.delete(workflowId);
      this.lane.stage([{ execution, rev, changedTasks: [], effects: [], wakeAt: null, remove: true }]);
    });
  }

  decide(workflowId: string): Promise<void> {
    return this.step(workflowId, async () => {
      const stored = await this.mustExist(workflowId);
      this.stage(stored, onTimer(stored.execution, this.context()));
    });
  }

  // ---- tasks ----

  async poll(taskType: string, request: PollRequest): Promise<Task[]> {
    const name = queueName(taskType, request.domain);
    this.pollBook.record(taskType, request.domain, request.workerId);
    const deadline = this.now() + request.timeoutMs;
    for (;;) {
      // The waiter is registered inside the lane, so no enqueue can slip in between finding the
      // queue empty and starting to wait.
      const { tasks, waiting } = await this.step(undefined, async () => {
        if (request.signal?.aborted) return { tasks: [], waiting: undefined };
        const claimed = await this.claim(name, request.count, request.workerId);
        const wait = claimed.length === 0 && this.now() < deadline ? this.waiters.wait(name, deadline, request.signal) : undefined;
        return { tasks: claimed, waiting: wait };
      });
      if (!waiting) return tasks;
      await waiting;
    }
  }

  /** Takes up to `count` tasks off a queue (inside a lane step); stale messages are dropped. */
  private async claim(name: string, count: number, workerId: string | undefined): Promise<Task[]> {
    const claimed: Task[] = [];
    for (;;) {
      const messages = this.queues.peek(name, count - claimed.length);
      if (messages.length === 0) return claimed;
      for (const m of messages) {
        const stored = await this.stored(m.workflowId);
        const result = stored ? claimTask(stored.execution, m.taskId, workerId, this.context()) : null;
        if (!stored || !result) {
          this.queues.apply([{ type: "dequeue", taskId: m.taskId, queueName: name }]);
          await this.deps.queues.discard([m.taskId]);
          continue;
        }
        result.decision.effects.push({ type: "dequeue", taskId: m.taskId, queueName: name });
        this.stage(stored, result.decision);
        claimed.push(snapshot(result.task));
      }
      if (claimed.length >= count) return claimed;
    }
  }

  update(result: TaskResult): Promise<Task> {
    return this.step(result.workflowInstanceId, async () => {
      const stored = await this.storedForTask(result.workflowInstanceId, result.taskId);
      const outcome = updateTask(stored.execution, result, this.context());
      if (outcome.decision) this.stage(stored, outcome.decision, outcome.logs);
      return outcome.task;
    });
  }

  /**
   * update-v2: applies the result and, in the same step, takes the worker's next task of that
   * type, so a poller parked on the queue cannot take the task this very update made ready.
   */
  updateAndPoll(result: TaskResult): Promise<{ task: Task; next?: Task }> {
    return this.step(result.workflowInstanceId, async () => {
      const stored = await this.storedForTask(result.workflowInstanceId, result.taskId);
      const outcome = updateTask(stored.execution, result, this.context());
      if (outcome.decision) this.stage(stored, outcome.decision, outcome.logs);
      const { task } = outcome;
      if (!isTerminalTaskStatus(task.status)) return { task };
      this.pollBook.record(task.taskType, task.domain, result.workerId);
      const [next] = await this.claim(queueName(task.taskType, task.domain), 1, result.workerId);
      return { task, next };
    });
  }

  /** The execution holding a task: the one the caller named if it does, else looked up by task id. */
  private async storedForTask(workflowId: string | undefined, taskId: string): Promise<StoredExecution> {
    if (workflowId) {
      const stored = await this.stored(workflowId);
      if (stored && findTask(stored.execution, taskId)) return stored;
    }
    const owner = await this.deps.executions.workflowIdOfTask(taskId);
    const stored = owner ? await this.stored(owner) : undefined;
    if (!stored || !findTask(stored.execution, taskId)) throw new NotFound(`No such task found by id: ${taskId}`);
    return stored;
  }

  updateByRef(workflowId: string, taskRefName: string, status: TaskResultStatus, output: Record<string, unknown>, workerId?: string): Promise<string | undefined> {
    return this.step(workflowId, async () => {
      const stored = await this.mustExist(workflowId);
      const { taskId, decision } = updateTaskByRef(stored.execution, taskRefName, status, output, workerId, this.context());
      if (decision) this.stage(stored, decision);
      return taskId;
    });
  }

  async getTask(taskId: string): Promise<Task> {
    const owner = await this.deps.executions.workflowIdOfTask(taskId);
    const cached = owner ? this.cache.get(owner) : undefined;
    const task = cached ? findTask(cached.execution, taskId) : await this.deps.executions.getTask(taskId);
    if (!task) throw new NotFound(`No such task found by id: ${taskId}`);
    return snapshot(task);
  }

  async addLog(taskId: string, log: string): Promise<void> {
    await this.getTask(taskId);
    await this.lane.run(() => this.deps.executions.addLogs([{ taskId, log, createdTime: this.now() }]));
  }

  getLogs(taskId: string): Promise<TaskExecLog[]> {
    return this.afterPendingWrites(() => this.deps.executions.getLogs(taskId));
  }

  async queueSize(taskType: string, domain?: string): Promise<number> {
    return this.queues.size(queueName(taskType, domain));
  }

  async pollData(taskType: string): Promise<PollData[]> {
    return this.pollBook.forTaskType(taskType);
  }

  async allPollData(): Promise<PollData[]> {
    return this.pollBook.all();
  }

}
