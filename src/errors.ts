/**
 * Typed errors of the core. The API maps them to HTTP in one place (src/api/errors.ts);
 * nothing else in src/ knows about status codes.
 */

export interface ValidationError {
  /** Where the problem is, e.g. `tasks[2].taskReferenceName` or `input.retryCount`. */
  path: string;
  message: string;
  invalidValue?: unknown;
}

export abstract class BatonError extends Error {
  abstract readonly kind: "not_found" | "conflict" | "invalid_input" | "unavailable" | "internal_state";
}

/** The thing named does not exist (HTTP 404). */
export class NotFound extends BatonError {
  readonly kind = "not_found" as const;
}

/** The request contradicts the current state (HTTP 409). */
export class Conflict extends BatonError {
  readonly kind = "conflict" as const;
}

/** The request is malformed or names something invalid (HTTP 400). */
export class InvalidInput extends BatonError {
  readonly kind = "invalid_input" as const;
  constructor(message: string, readonly validationErrors: ValidationError[] = []) {
    super(message);
  }
}

/**
 * An operation Conductor answers with a server error although the client is at fault
 * (e.g. resuming a workflow that is not paused). Kept distinct so the mapping stays faithful.
 */
export class IllegalState extends BatonError {
  readonly kind = "internal_state" as const;
}

/** A transient failure: the client may retry (HTTP 503, `retryable: true`). */
export class Unavailable extends BatonError {
  readonly kind = "unavailable" as const;
}
