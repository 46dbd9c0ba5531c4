/**
 * Resident memory of other processes (the server's inference workers), read from Linux's /proc.
 * Elsewhere there is no cheap way to ask, and callers report nothing rather than a guess.
 */
import { readFileSync } from "node:fs";

/** Resident bytes of a process, or undefined when it is gone or /proc is not there. */
export function residentBytes(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m === null ? undefined : Number(m[1]) * 1024;
  } catch {
    return undefined;
  }
}

/** The direct children of a process (Linux ≥ 3.5), or [] when that cannot be read. */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
