/** Options of the verbs that read a labelled dataset (train, evaluate): manifest or hub columns, hub settings and bad files. */
import type { DatasetFromPathOptions } from "../training/index.js";
import type { CliIO } from "./cli-io.js";
import { choiceOption, stringOption, type OptionSpec, type ParsedCommand } from "./parse-options.js";

export const DATA_OPTION_SPEC: OptionSpec = {
  "path-column": { type: "string" },
  "label-column": { type: "string" },
  "audio-column": { type: "string" },
  "audio-root": { type: "string" },
  "on-bad-file": { type: "string" },
};

export const DATA_OPTION_HELP = `  --path-column C         manifest column with the audio path (default: path, file_name, filename or file)
  --label-column C        manifest or hub dataset column with the label (default: label; for a
                          hub dataset also its only ClassLabel column)
  --audio-column C        hub dataset column with the audio (default: audio)
  --audio-root DIR        folder relative manifest paths are resolved against (default: the manifest's)
  --on-bad-file A         skip (default: each is reported with its reason, then counted at the end)
                          or fail on audio files that do not decode`;

/** `io` gives hub datasets (hf://datasets/…) the command's cache folder, offline flag, environment and stderr. */
export function datasetOptions(values: ParsedCommand["values"], io?: CliIO): DatasetFromPathOptions {
  return {
    ...(values["audio-column"] !== undefined && { audioColumn: stringOption(values, "audio-column") }),
    ...(io !== undefined && {
      hub: {
        cacheDir: stringOption(values, "cache-dir"),
        localFilesOnly: values["local-files-only"] === true ? true : undefined,
        stderr: io.stderrStream,
        env: io.env,
      },
    }),
    ...(values["path-column"] !== undefined && { pathColumn: stringOption(values, "path-column") }),
    ...(values["label-column"] !== undefined && { labelColumn: stringOption(values, "label-column") }),
    ...(values["audio-root"] !== undefined && { audioRoot: stringOption(values, "audio-root") }),
    onDecodeError: choiceOption(values, "on-bad-file", ["fail", "skip"] as const) ?? "skip",
  };
}
