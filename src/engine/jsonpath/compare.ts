/**
 * Jayway's filter evaluators (EvaluatorFactory) and value nodes (ValueNodes): how `==`, `<`,
 * `in`, `=~`, ... compare. Their quirks are what workflows written for Conductor rely on: a number
 * equals a string with the same value (`@.id == '2'`) but never orders against one, and `=~` must
 * match the whole text.
 */
import { javaNumber } from "../java-string.ts";
import { isBigDecimal, JsonPathError } from "./syntax.ts";

export type Value =
  | { t: "number"; n: number; text: string }
  | { t: "string"; s: string }
  | { t: "boolean"; b: boolean }
  | { t: "null" }
  | { t: "json"; v: unknown }
  | { t: "pattern"; re: RegExp };

export const NULL: Value = { t: "null" };

export function toValue(v: unknown): Value {
  switch (typeof v) {
    case "number":
      return { t: "number", n: v, text: javaNumber(v) };
    case "string":
      return { t: "string", s: v };
    case "boolean":
      return { t: "boolean", b: v };
  }
  return v === null || v === undefined ? NULL : { t: "json", v };
}

export function compare(l: Value, op: string, r: Value): boolean {
  switch (op) {
    case "==": return equals(l, r);
    case "!=": return !equals(l, r);
    case "===": return l.t === r.t && equals(l, r);
    case "!==": return !(l.t === r.t && equals(l, r));
    case "<": return order(l, r, (x) => x < 0);
    case "<=": return order(l, r, (x) => x <= 0);
    case ">": return order(l, r, (x) => x > 0);
    case ">=": return order(l, r, (x) => x >= 0);
    case "=~": return regexMatch(l, r);
    case "IN": return inList(l, r);
    case "NIN": return !inList(l, r);
    case "CONTAINS":
      if (l.t === "string" && r.t === "string") return l.s.includes(r.s);
      return l.t === "json" && (listOf(l)?.some((e) => equals(r, e)) ?? false);
    case "SIZE": {
      if (r.t !== "number") return false;
      const size = l.t === "string" ? l.s.length : l.t === "json" ? (Array.isArray(l.v) ? l.v.length : -1) : undefined;
      return size === Math.trunc(r.n);
    }
    case "EMPTY": {
      if (r.t !== "boolean") throw new JsonPathError("Expected boolean");
      if (l.t === "string") return (l.s.length === 0) === r.b;
      return l.t === "json" && (Object.keys(l.v as object).length === 0) === r.b;
    }
    default: {
      const left = l.t === "json" ? listOf(l) : requireList(l);
      const right = r.t === "json" ? listOf(r) : requireList(r);
      if (!left || !right) return false;
      if (op === "SUBSETOF") return left.every((x) => right.some((y) => equals(x, y)));
      const any = left.some((x) => right.some((y) => equals(x, y)));
      return op === "ANYOF" ? any : !any;
    }
  }
}

// Jayway's ValueNode.equals: numbers and strings compare across types; containers deeply.
function equals(a: Value, b: Value): boolean {
  switch (a.t) {
    case "json": return b.t === "json" && deepEqual(a.v, b.v);
    case "number": return b.t === "number" ? a.n === b.n : b.t === "string" && isBigDecimal(b.s) && Number(b.s) === a.n;
    case "string": return b.t === "string" ? a.s === b.s : b.t === "number" && a.s === b.text;
    case "boolean": return b.t === "boolean" && a.b === b.b;
    case "null": return b.t === "null";
    default: return false;
  }
}

function order(l: Value, r: Value, test: (cmp: number) => boolean): boolean {
  if (l.t === "number" && r.t === "number") return test(l.n - r.n);
  if (l.t === "string" && r.t === "string") return test(l.s < r.s ? -1 : l.s > r.s ? 1 : 0);
  return false;
}

function regexMatch(l: Value, r: Value): boolean {
  if ((l.t === "pattern") === (r.t === "pattern")) return false;
  const [re, other] = l.t === "pattern" ? [l.re, r] : [(r as { re: RegExp }).re, l];
  const inputs = other.t === "json" && Array.isArray(other.v) ? listOf(other)! : [other];
  return inputs.some((v) => re.test(v.t === "string" ? v.s : v.t === "number" ? v.text : v.t === "boolean" ? String(v.b) : ""));
}

function inList(l: Value, r: Value): boolean {
  const list = r.t === "json" ? listOf(r) : requireList(r);
  return list?.some((e) => equals(l, e)) ?? false;
}

function listOf(v: Value & { t: "json" }): Value[] | undefined {
  return Array.isArray(v.v) ? v.v.map(toValue) : undefined;
}

function requireList(_v: Value): never {
  throw new JsonPathError("Expected value list node");
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a), kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
