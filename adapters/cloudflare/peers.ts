/** Peers on Cloudflare: a Durable Object per workflow (by workflow id) and per queue (by queue name). */
import { QUEUE_PEER_METHODS, WORKFLOW_PEER_METHODS, type Peers, type QueuePeer, type WorkflowPeer } from "../../src/ports/peers.ts";
import { rpcPeer, type RpcEndpoint } from "../../src/host/rpc-peer.ts";
import type { Env } from "./env.ts";

function endpoint(ns: DurableObjectNamespace, name: string): RpcEndpoint {
  return ns.get(ns.idFromName(name)) as unknown as RpcEndpoint;
}

export function workflowPeer(env: Env, workflowId: string): WorkflowPeer {
  return rpcPeer<WorkflowPeer>(endpoint(env.WORKFLOWS, workflowId), workflowId, WORKFLOW_PEER_METHODS);
}

export function queuePeer(env: Env, queueName: string): QueuePeer {
  return rpcPeer<QueuePeer>(endpoint(env.TASK_QUEUES, queueName), queueName, QUEUE_PEER_METHODS);
}

export function cloudflarePeers(env: Env): Peers {
  return { workflow: (id) => workflowPeer(env, id), queue: (name) => queuePeer(env, name) };
}
