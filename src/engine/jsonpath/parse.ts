/** Jayway's PathCompiler: path text to tokens, with the same rules for what is valid. */
import { JsonPathError, matchingClose, unescape } from "./syntax.ts";

/** A compiled `[?(...)]`: does the item pass? */
export type Filter = (item: unknown, root: unknown) => boolean;

export type Token =
  | { kind: "property"; names: string[] }
  | { kind: "index"; indexes: number[] }
  | { kind: "slice"; from?: number; to?: number }
  | { kind: "wildcard" }
  | { kind: "scan" }
  | { kind: "filter"; test: Filter }
  | { kind: "function"; name: string; args: number[] };

export interface CompiledPath {
  fromRoot: boolean; // `$`; `@` starts at the current filter item
  tokens: Token[];
  upstreamDefinite: boolean[]; // per token: every token before it is definite
  definite: boolean;
}

export function parse(src: string, makeFilter: (text: string) => Filter): CompiledPath {
  // Jayway trims spaces, and prefixes "$." to the untrimmed text: "${ a.b}" is invalid.
  let s = src.replace(/^ +| +$/g, "");
  if (s[0] !== "$" && s[0] !== "@") s = `$.${src}`.replace(/ +$/, "");
  if (s.endsWith(".")) throw new JsonPathError("Path must not end with a '.' or '..'");
  if (s.length > 1 && s[1] !== "." && s[1] !== "[") throw new JsonPathError("Expected '.' or '[' after the root");
  const tokens = new PathParser(s, makeFilter).tokens();
  const definite = tokens.map((t, i) => isTokenDefinite(t, i === tokens.length - 1));
  const upstreamDefinite = tokens.map((_, i) => definite.slice(0, i).every(Boolean));
  return { fromRoot: s[0] === "$", tokens, upstreamDefinite, definite: definite.every(Boolean) };
}

export function isTokenDefinite(t: Token, leaf: boolean): boolean {
  if (t.kind === "property") return t.names.length === 1 || leaf;
  if (t.kind === "index") return t.indexes.length === 1;
  return t.kind === "function";
}

class PathParser {
  private pos = 1;
  private readonly out: Token[] = [];
  constructor(
    private readonly s: string,
    private readonly makeFilter: (text: string) => Filter,
  ) {}

  tokens(): Token[] {
    while (this.pos < this.s.length) {
      if (this.out.at(-1)?.kind === "function") throw new JsonPathError("A function must end the path");
      const c = this.s[this.pos];
      if (c === "[") {
        if (!(this.quotedProperties() || this.indexes() || this.bracketWildcard() || this.filter())) throw new JsonPathError(`Could not parse token at ${this.pos}`);
      } else if (c === ".") {
        const scan = this.s[this.pos + 1] === ".";
        if (scan) this.out.push({ kind: "scan" });
        this.pos += scan ? 2 : 1;
        if (this.pos >= this.s.length || this.s[this.pos] === ".") throw new JsonPathError(`Unexpected '.' at ${this.pos}`);
      } else if (c === "*") {
        this.pos++;
        this.out.push({ kind: "wildcard" });
      } else this.propertyOrFunction();
    }
    return this.out;
  }

  private significant(after: number): number {
    let i = after + 1;
    while (this.s[i] === " ") i++;
    return i;
  }

  private propertyOrFunction(): void {
    const { s } = this;
    const start = this.pos;
    let end = start;
    while (end < s.length && s[end] !== "." && s[end] !== "[" && s[end] !== "(") {
      if (s[end] === " ") throw new JsonPathError("Use bracket notation ['my prop'] for names with blanks");
      end++;
    }
    if (end === start) throw new JsonPathError(`Could not parse token at ${start}`);
    const name = s.slice(start, end);
    if (s[end] !== "(") {
      this.pos = end;
      this.out.push({ kind: "property", names: [name] });
      return;
    }
    const close = matchingClose(s, end, "(", ")", false, false);
    if (close < 0) throw new JsonPathError(`Arguments to function ${name} are not closed properly`);
    const argText = s.slice(end + 1, close).trim();
    const args = argText ? argText.split(",").map((a) => a.trim()) : [];
    if (!args.every((a) => /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(a))) throw new JsonPathError(`Unsupported arguments to ${name}`);
    this.pos = close + 1;
    this.out.push({ kind: "function", name, args: args.map(Number) });
  }

