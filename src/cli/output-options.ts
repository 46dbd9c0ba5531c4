/** Options shared by the verbs that label files: --batch-size, --format, --output, --resume, --quiet. */
import type { CliIO } from "./cli-io.js";
import { UsageError } from "./cli-io.js";
import { OUTPUT_FORMATS, type OutputFormat } from "./output-format.js";
import { choiceOption, integerOption, stringOption, type OptionSpec, type ParsedCommand } from "./parse-options.js";

export const OUTPUT_OPTION_SPEC: OptionSpec = {
  "batch-size": { type: "string", short: "b" },
  format: { type: "string", short: "f" },
  output: { type: "string", short: "o" },
  resume: { type: "boolean" },
  quiet: { type: "boolean", short: "q" },
};

export const OUTPUT_OPTION_HELP = `  --format F            json, jsonl, csv or table (default: table on a terminal, json otherwise);
                        every input gets a record, failed ones { file, error: { type, message } }
  --output, -o FILE     write the results to FILE (atomically, at the end) instead of stdout
  --resume              with --output: keep the results already in FILE (or left by a killed
                        run), skip those files, retry failed ones
  --quiet               no progress bar`;

export interface OutputSettings {
  batchSize: number;
  format: OutputFormat;
  output: string | undefined;
  resume: boolean;
  quiet: boolean;
}

export function outputSettings(values: ParsedCommand["values"], io: CliIO): OutputSettings {
  const output = stringOption(values, "output");
  const resume = values["resume"] === true;
  if (resume && output === undefined) throw new UsageError("--resume needs --output FILE: the results of the earlier run are read from there");
  // A file is for programs: json unless asked; the terminal gets a table.
  const format = choiceOption(values, "format", OUTPUT_FORMATS) ?? (output === undefined && io.stdoutIsTTY ? "table" : "json");
  return { batchSize: integerOption(values, "batch-size") ?? 1, format, output, resume, quiet: values["quiet"] === true };
}
