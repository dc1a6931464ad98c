/**
 * One workflow execution as an object of its own (the Workers build's WorkflowObject): its
 * database holds the execution, every change is one decision in one transaction, effects on
 * queues and the search index leave through the outbox written in that same transaction, and
 * its single alarm is armed at the earliest of its deadlines and pending deliveries.
 */
import { claimTask } from "../engine/claim-task.ts";
import { applyChildOutcome } from "../engine/child-outcome.ts";
import type { ChildOutcome, DecideContext, Decision, HttpCall, QueueEffect, WorkflowMessage } from "../engine/context.ts";
import { startExecution, type StartParams } from "../engine/start.ts";
import { onTimer, terminateExecution } from "../engine/terminate.ts";
import { nextWakeAt } from "../engine/timeouts.ts";
import { findTask } from "../engine/update-task.ts";
import { NotFound } from "../errors.ts";
import { queueName } from "../engine/tasks/worker.ts";
import { type Task, type TaskExecLog, type TaskResult, type TaskResultStatus, type Workflow } from "../model/index.ts";
import type { Alarm } from "../ports/alarm.ts";
import type { HttpClient } from "../ports/http-client.ts";
import type { Jq } from "../ports/jq.ts";
import type { ScriptSandbox } from "../ports/sandbox.ts";
import type { QueuePeer, WorkflowPeer } from "../ports/peers.ts";
import type { ExecutionStore, IndexStore, MetadataStore, OutboxMessage, OutboxRow, OutboxStore, QueuedMessage, StoredExecution, WorkflowSummaryRow } from "../ports/stores.ts";
import { snapshot, updateTask, updateTaskByRef, workflowView } from "./execution-ops.ts";
import { fetchHttpClient } from "./fetch-http-client.ts";
import { startHttpCalls } from "./http-calls.ts";
import { Lane } from "./lane.ts";
import { deliverWorkflowMessage, type WorkflowReach } from "./workflow-messages.ts";
import { OutboxDelivery } from "./outbox-delivery.ts";
import { summaryRow } from "./summary.ts";

export interface WorkflowActorDeps {
  workflowId: string;
  executions: ExecutionStore;
  outbox: OutboxStore;
  alarm: Alarm;
  queue(name: string): QueuePeer;
  /** Other workflows, for sub-workflows: starting children, reporting to parents. */
  workflow(workflowId: string): WorkflowPeer;
  /** Definitions, to start a child workflow. */
  metadata: MetadataStore;
  index: IndexStore;
  /** For HTTP tasks; the runtime's fetch by default. */
  httpClient?: HttpClient;
  /** Runs user JavaScript (INLINE, SWITCH and DO_WHILE scripts). */
  sandbox?: ScriptSandbox;
  /** Runs jq (JSON_JQ_TRANSFORM). */
  jq?: Jq;
  now?: () => number;
  random?: () => number;
}

/** Task ids carry their workflow's id, so a task can be found without a global lookup. */
export function workflowIdOfTask(taskId: string): string | undefined {
  const dot = taskId.lastIndexOf(".");
  return dot > 0 ? taskId.slice(0, dot) : undefined;
}

