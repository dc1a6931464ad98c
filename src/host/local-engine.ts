/**
 * The engine's host for a single process (the Bun build, and any runtime with an embedded
 * database). Every state change runs through one lane: decide against the in-memory execution
 * and queue index, stage the decision, and answer once the batch holding it is durable. Reads
 * of executions are served from the same memory when it has them, else from the store.
 */
import { claimTask } from "../engine/claim-task.ts";
import { applyChildOutcome } from "../engine/child-outcome.ts";
import type { DecideContext, Decision, HttpCall, WorkflowMessage } from "../engine/context.ts";
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
import type { HttpClient } from "../ports/http-client.ts";
import type { Jq } from "../ports/jq.ts";
import type { ScriptSandbox } from "../ports/sandbox.ts";
import type { PollRequest, TaskService, WorkflowService } from "../ports/services.ts";
import type { ExecutionCommit, ExecutionStore, MetadataStore, OutboxStore, QueueStore, StoredExecution } from "../ports/stores.ts";
import { definitionForStart } from "./definitions.ts";
import { snapshot, startParams, updateTask, updateTaskByRef, workflowView } from "./execution-ops.ts";
import { ExecutionCache } from "./execution-cache.ts";
import { fetchHttpClient } from "./fetch-http-client.ts";
import { startHttpCalls } from "./http-calls.ts";
import { Lane } from "./lane.ts";
import { MemoryQueues } from "./memory-queues.ts";
import { OutboxDelivery } from "./outbox-delivery.ts";
import { PollDataBook } from "./poll-data-book.ts";
import { PollWaiters } from "./poll-waiters.ts";
import { TimerLoop } from "./timer-loop.ts";
import { deliverWorkflowMessage, type WorkflowReach } from "./workflow-messages.ts";

export interface LocalEngineDeps {
  executions: ExecutionStore;
  /** Effects on other workflows (sub-workflows), written with each decision, delivered after it. */
  outbox: OutboxStore;
  /** For HTTP tasks; the runtime's fetch by default. */
  httpClient?: HttpClient;
  /** Lets the event loop take in requests before a batch is written (group commit); see Lane. */
  gather?: () => Promise<void>;
  /** Runs user JavaScript (INLINE, SWITCH and DO_WHILE scripts). */
  sandbox?: ScriptSandbox;
  /** Runs jq (JSON_JQ_TRANSFORM). */
  jq?: Jq;
  queues: QueueStore;
  metadata: MetadataStore;
  now?: () => number;
  newId?: () => string;
  random?: () => number;
}

/** Executions whose timers are handled per sweep; more are picked up by the next sweep at once. */
const SWEEP_BATCH = 100;
/** A decision that leaves its own deadline in the past is looked at again after this pause. */
const MIN_REARM_MS = 1000;

export class LocalEngine implements WorkflowService, TaskService {
  private readonly lane: Lane;
  private readonly cache = new ExecutionCache();
  private readonly queues: MemoryQueues;
  private readonly waiters: PollWaiters;
  private readonly timer: TimerLoop;
  private readonly pollBook: PollDataBook;
  private readonly now: () => number;
  private readonly newId: () => string;
  private readonly random: () => number;
  /** HTTP calls of staged decisions, made once their batch is durable. */
  private pendingCalls: HttpCall[] = [];
  private readonly delivery: OutboxDelivery;

  constructor(private readonly deps: LocalEngineDeps) {
    this.now = deps.now ?? Date.now;
    this.newId = deps.newId ?? (() => crypto.randomUUID());
    this.random = deps.random ?? Math.random;
    this.queues = new MemoryQueues(this.now);
    this.waiters = new PollWaiters(this.now);
    this.timer = new TimerLoop(() => this.sweep(), this.now);
    this.pollBook = new PollDataBook(deps.queues, this.now);
    this.delivery = new OutboxDelivery(deps.outbox, (row) => deliverWorkflowMessage(this.reach, row as unknown as WorkflowMessage), this.now);
    this.lane = new Lane(
      (batch) => deps.executions.commit(batch),
      (batch) => this.written(batch),
      () => this.reloadAfterFailedWrite(),
      deps.gather,
    );
  }

  /** Loads what the host keeps in memory and arms the timer (whose first sweep finds whatever came due while down). */
  async open(): Promise<void> {
    await this.pollBook.load();
    this.queues.load(await this.deps.queues.loadAll());
    this.timer.start();
    this.deliverOutbox();
  }

  async close(): Promise<void> {
    this.timer.stop();
    this.pollBook.stop();
    await this.lane.run(() => this.pollBook.flush());
  }

  private context(): DecideContext {
    return {
      now: this.now(),
      newId: this.newId,
      random: this.random,
      activeDomain: (taskType, domains) => this.pollBook.activeDomain(taskType, domains),
      sandbox: this.deps.sandbox,
      jq: this.deps.jq,
    };
  }

  // ---- the lane's state ----

