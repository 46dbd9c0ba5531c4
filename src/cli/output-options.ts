/**
 * Options shared by the verbs that label files: --batch-size, --format, --output, --resume,
 * --quiet, and the window options (--window, --hop, --threshold, --events, --timeline).
 */
import type { CliIO } from "./cli-io.js";
import { UsageError } from "./cli-io.js";
import { OUTPUT_FORMATS, type OutputFormat, type RecordMode } from "./output-format.js";
import { choiceOption, integerOption, numberOption, stringOption, type OptionSpec, type ParsedCommand } from "./parse-options.js";
import type { WindowOptions } from "./pipeline-labeller.js";

export const OUTPUT_OPTION_SPEC: OptionSpec = {
  "batch-size": { type: "string", short: "b" },
  format: { type: "string", short: "f" },
  output: { type: "string", short: "o" },
  resume: { type: "boolean" },
  quiet: { type: "boolean", short: "q" },
  window: { type: "string", short: "w" },
  hop: { type: "string" },
  threshold: { type: "string" },
  events: { type: "boolean" },
  timeline: { type: "string" },
};

export const OUTPUT_OPTION_HELP = `  --format F            json, jsonl, csv or table (default: table on a terminal, json otherwise);
                        every input gets a record, failed ones { file, error: { type, message } }
  --output, -o FILE     write the results to FILE (atomically, at the end) instead of stdout
  --resume              with --output: keep the results already in FILE (or left by a killed
                        run), skip those files, retry failed ones
  --quiet               no progress bar
  --window S            classify the whole of each file in windows of S seconds (default with
                        --hop/--events/--timeline: the model's input length); one record per
                        window: { file, start, end, predictions }
  --hop S               seconds between window starts (default: the window)
  --events              one record per event instead: consecutive windows with the same top
                        label merged ({ file, label, start, end, score }); with --function
                        sigmoid, each label above --threshold
  --threshold T         events: a window counts for a label from this score (sigmoid default 0.5)
  --timeline FILE.svg   draw the windows' labels over time into an SVG`;

export interface OutputSettings {
  batchSize: number;
  format: OutputFormat;
  output: string | undefined;
  resume: boolean;
  quiet: boolean;
  /** clips (default), windows (--window/--hop/--timeline) or events (--events). */
  mode: RecordMode;
  windows: WindowOptions;
  timeline: string | undefined;
}

export function outputSettings(values: ParsedCommand["values"], io: CliIO): OutputSettings {
  const output = stringOption(values, "output");
  const resume = values["resume"] === true;
  if (resume && output === undefined) throw new UsageError("--resume needs --output FILE: the results of the earlier run are read from there");
  // A file is for programs: json unless asked; the terminal gets a table.
  const format = choiceOption(values, "format", OUTPUT_FORMATS) ?? (output === undefined && io.stdoutIsTTY ? "table" : "json");
  const window = positiveNumberOption(values, "window");
  const hop = positiveNumberOption(values, "hop");
  const threshold = numberOption(values, "threshold");
  const timeline = stringOption(values, "timeline");
  const events = values["events"] === true;
  const windowed = window !== undefined || hop !== undefined || events || timeline !== undefined;
  if (!windowed && threshold !== undefined) throw new UsageError("--threshold applies to --events (or windows): add --events");
  const mode: RecordMode = events ? "events" : windowed ? "windows" : "clips";
  const windows: WindowOptions = { ...(window !== undefined && { window }), ...(hop !== undefined && { hop }), ...(threshold !== undefined && { threshold }) };
  return { batchSize: integerOption(values, "batch-size") ?? (windowed ? 8 : 1), format, output, resume, quiet: values["quiet"] === true, mode, windows, timeline };
}

function positiveNumberOption(values: ParsedCommand["values"], name: string): number | undefined {
  const n = numberOption(values, name);
  if (n !== undefined && !(n > 0)) throw new UsageError(`--${name} must be a positive number of seconds, got ${n}`);
  return n;
}
