/**
 * Delivering an object's outbox: in the order written, each message until its receiver
 * acknowledges it. A failed delivery stops the run (so a later message never overtakes an
 * earlier one) and is retried with backoff; receivers are idempotent, so a message delivered
 * twice does no harm.
 */
import type { OutboxRow, OutboxStore } from "../ports/stores.ts";

export type Deliver = (row: OutboxRow) => Promise<void>;

const BATCH = 64;
const MAX_BACKOFF_MS = 60_000;

export function backoffMs(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, 100 * 2 ** Math.min(attempts, 16));
}

export class OutboxDelivery {
  private run: Promise<void> = Promise.resolve();

  constructor(private readonly outbox: OutboxStore, private readonly deliver: Deliver, private readonly now: () => number) {}

  /** Delivers what is due; resolves when this and any earlier run are over. Never throws. */
  flush(): Promise<void> {
    this.run = this.run.then(() =>
      this.deliverDue().catch((error) => {
        // The rows are still there; the next flush (a call, or the alarm) takes them up again.
        console.warn("outbox: delivery run failed:", error);
      }),
    );
    return this.run;
  }

  private async deliverDue(): Promise<void> {
    for (;;) {
      const rows = await this.outbox.due(this.now(), BATCH);
      if (rows.length === 0) return;
      const delivered: number[] = [];
      for (const row of rows) {
        try {
          await this.deliver(row);
          delivered.push(row.id);
        } catch (error) {
          console.warn(`outbox: delivery of ${row.kind} to '${row.target}' failed (attempt ${row.attempts + 1}):`, error);
          await this.outbox.delete(delivered);
          await this.outbox.defer(row.id, row.attempts + 1, this.now() + backoffMs(row.attempts));
          return;
        }
      }
      await this.outbox.delete(delivered);
      if (rows.length < BATCH) return;
    }
  }
}
