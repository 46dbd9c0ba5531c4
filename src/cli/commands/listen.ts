/**
 * `audioclass listen`: classifies a live stream of raw PCM read from standard input, printing
 * each window's result as soon as the window is complete:
 *
 *     arecord -f S16_LE -r 16000 -c 1 | audioclass listen
 *     ffmpeg -i <stream> -f s16le -ac 1 -ar 16000 - | audioclass listen --window 2 --hop 1
 *
 * When the input ends, the latency (from a window's last sample to its result) is summarised
 * on stderr.
 */
import { bundledDefaultModel, createAudioClassificationPipeline, FUNCTIONS_TO_APPLY } from "../../pipelines/index.js";
import type { CliIO } from "../cli-io.js";
import { UsageError } from "../cli-io.js";
import { MODEL_OPTION_HELP, MODEL_OPTION_SPEC, modelLoadOptions } from "../model-options.js";
import { formatRecord } from "../output-format.js";
import { choiceOption, integerOption, numberOption, parseCommand } from "../parse-options.js";

export const listenUsage = `Usage: audioclass listen [options] < PCM

Classifies a live stream of raw mono PCM read from standard input (16-bit little-endian by
default), window by window, printing each result as soon as its window is complete. For example:

  arecord -f S16_LE -r 16000 -c 1 | audioclass listen
  ffmpeg -i <url> -f s16le -ac 1 -ar 16000 - | audioclass listen --window 2 --hop 1

Options:
${MODEL_OPTION_HELP}
  --window S            seconds per window (default: the model's input length)
  --hop S               seconds between window starts (default: the window)
  --sampling-rate N     rate of the incoming samples (default 16000; resampled to the model's)
  --sample-format F     s16le (default) or f32le
  --top-k N             labels per window (default: all)
  --function F          softmax (default), sigmoid or none
  --format F            jsonl (default) or table
`;

export async function listenCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommand(argv, {
    ...MODEL_OPTION_SPEC,
    window: { type: "string", short: "w" },
    hop: { type: "string" },
    "sampling-rate": { type: "string", short: "r" },
    "sample-format": { type: "string" },
    "top-k": { type: "string", short: "k" },
    function: { type: "string" },
    format: { type: "string", short: "f" },
  });
  if (positionals.length > 0) throw new UsageError(`listen reads PCM from standard input; unexpected argument ${JSON.stringify(positionals[0])}`);
  if (io.stdin === undefined) throw new UsageError("listen needs standard input");
  const format = choiceOption(values, "format", ["jsonl", "table"] as const) ?? "jsonl";
  const sampleFormat = choiceOption(values, "sample-format", ["s16le", "f32le"] as const) ?? "s16le";
  const samplingRate = integerOption(values, "sampling-rate") ?? 16000;
  const window = numberOption(values, "window");
  const hop = numberOption(values, "hop");
  const topK = integerOption(values, "top-k");
  const functionToApply = choiceOption(values, "function", FUNCTIONS_TO_APPLY);
  const modelRef = typeof values["model"] === "string" ? values["model"] : bundledDefaultModel();
  if (modelRef === undefined) throw new UsageError("no --model given, and this installation has no bundled default model");

  const classify = await createAudioClassificationPipeline(modelRef, { ...modelLoadOptions(values, io), topK, functionToApply });
  const latencies: number[] = [];
  try {
    const options = { samplingRate, format: sampleFormat, ...(window !== undefined && { window }), ...(hop !== undefined && { hop }) };
    const windowSeconds = window ?? classify.inputSeconds;
    io.stderr(`audioclass listen: listening for ${sampleFormat} at ${samplingRate} Hz on standard input; windows of ${windowSeconds ?? "?"} s every ${hop ?? windowSeconds ?? "?"} s\n`);
    for await (const segment of classify.classifyStream(io.stdin, options)) {
      latencies.push(segment.latencyMs);
      io.stdout(formatRecord(format, { file: "-", segments: [{ start: segment.start, end: segment.end, predictions: segment.predictions }] }, "windows"));
    }
  } finally {
    await classify.dispose();
  }
  if (latencies.length > 0) {
    const sorted = [...latencies].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1);
    io.stderr(`audioclass listen: ${latencies.length} windows; latency from a window's last sample to its result: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${sorted[sorted.length - 1]!.toFixed(1)} ms\n`);
  }
  return 0;
}