  /** Stages a decision (inside a lane step) and applies its effects to the in-memory index. */
  private stage(stored: StoredExecution, decision: Decision, logs?: TaskExecLog[]): void {
    const commit: ExecutionCommit = {
      execution: decision.execution,
      rev: stored.rev,
      changedTasks: decision.changedTasks,
      removedTaskIds: decision.removedTaskIds,
      effects: decision.effects,
      wakeAt: decision.wakeAt,
      logs,
      outbox: decision.messages,
    };
    this.cache.set(decision.execution.workflowId, stored);
    this.queues.apply(decision.effects);
    this.lane.stage([commit]);
    this.pendingCalls.push(...decision.httpCalls);
    const now = this.now();
    for (const e of decision.effects) {
      if (e.type !== "enqueue") continue;
      if (e.visibleAt <= now) this.waiters.notify(e.queueName, 1);
      else this.timer.wakeBy(e.visibleAt);
    }
    this.timer.wakeBy(decision.wakeAt);
  }

  /** A batch is durable: the stored revision of each execution in it moved on by one, and its HTTP calls may go. */
  private written(batch: ExecutionCommit[]): void {
    const calls = this.pendingCalls;
    this.pendingCalls = [];
    startHttpCalls(this.deps.httpClient ?? fetchHttpClient, calls, (result) => this.update(result));
    if (batch.some((c) => (c.outbox?.length ?? 0) > 0)) this.deliverOutbox();
    const advanced = new Set<string>();
    for (const c of batch) {
      const id = c.execution.workflowId;
      if (advanced.has(id)) continue;
      advanced.add(id);
      const cached = this.cache.get(id);
      if (cached) cached.rev = c.rev + 1;
    }
  }

  /** Delivers the outbox in the background; a failed delivery is retried when the timer next fires. */
  private deliverOutbox(): void {
    void this.delivery.flush().then(async () => this.timer.wakeBy(await this.deps.outbox.nextDue()));
  }

  /** How this host reaches other workflows: they are all here. */
  private get reach(): WorkflowReach {
    return {
    metadata: this.deps.metadata,
    start: (params) =>
      this.step(params.workflowId, async () => {
        if (await this.stored(params.workflowId)) return; // started already: a repeated delivery
        const decision = startExecution(params, this.context());
        this.stage({ execution: decision.execution, rev: 0 }, decision);
      }),
    notify: (parentId, outcome) =>
      this.step(parentId, async () => {
        const stored = await this.stored(parentId);
        const decision = stored ? applyChildOutcome(stored.execution, outcome, this.context()) : null;
        if (stored && decision) this.stage(stored, decision);
      }),
    terminate: (id, reason) => this.terminate(id, reason),
    };
  }

  /** After a failed write memory may be ahead of the store: forget it and read the store again. */
  private async reloadAfterFailedWrite(): Promise<void> {
    this.pendingCalls = [];
    this.cache.clear();
    this.queues.load(await this.deps.queues.loadAll());
    this.timer.wakeBy(this.now());
  }

  /** The execution, from memory or the store (inside a lane step). */
  private async stored(workflowId: string): Promise<StoredExecution | undefined> {
    const hit = this.cache.get(workflowId);
    if (hit) return hit;
    const loaded = await this.deps.executions.load(workflowId);
    if (loaded) this.cache.set(workflowId, loaded);
    return loaded;
  }

  private async mustExist(workflowId: string): Promise<StoredExecution> {
    const stored = await this.stored(workflowId);
    if (!stored) throw new NotFound(`No such workflow found by id: ${workflowId}`);
    return stored;
  }

  /** Runs a step; if it throws, the execution it worked on may be half-changed in memory, so drop it. */
  private step<T>(workflowId: string | undefined, body: () => Promise<T>): Promise<T> {
    return this.lane.run(async () => {
      try {
        return await body();
      } catch (error) {
        if (workflowId) this.cache.delete(workflowId);
        throw error;
      }
    });
  }

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

  // ---- timers ----

  /**
   * Runs the decider for every execution whose timer is due, wakes pollers of queues whose
   * delayed messages came due, and says when to look again.
   */
  private async sweep(): Promise<number | null> {
    await this.lane.run(async () => undefined); // staged wake-ups reach the store first
    const now = this.now();
    const ids = await this.deps.executions.dueWorkflowIds(now, SWEEP_BATCH);
    await Promise.all(
      ids.map((id) =>
        this.step(id, async () => {
          const stored = await this.stored(id);
          if (!stored) return;
          const decision = onTimer(stored.execution, this.context());
          if (decision.wakeAt !== null && decision.wakeAt <= now) decision.wakeAt = now + MIN_REARM_MS;
          this.stage(stored, decision);
        }),
      ),
    );
    if (ids.length === SWEEP_BATCH) return this.now();
    for (const q of this.queues.promoteDue()) this.waiters.notify(q);
    await this.delivery.flush();
    const candidates = [await this.deps.executions.nextWakeAt(), this.queues.nextVisibleAt(), await this.deps.outbox.nextDue()].filter(
      (t): t is number => typeof t === "number",
    );
    return candidates.length > 0 ? Math.min(...candidates) : null;
  }
}
