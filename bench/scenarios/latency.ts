/**
 * Scenarios 2 and 3 on an otherwise idle server, one workflow at a time:
 *
 * - long-poll wake-up: a worker parks a batch poll (timeout=5000); once it has had time to reach
 *   the server, this process starts a workflow, and the worker notes when the task arrives;
 * - engine overhead per transition: the same worker completes tasks 1–4 with update-v2, each
 *   answer carrying the next task, i.e. update + decide + commit + claim + commit in one round
 *   trip; the same client's round trip to /health (no database) is the HTTP part to take off.
 */
import { spawnChild } from "../lib/children.ts";
import { registerDefinitions, startRequest } from "../lib/definitions.ts";
import { postJson, startBatonServer } from "../lib/server.ts";
import { percentile, summarize, wallNow, type Summary } from "../lib/stats.ts";

/** Workflows run before measuring, so the server's hot paths are compiled. */
const WARM_UP_WORKFLOWS = 20;

export interface LatencyResult {
  samples: number;
  /** Worker receive time − the task's scheduledTime stamped by the server. */
  wakeServerStampMs: Summary;
  /** Worker receive time − start request sent. */
  wakeFromStartSentMs: Summary;
  /** Worker receive time − start response received (negative: the task arrived first). */
  wakeAfterStartAnswerMs: Summary;
  startRttMs: Summary;
  healthRttMs: Summary;
  /** update-v2 round trips that handed back the next task. */
  handoffRttMs: Summary;
  /** handoffRtt − p50 of healthRtt: the server's own work for one transition. */
  transitionOverheadMs: Summary;
  /** update-v2 round trips for the last task (workflow completes, no next task). */
  finalUpdateRttMs: Summary;
  /** Previous task endTime → next task startTime (server stamps, 1 ms resolution). */
  serverTransitionMs: Summary;
}

export async function runLatency(samples: number): Promise<LatencyResult> {
  const server = await startBatonServer();
  const worker = spawnChild("worker.ts", { BENCH_BASE_URL: server.baseUrl, BENCH_MODE: "trace", BENCH_WORKER_ID: "tracer" });
  try {
    await registerDefinitions(server.baseUrl);
    const wakeServer: number[] = [];
    const wakeFromSent: number[] = [];
    const wakeAfterAnswer: number[] = [];
    const startRtt: number[] = [];
    const ids: string[] = [];
    let health: number[] = [];
    for (let i = -WARM_UP_WORKFLOWS; i < samples; i++) {
      if (i === 0) {
        worker.send({ type: "reset" });
        health = (await worker.next("health")).samples as number[];
      }
      await worker.next("polling");
      // Time for the poll to cross the loopback and park on the empty queue.
      await Bun.sleep(25);
      const sent = wallNow();
      const res = await postJson(`${server.baseUrl}/api/workflow`, startRequest(i));
      const id = await res.text();
      const answered = wallNow();
      if (!res.ok) throw new Error(`start: HTTP ${res.status} ${id}`);
      const got = await worker.next("received");
      if (got.workflowId !== id) throw new Error(`worker received a task of ${got.workflowId}, expected ${id}`);
      await worker.next("done");
      if (i < 0) continue;
      const recvAt = got.recvAt as number;
      wakeServer.push(recvAt - (got.scheduledTime as number));
      wakeFromSent.push(recvAt - sent);
      wakeAfterAnswer.push(recvAt - answered);
      startRtt.push(answered - sent);
      ids.push(id);
    }
    worker.send({ type: "stop" });
    const trace = await worker.next("trace");
    const handoff = trace.handoffRtt as number[];
    const healthP50 = percentile(health, 50)!;

    const serverTransition: number[] = [];
    for (const id of ids) {
      const doc = (await (await fetch(`${server.baseUrl}/api/workflow/${id}`)).json()) as { tasks: { startTime: number; endTime: number }[] };
      for (let k = 1; k < doc.tasks.length; k++) serverTransition.push(doc.tasks[k].startTime - doc.tasks[k - 1].endTime);
    }
    return {
      samples,
      wakeServerStampMs: summarize(wakeServer),
      wakeFromStartSentMs: summarize(wakeFromSent),
      wakeAfterStartAnswerMs: summarize(wakeAfterAnswer),
      startRttMs: summarize(startRtt),
      healthRttMs: summarize(health),
      handoffRttMs: summarize(handoff),
      transitionOverheadMs: summarize(handoff.map((x) => x - healthP50)),
      finalUpdateRttMs: summarize(trace.finalRtt as number[]),
      serverTransitionMs: summarize(serverTransition),
    };
  } finally {
    await worker.kill();
    await server.stop();
  }
}
