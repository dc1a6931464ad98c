/** The one place where errors become HTTP: Conductor's error body with the right status. */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { BatonError, type ValidationError } from "../errors.ts";

const STATUS: Record<BatonError["kind"], ContentfulStatusCode> = {
  not_found: 404,
  conflict: 409,
  invalid_input: 400,
  internal_state: 500,
  unavailable: 503,
};

export interface ErrorBody {
  status: number;
  message: string;
  instance: string;
  retryable: boolean;
  validationErrors?: ValidationError[];
}

export function errorBody(status: number, message: string, instance: string, validationErrors?: ValidationError[]): ErrorBody {
  const body: ErrorBody = { status, message, instance, retryable: status === 503 };
  if (validationErrors && validationErrors.length > 0) body.validationErrors = validationErrors;
  return body;
}

export function errorResponse(err: unknown, c: Context, instance: string): Response {
  if (err instanceof BatonError) {
    const status = STATUS[err.kind];
    const details = "validationErrors" in err ? (err.validationErrors as ValidationError[]) : undefined;
    return c.json(errorBody(status, err.message, instance, details), status);
  }
  // Anything else is a bug in Baton, not in the request: say so without leaking internals.
  console.error(err);
  return c.json(errorBody(500, "Internal server error", instance), 500);
}
