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
