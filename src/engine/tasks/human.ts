/** HUMAN: stays IN_PROGRESS until someone completes (or fails) it through the task API. */
import { begin, type TaskHandler } from "./handler.ts";

export const human: TaskHandler = {
  start: (run) => begin(run),
};
