/**
 * The host's one timer. Decisions tell it when something is next due (a timeout, a delayed
 * message becoming visible); it sleeps until the earliest such moment, runs `fire`, and re-arms
 * at the time `fire` reports. Deadlines live in the database, so after a restart one `fire`
 * finds everything that came due while the process was down.
 */
export class TimerLoop {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private armedAt = Infinity;
  private running = false;
  private again = false;
  private stopped = false;

  /** `fire` handles everything due and returns when the next thing is due (or null). */
  constructor(private readonly fire: () => Promise<number | null>, private readonly now: () => number = Date.now) {}

  /** Something becomes due at `at`: make sure we wake by then. */
  wakeBy(at: number | null | undefined): void {
    if (at === null || at === undefined || this.stopped) return;
    if (at >= this.armedAt) return;
    this.arm(at);
  }

  start(): void {
    this.stopped = false;
    this.arm(this.now());
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedAt = Infinity;
  }

  private arm(at: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.armedAt = at;
    // setTimeout's limit is ~24.8 days; a later deadline is simply re-checked then.
    const delay = Math.min(Math.max(0, at - this.now()), 2 ** 31 - 1);
    this.timer = setTimeout(() => void this.tick(), delay);
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    this.armedAt = Infinity;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    let next: number | null = null;
    try {
      do {
        this.again = false;
        next = await this.fire();
      } while (this.again && !this.stopped);
    } catch {
      // A failed sweep is retried shortly rather than abandoned; the rows are still there.
      next = this.now() + 1000;
    } finally {
      this.running = false;
    }
    if (!this.stopped) this.wakeBy(next);
  }
}
