/**
 * The Workers build's objects in this process, with every cross-object request and every SQL
 * statement counted (bench/workers-counts.ts reads the counts).
 *
 * Built like test/support/actor-fixture.ts: a WorkflowActor per workflow id and a QueueActor per
 * queue name, each over a libSQL file of its own (a Durable Object's SQLite), the "D1" stores on
 * one more, objects reaching each other through rpcPeer/dispatch with copied arguments. Unlike the
 * fixture it serves the real Hono app over RoutedServices, as adapters/cloudflare/worker.ts does,
 * with the same uncached D1 metadata store and 100-parameter statements, and it reads the real
 * clock. Differences from the platform: an object's database is migrated here by drizzle's libSQL
 * migrator, there by its durable-sqlite one (the same statements: a journal table, a look-up,
 * each migration's statements and a journal row each); and poll data is written behind only when
 * asked (`flushPollData`), so that its once-a-second write is counted apart from the phases.
 */
import { createClient, type Client, type InStatement } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import type { Hono } from "hono";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../../src/api/app.ts";
import { StoreMetadataService } from "../../src/host/metadata-service.ts";
import { PollDataBook } from "../../src/host/poll-data-book.ts";
import { QueueActor } from "../../src/host/queue-actor.ts";
import { RoutedServices } from "../../src/host/routed-services.ts";
import { dispatch, rpcPeer, type RpcEndpoint } from "../../src/host/rpc-peer.ts";
import { WorkflowActor } from "../../src/host/workflow-actor.ts";
import type { Alarm } from "../../src/ports/alarm.ts";
import { QUEUE_PEER_METHODS, WORKFLOW_PEER_METHODS, type Peers, type QueuePeer, type WorkflowPeer } from "../../src/ports/peers.ts";
import type { SqlBackend, SqliteDatabase } from "../../src/store/database.ts";
import * as schema from "../../src/store/schema.ts";
import { SqlExecutionStore } from "../../src/store/sql-execution-store.ts";
import { SqlIndexStore } from "../../src/store/sql-index-store.ts";
import { SqlMetadataStore } from "../../src/store/sql-metadata-store.ts";
import { SqlOutboxStore } from "../../src/store/sql-outbox-store.ts";
import { SqlQueueStore } from "../../src/store/sql-queue-store.ts";
import { ROOT } from "./server.ts";

export const WORKFLOW_OBJECT = "WorkflowObject";
export const QUEUE_OBJECT = "TaskQueueObject";
export type Store = "D1" | typeof WORKFLOW_OBJECT | typeof QUEUE_OBJECT;
export type Caller = "Worker" | typeof WORKFLOW_OBJECT | typeof QUEUE_OBJECT;

/** D1 and Durable Object SQLite bind at most 100 parameters per statement (adapters/cloudflare/backends.ts). */
const MAX_PARAMETERS = 100;
const MIGRATIONS = join(ROOT, "migrations");

/**
 * Counts by key. Keys used:
 *   `req ${caller}→${object}.${method}`      one RPC request to a Durable Object
 *   `calls ${store}`                         one round trip to the database: a query, or a batch
 *   `tx ${store}`                            one atomic write (a batch / transactionSync)
 *   `sql ${store} ${shape}`                  one statement, by verb and table
 *   `alarm ${object}`                        setAlarm/deleteAlarm that changed the armed time
 *   `kv ${object}`                           a key-value storage write (the workflow object's id on start)
 */
export class Tally {
  private readonly counts = new Map<string, number>();
  /** When set, every request key is appended in order. */
  trace: string[] | undefined;

  add(key: string, n = 1): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + n);
    if (this.trace && key.startsWith("req ")) this.trace.push(key.slice(4));
  }

  snapshot(): Map<string, number> {
    return new Map(this.counts);
  }
}

/** after − before, dropping zeroes. */
export function delta(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of after) {
    const d = v - (before.get(k) ?? 0);
    if (d !== 0) out.set(k, d);
  }
  return out;
}

