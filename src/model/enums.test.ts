import { describe, expect, test } from "bun:test";
import {
  isRetriableTaskStatus,
  isSuccessfulTaskStatus,
  isSuccessfulWorkflowStatus,
  isTerminalTaskStatus,
  isTerminalWorkflowStatus,
  TASK_STATUSES,
  WORKFLOW_STATUSES,
} from "./enums.ts";

describe("task statuses", () => {
  test("terminal ones", () => {
    expect(TASK_STATUSES.filter(isTerminalTaskStatus)).toEqual([
      "CANCELED",
      "FAILED",
      "FAILED_WITH_TERMINAL_ERROR",
      "COMPLETED",
      "COMPLETED_WITH_ERRORS",
      "TIMED_OUT",
      "SKIPPED",
    ]);
  });

  test("successful ones include the not-yet-finished", () => {
    expect(TASK_STATUSES.filter(isSuccessfulTaskStatus)).toEqual([
      "IN_PROGRESS",
      "COMPLETED",
      "COMPLETED_WITH_ERRORS",
      "SCHEDULED",
      "SKIPPED",
    ]);
  });

  test("retriable ones exclude cancellation, terminal errors and skips", () => {
    expect(TASK_STATUSES.filter((s) => !isRetriableTaskStatus(s))).toEqual([
      "CANCELED",
      "FAILED_WITH_TERMINAL_ERROR",
      "SKIPPED",
    ]);
  });
});

describe("workflow statuses", () => {
  test("terminal ones", () => {
    expect(WORKFLOW_STATUSES.filter(isTerminalWorkflowStatus)).toEqual([
      "COMPLETED",
      "FAILED",
      "TIMED_OUT",
      "TERMINATED",
    ]);
  });

  test("successful ones", () => {
    expect(WORKFLOW_STATUSES.filter(isSuccessfulWorkflowStatus)).toEqual(["COMPLETED", "PAUSED"]);
  });
});
