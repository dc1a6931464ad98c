/**
 * What every conformance scenario needs: SDK clients bound to the target's base URL, unique
 * names so scenarios never share a queue, SDK workers that are always stopped, waiting for a
 * workflow to settle, and the few worker-protocol calls the SDK keeps internal (batch poll,
 * update-v2), made with plain fetch exactly as the SDK's TaskRunner makes them.
 */
import {
  createConductorClient,
  MetadataClient,
  TaskClient,
  TaskHandler,
  TaskManager,
  TaskRunner,
  WorkflowExecutor,
  type Client,
  type ConductorLogger,
  type ConductorWorker,
  type ExtendedTaskDef,
  type ExtendedWorkflowDef,
  type Task,
  type TaskResult,
  type Workflow,
} from "@io-orkes/conductor-javascript";
import type { ConformanceTarget } from "./suite.ts";

/** Generous enough for a slow CI machine; scenarios finish in a fraction of it. */
export const SCENARIO_TIMEOUT_MS = 60_000;
export const SETTLE_TIMEOUT_MS = 30_000;

type TaskDefInput = Partial<ExtendedTaskDef> & { name: string };

export interface WorkerHandle {
  stop(): Promise<void>;
}

/** A workflow task step: `[taskReferenceName, taskDefName, inputParameters]`. */
export type SimpleStep = [ref: string, taskDefName: string, inputParameters: Record<string, unknown>];

export interface PollAnswer {
  status: number;
  tasks: Task[];
  elapsedMs: number;
}

const TERMINAL_WORKFLOW = new Set(["COMPLETED", "FAILED", "TIMED_OUT", "TERMINATED"]);

/** The SDK keeps this process-wide flag on a static field its typings mark private. */
function sdkRunner(): { updateV2Available: boolean | null } {
  return TaskRunner as unknown as { updateV2Available: boolean | null };
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = SETTLE_TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await Bun.sleep(50);
  }
}

/**
 * Keeps the SDK's chatter out of the test output but remembers its errors, so a scenario that
 * times out can say what the workers ran into.
 */
class RecordingLogger implements ConductorLogger {
  readonly errors: string[] = [];
  info(): void {}
  debug(): void {}
  warn(): void {}
  error(...args: unknown[]): void {
    this.errors.push(args.map((a) => (a instanceof Error ? a.message : typeof a === "string" ? a : JSON.stringify(a))).join(" "));
    if (this.errors.length > 50) this.errors.shift();
  }
}

export class Harness {
  private current: ConformanceTarget | undefined;
  private sdk: Client | undefined;
  private readonly running = new Set<WorkerHandle>();
  readonly logger = new RecordingLogger();

  /** Binds the SDK to the target. Environment overrides would silently point it elsewhere. */
  async open(target: ConformanceTarget): Promise<void> {
    // The SDK prefers CONDUCTOR_SERVER_URL over the serverUrl it is given, and switches to
    // token auth when a key is set; a developer's shell must not redirect the suite.
    delete process.env.CONDUCTOR_SERVER_URL;
    delete process.env.CONDUCTOR_AUTH_KEY;
    delete process.env.CONDUCTOR_AUTH_SECRET;
    // The SDK decides once per process whether the server has update-v2 (a 404 or 405 switches
    // every worker to POST /api/tasks for good). Each target gets its own first impression.
    sdkRunner().updateV2Available = null;
    this.current = target;
    this.sdk = await createConductorClient({ serverUrl: target.baseUrl, logger: this.logger });
  }

  async close(): Promise<void> {
    await this.stopAllWorkers();
    await this.current?.dispose();
    this.current = undefined;
  }

  /** What the SDK's workers concluded about update-v2: true once it answered, false after a 404/405. */
  get sdkFoundUpdateV2(): boolean | null {
    return sdkRunner().updateV2Available;
  }

  get target(): ConformanceTarget {
    if (!this.current) throw new Error("conformance target is not open");
    return this.current;
  }

  get baseUrl(): string {
    return this.target.baseUrl;
  }

  get client(): Client {
    if (!this.sdk) throw new Error("conformance target is not open");
    return this.sdk;
  }

  get metadata(): MetadataClient {
    return new MetadataClient(this.client);
  }

  get workflows(): WorkflowExecutor {
    return new WorkflowExecutor(this.client);
  }

  get tasks(): TaskClient {
    return new TaskClient(this.client);
  }

  // ---- definitions ----

  /** Registers task defs through MetadataClient; timeouts are explicit because Conductor requires them. */
  async registerTaskDefs(...defs: TaskDefInput[]): Promise<void> {
    await this.metadata.registerTasks(
      defs.map((d) => ({ timeoutSeconds: 120, responseTimeoutSeconds: 60, retryCount: 0, retryDelaySeconds: 0, ...d })),
    );
  }

