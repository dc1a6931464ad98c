/**
 * Recently used executions, kept decoded in memory. In a single-process host the lane is the
 * only writer, so a cached execution is the truth and a decision needs no read at all; the
 * cache is bounded (least recently used go first) and cleared whenever a write fails.
 */
import type { StoredExecution } from "../ports/stores.ts";

export class ExecutionCache {
  private readonly map = new Map<string, StoredExecution>();

  constructor(private readonly capacity = 10_000) {}

  get(workflowId: string): StoredExecution | undefined {
    const hit = this.map.get(workflowId);
    if (hit) {
      // Re-insertion keeps Map order equal to recency.
      this.map.delete(workflowId);
      this.map.set(workflowId, hit);
    }
    return hit;
  }

  set(workflowId: string, stored: StoredExecution): void {
    this.map.delete(workflowId);
    this.map.set(workflowId, stored);
    while (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value!);
  }

  delete(workflowId: string): void {
    this.map.delete(workflowId);
  }

  clear(): void {
    this.map.clear();
  }
}
