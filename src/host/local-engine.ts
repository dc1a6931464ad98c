/**
 * The engine's host for a single process (the Bun build, and any runtime with an embedded
 * database): every state change runs through one serial lane — read the execution, decide,
 * commit the decision atomically — and its effects on waiting pollers and the timer follow
 * the commit. Reads go straight to the store.
 */
import { claimTask } from "../engine/claim-task.ts";
import type { DecideContext, Decision } from "../engine/context.ts";
import { startExecution } from "../engine/start.ts";
import { baseReferenceName } from "../engine/expression-document.ts";
import { queueName } from "../engine/tasks/worker.ts";
import { onTimer, terminateExecution } from "../engine/terminate.ts";
import { applyTaskResult, findTask } from "../engine/update-task.ts";
import { NotFound } from "../errors.ts";
import { isTerminalTaskStatus, type PollData, type StartWorkflowRequest, type Task, type TaskExecLog, type TaskResult, type TaskResultStatus, type Workflow } from "../model/index.ts";
import type { PollRequest, TaskService, WorkflowService } from "../ports/services.ts";
import type { ExecutionCommit, ExecutionStore, MetadataStore, QueueStore, StoredExecution } from "../ports/stores.ts";
import { definitionForStart } from "./definitions.ts";
import { PollDataBook } from "./poll-data-book.ts";
import { PollWaiters } from "./poll-waiters.ts";
import { Serial } from "./serial.ts";
import { TimerLoop } from "./timer-loop.ts";

export interface LocalEngineDeps {
  executions: ExecutionStore;
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
  private readonly serial = new Serial();
  private readonly waiters: PollWaiters;
  private readonly timer: TimerLoop;
  private readonly pollBook: PollDataBook;
  private readonly now: () => number;
  private readonly newId: () => string;
  private readonly random: () => number;

  constructor(private readonly deps: LocalEngineDeps) {
    this.now = deps.now ?? Date.now;
    this.newId = deps.newId ?? (() => crypto.randomUUID());
    this.random = deps.random ?? Math.random;
    this.waiters = new PollWaiters(this.now);
    this.timer = new TimerLoop(() => this.sweep(), this.now);
    this.pollBook = new PollDataBook(deps.queues, this.now);
  }

  /** Loads what the host keeps in memory and arms the timer (which first sweeps what came due while down). */
  async open(): Promise<void> {
    await this.pollBook.load();
    this.timer.start();
  }

  async close(): Promise<void> {
    this.timer.stop();
    this.pollBook.stop();
    await this.serial.run(() => this.pollBook.flush());
  }

  private context(): DecideContext {
    return {
      now: this.now(),
      newId: this.newId,
      random: this.random,
      activeDomain: (taskType, domains) => this.pollBook.activeDomain(taskType, domains),
    };
  }

  private toCommit(stored: StoredExecution, decision: Decision, logs?: TaskExecLog[]): ExecutionCommit {
    const commit = { execution: decision.execution, rev: stored.rev, changedTasks: decision.changedTasks, effects: decision.effects, wakeAt: decision.wakeAt, logs };
    stored.rev += 1;
    return commit;
  }

  /** Commits, then lets pollers and the timer know what the decisions made due. */
  private async commit(commits: ExecutionCommit[]): Promise<void> {
    if (commits.length === 0) return;
    await this.deps.executions.commit(commits);
    const now = this.now();
    for (const c of commits) {
      for (const e of c.effects) {
        if (e.type !== "enqueue") continue;
        if (e.visibleAt <= now) this.waiters.notify(e.queueName, 1);
        else this.timer.wakeBy(e.visibleAt);
      }
      this.timer.wakeBy(c.wakeAt);
    }
  }

  private async load(workflowId: string): Promise<StoredExecution> {
    const stored = await this.deps.executions.load(workflowId);
    if (!stored) throw new NotFound(`No such workflow found by id: ${workflowId}`);
    return stored;
  }

  // ---- workflows ----

