/**
 * The single lane through which every state change of a single-process host runs, with group
 * commit. Steps run one at a time against in-memory state (so each read-decide step is alone,
 * which is the per-workflow lock of DESIGN invariant 1, and a poll's claim is atomic); the
 * commits they stage are written together, in one atomic batch, once no step is waiting; each
 * step's caller is answered only after the batch holding its commits is durable.
 */
import type { ExecutionCommit } from "../ports/stores.ts";

interface Job {
  step: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Bounds a batch so one slow burst cannot hold every caller for long. */
const MAX_BATCH_COMMITS = 256;

export class Lane {
  private readonly jobs: Job[] = [];
  private staged: ExecutionCommit[] = [];
  private running = false;

  /**
   * @param write writes a batch atomically
   * @param onWritten learns that a batch is durable
   * @param onWriteFailure restores in-memory state from the store after a failed batch
   * @param gather lets requests that have arrived meanwhile join the batch before it is written
   *   (with a synchronous database driver nothing else would run until the write is done)
   */
  constructor(
    private readonly write: (commits: ExecutionCommit[]) => Promise<void>,
    private readonly onWritten: (commits: ExecutionCommit[]) => void,
    private readonly onWriteFailure: () => Promise<void>,
    private readonly gather: () => Promise<void> = async () => undefined,
  ) {}

  run<T>(step: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.jobs.push({ step, resolve: resolve as (v: unknown) => void, reject });
      if (!this.running) void this.drain();
    });
  }

  /** Called from inside a step: these commits are written with the step's batch. */
  stage(commits: ExecutionCommit[]): void {
    for (const c of commits) this.staged.push(c);
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.jobs.length > 0) {
        const done: { job: Job; value: unknown }[] = [];
        for (;;) {
          while (this.jobs.length > 0 && this.staged.length < MAX_BATCH_COMMITS) {
            const job = this.jobs.shift()!;
            try {
              done.push({ job, value: await job.step() });
            } catch (error) {
              job.reject(error);
            }
          }
          if (this.staged.length === 0 || this.staged.length >= MAX_BATCH_COMMITS) break;
          await this.gather();
          if (this.jobs.length === 0) break;
        }
        const batch = this.staged;
        this.staged = [];
        try {
          if (batch.length > 0) {
            await this.write(batch);
            this.onWritten(batch);
          }
        } catch (error) {
          for (const d of done) d.job.reject(error);
          await this.onWriteFailure();
          continue;
        }
        for (const d of done) d.job.resolve(d.value);
      }
    } finally {
      this.running = false;
    }
  }
}
