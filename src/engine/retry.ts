/** Delay before a failed task's next attempt, as Conductor computes it. */
import type { TaskDef } from "../model/index.ts";

/**
 * @param retryCount the failed attempt's retryCount (0 for the first attempt)
 * @param random a number in [0, 1) for the jitter
 * @returns milliseconds to wait before the new attempt becomes pollable
 */
export function retryDelayMs(def: TaskDef, retryCount: number, random: number): number {
  const base = def.retryDelaySeconds;
  let seconds: number;
  switch (def.retryLogic) {
    case "EXPONENTIAL_BACKOFF":
      seconds = base * 2 ** retryCount;
      break;
    case "LINEAR_BACKOFF":
      seconds = base * def.backoffScaleFactor * (retryCount + 1);
      break;
    default:
      seconds = base;
  }
  if (def.maxRetryDelaySeconds && def.maxRetryDelaySeconds > 0) seconds = Math.min(seconds, def.maxRetryDelaySeconds);
  const jitter = def.backoffJitterMs && def.backoffJitterMs > 0 ? Math.floor(random * (def.backoffJitterMs + 1)) : 0;
  return Math.max(0, seconds) * 1000 + jitter;
}
