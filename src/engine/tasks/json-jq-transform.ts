/**
 * JSON_JQ_TRANSFORM: runs `inputParameters.queryExpression` (jq) over the task's whole input;
 * the first value is the output's `result`, all of them `resultList`. An error fails the task
 * with the message in `output.error`.
 */
import { complete, fail, type TaskHandler } from "./handler.ts";

export const jsonJqTransform: TaskHandler = {
  start(run) {
    const input = run.task.inputData ?? {};
    const jq = run.draft.ctx.jq;
    try {
      if (!jq) throw new Error("This server has no jq engine configured, so it cannot run JSON_JQ_TRANSFORM");
      const resultList = jq.run(String(input.queryExpression ?? "."), input);
      complete(run, { result: resultList[0] ?? null, resultList });
    } catch (error) {
      const message = (error as Error).message;
      fail(run, message, { output: { error: message } });
    }
  },
};
