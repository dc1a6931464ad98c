/**
 * Parameter expressions: the `${...}` in inputParameters, outputParameters and the like, resolved
 * as Conductor's ParametersUtils.replaceVariables does. The text inside `${...}` is a Jayway
 * JsonPath (see ./jsonpath) read from the expression document with an implied `$.` prefix;
 * anything that goes wrong while reading it gives null. Values embedded in a longer string are
 * printed the way Java would (see ./java-string.ts).
 *
 * Deliberate differences from Conductor:
 * - Conductor resolves `${NAME}` from the server's environment variables and system properties
 *   when such a variable exists; Baton never does (a leak of the host's configuration). A name
 *   that is not in the document is read as a path and gives null, and NETFLIX_ENV/NETFLIX_STACK
 *   stay literal, as on a Conductor host without those variables.
 * - `${workflow.secrets.X}` and `${workflow.env.X}` give null until Baton has secrets and an
 *   environment store (Conductor keeps the secrets text literal for hand-off to the worker).
 *
 * Resolved values are the document's own objects, not copies: treat the result as immutable.
 */
import { javaString, jsonSmartString } from "./java-string.ts";
import { readPath } from "./jsonpath/index.ts";

/** The document expressions are resolved against: { workflow: {...}, <taskRef>: {...}, ... }. */
export type ExpressionDocument = Record<string, unknown>;

export interface ResolveOptions {
  /** Value of ${CPEWF_TASK_ID}: the id of the task being scheduled. */
  taskId?: string;
}

/** Resolve every `${...}` in a template (any JSON value: maps and lists at any depth). Returns a new value; never mutates. */
export function resolveTemplate(template: unknown, doc: ExpressionDocument, opts: ResolveOptions = {}): unknown {
  if (typeof template === "string") return interpolate(template, doc, opts.taskId, 0);
  if (Array.isArray(template)) return template.map((v) => resolveTemplate(v, doc, opts));
  if (isMap(template)) return resolveParameters(template, doc, opts);
  return template;
}

/** Convenience for input maps: resolveTemplate for a Record, returns a Record. */
export function resolveParameters(params: Record<string, unknown>, doc: ExpressionDocument, opts: ResolveOptions = {}): Record<string, unknown> {
  // fromEntries defines keys, so a "__proto__" parameter stays a parameter.
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, resolveTemplate(v, doc, opts)]));
}

/**
 * The root names referenced by expressions in a template (`${foo.output.x}` -> "foo",
 * `${workflow.input}` -> "workflow"), for registration-time validation. Skips escaped `$${`,
 * `${CPEWF_TASK_ID}`-style system names, and roots that are themselves computed (`${${x}.output}`).
 */
export function referencedRoots(template: unknown): string[] {
  const roots = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === "string") collectRoots(v, roots);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (isMap(v)) Object.values(v).forEach(visit);
  };
  visit(template);
  return [...roots];
}

const SYSTEM_PARAMETERS = new Set(["CPEWF_TASK_ID", "NETFLIX_ENV", "NETFLIX_STACK"]);
const UNRESOLVED_PREFIXES = ["workflow.secrets.", "workflow.env."];

interface Replacement {
  start: number;
  end: number;
  value: unknown;
  /** An indefinite JsonPath result, which Conductor holds as a json-smart JSONArray. */
  jsonArray: boolean;
}

// ParametersUtils.replaceVariables. Nested expressions are resolved first, and always to text.
function interpolate(s: string, doc: ExpressionDocument, taskId: string | undefined, depth: number): unknown {
  if (!s.includes("${")) return s;
  const replacements: Replacement[] = [];
  for (const [start, end] of scanExpressions(s)) {
    const path = String(interpolate(s.slice(start + 2, end - 1), doc, taskId, depth + 1));
    if (isBlank(path)) {
      replacements.push({ start, end, value: "", jsonArray: false });
    } else if (UNRESOLVED_PREFIXES.some((prefix) => path.startsWith(prefix))) {
      replacements.push({ start, end, value: null, jsonArray: false });
    } else if (SYSTEM_PARAMETERS.has(path)) {
      // Conductor leaves the text as is when the value is unknown.
      if (path === "CPEWF_TASK_ID" && taskId !== undefined) replacements.push({ start, end, value: taskId, jsonArray: false });
    } else {
      replacements.push({ start, end, ...read(path, doc) });
    }
  }
  const [only] = replacements;
  if (replacements.length === 1 && only.start === 0 && only.end === s.length && depth === 0) return only.value;
  let text = "";
  let at = 0;
  for (const r of replacements) {
    text += s.slice(at, r.start) + (r.jsonArray ? jsonSmartString(r.value) : javaString(r.value));
    at = r.end;
  }
  // Conductor unescapes after substituting, so a "$${" inside a resolved value is unescaped too.
  return (text + s.slice(at)).replaceAll("$${", "${");
}

