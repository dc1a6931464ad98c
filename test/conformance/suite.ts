/**
 * The black-box conformance suite: what a user of the official JavaScript SDK relies on, checked
 * against a running build known only by its base URL. Every build (the Bun server, the Worker
 * bundle in workerd, ...) runs the same scenarios through a small test file:
 *
 *   conformanceSuite("bun", async () => {
 *     const server = await startBunServer();
 *     return { baseUrl: server.baseUrl, dispose: () => server.dispose() };
 *   });
 *
 * Tests are registered when the file loads, before any target exists, so what a build can do
 * beyond serving HTTP is declared up front in `capabilities`; a scenario that needs a capability
 * is only registered for builds that declare it.
 */
import { afterAll, afterEach, beforeAll, describe } from "bun:test";
import { Harness } from "./harness.ts";
import { httpTaskScenarios } from "./http-task.ts";
import { restartScenarios } from "./restart.ts";
import { listLoopScenarios, scriptedFlowScenarios, subWorkflowScenarios, systemTaskScenarios } from "./system-tasks.ts";
import { retryScenarios } from "./retries.ts";
import { pollingScenarios } from "./polling.ts";
import { sdkWorkerScenarios } from "./sdk-workers.ts";
import { terminateScenarios } from "./terminate.ts";

export interface ConformanceTarget {
  /** Where the build serves the Conductor API, without the `/api` suffix. */
  baseUrl: string;
  /**
   * Kills the server without warning and starts it again on the same storage and base URL,
   * resolving once it answers again. Required when `capabilities.restart` is declared.
   */
  restart?: () => Promise<void>;
  /** Stops the server and throws its storage away. */
  dispose(): Promise<void>;
}

export interface ConformanceCapabilities {
  /** The target can be crashed and restarted on the same storage (see `ConformanceTarget.restart`). */
  restart?: boolean;
  /** A client that disconnects reaches the server as an aborted request (long polls can be called off). */
  clientAbort?: boolean;
}

/** Starting a server (and, for some builds, bundling it) can take a while on a cold machine. */
const TARGET_START_TIMEOUT_MS = 60_000;

export function conformanceSuite(name: string, target: () => Promise<ConformanceTarget>, capabilities: ConformanceCapabilities = {}): void {
  describe(`conformance: ${name}`, () => {
    const h = new Harness();

    beforeAll(async () => {
      const t = await target();
      if (capabilities.restart && !t.restart) throw new Error(`target '${name}' declares the restart capability but has no restart()`);
      await h.open(t);
    }, TARGET_START_TIMEOUT_MS);
    afterEach(() => h.stopAllWorkers());
    afterAll(() => h.close(), TARGET_START_TIMEOUT_MS);

    sdkWorkerScenarios(h);
    retryScenarios(h);
    pollingScenarios(h, capabilities);
    terminateScenarios(h);
    systemTaskScenarios(h);
    subWorkflowScenarios(h);
    scriptedFlowScenarios(h);
    listLoopScenarios(h);
    httpTaskScenarios(h);
    // Last: it takes the server down, and nothing after it should depend on timing around that.
    if (capabilities.restart) restartScenarios(h);
  });
}
