import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { createAppFixture, type AppFixture } from "../../../test/support/app-fixture.ts";

let f: AppFixture;
beforeEach(async () => {
  f = await createAppFixture();
});
afterEach(async () => {
  await f.close();
});

const HEALTHY = { healthResults: [], suppressedHealthResults: [], healthy: true };

describe("health", () => {
  test("GET /health answers Conductor's healthy body", async () => {
    const res = await f.call("GET", "/health");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toStartWith("application/json");
    expect(await res.json()).toEqual(HEALTHY);
  });

  test("GET /api/health answers the same", async () => {
    const res = await f.call("GET", "/api/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(HEALTHY);
  });
});

describe("token", () => {
  // The SDKs take a 404 here to mean "no auth" and stop asking for tokens.
  test("POST /api/token is 404 with a JSON error body", async () => {
    const res = await f.call("POST", "/api/token", { keyId: "k", keySecret: "s" });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toStartWith("application/json");
    expect(await res.json()).toMatchObject({ status: 404, message: expect.any(String), instance: "test", retryable: false });
  });
});

describe("unknown routes", () => {
  test("an unknown path is 404 with Conductor's error body", async () => {
    const res = await f.call("GET", "/api/nothing/here");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toStartWith("application/json");
    const body = await res.json();
    expect(body).toEqual({ status: 404, message: expect.stringContaining("/api/nothing/here"), instance: "test", retryable: false });
  });

  // Conductor (Spring) tells a wrong method from a wrong path.
  test("a known path with a method it does not serve is 405 with an error body", async () => {
    const res = await f.call("PATCH", "/api/metadata/taskdefs", {});
    expect(res.status).toBe(405);
    expect(await res.json()).toMatchObject({ status: 405, message: expect.any(String) });
  });
});
