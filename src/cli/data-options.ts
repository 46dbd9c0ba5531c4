/** Options of the verbs that read a labelled dataset (train, evaluate): manifest columns and bad files. */
import type { DatasetOptions, ManifestOptions } from "../training/index.js";
import { choiceOption, stringOption, type OptionSpec, type ParsedCommand } from "./parse-options.js";

export const DATA_OPTION_SPEC: OptionSpec = {
  "path-column": { type: "string" },
  "label-column": { type: "string" },
  "audio-root": { type: "string" },
  "on-bad-file": { type: "string" },
};

export const DATA_OPTION_HELP = `  --path-column C         manifest column with the audio path (default: path, file_name, filename or file)
  --label-column C        manifest column with the label (default: label)
  --audio-root DIR        folder relative manifest paths are resolved against (default: the manifest's)
  --on-bad-file A         skip (default: each is reported with its reason, then counted at the end)
                          or fail on audio files that do not decode`;

export function datasetOptions(values: ParsedCommand["values"]): DatasetOptions & ManifestOptions {
  return {
    ...(values["path-column"] !== undefined && { pathColumn: stringOption(values, "path-column") }),
    ...(values["label-column"] !== undefined && { labelColumn: stringOption(values, "label-column") }),
    ...(values["audio-root"] !== undefined && { audioRoot: stringOption(values, "audio-root") }),
    onDecodeError: choiceOption(values, "on-bad-file", ["fail", "skip"] as const) ?? "skip",
  };
}
