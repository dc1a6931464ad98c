/**
 * The task queues of a single-process host, held in memory as an index over the durable
 * `queue_messages` rows (loaded at start, then kept in step with every decision's effects).
 * A poll reads no database: visible messages wait in priority-then-age order, delayed ones in
 * a heap by the time they become visible.
 */
import type { QueueEffect } from "../engine/context.ts";
import type { QueuedMessage } from "../ports/stores.ts";

interface Entry extends QueuedMessage {
  /** Arrival order, for first in, first out within a priority. */
  order: number;
}

/** Visible messages of one queue: one FIFO per priority, highest priority first. */
class ReadyQueue {
  private readonly byPriority = new Map<number, Entry[]>();
  private priorities: number[] = [];
  size = 0;

  add(e: Entry): void {
    let fifo = this.byPriority.get(e.priority);
    if (!fifo) {
      fifo = [];
      this.byPriority.set(e.priority, fifo);
      this.priorities = [...this.byPriority.keys()].sort((a, b) => b - a);
    }
    // Almost always an append; a message made visible late may belong further forward.
    let i = fifo.length;
    while (i > 0 && fifo[i - 1].order > e.order) i--;
    fifo.splice(i, 0, e);
    this.size++;
  }

  remove(e: Entry): void {
    const fifo = this.byPriority.get(e.priority);
    const i = fifo ? fifo.indexOf(e) : -1;
    if (i < 0) return;
    fifo!.splice(i, 1);
    this.size--;
  }

  *inOrder(): Generator<Entry> {
    for (const p of this.priorities) yield* this.byPriority.get(p) ?? [];
  }
}

export class MemoryQueues {
  private readonly entries = new Map<string, Entry>();
  private readonly ready = new Map<string, ReadyQueue>();
  /** Delayed entries, a binary min-heap on visibleAt; removals are lazy (checked on pop). */
  private delayed: Entry[] = [];
  private nextOrder = 0;

  constructor(private readonly now: () => number) {}

  /** Replaces the index with the durable rows, oldest first. */
  load(messages: QueuedMessage[]): void {
    this.entries.clear();
    this.ready.clear();
    this.delayed = [];
    for (const m of messages) this.enqueue(m);
  }

  apply(effects: QueueEffect[]): void {
    for (const e of effects) {
      if (e.type === "enqueue") this.enqueue(e);
      else this.remove(e.taskId);
    }
  }

  /** Up to `count` visible messages of a queue in delivery order (not removed). */
  peek(queueName: string, count: number): QueuedMessage[] {
    this.promoteDue();
    const out: QueuedMessage[] = [];
    const q = this.ready.get(queueName);
    if (!q) return out;
    for (const e of q.inOrder()) {
      if (out.length >= count) break;
      out.push(e);
    }
    return out;
  }

  size(queueName: string): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.queueName === queueName) n++;
    return n;
  }

  /** Moves messages whose delay has passed to their ready queue; returns the queues that got some. */
  promoteDue(): Set<string> {
    const now = this.now();
    const touched = new Set<string>();
    while (this.delayed.length > 0 && this.delayed[0].visibleAt <= now) {
      const e = this.popDelayed();
      if (this.entries.get(e.taskId) !== e) continue;
      this.readyQueue(e.queueName).add(e);
      touched.add(e.queueName);
    }
    return touched;
  }

  /** When the next delayed message becomes visible, or null. */
  nextVisibleAt(): number | null {
    while (this.delayed.length > 0 && this.entries.get(this.delayed[0].taskId) !== this.delayed[0]) this.popDelayed();
    return this.delayed[0]?.visibleAt ?? null;
  }

  private enqueue(m: QueuedMessage): void {
    this.remove(m.taskId);
    const e: Entry = { taskId: m.taskId, queueName: m.queueName, workflowId: m.workflowId, priority: m.priority, visibleAt: m.visibleAt, order: this.nextOrder++ };
    this.entries.set(e.taskId, e);
    if (e.visibleAt <= this.now()) this.readyQueue(e.queueName).add(e);
    else this.pushDelayed(e);
  }

  private remove(taskId: string): void {
    const e = this.entries.get(taskId);
    if (!e) return;
    this.entries.delete(taskId);
    // A delayed entry stays in the heap and is skipped when it surfaces.
    this.ready.get(e.queueName)?.remove(e);
  }

  private readyQueue(name: string): ReadyQueue {
    let q = this.ready.get(name);
    if (!q) {
      q = new ReadyQueue();
      this.ready.set(name, q);
    }
    return q;
  }

  private pushDelayed(e: Entry): void {
    const h = this.delayed;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent].visibleAt <= h[i].visibleAt) break;
      [h[parent], h[i]] = [h[i], h[parent]];
      i = parent;
    }
  }

  private popDelayed(): Entry {
    const h = this.delayed;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l].visibleAt < h[m].visibleAt) m = l;
        if (r < h.length && h[r].visibleAt < h[m].visibleAt) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i], h[m]];
        i = m;
      }
    }
    return top;
  }
}
