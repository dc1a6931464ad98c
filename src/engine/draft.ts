/**
 * A decision in progress. The decider mutates the execution it is handed (the caller owns that
 * copy and discards it if the commit fails); the draft records what changed so the host writes
 * only that.
 */
import type { Task, Workflow } from "../model/index.ts";
import type { DecideContext, Decision, QueueEffect } from "./context.ts";
import { nextWakeAt } from "./timeouts.ts";

export class Draft {
  private readonly changed = new Set<Task>();
  private workflowChanged = false;
  readonly effects: QueueEffect[] = [];

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

  touchWorkflow(): void {
    this.workflowChanged = true;
    this.execution.updateTime = this.ctx.now;
  }

  effect(effect: QueueEffect): void {
    this.effects.push(effect);
  }

  finish(): Decision {
    return {
      execution: this.execution,
      changedTasks: [...this.changed],
      workflowChanged: this.workflowChanged,
      effects: this.effects,
      wakeAt: nextWakeAt(this.execution),
    };
  }
}
