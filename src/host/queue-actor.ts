/**
 * One task queue as an object of its own (the Workers build's TaskQueueObject). Its database
 * holds the messages; memory holds them indexed for delivery and holds the leases: a polled
 * message is leased until the poll's caller acknowledges it, and a lease that runs out (the
 * caller died, the object was evicted and reloaded) makes the message visible again, so
 * delivery is at least once. Long polls wait inside the object and are answered the moment a
 * message is offered.
 */
import type { Alarm } from "../ports/alarm.ts";
import type { QueuePeer } from "../ports/peers.ts";
import type { PollData } from "../model/index.ts";
import type { QueueStore, QueuedMessage } from "../ports/stores.ts";
import { MemoryQueues } from "./memory-queues.ts";
import type { PollDataBook } from "./poll-data-book.ts";
import { PollWaiters } from "./poll-waiters.ts";

/** Long enough for a poll's caller to claim the task at its workflow and acknowledge. */
export const LEASE_MS = 30_000;
/** How long a call-off for a poll that has not arrived is kept (any real poll arrives well within it). */
const CANCEL_MEMORY_MS = 60_000;

export interface QueueActorDeps {
  queueName: string;
  store: QueueStore;
  alarm: Alarm;
  /** Where poll times are recorded (written behind to shared storage). */
  pollBook: PollDataBook;
  now?: () => number;
}

export class QueueActor implements QueuePeer {
  private readonly queues: MemoryQueues;
  private readonly waiters: PollWaiters;
  private readonly leases = new Map<string, { message: QueuedMessage; until: number }>();
  /** Polls that can be called off, by id; and ids called off before their poll arrived. */
  private readonly polls = new Map<string, AbortController>();
  private readonly cancelled = new Map<string, number>();
  private loading: Promise<void> | undefined;
  private readonly now: () => number;
  private readonly taskType: string;
  private readonly domain: string | undefined;

  constructor(private readonly deps: QueueActorDeps) {
    this.now = deps.now ?? Date.now;
    this.queues = new MemoryQueues(this.now);
    this.waiters = new PollWaiters(this.now);
    const colon = deps.queueName.indexOf(":");
    this.domain = colon >= 0 ? deps.queueName.slice(0, colon) : undefined;
    this.taskType = colon >= 0 ? deps.queueName.slice(colon + 1) : deps.queueName;
  }

  private ready(): Promise<void> {
    this.loading ??= this.deps.store.loadAll().then((rows) => this.queues.load(rows));
    return this.loading;
  }

  async offer(messages: QueuedMessage[]): Promise<void> {
    await this.ready();
    await this.deps.store.offer(messages);
    for (const m of messages) this.leases.delete(m.taskId);
    this.queues.apply(messages.map((m) => ({ type: "enqueue" as const, ...m })));
    const now = this.now();
    const visible = messages.filter((m) => m.visibleAt <= now).length;
    if (visible > 0) this.waiters.notify(this.deps.queueName, visible);
    await this.arm();
  }

  async remove(taskIds: string[]): Promise<void> {
    await this.ready();
    await this.deps.store.discard(taskIds);
    this.forget(taskIds);
    await this.arm();
  }

  async poll(count: number, timeoutMs: number, workerId: string | undefined, pollId?: string): Promise<QueuedMessage[]> {
    await this.ready();
    this.deps.pollBook.record(this.taskType, this.domain, workerId);
    const controller = new AbortController();
    if (pollId && this.cancelled.delete(pollId)) return [];
    if (pollId) this.polls.set(pollId, controller);
    try {
      return await this.lease(count, this.now() + timeoutMs, controller.signal);
    } finally {
      if (pollId) this.polls.delete(pollId);
    }
  }

  async cancelPoll(pollId: string): Promise<void> {
    const poll = this.polls.get(pollId);
    if (poll) {
      poll.abort();
      return;
    }
    // Called off before it arrived (or after it ended): remember it a while, not for ever.
    const now = this.now();
    for (const [id, at] of this.cancelled) if (now - at > CANCEL_MEMORY_MS) this.cancelled.delete(id);
    this.cancelled.set(pollId, now);
  }

  async release(taskIds: string[]): Promise<void> {
    await this.ready();
    const now = this.now();
    for (const id of taskIds) {
      const lease = this.leases.get(id);
      if (lease) lease.until = now;
    }
    if (this.expireLeases() > 0) this.waiters.notify(this.deps.queueName);
    await this.arm();
  }

  private async lease(count: number, deadline: number, signal: AbortSignal): Promise<QueuedMessage[]> {
    for (;;) {
      if (signal.aborted) return [];
      this.expireLeases();
      // From peek to lease nothing awaits, so two polls can never lease one message.
      const messages = this.queues.peek(this.deps.queueName, count);
      if (messages.length > 0) {
        const until = this.now() + LEASE_MS;
        for (const m of messages) this.leases.set(m.taskId, { message: m, until });
        this.queues.apply(messages.map((m) => ({ type: "dequeue" as const, taskId: m.taskId, queueName: m.queueName })));
        await this.arm();
        return messages;
      }
      if (this.now() >= deadline) return [];
      await this.waiters.wait(this.deps.queueName, deadline, signal);
    }
  }

  async ack(taskIds: string[]): Promise<void> {
    await this.ready();
    await this.deps.store.discard(taskIds);
    this.forget(taskIds);
    await this.arm();
  }

  async size(): Promise<number> {
    await this.ready();
    return this.queues.size(this.deps.queueName) + this.leases.size;
  }

  async pollData(): Promise<PollData | null> {
    return this.deps.pollBook.forTaskType(this.taskType).find((p) => p.domain === this.domain) ?? null;
  }

  /** The alarm rang: delayed messages came due or leases ran out; wake the pollers that wait. */
  async alarm(): Promise<void> {
    await this.ready();
    const woken = this.expireLeases() + this.queues.promoteDue().size;
    if (woken > 0) this.waiters.notify(this.deps.queueName);
    await this.arm();
  }

  private forget(taskIds: string[]): void {
    for (const id of taskIds) this.leases.delete(id);
    this.queues.apply(taskIds.map((taskId) => ({ type: "dequeue" as const, taskId, queueName: this.deps.queueName })));
  }

  /** Puts messages whose lease ran out back in line; returns how many. */
  private expireLeases(): number {
    const now = this.now();
    const expired: QueuedMessage[] = [];
    for (const [id, lease] of this.leases) {
      if (lease.until > now) continue;
      this.leases.delete(id);
      expired.push({ ...lease.message, visibleAt: now });
    }
    if (expired.length > 0) this.queues.apply(expired.map((m) => ({ type: "enqueue" as const, ...m })));
    return expired.length;
  }

  private async arm(): Promise<void> {
    let next = this.queues.nextVisibleAt() ?? Infinity;
    for (const lease of this.leases.values()) next = Math.min(next, lease.until);
    await this.deps.alarm.set(next === Infinity ? null : next);
  }
}