  async start(request: StartWorkflowRequest): Promise<string> {
    const definition = await definitionForStart(this.deps.metadata, request.name, request.version, request.workflowDef);
    const workflowId = this.newId();
    await this.serial.run(async () => {
      const decision = startExecution(
        {
          workflowId,
          definition,
          input: request.input,
          correlationId: request.correlationId,
          priority: request.priority,
          taskToDomain: request.taskToDomain,
          createdBy: request.createdBy,
          idempotencyKey: request.idempotencyKey,
        },
        this.context(),
      );
      await this.commit([this.toCommit({ execution: decision.execution, rev: 0 }, decision)]);
    });
    return workflowId;
  }

  async get(workflowId: string, includeTasks: boolean): Promise<Workflow> {
    const { execution } = await this.load(workflowId);
    if (!includeTasks) execution.tasks = [];
    return execution;
  }

  running(name: string, version: number, startTime?: number, endTime?: number): Promise<string[]> {
    return this.deps.executions.findWorkflowIds({ workflowName: name, version, startTime, endTime });
  }

  async correlated(name: string, correlationIds: string[], includeClosed: boolean, includeTasks: boolean): Promise<Record<string, Workflow[]>> {
    const out: Record<string, Workflow[]> = {};
    for (const correlationId of correlationIds) {
      const ids = await this.deps.executions.findWorkflowIds({ workflowName: name, correlationId, includeClosed });
      const found = await Promise.all(ids.map((id) => this.deps.executions.load(id)));
      out[correlationId] = found.flatMap((s) => (s ? [includeTasks ? s.execution : { ...s.execution, tasks: [] }] : []));
    }
    return out;
  }

  terminate(workflowId: string, reason?: string): Promise<void> {
    return this.serial.run(async () => {
      const stored = await this.load(workflowId);
      const decision = terminateExecution(stored.execution, reason, this.context());
      if (decision) await this.commit([this.toCommit(stored, decision)]);
    });
  }

  remove(workflowId: string): Promise<void> {
    return this.serial.run(async () => {
      if (!(await this.deps.executions.remove(workflowId))) throw new NotFound(`No such workflow found by id: ${workflowId}`);
    });
  }

  decide(workflowId: string): Promise<void> {
    return this.serial.run(async () => {
      const stored = await this.load(workflowId);
      await this.commit([this.toCommit(stored, onTimer(stored.execution, this.context()))]);
    });
  }

  // ---- tasks ----

  async poll(taskType: string, request: PollRequest): Promise<Task[]> {
    const name = queueName(taskType, request.domain);
    this.pollBook.record(taskType, request.domain, request.workerId);
    const deadline = this.now() + request.timeoutMs;
    for (;;) {
      // The waiter is registered inside the serial lane, so no enqueue can slip in between
      // finding the queue empty and starting to wait.
      const { tasks, waiting } = await this.serial.run(async () => {
        const claimed = await this.claim(name, request.count, request.workerId);
        const wait = claimed.length === 0 && this.now() < deadline ? this.waiters.wait(name, deadline) : undefined;
        return { tasks: claimed, waiting: wait };
      });
      if (!waiting) return tasks;
      await waiting;
    }
  }

  /** Takes up to `count` tasks off a queue; runs inside the serial lane. */
  private async claim(name: string, count: number, workerId: string | undefined): Promise<Task[]> {
    const claimed: Task[] = [];
    const loaded = new Map<string, StoredExecution | undefined>();
    for (;;) {
      const wanted = count - claimed.length;
      const messages = await this.deps.queues.peek(name, this.now(), wanted);
      const commits: ExecutionCommit[] = [];
      const stale: string[] = [];
      for (const m of messages) {
        if (!loaded.has(m.workflowId)) loaded.set(m.workflowId, await this.deps.executions.load(m.workflowId));
        const stored = loaded.get(m.workflowId);
        const result = stored ? claimTask(stored.execution, m.taskId, workerId, this.context()) : null;
        if (!stored || !result) {
          stale.push(m.taskId);
          continue;
        }
        result.decision.effects.push({ type: "dequeue", taskId: m.taskId, queueName: name });
        commits.push(this.toCommit(stored, result.decision));
        claimed.push(result.task);
      }
      await this.commit(commits);
      if (stale.length === 0 || messages.length < wanted) return claimed;
      // Stale messages took places in this batch: drop them and look again.
      await this.deps.queues.discard(stale);
    }
  }

