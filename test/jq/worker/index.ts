/**
 * A Worker that only runs jq (src/jq/jqjs.ts, as the engine's Worker build uses it), for
 * test/jq/workerd.test.ts.
 * POST {query, input, maxSteps?} → {ok: true, outputs} | {ok: false, error: {kind, message}};
 * POST {batch: [{query, input, maxSteps?}, ...]} → an array of those.
 */
import { createJq } from "../../../src/jq/jqjs.ts";
import { JqError, type Jq } from "../../../src/ports/jq.ts";

interface Run {
  query: string;
  input: unknown;
  maxSteps?: number;
}

const shared = createJq();
const budgets = new Map<number, Jq>();

function run({ query, input, maxSteps }: Run): unknown {
  let jq = shared;
  if (maxSteps !== undefined) {
    jq = budgets.get(maxSteps) ?? createJq({ maxSteps });
    budgets.set(maxSteps, jq);
  }
  try {
    return { ok: true, outputs: jq.run(query, input) };
  } catch (e) {
    if (e instanceof JqError) return { ok: false, error: { kind: e.kind, message: e.message } };
    throw e;
  }
}

export default {
  async fetch(request: Request): Promise<Response> {
    if (request.method !== "POST") return new Response("POST {query, input} or {batch: [...]}", { status: 405 });
    const body = (await request.json()) as Run | { batch: Run[] };
    if ("batch" in body) return Response.json(body.batch.map(run));
    return Response.json(run(body));
  },
};
