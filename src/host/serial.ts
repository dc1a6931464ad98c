/**
 * Runs state changes one at a time. The embedded database has a single writer anyway; running
 * each read-decide-commit step alone also makes it the per-workflow lock (DESIGN invariant 1)
 * without any bookkeeping, and makes a poll's claim atomic.
 */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(step: () => Promise<T>): Promise<T> {
    const result = this.tail.then(step, step);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
