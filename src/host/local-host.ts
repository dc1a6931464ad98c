/**
 * The machinery of the single-process host (the Bun build, and any runtime with an embedded
 * database): one lane for every state change, decided against in-memory executions and a queue
 * index, staged and written in batches (group commit); the timer that sweeps due deadlines; the
 * outbox through which workflows start, report to and stop one another. LocalEngine puts the API's
 * services on top of it.
 */
import { applyChildOutcome } from "../engine/child-outcome.ts";
import type { DecideContext, Decision, HttpCall, WorkflowMessage } from "../engine/context.ts";
import { startExecution } from "../engine/start.ts";
import { onTimer } from "../engine/terminate.ts";
import { NotFound } from "../errors.ts";
import type { TaskExecLog, TaskResult } from "../model/index.ts";
import type { HttpClient } from "../ports/http-client.ts";
import type { Jq } from "../ports/jq.ts";
import type { ScriptSandbox } from "../ports/sandbox.ts";
import type { ExecutionCommit, ExecutionStore, MetadataStore, OutboxStore, QueueStore, StoredExecution } from "../ports/stores.ts";
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

export abstract class LocalHost {
  protected readonly lane: Lane;
  protected readonly cache = new ExecutionCache();
  protected readonly queues: MemoryQueues;
  protected readonly waiters: PollWaiters;
  private readonly timer: TimerLoop;
  protected readonly pollBook: PollDataBook;
  protected readonly now: () => number;
  protected readonly newId: () => string;
  private readonly random: () => number;
  /** HTTP calls of staged decisions, made once their batch is durable. */
  private pendingCalls: HttpCall[] = [];
  private readonly delivery: OutboxDelivery;

  constructor(protected readonly deps: LocalEngineDeps) {
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

  protected context(): DecideContext {
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
  protected stage(stored: StoredExecution, decision: Decision, logs?: TaskExecLog[]): void {
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
  protected async stored(workflowId: string): Promise<StoredExecution | undefined> {
    const hit = this.cache.get(workflowId);
    if (hit) return hit;
    const loaded = await this.deps.executions.load(workflowId);
    if (loaded) this.cache.set(workflowId, loaded);
    return loaded;
  }

  protected async mustExist(workflowId: string): Promise<StoredExecution> {
    const stored = await this.stored(workflowId);
    if (!stored) throw new NotFound(`No such workflow found by id: ${workflowId}`);
    return stored;
  }

  /** Runs a step; if it throws, the execution it worked on may be half-changed in memory, so drop it. */
  protected step<T>(workflowId: string | undefined, body: () => Promise<T>): Promise<T> {
    return this.lane.run(async () => {
      try {
        return await body();
      } catch (error) {
        if (workflowId) this.cache.delete(workflowId);
        throw error;
      }
    });
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
  /** The services the machinery itself calls (an HTTP call's answer, a child's termination). */
  abstract update(result: TaskResult): Promise<unknown>;
  abstract terminate(workflowId: string, reason?: string): Promise<void>;
}
