/**
 * Reading requests: JSON bodies and query parameters, each failure a 400 naming the field.
 */
import type { Context } from "hono";
import * as v from "valibot";
import { InvalidInput } from "../errors.ts";
import { parse, toValidationErrors } from "../model/index.ts";

export async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === "") throw new InvalidInput("Request body is required", [{ path: "body", message: "is required" }]);
  try {
    return JSON.parse(text);
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    throw new InvalidInput(`Malformed JSON in request body: ${detail}`, [{ path: "body", message: `is not valid JSON: ${detail}` }]);
  }
}

/** Parses the JSON body with a schema; `what` names the shape in messages. */
export async function parseBody<S extends v.GenericSchema>(c: Context, schema: S, what: string): Promise<v.InferOutput<S>> {
  return parse(schema, await jsonBody(c), what);
}

/** A JSON object body (inputs, outputs); an empty body is an empty object. */
export async function objectBody(c: Context, what: string): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new InvalidInput(`Malformed JSON in request body: ${e instanceof Error ? e.message : e}`, [{ path: "body", message: "is not valid JSON" }]);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InvalidInput(`${what} must be a JSON object`, [{ path: "body", message: "must be a JSON object", invalidValue: value }]);
  }
  return value as Record<string, unknown>;
}

interface IntOptions {
  min?: number;
  max?: number;
}

export function queryInt(c: Context, name: string, fallback: number, opts?: IntOptions): number;
export function queryInt(c: Context, name: string, fallback: undefined, opts?: IntOptions): number | undefined;
export function queryInt(c: Context, name: string, fallback: number | undefined, opts: IntOptions = {}): number | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  const problem = !Number.isInteger(n)
    ? "must be a whole number"
    : opts.min !== undefined && n < opts.min
      ? `must be at least ${opts.min}`
      : opts.max !== undefined && n > opts.max
        ? `must be at most ${opts.max}`
        : undefined;
  if (problem) throw new InvalidInput(`Query parameter '${name}' ${problem}, got '${raw}'`, [{ path: name, message: problem, invalidValue: raw }]);
  return n;
}

export function queryBool(c: Context, name: string, fallback: boolean): boolean {
  const raw = c.req.query(name);
  if (raw === undefined || raw === "") return fallback;
  if (raw === "true") return true;
  if (raw === "false") return false;
  throw new InvalidInput(`Query parameter '${name}' must be true or false, got '${raw}'`, [{ path: name, message: "must be true or false", invalidValue: raw }]);
}

/** A text/plain answer (Conductor answers ids this way), with the content type set explicitly: some runtimes only add it on the wire. */
export function plainText(c: Context, text: string): Response {
  return c.body(text, 200, { "content-type": "text/plain; charset=utf-8" });
}

/** A path or query parameter checked against a schema; a failure names the parameter. */
export function parseParam<S extends v.GenericSchema>(schema: S, raw: unknown, name: string): v.InferOutput<S> {
  const result = v.safeParse(schema, raw);
  if (result.success) return result.output;
  const errors = toValidationErrors(result.issues).map((e) => ({ ...e, path: e.path ? `${name}.${e.path}` : name }));
  throw new InvalidInput(`Invalid ${name}: ${errors[0].message}`, errors);
}

const WholeNumber = v.pipe(v.string(), v.regex(/^\d+$/, "must be a whole number"), v.transform(Number));

/** A path parameter that must be a whole number (e.g. a definition version). */
export function intParam(c: Context, name: string): number {
  return parseParam(WholeNumber, c.req.param(name), name);
}
