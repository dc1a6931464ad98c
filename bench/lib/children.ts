/** Bench child processes (workers, load clients) that talk to the coordinator over IPC. */
import { join } from "node:path";
import type { Subprocess } from "bun";
import { ROOT } from "./server.ts";

export interface Message {
  type: string;
  [key: string]: unknown;
}

export interface Child {
  process: Subprocess;
  pid: number;
  /** Resolves with the next message of that type (or one already received and not yet taken). */
  next(type: string, timeoutMs?: number): Promise<Message>;
  send(message: Message): void;
  kill(): Promise<void>;
}

/** `onMessage` sees every message first; returning true consumes it (no `next` will see it). */
export function spawnChild(script: string, env: Record<string, string>, onMessage?: (m: Message) => boolean | void): Child {
  const inbox: Message[] = [];
  const waiting: { type: string; resolve: (m: Message) => void }[] = [];
  const proc = Bun.spawn([process.execPath, join(ROOT, "bench", script)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdout: "inherit",
    stderr: "inherit",
    ipc(message: Message) {
      if (onMessage?.(message) === true) return;
      const i = waiting.findIndex((w) => w.type === message.type);
      if (i >= 0) waiting.splice(i, 1)[0].resolve(message);
      else inbox.push(message);
    },
  });
  return {
    process: proc,
    pid: proc.pid,
    next(type, timeoutMs = 30_000) {
      const i = inbox.findIndex((m) => m.type === type);
      if (i >= 0) return Promise.resolve(inbox.splice(i, 1)[0]);
      return new Promise((resolve, reject) => {
        const entry = { type, resolve: (m: Message) => (clearTimeout(timer), resolve(m)) };
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(entry), 1);
          reject(new Error(`${script} (pid ${proc.pid}) sent no '${type}' within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.push(entry);
        proc.exited.then((code) => {
          if (waiting.includes(entry)) reject(new Error(`${script} (pid ${proc.pid}) exited with ${code} before sending '${type}'`));
        });
      });
    },
    send(message) {
      proc.send(message);
    },
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
      await proc.exited;
    },
  };
}
