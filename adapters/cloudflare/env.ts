/** The bindings wrangler.toml gives the Worker and its objects. */
export interface Env {
  DB: D1Database;
  WORKFLOWS: DurableObjectNamespace;
  TASK_QUEUES: DurableObjectNamespace;
}