  // ['a'] or ["a", "b"]
  private quotedProperties(): boolean {
    const { s } = this;
    const quote = s[this.significant(this.pos)];
    if (quote !== "'" && quote !== '"') return false;
    const names: string[] = [];
    let start = 0, end = 0, inName = false, escaped = false, afterComma = false;
    for (let i = this.pos + 1; i < s.length; i++) {
      const c = s[i];
      if (escaped) escaped = false;
      else if (c === "\\") escaped = true;
      else if (c === "]" && !inName) {
        if (afterComma) throw new JsonPathError(`Found empty property at ${i}`);
        break;
      } else if (c === quote) {
        if (inName) {
          const next = s[this.significant(i)];
          if (next !== "]" && next !== ",") throw new JsonPathError(`Property must be followed by ',' or ']' at ${i}`);
          names.push(unescape(s.slice(start, i)));
          end = i;
        } else {
          start = i + 1;
          afterComma = false;
        }
        inName = !inName;
      } else if (c === "," && !inName) {
        if (afterComma) throw new JsonPathError(`Found empty property at ${i}`);
        afterComma = true;
      }
    }
    const close = this.significant(end);
    if (inName || !names.length || s[close] !== "]") throw new JsonPathError("Property has not been closed");
    this.pos = close + 1;
    this.out.push({ kind: "property", names });
    return true;
  }

  // [1], [-1], [0, 2], [1:], [:2], [1:3]
  private indexes(): boolean {
    if (!/[-0-9:]/.test(this.s[this.significant(this.pos)] ?? "")) return false;
    const close = this.s.indexOf("]", this.pos + 1);
    if (close < 0) return false;
    const expr = this.s.slice(this.pos + 1, close).trim();
    if (!/^[-0-9:, ]*$/.test(expr)) return false;
    if (expr.includes(":")) {
      if (!/^[-0-9:]*$/.test(expr)) throw new JsonPathError(`Failed to parse slice ${expr}`);
      const parts = expr.split(":");
      while (parts.length && parts.at(-1) === "") parts.pop(); // Java's String.split drops trailing empties
      const from = parts[0] ? javaInt(parts[0]) : undefined;
      const to = parts[1] ? javaInt(parts[1]) : undefined;
      if (from === undefined && to === undefined) throw new JsonPathError(`Failed to parse slice ${expr}`);
      this.out.push({ kind: "slice", from, to });
    } else {
      this.out.push({ kind: "index", indexes: expr.split(/\s*,\s*/).map(javaInt) });
    }
    this.pos = close + 1;
    return true;
  }

  private bracketWildcard(): boolean {
    const star = this.significant(this.pos);
    if (this.s[star] !== "*") return false;
    const close = this.significant(star);
    if (this.s[close] !== "]") throw new JsonPathError("Expected wildcard token to end with ']'");
    this.pos = close + 1;
    this.out.push({ kind: "wildcard" });
    return true;
  }

  // [?( ... )]
  private filter(): boolean {
    const { s } = this;
    const question = this.significant(this.pos);
    const open = this.significant(question);
    if (s[question] !== "?" || s[open] !== "(") return false;
    const closeParen = matchingClose(s, open, "(", ")", true, true);
    const end = closeParen < 0 ? -1 : this.significant(closeParen);
    if (end < 0 || s[end] !== "]") return false;
    this.out.push({ kind: "filter", test: this.makeFilter(s.slice(this.pos, end + 1)) });
    this.pos = end + 1;
    return true;
  }
}

function javaInt(text: string): number {
  const n = Number(text);
  if (!/^-?\d+$/.test(text) || n > 2147483647 || n < -2147483648) throw new JsonPathError(`Not an int: ${text}`);
  return n;
}
