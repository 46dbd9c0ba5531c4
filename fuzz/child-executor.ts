/**
 * Runs inputs in a forked child process and enforces the bounds the child cannot enforce on
 * itself: a time limit per input (a hung WASM loop never returns to the event loop) and a
 * resident-memory limit (typed arrays and WASM memory live outside V8's heap limit). Either kills
 * the child; the next input gets a fresh one. Between inputs a child grown past half the bound is
 * replaced too, so long runs stay within it.
 *
 * Time is the child's CPU time, not the wall clock: on a machine shared with other work an input
 * may get a fraction of a core, and 5 s of wall clock would then call ordinary inputs hangs. A
 * wait that burns no CPU (a promise nobody settles) is cut by a wall-clock backstop instead.
 */
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ChildMessage, Outcome, RunRequest } from "./outcome.js";

export interface ExecutorOptions {
  /** Per-input bound on the child's CPU time (user + system). Default 5000 ms. */
  readonly timeoutMs?: number;
  /** Per-input wall-clock backstop, for waits that burn no CPU. Default 12 × timeoutMs. */
  readonly wallTimeoutMs?: number;
  /** Resident-memory bound of the child. Default 1 GiB. */
  readonly memoryLimitBytes?: number;
  /** Extra target modules the child loads (tests). */
  readonly targetModules?: readonly string[];
}

const CHILD = fileURLToPath(new URL("./child.ts", import.meta.url));
const PAGE_SIZE = 4096;
/** Linux reports CPU time in USER_HZ ticks, 100 a second on every architecture's ABI. */
const MS_PER_CLOCK_TICK = 10;
const POLL_MS = 20;
const STDERR_TAIL = 4000;

/** Resident bytes of a process from /proc (Linux); undefined elsewhere or once it is gone. */
function residentBytes(pid: number): number | undefined {
  try {
    return Number(readFileSync(`/proc/${pid}/statm`, "utf8").split(" ")[1]) * PAGE_SIZE;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) a process has used, from /proc (Linux); undefined elsewhere or once it is gone. */
function cpuMs(pid: number): number | undefined {
  try {
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * MS_PER_CLOCK_TICK; // utime, stime (fields 14, 15)
  } catch {
    return undefined;
  }
}

interface Running {
  readonly id: number;
  readonly child: ChildProcess;
  finish(outcome: Outcome): void;
}

export class ChildExecutor {
  readonly timeoutMs: number;
  readonly wallTimeoutMs: number;
  readonly memoryLimitBytes: number;
  private readonly targetModules: readonly string[];
  private child: ChildProcess | undefined;
  private ready: Promise<void> | undefined;
  private running: Running | undefined;
  private stderr = "";
  private nextId = 1;
  /** Children started so far (the first one included). */
  starts = 0;
  /** Resident bytes of the child after the last input. */
  lastRssBytes = 0;

  constructor(options: ExecutorOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.wallTimeoutMs = options.wallTimeoutMs ?? 12 * this.timeoutMs;
    this.memoryLimitBytes = options.memoryLimitBytes ?? 1024 * 1024 * 1024;
    this.targetModules = options.targetModules ?? [];
  }

  private start(): Promise<void> {
    this.starts++;
    this.stderr = "";
    // The V8 heap may use the whole bound; the RSS watchdog is what stops a run first.
    const heapMiB = Math.max(64, Math.round(this.memoryLimitBytes / (1024 * 1024)));
    // Made here, not in the child: a child killed for a hang cannot clean up after itself.
    const scratchDir = mkdtempSync(join(tmpdir(), "audioclass-fuzz-"));
    const child = fork(CHILD, [...this.targetModules], {
      execArgv: ["--import", "tsx", `--max-old-space-size=${heapMiB}`, "--no-warnings"],
      env: { ...process.env, AUDIOCLASS_FUZZ_SCRATCH: scratchDir },
      serialization: "advanced",
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    child.once("exit", () => rmSync(scratchDir, { recursive: true, force: true }));
    this.child = child;
    child.stdout!.resume(); // codec chatter is not ours to print
    child.stderr!.on("data", (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-STDERR_TAIL);
    });
    const ready = new Promise<void>((resolve, reject) => {
      const onMessage = (message: ChildMessage): void => {
        if (message.type === "ready") {
          child.off("exit", onEarlyExit);
          resolve();
        }
      };
      const onEarlyExit = (code: number | null): void => reject(new Error(`the fuzz child exited (code ${code}) before it was ready:\n${this.stderr}`));
      child.on("message", onMessage);
      child.once("exit", onEarlyExit);
    });
    child.on("message", (message: ChildMessage) => {
      if (message.type === "result" && this.running?.child === child && this.running.id === message.id) {
        this.lastRssBytes = message.rssBytes;
        this.running.finish(message.outcome);
      }
    });
    child.on("exit", (code, signal) => {
      if (this.child === child) this.child = undefined;
      if (this.running?.child === child) this.running.finish({ kind: "crash", exitCode: code, signal, stderr: this.stderr });
    });
    return ready;
  }

  /** Runs one input; never throws for anything the input does. */
  async run(target: string, input: Uint8Array): Promise<Outcome> {
    if (this.child === undefined || this.lastRssBytes > this.memoryLimitBytes / 2) {
      await this.restart();
    }
    await this.ready;
    const child = this.child!;
    const id = this.nextId++;
    return new Promise<Outcome>((resolve) => {
      let done = false;
      const finish = (outcome: Outcome): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        clearInterval(poll);
        this.running = undefined;
        resolve(outcome);
      };
      const kill = (outcome: Outcome): void => {
        finish(outcome);
        this.child = undefined;
        child.kill("SIGKILL");
      };
      // Without /proc (not Linux) the CPU clock is unavailable and the wall clock takes its bound.
      const cpuAtStart = cpuMs(child.pid!);
      const wallBound = cpuAtStart === undefined ? this.timeoutMs : this.wallTimeoutMs;
      const timer = setTimeout(() => kill({ kind: "timeout", clock: "wall", ms: wallBound }), wallBound);
      const poll = setInterval(() => {
        const rss = residentBytes(child.pid!);
        if (rss !== undefined && rss > this.memoryLimitBytes) kill({ kind: "memory", rssBytes: rss });
        const cpu = cpuAtStart === undefined ? undefined : cpuMs(child.pid!);
        if (cpu !== undefined && cpu - cpuAtStart! > this.timeoutMs) kill({ kind: "timeout", clock: "cpu", ms: this.timeoutMs });
      }, POLL_MS);
      this.running = { id, child, finish };
      const request: RunRequest = { type: "run", id, target, input };
      child.send(request);
    });
  }

  /** Replaces the child with a fresh one (after a kill, or to re-run an input from a clean state). */
  async restart(): Promise<void> {
    await this.stop();
    this.lastRssBytes = 0;
    this.ready = this.start();
    await this.ready;
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGKILL");
    await exited;
  }
}
