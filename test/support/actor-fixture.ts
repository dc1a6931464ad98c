/**
 * The Workers build's objects in one process: every WorkflowActor and QueueActor gets a libSQL
 * file database of its own (as each Durable Object has its own SQLite), the "D1" stores share
 * one more, and the objects reach each other through the same rpcPeer/dispatch pair the Durable
 * Objects use, with arguments and answers copied as RPC copies them. Alarms are fakes the test
 * rings by hand, and every object reads one controllable clock. It lives in test/ because it
 * imports the libSQL adapter, which nothing under src/ may do.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v from "valibot";
import { openDatabase } from "../../adapters/bun/database.ts";
import { PollDataBook } from "../../src/host/poll-data-book.ts";
import { QueueActor } from "../../src/host/queue-actor.ts";
import { dispatch, rpcPeer, type RpcEndpoint } from "../../src/host/rpc-peer.ts";
import { WorkflowActor } from "../../src/host/workflow-actor.ts";
import { TaskResultSchema, type Task, type TaskResult, type TaskResultInput } from "../../src/model/index.ts";
import type { Alarm } from "../../src/ports/alarm.ts";
import { QUEUE_PEER_METHODS, WORKFLOW_PEER_METHODS, type Peers, type QueuePeer, type WorkflowPeer } from "../../src/ports/peers.ts";
import type { SqlBackend } from "../../src/store/database.ts";
import { SqlExecutionStore } from "../../src/store/sql-execution-store.ts";
import { SqlMetadataStore } from "../../src/store/sql-metadata-store.ts";
import { SqlIndexStore } from "../../src/store/sql-index-store.ts";
import { SqlOutboxStore } from "../../src/store/sql-outbox-store.ts";
import { SqlQueueStore } from "../../src/store/sql-queue-store.ts";

export { workflowDef } from "../../src/engine/testing.ts";

/** Far enough from 0 that a row defaulting to time 0 is never mistaken for "now". */
const EPOCH = 1_700_000_000_000;

export class FakeClock {
  now = EPOCH;
  readonly read = (): number => this.now;
  advance(ms: number): number {
    this.now += ms;
    return this.now;
  }
}

/** A Durable Object alarm: remembers when it is armed; the test rings it by calling the actor's `alarm()`. */
export class FakeAlarm implements Alarm {
  at: number | null = null;
  async set(at: number | null): Promise<void> {
    this.at = at;
  }
}

type Database = Awaited<ReturnType<typeof openDatabase>>;

export interface WorkflowHandle {
  actor: WorkflowActor;
  alarm: FakeAlarm;
  outbox: SqlOutboxStore;
  executions: SqlExecutionStore;
}

export interface QueueHandle {
  actor: QueueActor;
  alarm: FakeAlarm;
  store: SqlQueueStore;
}

export class ActorWorld {
  readonly clock = new FakeClock();
  private readonly databases = new Map<string, Database>();
  /** Alarms belong to an object's storage, so they outlive a restart of the object. */
  private readonly alarms = new Map<string, FakeAlarm>();
  private readonly workflows = new Map<string, Promise<WorkflowHandle>>();
  private readonly queues = new Map<string, Promise<QueueHandle>>();
  private readonly pollBooks = new Set<PollDataBook>();
  private readonly broken = new Map<string, Set<string>>();

  private constructor(private readonly dir: string, readonly d1: SqlBackend) {}

  static async create(): Promise<ActorWorld> {
    const dir = mkdtempSync(join(tmpdir(), "baton-actors-"));
    // Files, not ":memory:": the client pools connections and each in-memory one is its own database.
    const d1 = await openDatabase(`file:${join(dir, "d1.db")}`);
    const world = new ActorWorld(dir, d1.backend);
    world.databases.set("d1", d1);
    return world;
  }

  get index(): SqlIndexStore {
    return new SqlIndexStore(this.d1);
  }

  /** A database of its own for `key` (an object's storage), in the world's directory. */
  async open(key: string): Promise<SqlBackend> {
    const database = await openDatabase(`file:${join(this.dir, `${encodeURIComponent(key)}.db`)}`);
    this.databases.set(key, database);
    return database.backend;
  }

  private alarm(key: string): FakeAlarm {
    let alarm = this.alarms.get(key);
    if (!alarm) this.alarms.set(key, (alarm = new FakeAlarm()));
    return alarm;
  }

