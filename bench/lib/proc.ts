/** What Linux tells us about processes and the machine. */
import { readFileSync } from "node:fs";
import { cpus } from "node:os";

/** Clock ticks per second used by /proc/<pid>/stat; 100 on every mainstream Linux build. */
const CLOCK_TICKS = 100;

/** User + system CPU seconds consumed so far by a live process (its own threads, not children). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) may contain spaces; the numeric fields start after its ')'.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / CLOCK_TICKS;
}

export function machineInfo(): { nproc: number; cpuModel: string; bun: string; kernel: string } {
  let cpuModel = cpus()[0]?.model ?? "unknown";
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8").split("\n").find((l) => l.startsWith("model name"));
    if (line) cpuModel = line.split(":")[1].trim();
  } catch {
    // not Linux: keep what node:os said
  }
  let kernel = "unknown";
  try {
    kernel = readFileSync("/proc/sys/kernel/osrelease", "utf8").trim();
  } catch {
    // not Linux
  }
  return { nproc: navigator.hardwareConcurrency ?? cpus().length, cpuModel, bun: Bun.version, kernel };
}

/** The process's peak resident set size so far, in MiB. */
export function peakRssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("VmHWM:"));
  return line ? Number(line.split(/\s+/)[1]) / 1024 : NaN;
}

/** The 1-minute load average. */
export function loadAverage(): number {
  try {
    return Number(readFileSync("/proc/loadavg", "utf8").split(" ")[0]);
  } catch {
    return NaN;
  }
}

/** CPU seconds all processes on the machine have spent busy (every core summed), from /proc/stat. */
export function machineBusySeconds(): number {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0];
  // cpu  user nice system idle iowait irq softirq steal guest guest_nice
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS;
}

/** This process's own CPU seconds (user + system). */
export function ownCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/**
 * Waits until the rest of the machine is nearly idle (other users' jobs share these cores and
 * would skew the next scenario), giving up after `maxWaitMs`. Resolves with the busy fraction
 * of one core seen last.
 */
export async function waitForQuiet(maxWaitMs = 30_000, threshold = 0.15): Promise<number> {
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    const before = machineBusySeconds();
    await Bun.sleep(500);
    const busy = (machineBusySeconds() - before) / 0.5;
    if (busy < threshold || Date.now() >= deadline) return busy;
  }
}

export interface CpuWindow {
  /** The measured window's length in seconds (`performance.now()`). */
  seconds: number;
  server: number;
  workers: number;
  /** This process (the starter, the coordinator). */
  own: number;
  /** Everything else the machine ran meanwhile (other users' jobs, the kernel): noise. */
  other: number;
}

/**
 * Opens a CPU-accounting window over the server, the worker processes and this process; the
 * function it returns closes it and says what each used (CPU seconds).
 */
export function cpuWindow(serverPid: number, workerPids: number[] = []): () => CpuWindow {
  const sum = (pids: number[]) => pids.reduce((s, pid) => s + cpuSeconds(pid), 0);
  const t0 = performance.now();
  const server0 = cpuSeconds(serverPid);
  const workers0 = sum(workerPids);
  const machine0 = machineBusySeconds();
  const own0 = ownCpuSeconds();
  return () => {
    const server = cpuSeconds(serverPid) - server0;
    const workers = sum(workerPids) - workers0;
    const own = ownCpuSeconds() - own0;
    const machine = machineBusySeconds() - machine0;
    return { seconds: (performance.now() - t0) / 1000, server, workers, own, other: machine - server - workers - own };
  };
}
