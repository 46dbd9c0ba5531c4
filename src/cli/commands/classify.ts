/**
 * `audioclass classify`: labels audio files with an audio-classification model. Files are
 * decoded one by one, classified `--batch-size` at a time and written as they finish; a file
 * that fails gets an error record and a line on stderr, the rest still run (exit code 1).
 */
import { bundledDefaultModel, createAudioClassificationPipeline, FUNCTIONS_TO_APPLY } from "../../pipelines/index.js";
import type { CliIO } from "../cli-io.js";
import { UsageError } from "../cli-io.js";
import { labelFiles } from "../label-files.js";
import { pipelineLabeller } from "../pipeline-labeller.js";
import { MODEL_OPTION_HELP, MODEL_OPTION_SPEC, modelLoadOptions } from "../model-options.js";
import { OUTPUT_OPTION_HELP, OUTPUT_OPTION_SPEC, outputSettings } from "../output-options.js";
import { choiceOption, integerOption, parseCommand } from "../parse-options.js";

export const classifyUsage = `Usage: audioclass classify [options] FILES|DIRS|URLS|-...

Classifies audio files (WAV, MP3, FLAC, Ogg Vorbis/Opus built in; anything ffmpeg reads with
--decoder ffmpeg). Directories expand to the audio files inside them (symbolic links followed);
- reads one file from standard input. Without --model, the model bundled with audioclass
(models/default, spoken digits) is used.

Options:
${MODEL_OPTION_HELP}
  --top-k N             labels per file (default: all)
  --function F          softmax (default), sigmoid (multi-label) or none (raw logits)
  --batch-size N        files per model run (default 1; results do not depend on it)
  --decoder D           builtin (default) or ffmpeg (Python's exact decoding path)
  --workers N           decode and extract features in N worker threads while the model runs
                        (default 0: all on the main thread; results do not depend on it)
${OUTPUT_OPTION_HELP}
`;

export async function classifyCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommand(argv, {
    ...MODEL_OPTION_SPEC,
    ...OUTPUT_OPTION_SPEC,
    "top-k": { type: "string", short: "k" },
    function: { type: "string" },
    decoder: { type: "string" },
    workers: { type: "string", short: "j" },
  });
  if (positionals.length === 0) throw new UsageError("no input files: pass audio files or directories (or - for standard input)");
  const settings = outputSettings(values, io);
  const topK = integerOption(values, "top-k");
  const functionToApply = choiceOption(values, "function", FUNCTIONS_TO_APPLY);
  const decoder = choiceOption(values, "decoder", ["builtin", "ffmpeg"] as const);
  const workers = integerOption(values, "workers", { min: 0 }) ?? 0;
  const modelRef = typeof values["model"] === "string" ? values["model"] : bundledDefaultModel();
  if (modelRef === undefined) {
    throw new UsageError(
      "no --model given, and this installation has no bundled default model (models/default); pass --model <folder or org/name>",
    );
  }
  return labelFiles({
    command: "classify",
    inputs: positionals,
    ...settings,
    io,
    createLabeller: async () => {
      const classify = await createAudioClassificationPipeline(modelRef, { ...modelLoadOptions(values, io), topK, functionToApply, decoder });
      return pipelineLabeller(classify, { batchSize: settings.batchSize }, settings.windows, workers);
    },
  });
}
