/** WorkflowObject: the Durable Object that is one workflow execution (see src/host/workflow-actor.ts). */
import { DurableObject } from "cloudflare:workers";
import { dispatch } from "../../src/host/rpc-peer.ts";
import type { RpcResult } from "../../src/host/rpc-result.ts";
import { WorkflowActor } from "../../src/host/workflow-actor.ts";
import { WORKFLOW_PEER_METHODS } from "../../src/ports/peers.ts";
import { SqlExecutionStore } from "../../src/store/sql-execution-store.ts";
import { SqlIndexStore } from "../../src/store/sql-index-store.ts";
import { SqlMetadataStore } from "../../src/store/sql-metadata-store.ts";
import { SqlOutboxStore } from "../../src/store/sql-outbox-store.ts";
import { createJq } from "../../src/jq/jqjs.ts";
import type { Jq } from "../../src/ports/jq.ts";
import type { ScriptSandbox } from "../../src/ports/sandbox.ts";
import { durableAlarm } from "./alarm.ts";
import { d1Backend, durableBackend } from "./backends.ts";
import type { Env } from "./env.ts";
import { queuePeer, workflowPeer } from "./peers.ts";
import { createSandbox } from "./sandbox.ts";

/** One QuickJS sandbox per isolate, shared by the objects it hosts (each evaluation is isolated). */
let sandbox: Promise<ScriptSandbox> | undefined;
function isolateSandbox(): Promise<ScriptSandbox> {
  sandbox ??= createSandbox();
  return sandbox;
}

let jq: Jq | undefined;
function isolateJq(): Jq {
  jq ??= createJq();
  return jq;
}

/** Where the object remembers which workflow it is, for alarms that wake it with no caller. */
const ID_KEY = "workflowId";

export class WorkflowObject extends DurableObject<Env> {
  private actor: Promise<WorkflowActor> | undefined;

  private actorFor(workflowId: string): Promise<WorkflowActor> {
    this.actor ??= Promise.all([durableBackend(this.ctx.storage), isolateSandbox()]).then(
      ([backend, sandbox]) =>
        new WorkflowActor({
          sandbox,
          jq: isolateJq(),
          workflowId,
          executions: new SqlExecutionStore(backend),
          outbox: new SqlOutboxStore(backend),
          alarm: durableAlarm(this.ctx.storage),
          queue: (name) => queuePeer(this.env, name),
          workflow: (id) => workflowPeer(this.env, id),
          metadata: new SqlMetadataStore(d1Backend(this.env.DB)),
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
