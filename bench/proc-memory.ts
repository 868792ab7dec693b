// Peak resident memory of child processes (Linux /proc): the dynamic-provider host is a grandchild when the
// CLI runs it, so it is found by its command line among all processes, not by pid.
import * as fs from "node:fs";

/** Pids whose command line contains `needle`. */
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
      if (cmd.includes(needle) && Number(e) !== process.pid) pids.push(Number(e));
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
