/**
 * Jayway JsonPath filters (`[?(@.price < 10 && @.tags contains 'x')]`), compiled into closures so
 * no script is ever evaluated. The parser follows Jayway's FilterCompiler; a filter that fails to
 * evaluate simply rejects the item, as Jayway's does.
 */
import { compare, NULL, toValue, type Value } from "./compare.ts";
import type { Filter } from "./parse.ts";
import { fail, isBigDecimal, JsonPathError, matchingClose, nextUnescaped, unescape } from "./syntax.ts";

/** A path inside a filter, evaluated against the current item (`@`) or the document (`$`). */
export interface FilterPath {
  /** What Jayway hands the comparison: a definite path's value or null, an indefinite path's list. */
  value(item: unknown, root: unknown): unknown;
  /** Whether the path resolves when properties are required (`[?(@.tag)]`, `[?(!@.tag)]`). */
  exists(item: unknown, root: unknown): boolean;
}

interface Operand {
  get(item: unknown, root: unknown): Value;
  path?: FilterPath;
  shouldExist?: boolean;
}

const RELATIONAL = new Set(["==", "!=", "===", "!==", "<", "<=", ">", ">=", "=~", "IN", "NIN", "CONTAINS", "SIZE", "EMPTY", "SUBSETOF", "ANYOF", "NONEOF"]);
const isRelationalChar = (c: string | undefined) => c === "<" || c === ">" || c === "=" || c === "~" || c === "!";

/** Compiles the text of a `[?(...)]` token; `compilePath` compiles the `@...`/`$...` paths in it. */
export function compileFilter(text: string, compilePath: (src: string) => FilterPath): Filter {
  const inner = text.trim().replace(/^\[\s*\?\s*/, "").replace(/\s*\]$/, "");
  if (!inner.startsWith("(") || !inner.endsWith(")")) throw new JsonPathError(`Filter must look like [?(...)]: ${text}`);
  const parser = new FilterParser(inner, compilePath);
  const test = parser.or();
  if (parser.skipBlanks().pos < inner.length) throw new JsonPathError(`Expected end of filter expression: ${text}`);
  return (item, root) => {
    try {
      return test(item, root);
    } catch {
      return false;
    }
  };
}

class FilterParser {
  pos = 0;
  constructor(readonly s: string, readonly compilePath: (src: string) => FilterPath) {}

  skipBlanks(): this {
    while (this.s[this.pos] === " ") this.pos++;
    return this;
  }

  private take(op: string): boolean {
    if (!this.skipBlanks().s.startsWith(op, this.pos)) return false;
    this.pos += op.length;
    return true;
  }

  or(): Filter {
    const ops = [this.and()];
    while (this.take("||")) ops.push(this.and());
    return ops.length === 1 ? ops[0] : (item, root) => ops.some((op) => op(item, root));
  }

  private and(): Filter {
    const ops = [this.operand()];
    while (this.take("&&")) ops.push(this.operand());
    return ops.length === 1 ? ops[0] : (item, root) => ops.every((op) => op(item, root));
  }

  private operand(): Filter {
    const save = this.skipBlanks().pos;
    if (this.take("!")) {
      const next = this.skipBlanks().s[this.pos];
      if (next !== "$" && next !== "@") {
        const op = this.operand();
        return (item, root) => !op(item, root);
      }
      this.pos = save; // `!@.x` is a negated existence check, read by valueNode()
    }
    if (this.take("(")) {
      const op = this.or();
      if (!this.take(")")) throw new JsonPathError("Expected ')'");
      return op;
    }
    return this.relation();
  }

  private relation(): Filter {
    const left = this.valueNode();
    const save = this.pos;
    try {
      const op = this.operator();
      const right = this.valueNode();
      return (item, root) => compare(left.get(item, root), op, right.get(item, root));
    } catch (e) {
      if (!(e instanceof JsonPathError)) throw e;
      this.pos = save; // no comparison follows: `[?(@.tag)]`
    }
    const { path, shouldExist } = left;
    if (!path) throw new JsonPathError("Expected a path");
    return (item, root) => path.exists(item, root) === shouldExist;
  }

  private operator(): string {
    const begin = this.skipBlanks().pos;
    const inOperator = isRelationalChar(this.s[begin]) ? isRelationalChar : (c: string | undefined) => c !== undefined && c !== " ";
    while (inOperator(this.s[this.pos])) this.pos++;
    const op = this.s.slice(begin, this.pos).toUpperCase();
    if (!RELATIONAL.has(op)) throw new JsonPathError(`Filter operator ${op} is not supported`);
    return op;
  }

  private valueNode(): Operand {
    const c = this.skipBlanks().s[this.pos];
    if (c === "!") {
      this.pos++;
      const next = this.skipBlanks().s[this.pos];
      if (next !== "$" && next !== "@") throw new JsonPathError("Unexpected character: !");
    }
    if (this.s[this.pos] === "$" || this.s[this.pos] === "@") return this.pathNode();
    const value = this.literal();
    return { get: () => value };
  }

