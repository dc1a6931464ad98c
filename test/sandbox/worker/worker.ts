/**
 * A Worker that only runs the JavaScript sandbox (adapters/cloudflare/sandbox.ts), for
 * test/sandbox/workerd.test.ts.
 *
 *   POST {script, input, repeat?}  → {served, outcome}: the script evaluated `repeat` times (default 1)
 *   POST {batch: [{script, input}]} → {served, outcomes}: each evaluated in turn, in this one request
 *
 * An outcome is {ok: true, result} or {ok: false, error: {kind, message}}. `served` counts the
 * requests this isolate has answered: it only grows while the isolate stays up. `failures` counts
 * the QuickJS instances the sandbox gave up (and replaced), `memoryBytes` is the current one's memory.
 */
import { createSandbox } from "../../../adapters/cloudflare/sandbox.ts";
import { ScriptError, type ScriptSandbox } from "../../../src/ports/sandbox.ts";
import type { QuickJSSandbox } from "../../../src/sandbox/quickjs-sandbox.ts";

type Outcome = { ok: true; result: unknown } | { ok: false; error: { kind: string; message: string } };

let sandbox: Promise<QuickJSSandbox> | undefined;
let served = 0;

function evaluate(box: ScriptSandbox, script: string, input: unknown, repeat = 1): Outcome {
  try {
    let result: unknown;
    for (let i = 0; i < repeat; i++) result = box.evaluate(script, { $: input ?? {} });
    return { ok: true, result };
  } catch (error) {
    const kind = error instanceof ScriptError ? error.kind : (error as Error).name;
    return { ok: false, error: { kind, message: (error as Error).message } };
  }
}

export default {
  async fetch(request: Request): Promise<Response> {
    sandbox ??= createSandbox() as Promise<QuickJSSandbox>;
    const box = await sandbox;
    served++;
    const body = (await request.json()) as { script?: string; input?: unknown; repeat?: number; batch?: { script: string; input?: unknown }[] };
    const answer = body.batch ? { outcomes: body.batch.map((c) => evaluate(box, c.script, c.input)) } : { outcome: evaluate(box, body.script ?? "", body.input, body.repeat) };
    return Response.json({ served, failures: box.failures, memoryBytes: box.memoryBytes, ...answer });
  },
};
