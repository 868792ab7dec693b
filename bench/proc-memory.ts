// Peak resident memory of child processes (Linux /proc): the dynamic-provider host is a grandchild when the
// CLI runs it, so it is found by its command line among this process's descendants, not by pid.
import * as fs from "node:fs";

/** Parent pid of a process, or undefined once it is gone. */
function parentOf(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may hold spaces and parentheses; the fields after its closing parenthesis do not.
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined;
  }
}

/** Whether `pid` descends from this process (other users of the machine run hosts of their own). */
function isDescendant(pid: number): boolean {
  for (let p: number | undefined = pid, hops = 0; p && p > 1 && hops < 32; hops++) {
    p = parentOf(p);
    if (p === process.pid) return true;
  }
  return false;
}

/** Pids of this process's descendants whose command line contains `needle`. */
export function pidsMatching(needle: string): number[] {
  const pids: number[] = [];
  let entries: string[] = [];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return pids;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${e}/cmdline`, "utf8");
      if (cmd.includes(needle) && isDescendant(Number(e))) pids.push(Number(e));
    } catch {
      // the process ended meanwhile
    }
  }
  return pids;
}

/** VmHWM (peak RSS) of a process in MiB, or undefined once it is gone. */
export function peakRssMiB(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Samples the peak RSS of every process matching `needle` until stopped; returns the largest seen. */
export function watchPeakRss(needle: string, everyMs = 100): { stop(): number } {
  let peak = 0;
  const sample = () => {
    for (const pid of pidsMatching(needle)) peak = Math.max(peak, peakRssMiB(pid) ?? 0);
  };
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    stop() {
      sample();
      clearInterval(timer);
      return peak;
    },
  };
}

/** Peak RSS of the processes matching `needle` per named phase (each command runs a host of its own). */
export class PeakPerPhase {
  /** Largest RSS seen during each phase, MiB. */
  readonly peaks: Record<string, number> = {};
  constructor(private readonly needle: string) {}

  /** Runs `fn` as the phase `name`, watching the peak RSS meanwhile. */
  async during<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const watch = watchPeakRss(this.needle);
    try {
      return await fn();
    } finally {
      this.peaks[name] = Math.max(this.peaks[name] ?? 0, watch.stop());
    }
  }

  /** The largest peak of all phases, MiB. */
  max(): number {
    return Math.max(0, ...Object.values(this.peaks));
  }
}
