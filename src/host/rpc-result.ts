/**
 * Typed errors across an RPC boundary. Durable Object RPC keeps an error's message but not its
 * class, so an object answers with a result value and the caller turns a failure back into the
 * BatonError it was — a 404 stays a 404 on the other side.
 */
import { BatonError, Conflict, IllegalState, InvalidInput, NotFound, Unavailable, type ValidationError } from "../errors.ts";

export type RpcResult<T> = { ok: T } | { error: { kind: BatonError["kind"]; message: string; validationErrors?: ValidationError[] } };

/** Runs `fn`; a BatonError becomes a result, anything else propagates (it is a bug or an outage). */
export async function capture<T>(fn: () => Promise<T>): Promise<RpcResult<T>> {
  try {
    return { ok: await fn() };
  } catch (e) {
    if (!(e instanceof BatonError)) throw e;
    const validationErrors = e instanceof InvalidInput ? e.validationErrors : undefined;
    return { error: { kind: e.kind, message: e.message, validationErrors } };
  }
}

export function unwrap<T>(result: RpcResult<T>): T {
  if ("ok" in result) return result.ok;
  const { kind, message, validationErrors } = result.error;
  switch (kind) {
    case "not_found":
      throw new NotFound(message);
    case "conflict":
      throw new Conflict(message);
    case "invalid_input":
      throw new InvalidInput(message, validationErrors);
    case "unavailable":
      throw new Unavailable(message);
    default:
      throw new IllegalState(message);
  }
}
