/** Text scanning shared by the path and filter parsers, following Jayway's CharacterIndex. */

/** An invalid path or a Jayway evaluation error; Conductor resolves the expression to null. */
export class JsonPathError extends Error {}

export function fail(message: string): never {
  throw new JsonPathError(message);
}

/** Index of the bracket closing the one at `start`, skipping quoted strings (and /regex/ when asked). */
export function matchingClose(s: string, start: number, open: string, close: string, skipStrings: boolean, skipRegex: boolean): number {
  let depth = 1;
  for (let i = start + 1; i < s.length; i++) {
    if (skipStrings && (s[i] === "'" || s[i] === '"')) i = nextUnescaped(s, i, s[i]) + 1 || fail("Unclosed quote");
    if (skipRegex && s[i] === "/") i = nextUnescaped(s, i, "/") + 1 || fail("Unclosed regex");
    if (s[i] === open) depth++;
    else if (s[i] === close && --depth === 0) return i;
  }
  return -1;
}

export function nextUnescaped(s: string, start: number, c: string): number {
  for (let i = start + 1, escaped = false; i < s.length; i++) {
    if (escaped) escaped = false;
    else if (s[i] === "\\") escaped = true;
    else if (s[i] === c) return i;
  }
  return -1;
}

const UNESCAPES: Record<string, string> = { r: "\r", f: "\f", t: "\t", n: "\n", b: "\b" };

/** Jayway's Utils.unescape, used for quoted property names and string literals. */
export function unescape(s: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|[\s\S]?)/g, (_, e: string) =>
    e === "" ? "\\" : e[0] === "u" && e.length === 5 ? String.fromCharCode(parseInt(e.slice(1), 16)) : UNESCAPES[e] ?? e,
  );
}

/** What java.math.BigDecimal accepts: Jayway's number literals, and strings compared with numbers. */
export const isBigDecimal = (s: string): boolean => /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s);
