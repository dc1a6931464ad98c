/** WorkflowObject: the Durable Object that is one workflow execution (see src/host/workflow-actor.ts). */
import { DurableObject } from "cloudflare:workers";
import { dispatch } from "../../src/host/rpc-peer.ts";
import type { RpcResult } from "../../src/host/rpc-result.ts";
import { WorkflowActor } from "../../src/host/workflow-actor.ts";
import { WORKFLOW_PEER_METHODS } from "../../src/ports/peers.ts";
import { SqlExecutionStore } from "../../src/store/sql-execution-store.ts";
import { SqlIndexStore } from "../../src/store/sql-index-store.ts";
import { SqlOutboxStore } from "../../src/store/sql-outbox-store.ts";
import { durableAlarm } from "./alarm.ts";
import { d1Backend, durableBackend } from "./backends.ts";
import type { Env } from "./env.ts";
import { queuePeer } from "./peers.ts";

/** Where the object remembers which workflow it is, for alarms that wake it with no caller. */
const ID_KEY = "workflowId";

export class WorkflowObject extends DurableObject<Env> {
  private actor: Promise<WorkflowActor> | undefined;

  private actorFor(workflowId: string): Promise<WorkflowActor> {
    this.actor ??= durableBackend(this.ctx.storage).then(
      (backend) =>
        new WorkflowActor({
          workflowId,
          executions: new SqlExecutionStore(backend),
          outbox: new SqlOutboxStore(backend),
          alarm: durableAlarm(this.ctx.storage),
          queue: (name) => queuePeer(this.env, name),
          index: new SqlIndexStore(d1Backend(this.env.DB)),
        }),
    );
    return this.actor;
  }

  async call(workflowId: string, method: string, args: unknown[]): Promise<RpcResult<unknown>> {
    if (method === "start") await this.ctx.storage.put(ID_KEY, workflowId);
    return dispatch(await this.actorFor(workflowId), WORKFLOW_PEER_METHODS, method, args);
  }

  override async alarm(): Promise<void> {
    const workflowId = await this.ctx.storage.get<string>(ID_KEY);
    if (workflowId) await (await this.actorFor(workflowId)).alarm();
  }
}