  /** Registers a workflow of SIMPLE tasks in the given order through WorkflowExecutor. */
  async registerSimpleWorkflow(name: string, steps: SimpleStep[], outputParameters: Record<string, unknown> = {}): Promise<void> {
    const def: ExtendedWorkflowDef = {
      name,
      version: 1,
      schemaVersion: 2,
      timeoutSeconds: 0,
      outputParameters,
      tasks: steps.map(([taskReferenceName, taskDefName, inputParameters]) => ({
        name: taskDefName,
        taskReferenceName,
        type: "SIMPLE",
        inputParameters,
      })),
    };
    await this.workflows.registerWorkflow(true, def);
  }

  async start(name: string, input: Record<string, unknown> = {}, correlationId?: string): Promise<string> {
    return this.workflows.startWorkflow({ name, version: 1, input, correlationId });
  }

  async workflow(id: string): Promise<Workflow> {
    return this.workflows.getWorkflow(id, true);
  }

  /** Waits until the workflow reaches a terminal status and returns it with its tasks. */
  async settled(id: string, timeoutMs = SETTLE_TIMEOUT_MS): Promise<Workflow> {
    try {
      return await waitFor(`workflow ${id} to end`, async () => {
        const wf = await this.workflow(id);
        return TERMINAL_WORKFLOW.has(wf.status ?? "") ? wf : undefined;
      }, timeoutMs);
    } catch (e) {
      const wf = await this.workflow(id).catch(() => undefined);
      const tasks = wf?.tasks?.map((t) => `${t.referenceTaskName}:${t.status}`).join(", ");
      const errors = this.logger.errors.slice(-5).join(" | ");
      throw new Error(`${(e as Error).message}; status ${wf?.status}, tasks [${tasks}]; recent SDK errors: ${errors || "none"}`);
    }
  }

  // ---- SDK workers ----

  /**
   * Runs workers with the SDK's TaskHandler (the recommended API). `scanForDecorated` also runs
   * the `@worker` functions in the SDK's process-wide registry, so it is off unless asked for.
   */
  async runWithTaskHandler(workers: ConductorWorker[], options: { scanForDecorated?: boolean } = {}): Promise<WorkerHandle> {
    const handler = new TaskHandler({ client: this.client, workers, scanForDecorated: options.scanForDecorated ?? false, logger: this.logger });
    await handler.startWorkers();
    return this.track({ stop: () => handler.stopWorkers() });
  }

  /** Runs workers with the SDK's TaskManager (the older API, still widely used). */
  runWithTaskManager(workers: ConductorWorker[]): WorkerHandle {
    const manager = new TaskManager(this.client, workers, { logger: this.logger });
    manager.startPolling();
    return this.track({ stop: () => manager.stopPolling() });
  }

  private track(handle: WorkerHandle): WorkerHandle {
    const tracked: WorkerHandle = {
      stop: async () => {
        if (!this.running.delete(tracked)) return;
        await handle.stop();
      },
    };
    this.running.add(tracked);
    return tracked;
  }

  /** Stops whatever a failed scenario left running, so the process can exit. */
  async stopAllWorkers(): Promise<void> {
    await Promise.all([...this.running].map((w) => w.stop()));
  }

  // ---- the worker protocol by hand ----

  /** `GET /api/tasks/poll/batch/{type}`, as the SDK's TaskRunner sends it. */
  async batchPoll(taskType: string, opts: { count?: number; timeoutMs?: number; workerId?: string } = {}): Promise<PollAnswer> {
    const query = new URLSearchParams({
      workerid: opts.workerId ?? "conformance-raw",
      count: String(opts.count ?? 1),
      timeout: String(opts.timeoutMs ?? 100),
    });
    const started = performance.now();
    const res = await fetch(`${this.baseUrl}/api/tasks/poll/batch/${encodeURIComponent(taskType)}?${query}`);
    const text = await res.text();
    const elapsedMs = performance.now() - started;
    if (res.status !== 200 && res.status !== 204) throw new Error(`batch poll answered ${res.status}: ${text}`);
    return { status: res.status, tasks: text === "" ? [] : (JSON.parse(text) as Task[]), elapsedMs };
  }

  /** `POST /api/tasks/update-v2`: the SDK's update, which may hand back the next task. */
  async updateV2(result: TaskResult): Promise<{ status: number; next?: Task }> {
    const res = await fetch(`${this.baseUrl}/api/tasks/update-v2`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(result),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`update-v2 answered ${res.status}: ${text}`);
    return { status: res.status, next: text === "" ? undefined : (JSON.parse(text) as Task) };
  }

  /** `POST /api/tasks` with a full TaskResult (the SDK's own helper cannot send workerId or a reason). */
  async updateV1(result: TaskResult): Promise<{ status: number; body: string; contentType: string | null }> {
    const res = await fetch(`${this.baseUrl}/api/tasks`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(result),
    });
    return { status: res.status, body: await res.text(), contentType: res.headers.get("content-type") };
  }
}
