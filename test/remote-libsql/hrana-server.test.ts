/**
 * The sqld test double (test/support/hrana-server.ts) against the real @libsql/client and against
 * the protocol by hand: if the double is wrong, the Baton test on top of it proves nothing.
 */
import { createClient, LibsqlError, type Client } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startHranaServer, type HranaServer } from "../support/hrana-server.ts";

const TOKEN = "s3cret";
let server: HranaServer;
let client: Client;

beforeAll(() => {
  server = startHranaServer({ authToken: TOKEN, streamIdleMs: 300 });
  client = createClient({ url: server.url, authToken: TOKEN });
});
afterAll(async () => {
  client?.close();
  await server?.stop();
});

/** One pipeline by hand; returns the HTTP status and the parsed (or text) body. */
async function pipeline(body: unknown, version = 3, token: string | null = TOKEN): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url}/v${version}/pipeline`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: res.headers.get("content-type") === "application/json" ? JSON.parse(text) : text };
}

describe("through @libsql/client", () => {
  test("values of every type go in and come back unchanged", async () => {
    await client.execute("CREATE TABLE vals (id INTEGER PRIMARY KEY, i INTEGER, f REAL, t TEXT, b BLOB, n)");
    const blob = new Uint8Array([0, 1, 2, 250, 255]);
    const insert = await client.execute({ sql: "INSERT INTO vals (i, f, t, b, n) VALUES (?, ?, ?, ?, ?)", args: [9007199254740993n, 2.5, "héllo ✓", blob, null] });
    expect(insert.rowsAffected).toBe(1);
    expect(insert.lastInsertRowid).toBe(1n);

    const big = createClient({ url: server.url, authToken: TOKEN, intMode: "bigint" });
    const rs = await big.execute({ sql: "SELECT i, f, t, b, n, i + 1 AS next FROM vals WHERE t = :t", args: { t: "héllo ✓" } });
    big.close();
    expect(rs.columns).toEqual(["i", "f", "t", "b", "n", "next"]);
    expect(rs.columnTypes).toEqual(["INTEGER", "REAL", "TEXT", "BLOB", "", ""]);
    const [row] = rs.rows;
    expect(row.i).toBe(9007199254740993n);
    expect(row.f).toBe(2.5);
    expect(row.t).toBe("héllo ✓");
    expect(new Uint8Array(row.b as ArrayBuffer)).toEqual(blob);
    expect(row.n).toBeNull();
    expect(row.next).toBe(9007199254740994n);
    // A SELECT changes nothing, whatever the INSERT before it did.
    expect(rs.rowsAffected).toBe(0);
  });

  test("a batch is atomic: a failing statement rolls back the ones before it", async () => {
    await client.execute("CREATE TABLE uniq (k TEXT PRIMARY KEY)");
    const failed = client.batch(["INSERT INTO uniq VALUES ('a')", "INSERT INTO uniq VALUES ('b')", "INSERT INTO uniq VALUES ('a')"], "write");
    await expect(failed).rejects.toMatchObject({ code: "SQLITE_CONSTRAINT", statementIndex: 2 });
    expect((await client.execute("SELECT count(*) AS n FROM uniq")).rows[0].n).toBe(0);

    const ok = await client.batch(["INSERT INTO uniq VALUES ('a')", { sql: "INSERT INTO uniq VALUES (?)", args: ["b"] }, "SELECT k FROM uniq ORDER BY k"], "write");
    expect(ok.map((r) => r.rowsAffected)).toEqual([1, 1, 0]);
    expect(ok[2].rows.map((r) => r.k)).toEqual(["a", "b"]);
  });

  test("an interactive transaction keeps its stream (batons) and its isolation until commit or rollback", async () => {
    await client.execute("CREATE TABLE tx (v INTEGER)");
    const tx = await client.transaction("write");
    await tx.execute("INSERT INTO tx VALUES (1)");
    expect((await tx.execute("SELECT count(*) AS n FROM tx")).rows[0].n).toBe(1);
    // Another stream (another connection) does not see the uncommitted row.
    expect((await client.execute("SELECT count(*) AS n FROM tx")).rows[0].n).toBe(0);
    await tx.rollback();
    expect((await client.execute("SELECT count(*) AS n FROM tx")).rows[0].n).toBe(0);

    const tx2 = await client.transaction("write");
    await tx2.batch(["INSERT INTO tx VALUES (2)", "INSERT INTO tx VALUES (3)"]);
    await tx2.commit();
    expect((await client.execute("SELECT sum(v) AS s FROM tx")).rows[0].s).toBe(5);
    expect(server.openStreams()).toBe(0);
  });

  test("executeMultiple runs a sequence, and migrate runs a batch with foreign keys off", async () => {
    await client.executeMultiple("CREATE TABLE seq (v); INSERT INTO seq VALUES (1); INSERT INTO seq VALUES (2);");
    expect((await client.execute("SELECT count(*) AS n FROM seq")).rows[0].n).toBe(2);
    await expect(client.executeMultiple("INSERT INTO seq VALUES (3); nonsense; INSERT INTO seq VALUES (4);")).rejects.toMatchObject({ code: "SQLITE_ERROR" });
    expect((await client.execute("SELECT count(*) AS n FROM seq")).rows[0].n).toBe(3);

    const done = await client.migrate(["CREATE TABLE mig (v)", "INSERT INTO mig VALUES (1)"]);
    expect(done).toHaveLength(2);
  });

  test("SQL errors arrive with sqld's message and code", async () => {
    await expect(client.execute("SELECT * FROM no_such_table")).rejects.toMatchObject({ code: "SQLITE_ERROR", message: expect.stringContaining("no such table: no_such_table") });
    await client.execute("CREATE TABLE guarded (v)");
    await client.execute("CREATE TRIGGER guard BEFORE INSERT ON guarded BEGIN SELECT RAISE(ABORT, 'nope'); END");
    await expect(client.execute("INSERT INTO guarded VALUES (1)")).rejects.toMatchObject({ code: "SQLITE_CONSTRAINT", message: expect.stringContaining("nope") });
    await expect(client.execute({ sql: "SELECT ?, ?", args: [1] })).rejects.toMatchObject({ code: "ARGS_INVALID" });
  });

  test("a wrong or missing token is refused with HTTP 401", async () => {
    for (const authToken of ["wrong", undefined]) {
      const other = createClient({ url: server.url, authToken });
      const error = await other.execute("SELECT 1").catch((e: unknown) => e);
      other.close();
      expect(error).toBeInstanceOf(LibsqlError);
      expect(error).toMatchObject({ code: "SERVER_ERROR", message: expect.stringContaining("401") });
    }
  });

  test("a libsql: URL with tls=0 reaches the same server", async () => {
    const other = createClient({ url: `${server.url.replace("http:", "libsql:")}?tls=0`, authToken: TOKEN });
    expect((await other.execute("SELECT 42 AS x")).rows[0].x).toBe(42);
    other.close();
  });
});

describe("by hand", () => {
  test("version probes: v2 and v3 (JSON) yes, v3-protobuf no", async () => {
    expect((await fetch(`${server.url}/v2`)).status).toBe(200);
    expect((await fetch(`${server.url}/v3`)).status).toBe(200);
    expect((await fetch(`${server.url}/v3-protobuf`)).status).toBe(404);
  });

  test("batons chain a stream; a used baton is refused; close ends the stream", async () => {
    const first = await pipeline({ baton: null, requests: [{ type: "store_sql", sql_id: 1, sql: "SELECT ? + 1 AS x" }, { type: "get_autocommit" }] });
    expect(first.status).toBe(200);
    expect(first.body.results).toEqual([{ type: "ok", response: { type: "store_sql" } }, { type: "ok", response: { type: "get_autocommit", is_autocommit: true } }]);
    const baton = first.body.baton;
    expect(typeof baton).toBe("string");

    const second = await pipeline({
      baton,
      requests: [
        { type: "execute", stmt: { sql: "BEGIN" } },
        { type: "get_autocommit" },
        { type: "execute", stmt: { sql_id: 1, args: [{ type: "integer", value: "41" }] } },
        { type: "describe", sql_id: 1 },
      ],
    });
    expect(second.status).toBe(200);
    expect(second.body.baton).not.toBe(baton);
    const [, autocommit, executed, described] = second.body.results;
    expect(autocommit.response.is_autocommit).toBe(false);
    expect(executed.response.result).toMatchObject({ cols: [{ name: "x", decltype: null }], rows: [[{ type: "integer", value: "42" }]], affected_row_count: 0 });
    expect(described.response.result).toEqual({ params: [{ name: null }], cols: [{ name: "x", decltype: null }], is_explain: false, is_readonly: true });

    expect((await pipeline({ baton, requests: [] })).status).toBe(400);

    const third = await pipeline({ baton: second.body.baton, requests: [{ type: "close_sql", sql_id: 1 }, { type: "close" }] });
    expect(third.body).toEqual({ baton: null, base_url: null, results: [{ type: "ok", response: { type: "close_sql" } }, { type: "ok", response: { type: "close" } }] });
  });

  test("batch conditions ok / error / not / and / or / is_autocommit", async () => {
    const stmt = (sql: string) => ({ sql });
    const { body } = await pipeline({
      baton: null,
      requests: [
        {
          type: "batch",
          batch: {
            steps: [
              { stmt: stmt("SELECT 1") }, // 0 ok
              { stmt: stmt("SELECT * FROM nowhere") }, // 1 error
              { condition: { type: "ok", step: 1 }, stmt: stmt("SELECT 2") }, // 2 skipped
              { condition: { type: "error", step: 1 }, stmt: stmt("SELECT 3") }, // 3 runs
              { condition: { type: "and", conds: [{ type: "ok", step: 0 }, { type: "not", cond: { type: "ok", step: 2 } }] }, stmt: stmt("SELECT 4") }, // 4 runs
              { condition: { type: "or", conds: [{ type: "ok", step: 2 }, { type: "error", step: 0 }] }, stmt: stmt("SELECT 5") }, // 5 skipped
              { condition: { type: "is_autocommit" }, stmt: stmt("SELECT 6") }, // 6 runs
            ],
          },
        },
        { type: "close" },
      ],
    });
    const { step_results, step_errors } = body.results[0].response.result;
    expect(step_results.map((r: unknown) => r !== null)).toEqual([true, false, false, true, true, false, true]);
    expect(step_errors.map((e: unknown) => e !== null)).toEqual([false, true, false, false, false, false, false]);
    expect(step_errors[1]).toEqual({ message: "SQLite error: no such table: nowhere", code: "SQLITE_ERROR" });
  });

  test("Hrana 3 requests are refused on v2; a failed request does not stop the pipeline", async () => {
    expect((await pipeline({ baton: null, requests: [{ type: "get_autocommit" }] }, 2)).status).toBe(400);
    const { body } = await pipeline({ baton: null, requests: [{ type: "execute", stmt: { sql: "SELEC 1" } }, { type: "execute", stmt: { sql: "SELECT 'fine' AS s" } }, { type: "close" }] }, 2);
    expect(body.results[0]).toMatchObject({ type: "error", error: { code: "SQLITE_ERROR" } });
    expect(body.results[1].response.result.rows).toEqual([[{ type: "text", value: "fine" }]]);
  });

  test("an idle stream expires, rolling back its transaction", async () => {
    await pipeline({ baton: null, requests: [{ type: "execute", stmt: { sql: "CREATE TABLE exp (v)" } }, { type: "close" }] });
    const open = await pipeline({ baton: null, requests: [{ type: "execute", stmt: { sql: "BEGIN" } }, { type: "execute", stmt: { sql: "INSERT INTO exp VALUES (1)" } }] });
    await Bun.sleep(600);
    const late = await pipeline({ baton: open.body.baton, requests: [{ type: "execute", stmt: { sql: "COMMIT" } }] });
    expect(late).toEqual({ status: 500, body: { message: "The stream has expired due to inactivity", code: "STREAM_EXPIRED" } });
    expect((await client.execute("SELECT count(*) AS n FROM exp")).rows[0].n).toBe(0);
  });

  test("no token, no pipeline", async () => {
    const refused = await pipeline({ baton: null, requests: [] }, 2, null);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toContain("Unauthorized");
  });
});
