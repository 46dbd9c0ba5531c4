/**
 * `audioclass classify`: labels audio files with an audio-classification model. Files are decoded
 * one by one (a bad file is reported on stderr with its reason and the rest still run; the exit
 * code is then 1), classified `--batch-size` at a time, and written as they finish.
 */
import { AudioclassError } from "../../errors.js";
import { bundledDefaultModel, createAudioClassificationPipeline, FUNCTIONS_TO_APPLY } from "../../pipelines/index.js";
import { createProgressBar } from "../../util/progress.js";
import type { CliIO } from "../cli-io.js";
import { UsageError } from "../cli-io.js";
import { expandInputs } from "../expand-inputs.js";
import { MODEL_OPTION_HELP, MODEL_OPTION_SPEC, modelLoadOptions } from "../model-options.js";
import { OUTPUT_FORMATS, ResultWriter } from "../output-format.js";
import { choiceOption, integerOption, parseCommand } from "../parse-options.js";

export const classifyUsage = `Usage: audioclass classify [options] FILES|DIRS...

Classifies audio files (WAV, MP3, FLAC, Ogg Vorbis/Opus built in; anything ffmpeg reads with
--decoder ffmpeg). Directories expand to the audio files inside them. Without --model, the
model bundled with audioclass (models/default, spoken digits) is used.

Options:
${MODEL_OPTION_HELP}
  --top-k N             labels per file (default: all)
  --function F          softmax (default), sigmoid (multi-label) or none (raw logits)
  --batch-size N        files per model run (default 1; results do not depend on it)
  --decoder D           builtin (default) or ffmpeg (Python's exact decoding path)
  --format F            json, jsonl, csv or table (default: table on a terminal, json otherwise)
  --quiet               no progress bar
`;

/** Progress bars start at this many files; a handful of files finish before a bar would help. */
const PROGRESS_MIN_FILES = 8;

export async function classifyCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommand(argv, {
    ...MODEL_OPTION_SPEC,
    "top-k": { type: "string", short: "k" },
    function: { type: "string" },
    "batch-size": { type: "string", short: "b" },
    decoder: { type: "string" },
    format: { type: "string", short: "f" },
    quiet: { type: "boolean", short: "q" },
  });
  if (positionals.length === 0) throw new UsageError("no input files: pass audio files or directories");
  const format = choiceOption(values, "format", OUTPUT_FORMATS) ?? (io.stdoutIsTTY ? "table" : "json");
  const topK = integerOption(values, "top-k");
  const functionToApply = choiceOption(values, "function", FUNCTIONS_TO_APPLY);
  const batchSize = integerOption(values, "batch-size") ?? 1;
  const decoder = choiceOption(values, "decoder", ["builtin", "ffmpeg"] as const);

  const modelRef = typeof values["model"] === "string" ? values["model"] : bundledDefaultModel();
  if (modelRef === undefined) {
    throw new UsageError(
      "no --model given, and this installation has no bundled default model (models/default); pass --model <folder or org/name>",
    );
  }
  const { files, missing } = await expandInputs(positionals);
  let failures = 0;
  for (const m of missing) {
    io.stderr(`audioclass classify: ${m.input}: ${m.reason}\n`);
    failures++;
  }
  if (files.length === 0) return 1;

  const classify = await createAudioClassificationPipeline(modelRef, { ...modelLoadOptions(values, io), topK, functionToApply, decoder });
  const writer = new ResultWriter(format, io.stdout);
  const progress =
    files.length >= PROGRESS_MIN_FILES
      ? createProgressBar({ label: "classify", total: files.length, quiet: values["quiet"] === true, stream: io.stderrStream, env: io.env })
      : undefined;
  try {
    for (let start = 0; start < files.length; start += batchSize) {
      const batchFiles = files.slice(start, start + batchSize);
      const loaded = await Promise.all(
        batchFiles.map(async (file) => {
          try {
            return { file, audio: await classify.loadAudio(file) };
          } catch (error) {
            if (!(error instanceof AudioclassError)) throw error;
            io.stderr(`audioclass classify: ${file}: ${error.message}\n`);
            failures++;
            return undefined;
          }
        }),
      );
      const ok = loaded.filter((x): x is { file: string; audio: Float32Array } => x !== undefined);
      if (ok.length > 0) {
        const results = await classify.classifyWaveforms(ok.map((x) => x.audio), { batchSize });
        ok.forEach((x, i) => writer.add({ file: x.file, predictions: results[i]! }));
      }
      progress?.increment(batchFiles.length);
    }
    writer.end();
    progress?.finish(failures > 0 ? `${failures} failed` : undefined);
  } finally {
    await classify.dispose();
  }
  return failures > 0 ? 1 : 0;
}