/** A statement's verb and table: `select workflow_defs`, `upsert tasks`, `schema`, ... */
export function statementShape(sql: string): string {
  const s = sql
    .replace(/^\s*--.*$/gm, "")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
  if (/^(create|drop|alter) /.test(s)) return s.includes("__drizzle_migrations") ? "migration journal" : "schema (DDL)";
  if (s.includes("__drizzle_migrations")) return "migration journal";
  let m = s.match(/^insert into "?(\w+)"?/);
  if (m) return `${s.includes(" on conflict ") ? "upsert" : "insert"} ${m[1]}`;
  m = s.match(/^(update|delete from) "?(\w+)"?/);
  if (m) return `${m[1].split(" ")[0]} ${m[2]}`;
  m = s.match(/^select .*? from "?(\w+)"?/);
  if (m) return `select ${m[1]}`;
  return s.slice(0, 40);
}

function sqlOf(stmt: InStatement): string {
  return typeof stmt === "string" ? stmt : stmt.sql;
}

/** A libSQL client that counts what goes through it while `on()` says so. */
function countingClient(client: Client, store: Store, tally: Tally, on: () => boolean): Client {
  const record = (statements: InStatement[], atomic: boolean) => {
    if (!on()) return;
    tally.add(`calls ${store}`);
    if (atomic) tally.add(`tx ${store}`);
    for (const s of statements) tally.add(`sql ${store} ${statementShape(sqlOf(s))}`);
  };
  return new Proxy(client, {
    get(target, prop) {
      if (prop === "execute") {
        return (stmt: InStatement, args?: unknown) => {
          record([stmt], false);
          return args === undefined ? target.execute(stmt) : (target.execute as (s: unknown, a: unknown) => ReturnType<Client["execute"]>)(stmt, args);
        };
      }
      if (prop === "batch" || prop === "migrate") {
        return (stmts: InStatement[], ...rest: unknown[]) => {
          record(stmts, true);
          return (target[prop] as (s: InStatement[], ...r: unknown[]) => unknown)(stmts, ...rest);
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** Like adapters/cloudflare/alarm.ts: only a change of the armed time reaches storage. */
function countingAlarm(object: string, tally: Tally): Alarm {
  let armed: number | null | undefined;
  return {
    async set(at) {
      if (at === armed) return;
      armed = at;
      tally.add(`alarm ${object}`);
    },
  };
}

/**
 * Poll data written only when `flushPollData` says so, instead of a second after a poll: its
 * write-behind (one D1 batch a second per queue object while polled) is counted on its own
 * rather than landing in whichever phase the timer fell into.
 */
class ManualPollDataBook extends PollDataBook {
  override record(taskType: string, domain: string | undefined, workerId: string | undefined): void {
    super.record(taskType, domain, workerId);
    this.stop();
  }
}

interface Opened {
  backend: SqlBackend;
  close(): void;
}

export class CountingWorld {
  readonly tally = new Tally();
  private readonly opened: Opened[] = [];
  private readonly workflows = new Map<string, Promise<WorkflowActor>>();
  private readonly queues = new Map<string, Promise<QueueActor>>();
  private readonly pollBooks: ManualPollDataBook[] = [];
  private d1!: SqlBackend;
  private readonly dir = mkdtempSync(join(tmpdir(), "baton-workers-counts-"));
  /** The Worker: the Conductor API over RoutedServices, as adapters/cloudflare/worker.ts builds it. */
  app!: Hono;

  static async create(): Promise<CountingWorld> {
    const world = new CountingWorld();
    world.d1 = await world.open("d1", "D1");
    const metadata = new SqlMetadataStore(world.d1);
    const routed = new RoutedServices({ peers: world.peers("Worker"), metadata, index: new SqlIndexStore(world.d1), pollData: new SqlQueueStore(world.d1) });
    world.app = createApp({ metadata: new StoreMetadataService(metadata), workflows: routed, tasks: routed }, { instance: "baton-worker" });
    return world;
  }

  /**
   * A database file of its own. D1 is migrated uncounted (wrangler does that at deploy); an
   * object's database is counted from its first statement, migration included, as an object
   * migrates its storage on first use.
   */
  private async open(key: string, store: Store): Promise<SqlBackend> {
    const raw = createClient({ url: `file:${join(this.dir, `${encodeURIComponent(key)}.db`)}` });
    await raw.execute("PRAGMA journal_mode = WAL");
    await raw.execute("PRAGMA synchronous = OFF");
    let counting = store !== "D1";
    const client = countingClient(raw, store, this.tally, () => counting);
    const db = drizzle(client, { schema });
    await migrate(db, { migrationsFolder: MIGRATIONS });
    counting = true;
    const backend: SqlBackend = {
      db: db as unknown as SqliteDatabase,
      maxParameters: MAX_PARAMETERS,
      async writeAtomically(statements) {
        if (statements.length > 0) await db.batch(statements as unknown as Parameters<typeof db.batch>[0]);
      },
    };
    this.opened.push({ backend, close: () => raw.close() });
    return backend;
  }

  private workflowActor(workflowId: string): Promise<WorkflowActor> {
    let actor = this.workflows.get(workflowId);
    if (!actor) {
      actor = this.open(`wf-${workflowId}`, WORKFLOW_OBJECT).then(
        (backend) =>
          new WorkflowActor({
            workflowId,
            executions: new SqlExecutionStore(backend),
            outbox: new SqlOutboxStore(backend),
            alarm: countingAlarm(WORKFLOW_OBJECT, this.tally),
            queue: (name) => this.queuePeer(name, WORKFLOW_OBJECT),
            workflow: (id) => this.workflowPeer(id, WORKFLOW_OBJECT),
            metadata: new SqlMetadataStore(this.d1),
            index: new SqlIndexStore(this.d1),
          }),
      );
      this.workflows.set(workflowId, actor);
    }
    return actor;
  }

  private queueActor(queueName: string): Promise<QueueActor> {
    let actor = this.queues.get(queueName);
    if (!actor) {
      actor = this.open(`q-${queueName}`, QUEUE_OBJECT).then((backend) => {
        const pollBook = new ManualPollDataBook(new SqlQueueStore(this.d1), Date.now);
        this.pollBooks.push(pollBook);
        return new QueueActor({ queueName, store: new SqlQueueStore(backend), alarm: countingAlarm(QUEUE_OBJECT, this.tally), pollBook });
      });
      this.queues.set(queueName, actor);
    }
    return actor;
  }

  private workflowPeer(workflowId: string, caller: Caller): WorkflowPeer {
    const endpoint: RpcEndpoint = {
      call: async (key, method, args) => {
        this.tally.add(`req ${caller}→${WORKFLOW_OBJECT}.${method}`);
        // adapters/cloudflare/workflow-object.ts remembers its workflow id on every start.
        if (method === "start") this.tally.add(`kv ${WORKFLOW_OBJECT}`);
        const actor = await this.workflowActor(key);
        return structuredClone(await dispatch(actor, WORKFLOW_PEER_METHODS, method, structuredClone(args)));
      },
    };
    return rpcPeer<WorkflowPeer>(endpoint, workflowId, WORKFLOW_PEER_METHODS);
  }

  private queuePeer(queueName: string, caller: Caller): QueuePeer {
    const endpoint: RpcEndpoint = {
      call: async (key, method, args) => {
        this.tally.add(`req ${caller}→${QUEUE_OBJECT}.${method}`);
        const actor = await this.queueActor(key);
        return structuredClone(await dispatch(actor, QUEUE_PEER_METHODS, method, structuredClone(args)));
      },
    };
    return rpcPeer<QueuePeer>(endpoint, queueName, QUEUE_PEER_METHODS);
  }

  private peers(caller: Caller): Peers {
    return { workflow: (id) => this.workflowPeer(id, caller), queue: (name) => this.queuePeer(name, caller) };
  }

  /** Writes the poll data the queue objects hold (as their 1 s write-behind timer would). */
  async flushPollData(): Promise<void> {
    await Promise.all(this.pollBooks.map((b) => b.flush()));
  }

  async close(): Promise<void> {
    for (const book of this.pollBooks) book.stop();
    for (const o of this.opened) o.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
