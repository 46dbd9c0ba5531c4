/**
 * `audioclass queue <add|status|results|drain|clean>`: the Redis-backed queue seen from any
 * machine. `add` lives in queue-add.ts; the others are small reads and deletions here.
 */
import { JobQueue } from "../../queue/job-queue.js";
import { QueueOptionError } from "../../queue/errors.js";
import { describeSettings, readSettings } from "../../queue/queue-settings.js";
import { redactedUrl, redisSetupWarnings } from "../../queue/redis-connection.js";
import type { CliIO } from "../cli-io.js";
import { UsageError } from "../cli-io.js";
import { ResultWriter } from "../output-format.js";
import { choiceOption, parseCommand } from "../parse-options.js";
import { QUEUE_OPTION_HELP, QUEUE_OPTION_SPEC, queueTarget } from "../queue-options.js";
import { queueAddCommand } from "./queue-add.js";

export const queueUsage = `Usage: audioclass queue <add|status|results|drain|clean> [options]

A queue of audio files in Redis (BullMQ), classified by \`audioclass worker\` on any number of
machines. At-least-once processing, exactly one stored result per file.

  add FILES|DIRS|URLS   add one job per file (idempotent); see \`audioclass queue add --help\`
  status                counts (waiting, active, retrying, done, failed), rate and ETA
  results               export the stored records, one per file (--format jsonl|csv|json,
                        --failed for the failures only)
  drain                 remove the jobs not yet started (results stay; running jobs finish)
  clean                 delete the queue: jobs, results, failures and settings (--force even
                        while workers are running jobs)

Options:
${QUEUE_OPTION_HELP}
  --format F            status: text (default) or json; results: jsonl (default), csv or json
  --failed              results: only the files that failed, with their reason
  --force               clean: also while jobs are running
`;

export async function queueCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case "add":
      return queueAddCommand(rest, io);
    case "status":
      return statusCommand(rest, io);
    case "results":
      return resultsCommand(rest, io);
    case "drain":
      return drainCommand(rest, io);
    case "clean":
      return cleanCommand(rest, io);
    default:
      throw new UsageError(sub === undefined ? "which queue command? add, status, results, drain or clean" : `unknown queue command ${JSON.stringify(sub)}: use add, status, results, drain or clean`);
  }
}

async function withQueue<T>(argv: readonly string[], io: CliIO, extra: Parameters<typeof parseCommand>[1], run: (queue: JobQueue, values: Record<string, unknown>) => Promise<T>): Promise<T> {
  const { values, positionals } = parseCommand(argv, { ...QUEUE_OPTION_SPEC, ...extra });
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const target = queueTarget(values, io);
  const queue = await JobQueue.open(target.url, target.queue);
  try {
    return await run(queue, values);
  } finally {
    await queue.close();
  }
}

export interface QueueStatus {
  queue: string;
  redis: string;
  settings: string | null;
  waiting: number;
  active: number;
  /** Waiting out a retry's backoff. */
  retrying: number;
  done: number;
  failed: number;
  /** Files stored per second over the last minute (null: none stored in that time). */
  rate: number | null;
  /** Seconds until the jobs left are done at that rate (null: no rate, or nothing left). */
  etaSeconds: number | null;
  warnings: string[];
}

async function statusCommand(argv: readonly string[], io: CliIO): Promise<number> {
  return withQueue(argv, io, { format: { type: "string" } }, async (queue, values) => {
    const format = choiceOption(values as never, "format", ["text", "json"] as const) ?? "text";
    await queue.recordBullFailures();
    const settings = await readSettings(queue.redis, queue.name, queue.keys);
    const jobs = await queue.bull.getJobCounts("waiting", "prioritized", "active", "delayed");
    const { done, failed } = await queue.store.counts();
    const rate = (await queue.store.ratePerSecond()) ?? null;
    const left = jobs["waiting"]! + jobs["prioritized"]! + jobs["active"]! + jobs["delayed"]!;
    const status: QueueStatus = {
      queue: queue.name,
      redis: redactedUrl(queue.url),
      settings: settings === undefined ? null : describeSettings(settings),
      waiting: jobs["waiting"]! + jobs["prioritized"]!,
      active: jobs["active"]!,
      retrying: jobs["delayed"]!,
      done,
      failed,
      rate,
      etaSeconds: rate === null || left === 0 ? null : Math.round(left / rate),
      warnings: await redisSetupWarnings(queue.redis),
    };
    io.stdout(format === "json" ? `${JSON.stringify(status, null, 2)}\n` : statusText(status));
    return 0;
  });
}

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return h > 0 ? `${h} h ${m} min` : `${m} min ${seconds % 60} s`;
}

function statusText(s: QueueStatus): string {
  const lines = [
    `queue ${s.queue} at ${s.redis}${s.settings === null ? " (empty: no files added yet)" : `: ${s.settings}`}`,
    `  waiting   ${s.waiting}`,
    `  active    ${s.active}`,
    `  retrying  ${s.retrying}`,
    `  done      ${s.done}`,
    `  failed    ${s.failed}`,
    `  rate      ${s.rate === null ? "-" : `${s.rate.toFixed(1)} files/s (last minute)`}`,
    `  ETA       ${s.etaSeconds === null ? "-" : duration(s.etaSeconds)}`,
    ...s.warnings.map((w) => `warning: ${w}`),
  ];
  return `${lines.join("\n")}\n`;
}

async function resultsCommand(argv: readonly string[], io: CliIO): Promise<number> {
  return withQueue(argv, io, { format: { type: "string", short: "f" }, failed: { type: "boolean" } }, async (queue, values) => {
    const format = choiceOption(values as never, "format", ["jsonl", "csv", "json"] as const) ?? "jsonl";
    await queue.recordBullFailures();
    const settings = await readSettings(queue.redis, queue.name, queue.keys);
    const writer = new ResultWriter(format, io.stdout, settings?.mode ?? "clips");
    for await (const record of queue.store.records(values["failed"] === true ? "failed" : "all")) writer.add(record);
    writer.end();
    return 0;
  });
}

async function drainCommand(argv: readonly string[], io: CliIO): Promise<number> {
  return withQueue(argv, io, {}, async (queue) => {
    const before = await queue.bull.getJobCounts("waiting", "prioritized", "delayed");
    // BullMQ's drain: waiting and delayed jobs go; running ones finish and store their results.
    await queue.bull.drain(true);
    const removed = Object.values(before).reduce((a, b) => a + b, 0);
    io.stderr(`audioclass queue drain: removed ${removed} job${removed === 1 ? "" : "s"} not yet started from queue ${queue.name}; results stay\n`);
    return 0;
  });
}

async function cleanCommand(argv: readonly string[], io: CliIO): Promise<number> {
  return withQueue(argv, io, { force: { type: "boolean" } }, async (queue, values) => {
    const force = values["force"] === true;
    const active = await queue.bull.getActiveCount();
    if (active > 0 && !force) {
      throw new QueueOptionError(`queue ${queue.name} has ${active} job${active === 1 ? "" : "s"} running: stop its workers first (SIGTERM hands their jobs back), or pass --force to delete it anyway`);
    }
    await queue.bull.obliterate({ force: true });
    await queue.store.deleteAll();
    io.stderr(`audioclass queue clean: deleted queue ${queue.name}: its jobs, results, failures and settings\n`);
    return 0;
  });
}
