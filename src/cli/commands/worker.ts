/**
 * `audioclass worker`: classifies a queue's files until stopped (or, with --until-empty, until
 * nothing is left). Start it on as many machines as you like. With --workers N it starts N
 * worker processes here (each its own model session and BullMQ worker, so a crash in one leaves
 * the others running) and passes signals on to them.
 *
 * SIGTERM/SIGINT: no new jobs; running ones finish within --shutdown-timeout, and any still
 * running then go back to the queue at once. A second signal stops at once (BullMQ's stalled-job
 * check then hands those jobs out again after --lock-duration, as for a killed worker).
 */
import { spawn } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { JobQueue } from "../../queue/job-queue.js";
import { type JobOutcome, QueueWorker, WORKER_DEFAULTS } from "../../queue/queue-worker.js";
import type { CliIO } from "../cli-io.js";
import { UsageError } from "../cli-io.js";
import { integerOption, numberOption, parseCommand, stringOption } from "../parse-options.js";
import { QUEUE_OPTION_HELP, QUEUE_OPTION_SPEC, queueTarget } from "../queue-options.js";

const DEFAULT_SHUTDOWN_SECONDS = 30;
/** How often --until-empty looks at the queue, and how often progress is logged. */
const EMPTY_POLL_MS = 500;
const PROGRESS_INTERVAL_MS = 30_000;

export const workerUsage = `Usage: audioclass worker [options]

Takes jobs from a Redis-backed queue (\`audioclass queue add\`), classifies each file with the
model and settings the queue was created with, and stores one result per file in Redis. Run
it on any number of machines. Failures that may pass are retried with backoff; files that
cannot be decoded go to the failed set with their reason. A killed worker's jobs are handed out
again (after --lock-duration); a Redis restart is ridden out (reconnects, loses nothing with
appendonly yes).

Options:
${QUEUE_OPTION_HELP}
  --concurrency N       jobs in progress per worker process (default 2: reading and decoding
                        one file overlaps the model run of another)
  --workers N           worker processes on this machine (default 1)
  --threads N           CPU threads per worker process (default: cores / --workers)
  --until-empty         exit once nothing is waiting, running or waiting to be retried
  --shutdown-timeout S  on SIGTERM/SIGINT, how long running jobs may take to finish before they
                        are handed back to the queue (default ${DEFAULT_SHUTDOWN_SECONDS})
  --lock-duration S     how soon the jobs of a worker that died come back (default ${WORKER_DEFAULTS.lockDurationMs / 1000})
  --cache-dir DIR       Hugging Face cache folder (as for classify)
  --local-files-only    never contact the hub; use the cache only
  --max-memory MB       refuse model runs (and inputs) estimated above this many MiB
`;

