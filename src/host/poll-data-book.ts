/**
 * Who polled which queue last. Kept in memory (it is read on every scheduling decision that
 * involves domains) and written behind to the store at most once a second: losing the last
 * second of poll times in a crash costs nothing.
 */
import type { PollData } from "../model/index.ts";
import type { QueueStore } from "../ports/stores.ts";

/** Conductor treats a domain as active while a worker polled it within this window. */
export const ACTIVE_WORKER_WINDOW_MS = 10_000;
const FLUSH_DELAY_MS = 1000;

export class PollDataBook {
  private readonly entries = new Map<string, PollData>();
  private readonly dirty = new Set<string>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly store: QueueStore, private readonly now: () => number) {}

  async load(): Promise<void> {
    for (const p of await this.store.loadPollData()) this.entries.set(key(p.queueName, p.domain), p);
  }

  record(taskType: string, domain: string | undefined, workerId: string | undefined): void {
    const k = key(taskType, domain);
    this.entries.set(k, { queueName: taskType, domain, workerId: workerId ?? "", lastPollTime: this.now() });
    this.dirty.add(k);
    this.flushTimer ??= setTimeout(() => void this.flush(), FLUSH_DELAY_MS);
  }

  forTaskType(taskType: string): PollData[] {
    return [...this.entries.values()].filter((p) => p.queueName === taskType);
  }

  all(): PollData[] {
    return [...this.entries.values()];
  }

  /** The first domain of the list with a recently active worker, else the last one (Conductor's rule). */
  activeDomain(taskType: string, domains: string[]): string | undefined {
    const now = this.now();
    for (const d of domains) {
      const p = this.entries.get(key(taskType, d));
      if (p && now - (p.lastPollTime ?? 0) <= ACTIVE_WORKER_WINDOW_MS) return d;
    }
    return domains[domains.length - 1];
  }

  async flush(): Promise<void> {
    this.flushTimer = undefined;
    if (this.dirty.size === 0) return;
    const batch = [...this.dirty].map((k) => this.entries.get(k)!).filter(Boolean);
    this.dirty.clear();
    await this.store.savePollData(batch);
  }

  stop(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
  }
}

function key(taskType: string, domain: string | undefined): string {
  return `${taskType}\u0000${domain ?? ""}`;
}
