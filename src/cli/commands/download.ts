import { downloadModel, formatDownloadResult, selectAllFiles } from "../../hub/index.js";
import type { CliIO } from "../cli-io.js";
import { UsageError } from "../cli-io.js";
import { choiceOption, parseCommand, stringOption } from "../parse-options.js";
import { OUTPUT_FORMATS } from "../output-format.js";

export const downloadUsage = `Usage: audioclass download <org/name[@revision]> [options]

Downloads a model from the Hugging Face hub ($HF_ENDPOINT) into the shared cache
($HF_HUB_CACHE, $HF_HOME/hub or ~/.cache/huggingface/hub), in the layout Python uses.

Options:
  --revision R       branch, tag or commit (default: main)
  --all              every file of the repository, not only what audioclass needs
  --cache-dir DIR    cache folder to use instead of the default
  --format F         table (default), json, jsonl or csv
  --quiet            no progress bars
`;

export async function downloadCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommand(argv, {
    revision: { type: "string" },
    all: { type: "boolean" },
    "cache-dir": { type: "string" },
    format: { type: "string" },
    quiet: { type: "boolean" },
  });
  if (positionals.length !== 1) throw new UsageError("download takes exactly one model id, e.g. `audioclass download MIT/ast-finetuned-speech-commands-v2`");
  const format = choiceOption(values, "format", OUTPUT_FORMATS) ?? "table";
  const result = await downloadModel(positionals[0]!, {
    revision: stringOption(values, "revision"),
    cacheDir: stringOption(values, "cache-dir"),
    files: values["all"] ? selectAllFiles : undefined,
    progress: !values["quiet"],
    stderr: io.stderrStream,
    env: io.env,
  });
  io.stdout(formatDownloadResult(result, format));
  return 0;
}