export async function workerCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommand(argv, {
    ...QUEUE_OPTION_SPEC,
    concurrency: { type: "string", short: "c" },
    workers: { type: "string", short: "w" },
    threads: { type: "string" },
    "until-empty": { type: "boolean" },
    "shutdown-timeout": { type: "string" },
    "lock-duration": { type: "string" },
    "cache-dir": { type: "string" },
    "local-files-only": { type: "boolean" },
    "max-memory": { type: "string" },
  });
  if (positionals.length > 0) throw new UsageError(`worker takes no files (add them with \`audioclass queue add\`); unexpected argument ${JSON.stringify(positionals[0])}`);
  const target = queueTarget(values, io);
  const workers = integerOption(values, "workers") ?? 1;
  const threads = integerOption(values, "threads") ?? Math.max(1, Math.floor(availableParallelism() / workers));
  const shutdownSeconds = numberOption(values, "shutdown-timeout") ?? DEFAULT_SHUTDOWN_SECONDS;
  if (!(shutdownSeconds >= 0)) throw new UsageError(`--shutdown-timeout must be ≥ 0 seconds, got ${shutdownSeconds}`);
  const lockSeconds = numberOption(values, "lock-duration");
  if (lockSeconds !== undefined && !(lockSeconds >= 1)) throw new UsageError(`--lock-duration must be at least 1 second, got ${lockSeconds}`);
  if (workers > 1) return runProcesses(argv, workers, threads, io);

  const log = (message: string): void => io.stderr(`audioclass worker ${process.pid}: ${message}\n`);
  const counts: Record<JobOutcome, number> = { stored: 0, "already-stored": 0, failed: 0, retrying: 0 };
  const stop = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals++;
    if (signals > 1) {
      log(`${signal} again: stopping now; the jobs still running come back to the queue after their lock expires`);
      process.exit(1);
    }
    log(`${signal}: finishing the jobs running (up to ${shutdownSeconds} s; send it again to stop at once)`);
    stop.abort();
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  const cacheDir = stringOption(values, "cache-dir");
  const maxMemoryMB = integerOption(values, "max-memory");
  let worker: QueueWorker | undefined;
  // --until-empty watches the queue on a connection of its own, opened first: once the worker
  // runs, every connection rides out Redis restarts, and only the first contact may fail.
  let watcher: JobQueue | undefined;
  try {
    if (values["until-empty"] === true) watcher = await JobQueue.open(target.url, target.queue);
    worker = await QueueWorker.start(
      {
        url: target.url,
        queue: target.queue,
        concurrency: integerOption(values, "concurrency") ?? 2,
        load: {
          threads,
          ...(cacheDir !== undefined && { cacheDir }),
          ...(values["local-files-only"] === true && { localFilesOnly: true }),
          ...(maxMemoryMB !== undefined && { maxMemoryMB }),
          stderr: io.stderrStream,
          env: io.env,
        },
        ...(lockSeconds !== undefined && { lockDurationMs: lockSeconds * 1000, stalledIntervalMs: lockSeconds * 1000 }),
        log,
        onOutcome: (outcome) => counts[outcome]++,
      },
      stop.signal,
    );
    if (worker === undefined) return 0; // stopped before the first file was added
    log(`taking jobs from queue ${target.queue}`);
    const progress = setInterval(() => log(summary(counts)), PROGRESS_INTERVAL_MS);
    progress.unref();
    if (watcher !== undefined) await untilEmptyOrStopped(watcher, stop.signal);
    else await new Promise((resolve) => stop.signal.addEventListener("abort", resolve, { once: true }));
    clearInterval(progress);
    const { handedBack } = await worker.close(shutdownSeconds * 1000);
    log(`stopped: ${summary(counts)}${handedBack > 0 ? `; ${handedBack} running job${handedBack === 1 ? "" : "s"} handed back to the queue` : ""}`);
    return 0;
  } finally {
    // On an error too: a BullMQ worker left running would keep the process alive.
    await worker?.close(shutdownSeconds * 1000);
    await watcher?.close();
    process.off("SIGTERM", onSignal);
    process.off("SIGINT", onSignal);
  }
}

function summary(counts: Record<JobOutcome, number>): string {
  return `${counts.stored} stored, ${counts["already-stored"]} already stored, ${counts.failed} failed, ${counts.retrying} to retry`;
}

async function untilEmptyOrStopped(queue: JobQueue, stop: AbortSignal): Promise<void> {
  while (!stop.aborted) {
    const counts = await queue.bull.getJobCounts("waiting", "prioritized", "active", "delayed", "waiting-children");
    if (Object.values(counts).every((n) => n === 0)) return;
    await new Promise((resolve) => setTimeout(resolve, EMPTY_POLL_MS));
  }
}

/**
 * N worker processes of this same command (each with --workers 1). They run in their own process
 * group, so a Ctrl-C reaches them once, passed on from here, not twice. From the TypeScript sources
 * (tests, `tsx`) the children need tsx's loader; from the package, plain node runs main.js.
 */
async function runProcesses(argv: readonly string[], workers: number, threads: number, io: CliIO): Promise<number> {
  const fromSource = import.meta.url.endsWith(".ts");
  const main = fileURLToPath(new URL(`../main.${fromSource ? "ts" : "js"}`, import.meta.url));
  const loader = fromSource ? ["--import", import.meta.resolve("tsx/esm")] : [];
  const childArgs = [...withoutOption(argv, "workers", "w"), "--workers", "1", "--threads", String(threads)];
  const children = Array.from({ length: workers }, () => spawn(process.execPath, [...loader, main, "worker", ...childArgs], { stdio: ["ignore", "inherit", "inherit"], detached: true }));
  io.stderr(`audioclass worker: started ${workers} worker processes (${children.map((c) => c.pid).join(", ")}), ${threads} thread${threads === 1 ? "" : "s"} each\n`);
  const forward = (signal: NodeJS.Signals): void => {
    for (const child of children) child.kill(signal);
  };
  process.on("SIGTERM", forward);
  process.on("SIGINT", forward);
  try {
    const codes = await Promise.all(children.map((child) => new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? 1)))));
    return Math.max(...codes);
  } finally {
    process.off("SIGTERM", forward);
    process.off("SIGINT", forward);
  }
}

/** argv without `--name V`, `--name=V`, `-s V` (and --threads, which each child gets its share of). */
function withoutOption(argv: readonly string[], name: string, short: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === `--${name}` || arg === `-${short}` || arg === "--threads") i++;
    else if (!arg.startsWith(`--${name}=`) && !arg.startsWith("--threads=")) out.push(arg);
  }
  return out;
}
