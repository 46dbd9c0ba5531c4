/**
 * `audioclass queue add`: one job per file on a Redis queue, for workers on any machine. Paths
 * are made absolute (workers on other machines must see the same paths: a shared mount), and so
 * is a model folder; a hub id stays an id. Files are sent in chunks (enqueue-files.ts) as they
 * are found, so a manifest of a million lines never sits in memory or costs a million round trips.
 */
import { createReadStream, existsSync } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { FUNCTIONS_TO_APPLY } from "../../pipelines/index.js";
import { ENQUEUE_DEFAULTS, enqueueFiles } from "../../queue/enqueue-files.js";
import { JobQueue } from "../../queue/job-queue.js";
import { normalizeSettings, type QueueSettings, describeSettings } from "../../queue/queue-settings.js";
import { redactedUrl, redisSetupWarnings } from "../../queue/redis-connection.js";
import type { CliIO } from "../cli-io.js";
import { UsageError } from "../cli-io.js";
import { expandInputs } from "../expand-inputs.js";
import { choiceOption, integerOption, numberOption, parseCommand, stringOption } from "../parse-options.js";
import { QUEUE_OPTION_HELP, QUEUE_OPTION_SPEC, queueTarget } from "../queue-options.js";
import { MODEL_DTYPES } from "../../models/index.js";

export const queueAddUsage = `Usage: audioclass queue add [options] FILES|DIRS|URLS...

Adds one job per audio file to a Redis-backed queue; \`audioclass worker\` on any number of
machines classifies them. Directories expand to the audio files inside them; --manifest reads
paths or URLs one per line. Adding a file again does nothing: a file is classified once.
Workers on other machines must see the files under the same absolute paths (a shared mount), or
use URLs.

Options:
${QUEUE_OPTION_HELP}
  --manifest FILE       also add the paths or URLs listed in FILE, one per line (- for standard
                        input; blank lines and lines starting with # are skipped)
  --model, -m M         model folder or Hugging Face id (default: the bundled model)
  --revision R          hub revision when --model is an id
  --dtype D             weight precision: ${MODEL_DTYPES.join(", ")} (default fp32)
  --top-k N             labels per file (default: all)
  --function F          softmax (default), sigmoid or none
  --decoder D           builtin (default) or ffmpeg (every worker machine then needs ffmpeg)
  --window S, --hop S   classify each whole file in windows (as classify --window)
  --events, --threshold T   events instead of windows (as classify --events)
  --attempts N          tries per file for failures that may pass (default ${ENQUEUE_DEFAULTS.attempts}; retries back off
                        1 s, 2 s, 4 s, …); files that cannot be decoded fail at once
  --chunk-size N        files per Redis round trip (default ${ENQUEUE_DEFAULTS.chunkSize})

A queue holds one model configuration: the first \`queue add\` sets it, and adding files with
other settings is refused (use another --queue).
`;

export async function queueAddCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommand(argv, {
    ...QUEUE_OPTION_SPEC,
    manifest: { type: "string", multiple: true },
    model: { type: "string", short: "m" },
    revision: { type: "string" },
    dtype: { type: "string" },
    "top-k": { type: "string", short: "k" },
    function: { type: "string" },
    decoder: { type: "string" },
    window: { type: "string" },
    hop: { type: "string" },
    threshold: { type: "string" },
    events: { type: "boolean" },
    attempts: { type: "string" },
    "chunk-size": { type: "string" },
  });
  const manifests = (values["manifest"] as string[] | undefined) ?? [];
  if (positionals.length === 0 && manifests.length === 0) throw new UsageError("no files: pass audio files, directories or URLs, or --manifest FILE");
  const target = queueTarget(values, io);
  const settings = settingsOf(values);
  const attempts = integerOption(values, "attempts");
  const chunkSize = integerOption(values, "chunk-size");

  const { files, missing } = positionals.length > 0 ? await expandInputs(positionals) : { files: [], missing: [] };
  for (const m of missing) io.stderr(`audioclass queue add: ${m.input}: ${m.reason}; not added\n`);

  const queue = await JobQueue.open(target.url, target.queue);
  try {
    for (const warning of await redisSetupWarnings(queue.redis)) io.stderr(`audioclass queue add: warning: ${warning}\n`);
    const counts = await enqueueFiles(queue, settings, inputsOf(files, manifests, io), {
      ...(attempts !== undefined && { attempts }),
      ...(chunkSize !== undefined && { chunkSize }),
    });
    io.stderr(
      `audioclass queue add: queue ${target.queue} at ${redactedUrl(target.url)} (${describeSettings(settings)}): ` +
        `added ${counts.added} file${counts.added === 1 ? "" : "s"}; ${counts.alreadyQueued} already queued, ${counts.alreadyDone} already done\n`,
    );
  } finally {
    await queue.close();
  }
  return missing.length > 0 ? 1 : 0;
}

/** Absolute paths (URLs as given), from the arguments first, then each manifest line by line. */
async function* inputsOf(files: readonly string[], manifests: readonly string[], io: CliIO): AsyncGenerator<string> {
  for (const file of files) yield absolute(file);
  for (const manifest of manifests) {
    if (manifest !== "-" && !existsSync(manifest)) throw new UsageError(`--manifest ${JSON.stringify(manifest)}: no such file; give a text file with one path or URL per line`);
    const input = manifest === "-" ? Readable.from(io.stdin ?? process.stdin) : createReadStream(manifest);
    const lines = createInterface({ input, crlfDelay: Infinity });
    for await (const line of lines) {
      const entry = line.trim();
      if (entry !== "" && !entry.startsWith("#")) yield absolute(entry);
    }
  }
}

function absolute(input: string): string {
  return /^https?:\/\//i.test(input) ? input : resolve(input);
}

function settingsOf(values: Record<string, unknown>): QueueSettings {
  const v = values as Parameters<typeof stringOption>[0];
  const model = stringOption(v, "model");
  const window = numberOption(v, "window");
  const hop = numberOption(v, "hop");
  const threshold = numberOption(v, "threshold");
  for (const [name, n] of [["window", window], ["hop", hop]] as const) {
    if (n !== undefined && !(n > 0)) throw new UsageError(`--${name} must be a positive number of seconds, got ${n}`);
  }
  const events = v["events"] === true;
  const windowed = window !== undefined || hop !== undefined || events;
  if (!windowed && threshold !== undefined) throw new UsageError("--threshold applies to --events: add --events");
  return normalizeSettings({
    // A local folder travels as an absolute path; anything else is a hub id.
    model: model === undefined ? null : existsSync(model) ? resolve(model) : model,
    revision: stringOption(v, "revision") ?? null,
    dtype: choiceOption(v, "dtype", MODEL_DTYPES),
    topK: integerOption(v, "top-k") ?? null,
    functionToApply: choiceOption(v, "function", FUNCTIONS_TO_APPLY) ?? "softmax",
    decoder: choiceOption(v, "decoder", ["builtin", "ffmpeg"] as const) ?? "builtin",
    mode: events ? "events" : windowed ? "windows" : "clips",
    window: window ?? null,
    hop: hop ?? null,
    threshold: threshold ?? null,
  });
}
