/**
 * A test double for sqld (the libSQL server): just enough Hrana over HTTP, backed by `bun:sqlite`
 * on a file, for tests of Baton's remote `BATON_DB_URL` path with the real `@libsql/client`.
 * Written from the protocol specs (tursodatabase/libsql docs/HTTP_V2_SPEC.md, HRANA_3_SPEC.md),
 * matching sqld where the specs leave things open (error bodies and codes, limits).
 *
 * Implemented:
 * - version probes: `GET /v2` and `GET /v3` answer 200, `GET /v3-protobuf` 404 (JSON only), so a
 *   probing client settles on JSON. (@libsql/client 0.18 does not probe: it always uses v2.)
 * - `POST /v2/pipeline` and `POST /v3/pipeline` (JSON): streams chained by batons — a fresh
 *   unguessable baton in every response, `null` once the stream is closed; `base_url` is always
 *   null; an idle stream expires after 10 s. Every stream has its own SQLite connection, so a
 *   transaction held open across requests is isolated like in sqld.
 * - stream requests: close, execute, batch (conditions ok / error / not / and / or /
 *   is_autocommit), sequence, describe, store_sql, close_sql, get_autocommit. get_autocommit and
 *   is_autocommit are Hrana 3, so only on /v3, as in sqld.
 * - values: null, integer (decimal string), float, text, blob (base64); results with `cols`
 *   (name, decltype), `rows`, `affected_row_count`, `last_insert_rowid`; positional or named args.
 * - errors: a failing request is `{type: "error", error: {message, code}}` with sqld's message
 *   ("SQLite error: ...") and primary code ("SQLITE_CONSTRAINT"); a failing batch step goes into
 *   `step_errors`; protocol violations are HTTP 400 text; an expired baton is HTTP 500
 *   `{message, code: "STREAM_EXPIRED"}`.
 * - optional auth: with `authToken`, pipelines need `Authorization: Bearer <token>`, else HTTP 401
 *   `{"error": "Unauthorized: ..."}` (sqld's body).
 *
 * Not implemented: Protobuf, `/v3/cursor`, Hrana over WebSocket, the v1 HTTP API, JWT checks
 * (the token is compared as a plain string), replication indexes.
 * Known differences from sqld: a float argument with an integral value (5.0) is bound as INTEGER
 * (bun:sqlite's choice; sqld binds REAL) — the same to every JavaScript reader, but `typeof()` in
 * SQL differs; `execute` runs only the first statement of a multi-statement string (sqld rejects
 * it); a write that meets another stream's open write transaction fails at once with SQLITE_BUSY
 * (sqld waits for the lock). Each pipeline runs start to end without yielding, so pipelines never
 * overlap: concurrency between requests (lock waits, SQLITE_BUSY on sqld) is not exercised.
 */
import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface HranaServerOptions {
  /** When set, pipeline requests must carry `Authorization: Bearer <authToken>`. */
  authToken?: string;
  /** The SQLite file to serve; default: a new file in a temporary directory, deleted on stop(). */
  dbPath?: string;
  /** How long an unused stream lives (sqld: 10 s). */
  streamIdleMs?: number;
}

export interface HranaServer {
  /** `http://127.0.0.1:<port>`: the value for BATON_DB_URL. */
  url: string;
  dbPath: string;
  /** What the server was asked to do, to show that traffic really went through it. */
  stats: { pipelines: number; unauthorized: number; requests: Record<string, number> };
  /** Streams currently open (not closed, not expired). */
  openStreams(): number;
  stop(): Promise<void>;
}

// ---- protocol structures (JSON) ----

type ProtoValue =
  | { type: "null" }
  | { type: "integer"; value: string }
  | { type: "float"; value: number }
  | { type: "text"; value: string }
  | { type: "blob"; base64: string };
type ProtoStmt = { sql?: string | null; sql_id?: number | null; args?: ProtoValue[]; named_args?: { name: string; value: ProtoValue }[]; want_rows?: boolean };
type BatchCond =
  | { type: "ok" | "error"; step: number }
  | { type: "not"; cond: BatchCond }
  | { type: "and" | "or"; conds: BatchCond[] }
  | { type: "is_autocommit" };
type StreamRequest =
  | { type: "close" | "get_autocommit" }
  | { type: "execute"; stmt: ProtoStmt }
  | { type: "batch"; batch: { steps: { condition?: BatchCond | null; stmt: ProtoStmt }[] } }
  | { type: "sequence" | "describe"; sql?: string | null; sql_id?: number | null }
  | { type: "store_sql"; sql_id: number; sql: string }
  | { type: "close_sql"; sql_id: number };
