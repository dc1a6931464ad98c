/**
 * Parsing wire input into model values, with errors a person can act on: every problem names
 * the field by path (`tasks[0].taskReferenceName`) and says what is wrong in plain words.
 */
import * as v from "valibot";
import { InvalidInput, type ValidationError } from "../errors.ts";

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Appends an object key or array index to a path: `a.b`, `a[0]`, `a["odd key"]`. */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === "number") return `${base}[${key}]`;
  if (!IDENTIFIER.test(key)) return `${base}[${JSON.stringify(key)}]`;
  return base === "" ? key : `${base}.${key}`;
}

type PathItem = { key: unknown };

function formatPath(items: readonly PathItem[]): string {
  let path = "";
  for (const { key } of items) path = joinPath(path, typeof key === "number" ? key : String(key));
  return path;
}

const TYPE_WORDS: Record<string, string> = {
  string: "a string",
  number: "a number",
  boolean: "true or false",
  Object: "an object",
  object: "an object",
  Array: "a list",
  array: "a list",
  unknown: "an object",
};

/** Valibot's `expected` ("Object", `("A" | "B")`, "number") in words. */
function describeExpected(issue: v.BaseIssue<unknown>): string {
  if (issue.type === "picklist") {
    const options = (issue.expected ?? "").replace(/^\(|\)$/g, "").split(" | ");
    return `one of ${options.map((o) => o.replace(/^"|"$/g, "")).join(", ")}`;
  }
  if (issue.type === "union" && issue.issues) {
    const own = issue.issues.filter((sub) => !sub.path);
    const words = own.map((sub) => TYPE_WORDS[sub.expected ?? ""] ?? sub.expected);
    return [...new Set(words)].join(" or ");
  }
  if (issue.type === "record") return "an object";
  const expected = issue.expected ?? "";
  return TYPE_WORDS[expected] ?? expected;
}

function describe(issue: v.BaseIssue<unknown>): string {
  if (issue.kind !== "schema" || issue.type === "custom") return issue.message;
  const last = issue.path?.[issue.path.length - 1];
  const missing = issue.received === "undefined" || issue.received === "null";
  if (missing && last?.type === "object") return "is required";
  return `expected ${describeExpected(issue)} but received ${issue.received}`;
}

/**
 * A union's own issue only says "expected A or B". When one alternative got as far as looking
 * inside the value (an inline definition that is an object but a bad one), its deeper issues
 * are the useful ones. Their paths are relative to the union's value.
 */
function flatten(
  issues: readonly v.BaseIssue<unknown>[],
  prefix: readonly PathItem[] = [],
): { issue: v.BaseIssue<unknown>; path: PathItem[] }[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...(issue.path ?? [])];
    const deeper = issue.type === "union" ? (issue.issues ?? []).filter((sub) => sub.path) : [];
    return deeper.length > 0 ? flatten(deeper, path) : [{ issue, path }];
  });
}

export function toValidationErrors(issues: readonly v.BaseIssue<unknown>[]): ValidationError[] {
  return flatten(issues).map(({ issue, path }) => {
    const error: ValidationError = { path: formatPath(path), message: describe(issue) };
    if (issue.input !== undefined) error.invalidValue = issue.input;
    return error;
  });
}

/** `path: message`, or the message alone for a problem with the whole value. */
export function formatValidationError(error: ValidationError): string {
  return error.path === "" ? error.message : `${error.path}: ${error.message}`;
}

/** Throws InvalidInput listing `errors`, if there are any. `what` names the shape ("TaskDef"). */
export function assertValid(errors: ValidationError[], what: string): void {
  if (errors.length === 0) return;
  const others = errors.length - 1;
  const more = others === 0 ? "" : ` (and ${others} more problem${others > 1 ? "s" : ""})`;
  throw new InvalidInput(`Invalid ${what}: ${formatValidationError(errors[0])}${more}`, errors);
}

/**
 * Parses `input` with `schema`, applying defaults and dropping unknown fields; throws
 * InvalidInput naming every problem otherwise.
 */
export function parse<S extends v.GenericSchema>(
  schema: S,
  input: unknown,
  what: string,
): v.InferOutput<S> {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  assertValid(toValidationErrors(result.issues), what);
  throw new Error("unreachable: a failed parse always has issues");
}