  /** The object for a workflow id, created (with its database) on first use. */
  workflow(workflowId: string): Promise<WorkflowHandle> {
    let handle = this.workflows.get(workflowId);
    if (!handle) this.workflows.set(workflowId, (handle = this.buildWorkflow(workflowId)));
    return handle;
  }

  private async buildWorkflow(workflowId: string): Promise<WorkflowHandle> {
    const backend = await this.open(`wf-${workflowId}`);
    const alarm = this.alarm(`wf-${workflowId}`);
    const executions = new SqlExecutionStore(backend);
    const outbox = new SqlOutboxStore(backend);
    const actor = new WorkflowActor({
      workflowId,
      executions,
      outbox,
      alarm,
      queue: (name) => this.queuePeer(name),
      workflow: (id) => this.workflowPeer(id),
      metadata: new SqlMetadataStore(this.d1),
      index: this.index,
      now: this.clock.read,
      random: () => 0,
    });
    return { actor, alarm, outbox, executions };
  }

  /** The object for a queue name, created (with its database) on first use. */
  queue(queueName: string): Promise<QueueHandle> {
    let handle = this.queues.get(queueName);
    if (!handle) this.queues.set(queueName, (handle = this.buildQueue(queueName)));
    return handle;
  }

  private async buildQueue(queueName: string): Promise<QueueHandle> {
    const store = new SqlQueueStore(await this.open(`q-${queueName}`));
    const pollBook = new PollDataBook(new SqlQueueStore(this.d1), this.clock.read);
    this.pollBooks.add(pollBook);
    const alarm = this.alarm(`q-${queueName}`);
    return { actor: new QueueActor({ queueName, store, alarm, pollBook, now: this.clock.read }), alarm, store };
  }

  /**
   * The object is evicted and recreated: everything in memory is gone, its database (closed and
   * opened again) and its armed alarm remain.
   */
  async restartWorkflow(workflowId: string): Promise<WorkflowHandle> {
    await this.workflow(workflowId);
    this.databases.get(`wf-${workflowId}`)!.close();
    const handle = this.buildWorkflow(workflowId);
    this.workflows.set(workflowId, handle);
    return handle;
  }

  async restartQueue(queueName: string): Promise<QueueHandle> {
    await this.queue(queueName);
    this.databases.get(`q-${queueName}`)!.close();
    const handle = this.buildQueue(queueName);
    this.queues.set(queueName, handle);
    return handle;
  }

  /** Calls of these methods to the queue's object fail, as an unreachable Durable Object's do. */
  breakQueue(queueName: string, ...methods: (typeof QUEUE_PEER_METHODS)[number][]): void {
    this.broken.set(queueName, new Set(methods));
  }

  healQueue(queueName: string): void {
    this.broken.delete(queueName);
  }

  queuePeer(queueName: string): QueuePeer {
    const endpoint: RpcEndpoint = {
      call: async (key, method, args) => {
        if (this.broken.get(key)?.has(method)) throw new Error(`queue object '${key}' did not answer ${method}`);
        const { actor } = await this.queue(key);
        return structuredClone(await dispatch(actor, QUEUE_PEER_METHODS, method, structuredClone(args)));
      },
    };
    return rpcPeer<QueuePeer>(endpoint, queueName, QUEUE_PEER_METHODS);
  }

  workflowPeer(workflowId: string): WorkflowPeer {
    const endpoint: RpcEndpoint = {
      call: async (key, method, args) => {
        const { actor } = await this.workflow(key);
        return structuredClone(await dispatch(actor, WORKFLOW_PEER_METHODS, method, structuredClone(args)));
      },
    };
    return rpcPeer<WorkflowPeer>(endpoint, workflowId, WORKFLOW_PEER_METHODS);
  }

  peers(): Peers {
    return { workflow: (id) => this.workflowPeer(id), queue: (name) => this.queuePeer(name) };
  }

  async close(): Promise<void> {
    for (const book of this.pollBooks) book.stop();
    for (const database of this.databases.values()) database.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A worker's report on a task, with the schema's defaults filled in. */
export function taskResult(task: Pick<Task, "taskId" | "workflowInstanceId">, status: TaskResultInput["status"], outputData: Record<string, unknown> = {}): TaskResult {
  return v.parse(TaskResultSchema, { taskId: task.taskId, workflowInstanceId: task.workflowInstanceId, status, outputData });
}