type ProtoError = { message: string; code: string };
type StmtResult = { cols: { name: string; decltype: string | null }[]; rows: ProtoValue[][]; affected_row_count: number; last_insert_rowid: string | null };

type SqlValue = null | bigint | number | string | Uint8Array;

/** The client broke the protocol: HTTP 400, and the stream is gone (as in sqld). */
class ProtocolError extends Error {}
/** A request failed; the pipeline and the stream go on. */
class RequestError extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
  }
}

interface Stream {
  db: Database | undefined; // undefined once closed
  sqls: Map<number, string>;
  timer?: ReturnType<typeof setTimeout>;
}

const MAX_STORED_SQLS = 50; // sqld's limits
const MAX_STORED_SQL_BYTES = 5_000;

// ---- values ----

function decodeValue(v: ProtoValue): SqlValue {
  switch (v.type) {
    case "null":
      return null;
    case "integer":
      return BigInt(v.value);
    case "float":
      return v.value;
    case "text":
      return v.value;
    case "blob":
      return new Uint8Array(Buffer.from(v.base64, "base64"));
    default:
      throw new ProtocolError(`Unknown value type ${JSON.stringify((v as { type: unknown }).type)}`);
  }
}

function encodeValue(v: unknown): ProtoValue {
  if (v === null || v === undefined) return { type: "null" };
  if (typeof v === "bigint") return { type: "integer", value: v.toString() };
  if (typeof v === "number") return { type: "float", value: v };
  if (typeof v === "string") return { type: "text", value: v };
  if (v instanceof Uint8Array) return { type: "blob", base64: Buffer.from(v).toString("base64") };
  throw new Error(`cannot encode ${typeof v}`);
}

/**
 * The parameters of a statement in SQLite's numbering (1-based): `?NNN`, `:name`, `@name`,
 * `$name` by name, plain `?` nameless. Skips literals, quoted identifiers and comments.
 */
function parameterNames(sql: string): (string | null)[] {
  const names: (string | null)[] = [];
  const token = /'(?:[^']|'')*'|"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]|--[^\n]*|\/\*[\s\S]*?(?:\*\/|$)|(\?\d*|[:@$][A-Za-z0-9_]+)/g;
  for (const [, param] of sql.matchAll(token)) {
    if (!param) continue;
    if (param === "?") names.push(null);
    else if (param.startsWith("?")) names[Number(param.slice(1)) - 1] = param;
    else if (!names.includes(param)) names.push(param);
  }
  return Array.from(names, (n) => n ?? null);
}

// ---- executing statements ----

function toProtoError(e: unknown): ProtoError {
  if (e instanceof RequestError) return { message: e.message, code: e.code };
  const message = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: unknown }).code;
  // Bun reports the extended code (SQLITE_CONSTRAINT_TRIGGER); sqld reports the primary one.
  if (typeof code === "string" && code.startsWith("SQLITE_")) return { message: `SQLite error: ${message}`, code: /^SQLITE_[A-Z]+/.exec(code)![0] };
  if (/expected \d+ values?, received \d+/.test(message)) return { message: `Arguments do not match SQL parameters: ${message}`, code: "ARGS_INVALID" };
  return { message, code: "UNKNOWN" };
}

function bindings(sql: string, stmt: ProtoStmt): SqlValue[] | [Record<string, SqlValue>] {
  const args = stmt.args ?? [];
  const named = stmt.named_args ?? [];
  if (named.length === 0) return args.map(decodeValue);
  if (args.length > 0) throw new RequestError("Specifying both positional and named arguments is not supported", "ARGS_BOTH_POSITIONAL_AND_NAMED");
  // A name given without its prefix gets the one the statement uses (as the spec asks).
  const declared = parameterNames(sql);
  const out: Record<string, SqlValue> = {};
  for (const { name, value } of named) {
    const key = /^[:@$?]/.test(name) ? name : ([":", "@", "$"].map((p) => p + name).find((n) => declared.includes(n)) ?? `:${name}`);
    out[key] = decodeValue(value);
  }
  return [out];
}

