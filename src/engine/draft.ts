/**
 * A decision in progress. The decider mutates the execution it is handed (the caller owns that
 * copy and discards it if the commit fails); the draft records what changed so the host writes
 * only that.
 */
import type { Task, Workflow } from "../model/index.ts";
import type { DecideContext, Decision, HttpCall, QueueEffect, WorkflowMessage } from "./context.ts";
import { nextWakeAt } from "./timeouts.ts";

export class Draft {
  private readonly changed = new Set<Task>();
  private workflowChanged = false;
  readonly effects: QueueEffect[] = [];
  readonly httpCalls: HttpCall[] = [];
  readonly messages: WorkflowMessage[] = [];
  private readonly removed: string[] = [];

  constructor(readonly execution: Workflow, readonly ctx: DecideContext) {}

  get now(): number {
    return this.ctx.now;
  }

  /** Marks a task as changed and stamps its update time. */
  touch(task: Task): Task {
    task.updateTime = this.ctx.now;
    this.execution.updateTime = this.ctx.now;
    this.changed.add(task);
    return task;
  }

  addTask(task: Task): Task {
    this.execution.tasks.push(task);
    this.execution.updateTime = this.ctx.now;
    this.changed.add(task);
    return task;
  }

  /** Drops a task from the execution for good (a loop keeping only its last iterations). */
  removeTask(task: Task): void {
    const i = this.execution.tasks.indexOf(task);
    if (i < 0) return;
    this.execution.tasks.splice(i, 1);
    this.changed.delete(task);
    this.removed.push(task.taskId);
  }

  touchWorkflow(): void {
    this.workflowChanged = true;
    this.execution.updateTime = this.ctx.now;
  }

  effect(effect: QueueEffect): void {
    this.effects.push(effect);
  }

  httpCall(call: HttpCall): void {
    this.httpCalls.push(call);
  }

  message(message: WorkflowMessage): void {
    this.messages.push(message);
  }

  finish(): Decision {
    return {
      execution: this.execution,
      changedTasks: [...this.changed],
      workflowChanged: this.workflowChanged,
      effects: this.effects,
      httpCalls: this.httpCalls,
      messages: this.messages,
      removedTaskIds: this.removed,
      wakeAt: nextWakeAt(this.execution),
    };
  }
}
