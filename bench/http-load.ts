/**
 * A closed-loop load client for the HTTP baseline: BENCH_CONNECTIONS loops, each sending the
 * next request as soon as the previous answer is read, like the worker processes do.
 * Environment: BENCH_URL, BENCH_CONNECTIONS, BENCH_DURATION_MS. Starts on the parent's "go".
 */
import { wallNow } from "./lib/stats.ts";

const url = process.env.BENCH_URL!;
const connections = Number(process.env.BENCH_CONNECTIONS ?? 8);
const durationMs = Number(process.env.BENCH_DURATION_MS ?? 5000);
const body = JSON.stringify({ workflowInstanceId: crypto.randomUUID(), taskId: crypto.randomUUID(), status: "COMPLETED", outputData: { step: "t1" }, workerId: "load" });

let requests = 0;
let errors = 0;

async function loop(until: number): Promise<void> {
  while (wallNow() < until) {
    try {
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
      await res.arrayBuffer();
      if (res.ok) requests++;
      else errors++;
    } catch {
      errors++;
    }
  }
}

process.on("message", async (message: { type: string }) => {
  if (message.type !== "go") return;
  const began = wallNow();
  await Promise.all(Array.from({ length: connections }, () => loop(began + durationMs)));
  process.send!({ type: "result", requests, errors, seconds: (wallNow() - began) / 1000 });
});
process.send!({ type: "ready" });