function execute(db: Database, sql: string, stmt: ProtoStmt): StmtResult {
  const args = bindings(sql, stmt);
  const prepared = db.prepare(sql);
  try {
    const before = db.query("SELECT total_changes()").values()[0][0];
    const rows = prepared.values(...(args as SqlValue[])) as unknown[][];
    const [changes, rowid, after] = db.query("SELECT changes(), last_insert_rowid(), total_changes()").values()[0] as [bigint, bigint, bigint];
    return {
      cols: prepared.columnNames.map((name, i) => ({ name, decltype: prepared.declaredTypes[i] ?? null })),
      rows: stmt.want_rows === false ? [] : rows.map((row) => row.map(encodeValue)),
      // changes() keeps the count of the last INSERT/UPDATE/DELETE; count it only if this one wrote.
      affected_row_count: after === before ? 0 : Number(changes),
      last_insert_rowid: rowid.toString(),
    };
  } finally {
    prepared.finalize();
  }
}

function evaluate(cond: BatchCond, step: number, results: (StmtResult | null)[], errors: (ProtoError | null)[], db: Database, version: number): boolean {
  switch (cond.type) {
    case "ok":
    case "error":
      if (!(cond.step < step)) throw new RequestError(`Batch condition refers to step ${cond.step}, which has not run before step ${step}`, "BATCH_COND_BAD_STEP");
      return cond.type === "ok" ? results[cond.step] !== null : errors[cond.step] !== null;
    case "not":
      return !evaluate(cond.cond, step, results, errors, db, version);
    case "and":
      return cond.conds.every((c) => evaluate(c, step, results, errors, db, version));
    case "or":
      return cond.conds.some((c) => evaluate(c, step, results, errors, db, version));
    case "is_autocommit":
      if (version < 3) throw new ProtocolError("The `is_autocommit` condition needs Hrana 3 (/v3)");
      return !db.inTransaction;
    default:
      throw new ProtocolError(`Unknown batch condition ${JSON.stringify((cond as { type: unknown }).type)}`);
  }
}

// ---- the server ----

