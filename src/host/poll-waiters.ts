/**
 * Long polls waiting on empty queues. A waiter is woken when its queue gets a message or when
 * its time is up; all deadlines share one timer, armed for the earliest, so an idle server
 * holding a thousand polls has one pending timeout, not a thousand.
 */
interface Waiter {
  queueName: string;
  deadline: number;
  wake: () => void;
  done: boolean;
}

export class PollWaiters {
  private readonly byQueue = new Map<string, Waiter[]>();
  private readonly byDeadline: Waiter[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Infinity;

  constructor(private readonly now: () => number = Date.now) {}

  /** Resolves when the queue is notified, at `deadline`, or when `signal` aborts, whichever comes first. */
  wait(queueName: string, deadline: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      const waiter: Waiter = { queueName, deadline, done: false, wake: resolve };
      const list = this.byQueue.get(queueName);
      if (list) list.push(waiter);
      else this.byQueue.set(queueName, [waiter]);
      this.insertByDeadline(waiter);
      this.arm();
      // An aborted waiter is settled now and skipped by notify, so a wake-up is not wasted on it.
      signal?.addEventListener("abort", () => this.settle(waiter), { once: true });
    });
  }

  /** Wakes up to `count` waiters of the queue, oldest first (all of them if count is omitted). */
  notify(queueName: string, count = Infinity): void {
    const list = this.byQueue.get(queueName);
    if (!list) return;
    let woken = 0;
    while (list.length > 0 && woken < count) {
      const w = list.shift()!;
      if (w.done) continue;
      this.settle(w);
      woken++;
    }
    if (list.length === 0) this.byQueue.delete(queueName);
  }

  get size(): number {
    let n = 0;
    for (const list of this.byQueue.values()) n += list.length;
    return n;
  }

  private settle(w: Waiter): void {
    if (w.done) return;
    w.done = true;
    w.wake();
  }

  private insertByDeadline(w: Waiter): void {
    // Binary search: most polls share a timeout, so arrivals are nearly sorted already.
    let lo = 0;
    let hi = this.byDeadline.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.byDeadline[mid].deadline <= w.deadline) lo = mid + 1;
      else hi = mid;
    }
    this.byDeadline.splice(lo, 0, w);
  }

  private arm(): void {
    while (this.byDeadline.length > 0 && this.byDeadline[0].done) this.byDeadline.shift();
    const next = this.byDeadline[0]?.deadline ?? Infinity;
    if (next >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = next;
    if (next === Infinity) return;
    this.timer = setTimeout(() => this.expire(), Math.max(0, next - this.now()));
  }

  private expire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.now();
    while (this.byDeadline.length > 0 && (this.byDeadline[0].done || this.byDeadline[0].deadline <= now)) {
      const w = this.byDeadline.shift()!;
      if (w.done) continue;
      const list = this.byQueue.get(w.queueName);
      if (list) {
        const i = list.indexOf(w);
        if (i >= 0) list.splice(i, 1);
        if (list.length === 0) this.byQueue.delete(w.queueName);
      }
      this.settle(w);
    }
    this.arm();
  }
}
