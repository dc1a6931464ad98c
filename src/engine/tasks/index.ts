/**
 * The task types the engine runs itself. Worker tasks (SIMPLE and any type that is not a
 * system type) need no entry; a system type missing here is refused at registration rather
 * than queued for a worker that will never come.
 */
const RUNNABLE_SYSTEM_TASK_TYPES: ReadonlySet<string> = new Set<string>([]);

export function isRunnableSystemTaskType(type: string): boolean {
  return RUNNABLE_SYSTEM_TASK_TYPES.has(type);
}