  update(result: TaskResult): Promise<Task> {
    return this.serial.run(async () => {
      const stored = await this.loadForTask(result.workflowInstanceId, result.taskId);
      const task = findTask(stored.execution, result.taskId)!;
      const outcome = applyTaskResult(stored.execution, task, result, this.context());
      if (outcome.kind === "ignored") return outcome.task;
      const now = this.now();
      const logs = (result.logs ?? []).map((l) => ({ log: l.log, taskId: result.taskId, createdTime: l.createdTime ?? now }));
      await this.commit([this.toCommit(stored, outcome.decision, logs)]);
      return outcome.task;
    });
  }

  /** The execution holding a task: the one the caller named if it does, else looked up by task id. */
  private async loadForTask(workflowId: string | undefined, taskId: string): Promise<StoredExecution> {
    if (workflowId) {
      const stored = await this.deps.executions.load(workflowId);
      if (stored && findTask(stored.execution, taskId)) return stored;
    }
    const owner = await this.deps.executions.workflowIdOfTask(taskId);
    const stored = owner ? await this.deps.executions.load(owner) : undefined;
    if (!stored || !findTask(stored.execution, taskId)) throw new NotFound(`No such task found by id: ${taskId}`);
    return stored;
  }

  updateByRef(workflowId: string, taskRefName: string, status: TaskResultStatus, output: Record<string, unknown>, workerId?: string): Promise<string | undefined> {
    return this.serial.run(async () => {
      const stored = await this.load(workflowId);
      const pending = [...stored.execution.tasks]
        .reverse()
        .find((t) => !isTerminalTaskStatus(t.status) && (t.referenceTaskName === taskRefName || baseReferenceName(t.referenceTaskName) === taskRefName));
      if (!pending) return undefined;
      const result: TaskResult = {
        workflowInstanceId: workflowId,
        taskId: pending.taskId,
        status,
        outputData: { ...(pending.outputData ?? {}), ...output },
        workerId,
        callbackAfterSeconds: 0,
        logs: [],
        extendLease: false,
      };
      const outcome = applyTaskResult(stored.execution, pending, result, this.context());
      if (outcome.kind === "applied") await this.commit([this.toCommit(stored, outcome.decision)]);
      return pending.taskId;
    });
  }

  async getTask(taskId: string): Promise<Task> {
    const task = await this.deps.executions.getTask(taskId);
    if (!task) throw new NotFound(`No such task found by id: ${taskId}`);
    return task;
  }

  async addLog(taskId: string, log: string): Promise<void> {
    await this.getTask(taskId);
    await this.serial.run(() => this.deps.executions.addLogs([{ taskId, log, createdTime: this.now() }]));
  }

  getLogs(taskId: string): Promise<TaskExecLog[]> {
    return this.deps.executions.getLogs(taskId);
  }

  queueSize(taskType: string, domain?: string): Promise<number> {
    return this.deps.queues.size(queueName(taskType, domain));
  }

  async pollData(taskType: string): Promise<PollData[]> {
    return this.pollBook.forTaskType(taskType);
  }

  async allPollData(): Promise<PollData[]> {
    return this.pollBook.all();
  }

  // ---- timers ----

  /** Runs the decider for every execution whose timer is due, wakes pollers of queues whose delayed messages came due, and says when to look again. */
  private async sweep(): Promise<number | null> {
    const now = this.now();
    const due = await this.serial.run(async () => {
      const ids = await this.deps.executions.dueWorkflowIds(now, SWEEP_BATCH);
      for (const id of ids) {
        const stored = await this.deps.executions.load(id);
        if (!stored) continue;
        const decision = onTimer(stored.execution, this.context());
        if (decision.wakeAt !== null && decision.wakeAt <= now) decision.wakeAt = now + MIN_REARM_MS;
        await this.commit([this.toCommit(stored, decision)]);
      }
      return ids.length;
    });
    if (due === SWEEP_BATCH) return this.now();
    for (const q of await this.deps.queues.visibleQueues(now)) this.waiters.notify(q);
    const [wake, visible] = await Promise.all([this.deps.executions.nextWakeAt(), this.deps.queues.nextVisible(now)]);
    const candidates = [wake, visible?.visibleAt].filter((t): t is number => typeof t === "number");
    return candidates.length > 0 ? Math.min(...candidates) : null;
  }
}
