/**
 * INLINE: evaluates `inputParameters.expression` with `evaluatorType` `javascript`/`graaljs`
 * (the default; `$` is the task's input) or `value-param` (the input key it names); the value is
 * the output's `result`. A script error fails the task for good, with the error in `output.error`.
 */
import { ScriptError } from "../../ports/sandbox.ts";
import { complete, fail, type TaskHandler } from "./handler.ts";
import { evaluateScript } from "./script.ts";

export const inline: TaskHandler = {
  start(run) {
    const input = run.task.inputData ?? {};
    const expression = typeof input.expression === "string" ? input.expression : "";
    const evaluator = typeof input.evaluatorType === "string" ? input.evaluatorType : "javascript";
    try {
      const result = evaluator === "value-param" ? (input[expression] ?? null) : evaluateScript(run, expression, input);
      complete(run, { result });
    } catch (error) {
      const message = (error as Error).message;
      fail(run, message, { terminal: error instanceof ScriptError, output: { error: message } });
    }
  },
};

/** LAMBDA (deprecated): `scriptExpression` as the body of a function, so `return` works; output `result`. */
export const lambda: TaskHandler = {
  start(run) {
    const script = run.task.workflowTask?.scriptExpression ?? String(run.task.inputData?.scriptExpression ?? "");
    try {
      complete(run, { result: evaluateScript(run, `(function () {\n${script}\n})()`, run.task.inputData ?? {}) });
    } catch (error) {
      const message = (error as Error).message;
      fail(run, message, { output: { error: message } });
    }
  },
};