export function startHranaServer(options: HranaServerOptions = {}): HranaServer {
  const tempDir = options.dbPath ? undefined : mkdtempSync(join(tmpdir(), "hrana-"));
  const dbPath = options.dbPath ?? join(tempDir!, "db.sqlite");
  const idleMs = options.streamIdleMs ?? 10_000;
  const streams = new Map<string, Stream>(); // baton -> stream
  const expired = new Set<string>();
  const stats: HranaServer["stats"] = { pipelines: 0, unauthorized: 0, requests: {} };

  const setup = new Database(dbPath, { create: true });
  setup.run("PRAGMA journal_mode = WAL");
  setup.close();

  const close = (stream: Stream) => {
    clearTimeout(stream.timer);
    stream.db?.close(); // a transaction left open is rolled back
    stream.db = undefined;
  };

  const connection = (stream: Stream): Database => {
    if (!stream.db) throw new ProtocolError("The stream has already been closed");
    return stream.db;
  };

  const sqlText = (stream: Stream, req: { sql?: string | null; sql_id?: number | null }): string => {
    const hasSql = req.sql !== undefined && req.sql !== null;
    const hasId = req.sql_id !== undefined && req.sql_id !== null;
    if (hasSql === hasId) throw new ProtocolError("Exactly one of `sql` and `sql_id` must be given");
    if (hasSql) return req.sql!;
    const sql = stream.sqls.get(req.sql_id!);
    if (sql === undefined) throw new ProtocolError(`SQL text ${req.sql_id} was not found`);
    return sql;
  };

  const respond = (stream: Stream, req: StreamRequest, version: number): object => {
    switch (req.type) {
      case "close":
        close(stream);
        return { type: "close" };
      case "execute":
        return { type: "execute", result: execute(connection(stream), sqlText(stream, req.stmt), req.stmt) };
      case "batch": {
        const db = connection(stream);
        const results: (StmtResult | null)[] = [];
        const errors: (ProtoError | null)[] = [];
        req.batch.steps.forEach(({ condition, stmt }, i) => {
          let result: StmtResult | null = null;
          let error: ProtoError | null = null;
          if (!condition || evaluate(condition, i, results, errors, db, version)) {
            try {
              result = execute(db, sqlText(stream, stmt), stmt);
            } catch (e) {
              if (e instanceof ProtocolError) throw e;
              error = toProtoError(e);
            }
          }
          results.push(result);
          errors.push(error);
        });
        return { type: "batch", result: { step_results: results, step_errors: errors } };
      }
      case "sequence":
        // bun:sqlite runs every statement of a parameterless run(), stopping at the first error.
        connection(stream).run(sqlText(stream, req));
        return { type: "sequence" };
      case "describe": {
        const sql = sqlText(stream, req);
        const prepared = connection(stream).prepare(sql);
        try {
          const names = parameterNames(sql);
          return {
            type: "describe",
            result: {
              params: Array.from({ length: prepared.paramsCount }, (_, i) => ({ name: names[i] ?? null })),
              cols: prepared.columnNames.map((name, i) => ({ name, decltype: prepared.declaredTypes[i] ?? null })),
              is_explain: /^\s*EXPLAIN\b/i.test(sql),
              is_readonly: prepared.readonly,
            },
          };
        } finally {
          prepared.finalize();
        }
      }
      case "store_sql":
        if (stream.sqls.has(req.sql_id)) throw new ProtocolError(`SQL text ${req.sql_id} already exists`);
        if (stream.sqls.size >= MAX_STORED_SQLS) throw new RequestError(`The server already stores ${stream.sqls.size} SQL texts, it cannot store more`, "SQL_STORE_TOO_MANY");
        if (Buffer.byteLength(req.sql) > MAX_STORED_SQL_BYTES) throw new RequestError("The statement is too large to be stored", "SQL_STORE_TOO_LARGE");
        stream.sqls.set(req.sql_id, req.sql);
        return { type: "store_sql" };
      case "close_sql":
        stream.sqls.delete(req.sql_id);
        return { type: "close_sql" };
      case "get_autocommit":
        if (version < 3) throw new ProtocolError("The `get_autocommit` request needs Hrana 3 (/v3)");
        return { type: "get_autocommit", is_autocommit: !connection(stream).inTransaction };
      default:
        throw new ProtocolError(`Unknown stream request ${JSON.stringify((req as { type: unknown }).type)}`);
    }
  };

  const pipeline = async (request: Request, version: number): Promise<Response> => {
    if (options.authToken !== undefined && request.headers.get("authorization") !== `Bearer ${options.authToken}`) {
      stats.unauthorized++;
      // sqld: `{"error": ...}` as application/json (the client matches that content type exactly).
      return new Response(JSON.stringify({ error: "Unauthorized: `The authorization token is missing or invalid`" }), { status: 401, headers: { "content-type": "application/json" } });
    }
    let body: { baton?: string | null; requests: StreamRequest[] };
    try {
      body = await request.json();
      if (!Array.isArray(body.requests)) throw new Error("`requests` is not an array");
    } catch (e) {
      return text(400, `Could not deserialize JSON request body: ${(e as Error).message}`);
    }
    stats.pipelines++;

    // From here on everything runs synchronously, so no other request can touch this stream.
    let stream: Stream;
    if (body.baton === undefined || body.baton === null) {
      stream = { db: new Database(dbPath, { safeIntegers: true }), sqls: new Map() };
    } else {
      const found = streams.get(body.baton);
      if (!found) {
        if (expired.has(body.baton)) return json(500, { message: "The stream has expired due to inactivity", code: "STREAM_EXPIRED" });
        return text(400, "The baton is invalid (unknown, or already used)");
      }
      streams.delete(body.baton);
      clearTimeout(found.timer);
      stream = found;
    }

    const results: object[] = [];
    try {
      for (const req of body.requests) {
        stats.requests[req.type] = (stats.requests[req.type] ?? 0) + 1;
        try {
          results.push({ type: "ok", response: respond(stream, req, version) });
        } catch (e) {
          if (e instanceof ProtocolError) throw e;
          results.push({ type: "error", error: toProtoError(e) });
        }
      }
    } catch (e) {
      close(stream);
      if (e instanceof ProtocolError) return text(400, e.message);
      throw e;
    }

    let baton: string | null = null;
    if (stream.db) {
      const next = (baton = crypto.randomUUID());
      streams.set(next, stream);
      stream.timer = setTimeout(() => {
        streams.delete(next);
        expired.add(next);
        close(stream);
      }, idleMs);
    }
    return json(200, { baton, base_url: null, results });
  };

  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const { pathname } = new URL(request.url);
      const route = `${request.method} ${pathname}`;
      switch (route) {
        case "GET /":
          return text(200, "Hello, this is HTTP API v2 (Hrana over HTTP), a test double for sqld");
        case "GET /health":
        case "GET /v2":
        case "GET /v3":
          return text(200, "");
        case "POST /v2/pipeline":
          return pipeline(request, 2);
        case "POST /v3/pipeline":
          return pipeline(request, 3);
        default:
          return text(404, `Not found: ${route}`);
      }
    },
    error(e) {
      return text(500, `Internal error: ${e.message}`);
    },
  });

  return {
    url: `http://127.0.0.1:${server.port}`,
    dbPath,
    stats,
    openStreams: () => streams.size,
    async stop() {
      await server.stop(true);
      for (const stream of streams.values()) close(stream);
      streams.clear();
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    },
  };
}

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { "content-type": "text/plain" } });
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}