function randomSuffix(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function toOutbox(effect: QueueEffect): OutboxMessage {
  if (effect.type === "enqueue") {
    const message: QueuedMessage = { taskId: effect.taskId, queueName: effect.queueName, workflowId: effect.workflowId, priority: effect.priority, visibleAt: effect.visibleAt };
    return { kind: "queue.offer", target: effect.queueName, payload: message };
  }
  return { kind: "queue.remove", target: effect.queueName, payload: { taskId: effect.taskId } };
}

export class WorkflowActor implements WorkflowPeer {
  private current: StoredExecution | undefined;
  private loaded = false;
  private wakeAt: number | null = null;
  private pendingCalls: HttpCall[] = [];
  /**
   * Whether the outbox may hold rows. A claim or an update that goes to no other object writes
   * none, and then settling skips reading the outbox (two queries on the poll/update path).
   * Unknown (true) until the first settle of this object's life.
   */
  private outboxMayHaveRows = true;
  /** Counts stagings of outbox rows, so a settle never clears the flag over rows staged meanwhile. */
  private outboxWrites = 0;
  private readonly lane: Lane;
  private readonly delivery: OutboxDelivery;
  private readonly now: () => number;

  constructor(private readonly deps: WorkflowActorDeps) {
    this.now = deps.now ?? Date.now;
    this.lane = new Lane(
      (batch) => deps.executions.commit(batch),
      (batch) => {
        if (this.current && batch.length > 0) this.current.rev = batch[0].rev + 1;
      },
      async () => {
        this.loaded = false;
        this.current = undefined;
        this.pendingCalls = [];
      },
    );
    this.delivery = new OutboxDelivery(deps.outbox, (row) => this.deliver(row), this.now);
  }

  private context(): DecideContext {
    const id = this.deps.workflowId;
    const { sandbox, jq } = this.deps;
    return { now: this.now(), newId: () => `${id}.${randomSuffix()}`, random: this.deps.random ?? Math.random, sandbox, jq };
  }

  private async stored(): Promise<StoredExecution | undefined> {
    if (!this.loaded) {
      this.current = await this.deps.executions.load(this.deps.workflowId);
      this.wakeAt = this.current ? nextWakeAt(this.current.execution) : null;
      this.loaded = true;
    }
    return this.current;
  }

  private async mustExist(): Promise<StoredExecution> {
    const stored = await this.stored();
    if (!stored) throw new NotFound(`No such workflow found by id: ${this.deps.workflowId}`);
    return stored;
  }

  private stage(stored: StoredExecution, decision: Decision, logs?: TaskExecLog[]): void {
    const outbox: OutboxMessage[] = [...decision.effects.map(toOutbox), ...decision.messages];
    if (decision.workflowChanged) outbox.push({ kind: "index", target: "", payload: summaryRow(decision.execution, stored.rev + 1) });
    this.current = stored;
    this.wakeAt = decision.wakeAt;
    this.pendingCalls.push(...decision.httpCalls);
    if (outbox.length > 0) this.noteOutboxRows();
    this.lane.stage([{ execution: decision.execution, rev: stored.rev, changedTasks: decision.changedTasks, removedTaskIds: decision.removedTaskIds, effects: [], wakeAt: decision.wakeAt, logs, outbox }]);
  }

  /**
   * Runs a change through the lane, then delivers what it wrote to the outbox and re-arms the
   * alarm. `awaitDelivery: false` answers without waiting for that delivery: a call made by another
   * workflow's delivery must not wait on ours, or two workflows delivering to each other (a parent
   * terminating its child, the child reporting back) would each wait for the other.
   */
  private async change<T>(body: () => Promise<T>, { awaitDelivery = true } = {}): Promise<T> {
    const result = await this.lane.run(async () => {
      try {
        return await body();
      } catch (error) {
        // The execution may be half-changed in memory: read it again next time.
        this.loaded = false;
        throw error;
      }
    });
    const settled = this.settle();
    if (awaitDelivery) await settled;
    else settled.catch((error) => console.warn("workflow: delivery after a report failed:", error));
    return result;
  }

  private noteOutboxRows(): void {
    this.outboxMayHaveRows = true;
    this.outboxWrites++;
  }

  private async settle(): Promise<void> {
    const calls = this.pendingCalls;
    this.pendingCalls = [];
    startHttpCalls(this.deps.httpClient ?? fetchHttpClient, calls, (result) => this.update(result));
    let outboxDue: number | null = null;
    if (this.outboxMayHaveRows) {
      const writes = this.outboxWrites;
      await this.delivery.flush();
      outboxDue = await this.deps.outbox.nextDue();
      if (outboxDue === null && writes === this.outboxWrites) this.outboxMayHaveRows = false;
    }
    const due = [this.wakeAt, outboxDue].filter((t): t is number => typeof t === "number");
    await this.deps.alarm.set(due.length > 0 ? Math.min(...due) : null);
  }

  private async deliver(row: OutboxRow): Promise<void> {
    switch (row.kind) {
      case "queue.offer":
        return this.deps.queue(row.target).offer([row.payload as QueuedMessage]);
      case "queue.remove":
        return this.deps.queue(row.target).remove([(row.payload as { taskId: string }).taskId]);
      case "index":
        return this.deps.index.upsert([row.payload as WorkflowSummaryRow]);
      case "index.remove":
        return this.deps.index.remove([(row.payload as { workflowId: string }).workflowId]);
      default:
        return deliverWorkflowMessage(this.reach, row as unknown as WorkflowMessage);
    }
  }

  private get reach(): WorkflowReach {
    const { deps } = this;
    return {
      metadata: deps.metadata,
      start: (params) => deps.workflow(params.workflowId).start(params),
      notify: (parentId, outcome) => deps.workflow(parentId).notify(outcome),
      terminate: (id, reason) => deps.workflow(id).terminate(reason),
    };
  }

  // ---- the peer interface ----

  start(params: StartParams): Promise<void> {
    return this.change(async () => {
      if (await this.stored()) return; // a repeated start (a retried delivery) is a no-op
      const decision = startExecution(params, this.context());
      this.stage({ execution: decision.execution, rev: 0 }, decision);
    });
  }

  async get(includeTasks: boolean): Promise<Workflow | null> {
    const stored = await this.stored();
    return stored ? workflowView(stored.execution, includeTasks) : null;
  }

  claim(taskId: string, workerId: string | undefined): Promise<Task | null> {
    return this.change(async () => {
      const stored = await this.stored();
      const result = stored ? claimTask(stored.execution, taskId, workerId, this.context()) : null;
      if (!stored || !result) return null;
      this.stage(stored, result.decision);
      return snapshot(result.task);
    });
  }

  update(result: TaskResult): Promise<Task> {
    return this.change(async () => {
      const stored = await this.mustExist();
      const outcome = updateTask(stored.execution, result, this.context());
      if (outcome.decision) this.stage(stored, outcome.decision, outcome.logs);
      return outcome.task;
    });
  }

  updateByRef(taskRefName: string, status: TaskResultStatus, output: Record<string, unknown>, workerId?: string): Promise<string | undefined> {
    return this.change(async () => {
      const stored = await this.mustExist();
      const { taskId, decision } = updateTaskByRef(stored.execution, taskRefName, status, output, workerId, this.context());
      if (decision) this.stage(stored, decision);
      return taskId;
    });
  }

  terminate(reason?: string): Promise<void> {
    return this.change(async () => {
      const stored = await this.mustExist();
      const decision = terminateExecution(stored.execution, reason, this.context());
      if (decision) this.stage(stored, decision);
    });
  }

  notify(outcome: ChildOutcome): Promise<void> {
    return this.change(
      async () => {
        const stored = await this.stored();
        const decision = stored ? applyChildOutcome(stored.execution, outcome, this.context()) : null;
        if (stored && decision) this.stage(stored, decision);
      },
      { awaitDelivery: false },
    );
  }

  remove(): Promise<void> {
    return this.change(async () => {
      const { execution, rev } = await this.mustExist();
      const outbox: OutboxMessage[] = execution.tasks
        .filter((t) => t.status === "SCHEDULED")
        .map((t) => toOutbox({ type: "dequeue", taskId: t.taskId, queueName: queueName(t.taskType, t.domain) }));
      outbox.push({ kind: "index.remove", target: "", payload: { workflowId: execution.workflowId } });
      this.noteOutboxRows();
      this.lane.stage([{ execution, rev, changedTasks: [], effects: [], wakeAt: null, remove: true, outbox }]);
      this.current = undefined;
      this.wakeAt = null;
    });
  }

  decide(): Promise<void> {
    return this.change(async () => {
      const stored = await this.mustExist();
      this.stage(stored, onTimer(stored.execution, this.context()));
    });
  }

  async getTask(taskId: string): Promise<Task | null> {
    const stored = await this.stored();
    const task = stored ? findTask(stored.execution, taskId) : undefined;
    return task ? snapshot(task) : null;
  }

  async addLog(taskId: string, log: string): Promise<void> {
    if (!(await this.getTask(taskId))) throw new NotFound(`No such task found by id: ${taskId}`);
    await this.lane.run(() => this.deps.executions.addLogs([{ taskId, log, createdTime: this.now() }]));
  }

  getLogs(taskId: string): Promise<TaskExecLog[]> {
    return this.deps.executions.getLogs(taskId);
  }

  /** The alarm rang: enforce whatever deadline passed, and deliver what is due. */
  alarm(): Promise<void> {
    return this.change(async () => {
      const stored = await this.stored();
      if (!stored || this.wakeAt === null || this.wakeAt > this.now()) return;
      const decision = onTimer(stored.execution, this.context());
      if (decision.wakeAt !== null && decision.wakeAt <= this.now()) decision.wakeAt = this.now() + 1000;
      this.stage(stored, decision);
    });
  }
}

