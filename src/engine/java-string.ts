/**
 * How Conductor turns a resolved value into text when an expression sits inside a larger string
 * ("id: ${workflow.input.id}"). Conductor calls Java's Objects.toString on whatever Jackson and
 * Jayway JsonPath produced, so the text follows Java's collection classes, not JSON.
 */

/**
 * Java's toString of a JSON value: maps as LinkedHashMap prints them (`{a=b, c=2}`), lists as
 * ArrayList does (`[1, two]`), strings unquoted, null as `null`.
 */
export function javaString(value: unknown): string {
  if (value === null || value === undefined) return "null";
  switch (typeof value) {
    case "string":
      return value;
    case "number":
      return javaNumber(value);
    case "object":
      if (Array.isArray(value)) return `[${value.map(javaString).join(", ")}]`;
      return `{${definedEntries(value).map(([k, v]) => `${k}=${javaString(v)}`).join(", ")}}`;
    default:
      return String(value);
  }
}

/**
 * Jayway collects the matches of an indefinite path (deep scan, wildcard, filter, slice) in a
 * json-smart JSONArray, whose toString is compact JSON with json-smart's escaping, so
 * "ids: ${t.output..id}" renders `ids: ["a","b"]` while a plain list renders `[a, b]`.
 */
export function jsonSmartString(value: unknown): string {
  if (value === null || value === undefined) return "null";
  switch (typeof value) {
    case "string":
      return `"${jsonSmartEscape(value)}"`;
    case "number":
      return javaNumber(value);
    case "object":
      if (Array.isArray(value)) return `[${value.map(jsonSmartString).join(",")}]`;
      return `{${definedEntries(value).map(([k, v]) => `"${jsonSmartEscape(k)}":${jsonSmartString(v)}`).join(",")}}`;
    default:
      return String(value);
  }
}

/**
 * Jackson reads JSON integers as Integer/Long and decimals as Double, so Conductor prints 2 as
 * "2" but 2.0 as "2.0" and 0.0001 as "1.0E-4" (Double.toString). JavaScript has one number type
 * and JSON.parse forgets that "2.0" had a decimal point, so integral values print as integers
 * (the common case: counts, ids, flags) and the others as Double.toString would.
 */
export function javaNumber(n: number): string {
  if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? String(n === 0 ? 0 : n) : BigInt(n).toString();
  if (!Number.isFinite(n)) return Number.isNaN(n) ? "NaN" : n > 0 ? "Infinity" : "-Infinity";
  const abs = Math.abs(n);
  if (abs >= 1e-3 && abs < 1e7) return String(n);
  // Both languages print the shortest digits that round-trip; only the layout differs.
  const [mantissa, exponent] = n.toExponential().split("e");
  return `${mantissa.includes(".") ? mantissa : `${mantissa}.0`}E${exponent.replace("+", "")}`;
}

// JSON has no undefined: a key holding it is absent, as JSON.stringify would treat it.
function definedEntries(value: object): [string, unknown][] {
  return Object.entries(value).filter(([, v]) => v !== undefined);
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "/": "\\/",
};

// json-smart's default (web-safe) style also escapes "/", C1 controls and U+2000..U+20FF.
function jsonSmartEscape(s: string): string {
  return s.replace(/["\\\/\u0000-\u001f\u007f-\u009f\u2000-\u20ff]/g, (ch) =>
    SHORT_ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`,
  );
}
