/** NOOP: completes at once, with no output. */
import { complete, type TaskHandler } from "./handler.ts";

export const noop: TaskHandler = {
  start: (run) => complete(run, {}),
};
