/**
 * Peers over a generic RPC transport: one `call(key, method, args)` entry point per object
 * instead of a hand-written stub per method. The object side dispatches to its actor and
 * answers with a result value (rpc-result.ts), so typed errors survive the trip.
 */
import { capture, unwrap, type RpcResult } from "./rpc-result.ts";

export interface RpcEndpoint {
  call(key: string, method: string, args: unknown[]): Promise<RpcResult<unknown>>;
}

/** A client for an object: every listed method forwards to `endpoint.call(key, method, args)`. */
export function rpcPeer<T extends object>(endpoint: RpcEndpoint, key: string, methods: readonly (keyof T & string)[]): T {
  const peer: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const method of methods) peer[method] = async (...args) => unwrap(await endpoint.call(key, method, args));
  return peer as unknown as T;
}

/** The object side: runs an allowed method of the actor and answers with its result. */
export function dispatch<T extends object>(actor: T, methods: readonly (keyof T & string)[], method: string, args: unknown[]): Promise<RpcResult<unknown>> {
  if (!(methods as readonly string[]).includes(method)) throw new Error(`no such method: ${method}`);
  const fn = (actor as Record<string, (...a: unknown[]) => Promise<unknown>>)[method];
  return capture(() => fn.apply(actor, args));
}
