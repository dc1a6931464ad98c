/**
 * HTTP tasks against a real HTTP endpoint on this machine: the engine's host makes the call
 * after committing, and the answer completes the task or fails it so that retries apply.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { SCENARIO_TIMEOUT_MS, uniqueName, type Harness } from "./harness.ts";

export function httpTaskScenarios(h: Harness): void {
  let server: ReturnType<typeof Bun.serve>;
  const seen: { method: string; path: string; body: string; header: string | null }[] = [];
  beforeAll(() => {
    server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      async fetch(req) {
        const url = new URL(req.url);
        seen.push({ method: req.method, path: url.pathname, body: await req.text(), header: req.headers.get("x-trace") });
        if (url.pathname === "/fail") return new Response("nope", { status: 503, statusText: "Service Unavailable" });
        return Response.json({ echoed: url.searchParams.get("q"), ok: true });
      },
    });
  });
  afterAll(() => server.stop(true));

  test("an HTTP task calls the endpoint and completes with its response; a 5xx fails it", async () => {
    const wfName = uniqueName("cf_http");
    const base = `http://127.0.0.1:${server.port}`;
    await h.workflows.registerWorkflow(true, {
      name: wfName,
      version: 1,
      tasks: [
        {
          name: "call",
          taskReferenceName: "call",
          type: "HTTP",
          inputParameters: { http_request: { uri: `${base}/echo?q=\${workflow.input.q}`, method: "POST", headers: { "x-trace": "t-1" }, body: { n: "${workflow.input.n}" } } },
        },
        { name: "after", taskReferenceName: "after", type: "SET_VARIABLE", inputParameters: { echoed: "${call.output.response.body.echoed}" } },
      ],
      outputParameters: { status: "${call.output.response.statusCode}", echoed: "${workflow.variables.echoed}" },
      schemaVersion: 2,
      timeoutSeconds: 0,
    } as never);
    const ok = await h.settled(await h.start(wfName, { q: "hello", n: 3 }));
    expect(ok).toMatchObject({ status: "COMPLETED", output: { status: 200, echoed: "hello" } });
    expect(seen.find((s) => s.path === "/echo")).toMatchObject({ method: "POST", body: JSON.stringify({ n: 3 }), header: "t-1" });

    const failing = uniqueName("cf_http_fail");
    await h.workflows.registerWorkflow(true, {
      name: failing,
      version: 1,
      tasks: [{ name: "call", taskReferenceName: "call", type: "HTTP", inputParameters: { http_request: { uri: `${base}/fail` } } }],
      schemaVersion: 2,
      timeoutSeconds: 0,
    } as never);
    const failed = await h.settled(await h.start(failing));
    expect(failed.status).toBe("FAILED");
    const call = failed.tasks!.find((t) => t.referenceTaskName === "call")!;
    expect(call.status).toBe("FAILED");
    expect(call.reasonForIncompletion).toContain("503");
  }, SCENARIO_TIMEOUT_MS);
}
