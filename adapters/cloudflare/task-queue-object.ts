/** TaskQueueObject: the Durable Object that is one task queue (see src/host/queue-actor.ts). */
import { DurableObject } from "cloudflare:workers";
import { PollDataBook } from "../../src/host/poll-data-book.ts";
import { QueueActor } from "../../src/host/queue-actor.ts";
import { dispatch } from "../../src/host/rpc-peer.ts";
import type { RpcResult } from "../../src/host/rpc-result.ts";
import { QUEUE_PEER_METHODS } from "../../src/ports/peers.ts";
import { SqlQueueStore } from "../../src/store/sql-queue-store.ts";
import { durableAlarm } from "./alarm.ts";
import { d1Backend, durableBackend } from "./backends.ts";
import type { Env } from "./env.ts";

const NAME_KEY = "queueName";

export class TaskQueueObject extends DurableObject<Env> {
  private actor: Promise<QueueActor> | undefined;

  private actorFor(queueName: string): Promise<QueueActor> {
    this.actor ??= (async () => {
      const backend = await durableBackend(this.ctx.storage);
      if ((await this.ctx.storage.get<string>(NAME_KEY)) !== queueName) await this.ctx.storage.put(NAME_KEY, queueName);
      // Poll times go to D1 (written behind, at most once a second), where the poll-data endpoints read them.
      const pollBook = new PollDataBook(new SqlQueueStore(d1Backend(this.env.DB)), Date.now);
      return new QueueActor({ queueName, store: new SqlQueueStore(backend), alarm: durableAlarm(this.ctx.storage), pollBook });
    })();
    return this.actor;
  }

  async call(queueName: string, method: string, args: unknown[]): Promise<RpcResult<unknown>> {
    return dispatch(await this.actorFor(queueName), QUEUE_PEER_METHODS, method, args);
  }

  override async alarm(): Promise<void> {
    const queueName = await this.ctx.storage.get<string>(NAME_KEY);
    if (queueName) await (await this.actorFor(queueName)).alarm();
  }
}