function read(path: string, doc: ExpressionDocument): { value: unknown; jsonArray: boolean } {
  try {
    const { value, definite } = readPath(path, doc);
    return { value, jsonArray: !definite };
  } catch {
    return { value: null, jsonArray: false };
  }
}

/**
 * The `${...}` spans, as [start, end) pairs, that Conductor's ParametersUtils.PATTERN finds.
 *
 * That pattern matches balanced braces with a Java-only trick: lookaheads that back-reference the
 * groups captured by the previous repetition. JavaScript resets groups on every repetition, so the
 * pattern cannot be ported; this replays Java's matcher instead, including its quirk that groups
 * captured inside a lookahead survive a failed attempt and carry into the attempts at later start
 * positions of the same find() (which is why "{${ ${}" finds nothing). Both groups are suffixes
 * of the string, so they are kept as offsets: g1 after the k-th "{", g2 after the k-th "}".
 * Checked against java.util.regex on 300,000 random strings.
 */
export function scanExpressions(s: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  const lastClose = s.lastIndexOf("}");
  let from = 0;
  search: for (;;) {
    let g1 = -1;
    let g2 = -1;
    for (let start = s.indexOf("${", from); start >= 0; start = s.indexOf("${", start + 1)) {
      if (start > 0 && s[start - 1] === "$") continue; // (?<!\$): "$${" is an escape
      let pos = start;
      for (;;) {
        // (?=.*?\{(?!.*?\1)(.*\}(?!.*\2).*)): the next "{" after the previous one, some "}" after it
        const open = s.indexOf("{", Math.max(pos, g1));
        if (open < 0 || lastClose <= open || lastClose < g2) break;
        g1 = open + 1;
        // (?=.*?\}(?!.*?\2)(.*)): the next "}" after the previous one
        const close = s.indexOf("}", Math.max(pos, g2));
        if (close < 0) break;
        g2 = close + 1;
        pos += isSurrogatePair(s, pos) ? 2 : 1; // the "." each repetition consumes
        if (closesHere(s, pos, g1, g2)) {
          spans.push([start, g2]);
          from = g2;
          continue search;
        }
      }
    }
    return spans;
  }
}

// .*?(?=\1)[^{]*(?=\2$): from here, reach text equal to group 1, then "}"-terminated group 2 with no "{" between.
function closesHere(s: string, pos: number, g1: number, g2: number): boolean {
  const lo = Math.max(pos, s.lastIndexOf("{", g2 - 1) + 1);
  const hi = Math.min(g1, g2);
  if (lo > hi) return false;
  if (g1 <= g2) return true;
  const rest = s.slice(g1);
  for (let q = lo; q <= hi; q++) if (s.startsWith(rest, q)) return true;
  return false;
}

function collectRoots(s: string, roots: Set<string>): void {
  if (!s.includes("${")) return;
  for (const [start, end] of scanExpressions(s)) {
    const inner = s.slice(start + 2, end - 1);
    collectRoots(inner, roots);
    const root = rootName(inner.trimStart());
    if (root && !root.includes("${") && !SYSTEM_PARAMETERS.has(root)) roots.add(root);
  }
}

// "foo.output.x", "foo['x']", "$.foo.x", "['foo'].x" and "$['foo']" all start at "foo".
function rootName(path: string): string | undefined {
  let p = path;
  if (p.startsWith("$.") && p[2] !== ".") p = p.slice(2);
  else if (p.startsWith("$[")) p = p.slice(1);
  else if (p.startsWith("$")) return undefined; // "$", "$..x": no single root
  const quoted = /^\[\s*(['"])(.*?)\1/.exec(p);
  if (quoted) return quoted[2];
  return /^[^.[(\s]+/.exec(p)?.[0];
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const isSurrogatePair = (s: string, i: number): boolean =>
  /[\ud800-\udbff]/.test(s[i]) && /[\udc00-\udfff]/.test(s[i + 1] ?? "");

// StringUtils.isBlank: only Java's Character.isWhitespace characters (not U+00A0, U+2007, U+202F).
const isBlank = (s: string): boolean => /^[\t\n\u000b\f\r\u001c-\u001f \u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000]*$/.test(s);
