/**
 * The API's services where executions and queues are objects of their own (the Workers build):
 * each call is routed to the workflow's object or the queue's object; what spans many
 * executions (lists, correlation lookups) reads the search index.
 */
import { queueName } from "../engine/tasks/worker.ts";
import { NotFound } from "../errors.ts";
import { isTerminalTaskStatus, type PollData, type StartWorkflowRequest, type Task, type TaskExecLog, type TaskResult, type TaskResultStatus, type Workflow } from "../model/index.ts";
import type { Peers, WorkflowPeer } from "../ports/peers.ts";
import type { PollRequest, TaskService, WorkflowService } from "../ports/services.ts";
import type { IndexStore, MetadataStore, QueueStore } from "../ports/stores.ts";
import { definitionForStart } from "./definitions.ts";
import { startParams } from "./execution-ops.ts";
import { workflowIdOfTask } from "./workflow-actor.ts";

export interface RoutedServicesDeps {
  peers: Peers;
  metadata: MetadataStore;
  index: IndexStore;
  /** Where queue objects write poll data behind (read for the poll-data endpoints). */
  pollData: QueueStore;
  newId?: () => string;
}

export class RoutedServices implements WorkflowService, TaskService {
  private readonly newId: () => string;

  constructor(private readonly deps: RoutedServicesDeps) {
    this.newId = deps.newId ?? (() => crypto.randomUUID());
  }

  private workflow(workflowId: string): WorkflowPeer {
    return this.deps.peers.workflow(workflowId);
  }

  private workflowOfTask(taskId: string): WorkflowPeer {
    const workflowId = workflowIdOfTask(taskId);
    if (!workflowId) throw new NotFound(`No such task found by id: ${taskId}`);
    return this.workflow(workflowId);
  }

  // ---- workflows ----

  async start(request: StartWorkflowRequest): Promise<string> {
    const definition = await definitionForStart(this.deps.metadata, request.name, request.version, request.workflowDef);
    const workflowId = this.newId();
    await this.workflow(workflowId).start(startParams(workflowId, definition, request));
    return workflowId;
  }

  async get(workflowId: string, includeTasks: boolean): Promise<Workflow> {
    const found = await this.workflow(workflowId).get(includeTasks);
    if (!found) throw new NotFound(`No such workflow found by id: ${workflowId}`);
    return found;
  }

  running(name: string, version: number, startTime?: number, endTime?: number): Promise<string[]> {
    return this.deps.index.findWorkflowIds({ workflowName: name, version, startTime, endTime });
  }

  async correlated(name: string, correlationIds: string[], includeClosed: boolean, includeTasks: boolean): Promise<Record<string, Workflow[]>> {
    const out: Record<string, Workflow[]> = {};
    for (const correlationId of correlationIds) {
      const ids = await this.deps.index.findWorkflowIds({ workflowName: name, correlationId, includeClosed });
      const found = await Promise.all(ids.map((id) => this.workflow(id).get(includeTasks)));
      out[correlationId] = found.filter((w): w is Workflow => w !== null);
    }
    return out;
  }

  terminate(workflowId: string, reason?: string): Promise<void> {
    return this.workflow(workflowId).terminate(reason);
  }

  remove(workflowId: string): Promise<void> {
    return this.workflow(workflowId).remove();
  }

  decide(workflowId: string): Promise<void> {
    return this.workflow(workflowId).decide();
  }

  // ---- tasks ----

  /**
   * Leases messages at the queue, starts each task at its workflow (a message whose task no longer
   * waits yields nothing), then acknowledges all of them to the queue. If this caller dies midway
   * the leases run out and the messages are handed out again.
   */
  async poll(taskType: string, request: PollRequest): Promise<Task[]> {
    const queue = this.deps.peers.queue(queueName(taskType, request.domain));
    const { signal } = request;
    // The long poll waits in the queue's object; if its client goes away, call it off there.
    const pollId = signal ? crypto.randomUUID() : undefined;
    const callOff = () => void queue.cancelPoll(pollId!).catch(() => undefined);
    signal?.addEventListener("abort", callOff, { once: true });
    let messages;
    try {
      messages = await queue.poll(request.count, request.timeoutMs, request.workerId, pollId);
    } finally {
      signal?.removeEventListener("abort", callOff);
    }
    if (messages.length === 0) return [];
    if (signal?.aborted) {
      await queue.release(messages.map((m) => m.taskId));
      return [];
    }
    const claimed = await Promise.all(messages.map((m) => this.workflow(m.workflowId).claim(m.taskId, request.workerId)));
    await queue.ack(messages.map((m) => m.taskId));
    return claimed.filter((t): t is Task => t !== null);
  }

  update(result: TaskResult): Promise<Task> {
    const peer = result.workflowInstanceId ? this.workflow(result.workflowInstanceId) : this.workflowOfTask(result.taskId);
    return peer.update(result);
  }

  async updateAndPoll(result: TaskResult): Promise<{ task: Task; next?: Task }> {
    const task = await this.update(result);
    if (!isTerminalTaskStatus(task.status)) return { task };
    const [next] = await this.poll(task.taskType, { workerId: result.workerId, domain: task.domain, count: 1, timeoutMs: 0 });
    return { task, next };
  }

  updateByRef(workflowId: string, taskRefName: string, status: TaskResultStatus, output: Record<string, unknown>, workerId?: string): Promise<string | undefined> {
    return this.workflow(workflowId).updateByRef(taskRefName, status, output, workerId);
  }

  async getTask(taskId: string): Promise<Task> {
    const task = await this.workflowOfTask(taskId).getTask(taskId);
    if (!task) throw new NotFound(`No such task found by id: ${taskId}`);
    return task;
  }

  addLog(taskId: string, log: string): Promise<void> {
    return this.workflowOfTask(taskId).addLog(taskId, log);
  }

  getLogs(taskId: string): Promise<TaskExecLog[]> {
    return this.workflowOfTask(taskId).getLogs(taskId);
  }

  queueSize(taskType: string, domain?: string): Promise<number> {
    return this.deps.peers.queue(queueName(taskType, domain)).size();
  }

  async pollData(taskType: string): Promise<PollData[]> {
    return (await this.deps.pollData.loadPollData()).filter((p) => p.queueName === taskType);
  }

  allPollData(): Promise<PollData[]> {
    return this.deps.pollData.loadPollData();
  }
}
