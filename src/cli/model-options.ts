/** Options shared by the verbs that load a model: --model, --revision, --threads, --dtype, hub settings. */
import { type FromPretrainedOptions, MODEL_DTYPES } from "../models/index.js";
import type { CliIO } from "./cli-io.js";
import { choiceOption, integerOption, stringOption, type OptionSpec, type ParsedCommand } from "./parse-options.js";

export const MODEL_OPTION_SPEC: OptionSpec = {
  model: { type: "string", short: "m" },
  revision: { type: "string" },
  threads: { type: "string" },
  dtype: { type: "string" },
  "cache-dir": { type: "string" },
  "local-files-only": { type: "boolean" },
  "max-memory": { type: "string" },
};

export const MODEL_OPTION_HELP = `  --model, -m M         model folder or Hugging Face id (org/name or org/name@revision)
  --revision R          hub revision (branch, tag or commit) when --model is an id
  --threads N           CPU threads for inference (default: all cores)
  --dtype D             weight precision: fp32 (default), q8 or int8 (int8 weights: faster, a
                        quarter of the memory), fp16 (half-precision weights); weights converted
                        from a checkpoint are cached in $AUDIOCLASS_CACHE (~/.cache/audioclass)
  --cache-dir DIR       Hugging Face cache folder (default: $HF_HUB_CACHE, $HF_HOME/hub, ~/.cache/huggingface/hub)
  --local-files-only    never contact the hub; use the cache only (as HF_HUB_OFFLINE=1)
  --max-memory MB       refuse model runs (and inputs) estimated above this many MiB (default: half the RAM)`;

export function modelLoadOptions(values: ParsedCommand["values"], io: CliIO): FromPretrainedOptions {
  return {
    revision: stringOption(values, "revision"),
    threads: integerOption(values, "threads"),
    dtype: choiceOption(values, "dtype", MODEL_DTYPES),
    cacheDir: stringOption(values, "cache-dir"),
    localFilesOnly: values["local-files-only"] === true ? true : undefined,
    maxMemoryMB: integerOption(values, "max-memory"),
    stderr: io.stderrStream,
    env: io.env,
  };
}