  private pathNode(): Operand {
    let before = this.pos - 1;
    while (this.s[before] === " ") before--;
    const begin = this.pos++;
    while (this.pos < this.s.length) {
      if (this.s[this.pos] === "[") {
        const close = matchingClose(this.s, this.pos, "[", "]", true, false);
        if (close < 0) throw new JsonPathError("Square brackets do not match in filter");
        this.pos = close + 1;
      }
      const c = this.s[this.pos];
      if (c === undefined || c === " " || isRelationalChar(c) || (c === ")" && !this.closesFunction(begin))) break;
      this.pos++;
    }
    const path = this.compilePath(this.s.slice(begin, this.pos));
    return { get: (item, root) => toValue(path.value(item, root)), path, shouldExist: this.s[before] !== "!" };
  }

  // A ")" right after "(" with a "." before it ends a call such as @.list.length().
  private closesFunction(lowerBound: number): boolean {
    let i = this.pos - 1;
    while (this.s[i] === " ") i--;
    if (this.s[i] !== "(") return false;
    return this.s.lastIndexOf(".", i - 1) > lowerBound;
  }

  private literal(): Value {
    const { s } = this;
    const c = s[this.pos];
    if (c === "'" || c === '"') {
      const close = nextUnescaped(s, this.pos, c);
      if (close < 0) throw new JsonPathError("String literal does not have matching quotes");
      const value = unescape(s.slice(this.pos + 1, close));
      this.pos = close + 1;
      return { t: "string", s: value };
    }
    if (c === "[" || c === "{") {
      const close = matchingClose(s, this.pos, c, c === "[" ? "]" : "}", true, false);
      if (close < 0) throw new JsonPathError("JSON literal not closed");
      const v = parseLenientJson(s.slice(this.pos, close + 1));
      this.pos = close + 1;
      return { t: "json", v };
    }
    if (c === "/") return this.pattern();
    for (const [word, value] of [["true", { t: "boolean", b: true }], ["false", { t: "boolean", b: false }], ["null", NULL]] as const) {
      if (s.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    const begin = this.pos;
    while (/[0-9.eE-]/.test(s[this.pos] ?? "")) this.pos++;
    const text = s.slice(begin, this.pos);
    if (!isBigDecimal(text)) throw new JsonPathError(`Invalid number: ${text}`);
    return { t: "number", n: Number(text), text };
  }

  private pattern(): Value {
    const close = nextUnescaped(this.s, this.pos, "/");
    if (close < 0) throw new JsonPathError("Pattern not closed");
    let end = close + 1;
    while (/[dixmsuU]/.test(this.s[end] ?? "")) end++;
    const flags = [...new Set(this.s.slice(close + 1, end).replace(/[^ims]/g, ""))].join("");
    const body = this.s.slice(this.pos + 1, close);
    this.pos = end;
    try {
      // Java's Matcher.matches(): the whole input must match.
      return { t: "pattern", re: new RegExp(`^(?:${body})$`, flags) };
    } catch {
      throw new JsonPathError(`Invalid pattern: ${body}`);
    }
  }
}

/** json-smart's permissive mode, as Jayway parses `[1, 'a']` in a filter: single quotes and bare words allowed. */
function parseLenientJson(text: string): unknown {
  let i = 0;
  const ws = () => { while (/\s/.test(text[i] ?? "")) i++; };
  const value = (): unknown => {
    ws();
    const c = text[i];
    if (c === "[" || c === "{") {
      const isList = c === "[";
      const list: unknown[] = [];
      const map: Record<string, unknown> = {};
      i++;
      for (ws(); text[i] !== (isList ? "]" : "}"); ws()) {
        if (isList) list.push(value());
        else {
          const key = String(value());
          ws();
          if (text[i++] !== ":") fail("Expected ':' in JSON literal");
          Object.defineProperty(map, key, { value: value(), enumerable: true, writable: true, configurable: true });
        }
        ws();
        if (text[i] === ",") i++;
        else if (text[i] !== (isList ? "]" : "}")) fail("Malformed JSON literal");
      }
      i++;
      return isList ? list : map;
    }
    if (c === "'" || c === '"') {
      const close = nextUnescaped(text, i, c);
      if (close < 0) fail("Unclosed string in JSON literal");
      const s = unescape(text.slice(i + 1, close));
      i = close + 1;
      return s;
    }
    const begin = i;
    while (i < text.length && !/[\s,:\]}]/.test(text[i])) i++;
    const word = text.slice(begin, i);
    if (!word) fail("Malformed JSON literal");
    return word === "true" ? true : word === "false" ? false : word === "null" ? null : isBigDecimal(word) ? Number(word) : word;
  };
  const v = value();
  ws();
  if (i < text.length) fail("Malformed JSON literal");
  return v;
}
