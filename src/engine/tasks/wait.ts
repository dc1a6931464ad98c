/**
 * WAIT: stays IN_PROGRESS until its `duration` has passed or its `until` date has come, or, with
 * neither, until someone completes it (a task update, an update by reference name).
 */
import type { Task } from "../../model/index.ts";
import { begin, complete, fail, type TaskHandler } from "./handler.ts";
import { parseDuration, parseUntil } from "./wait-time.ts";

/** When the wait ends, or null to wait for an update; throws a message for unreadable input. */
export function waitDeadline(task: Task): number | null {
  const { duration, until } = task.inputData ?? {};
  if (duration !== undefined && until !== undefined) throw new Error("Both 'duration' and 'until' are given; a WAIT takes one of them");
  if (typeof duration === "string" && duration.trim() !== "") {
    const ms = parseDuration(duration);
    if (ms === undefined) throw new Error(`Cannot read the duration '${duration}' (e.g. "30s", "10m 30s", "1d 2h")`);
    return (task.startTime || task.scheduledTime || 0) + ms;
  }
  if (typeof until === "string" && until.trim() !== "") {
    const at = parseUntil(until);
    if (at === undefined) throw new Error(`Cannot read the date '${until}' (e.g. "2026-12-01 10:00 UTC")`);
    return at;
  }
  return null;
}

export const wait: TaskHandler = {
  start(run) {
    try {
      waitDeadline(run.task);
    } catch (error) {
      fail(run, (error as Error).message, { terminal: true });
      return;
    }
    begin(run);
  },
  check(run) {
    const at = waitDeadline(run.task);
    if (at !== null && run.draft.now >= at) complete(run, { ...(run.task.outputData ?? {}) });
  },
  deadline: (task) => waitDeadline(task) ?? undefined,
};
