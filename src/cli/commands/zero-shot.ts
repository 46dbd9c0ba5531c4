/**
 * `audioclass zero-shot`: scores audio files against labels chosen on the command line, with a
 * CLAP model. Files are decoded one by one (a bad file is reported on stderr with its reason and
 * the rest still run; the exit code is then 1), embedded `--batch-size` at a time, and written
 * as they finish, in the formats `classify` writes.
 */
import { AudioclassError } from "../../errors.js";
import { loadAudioInput } from "../../pipelines/audio-input.js";
import { createZeroShotAudioClassificationPipeline } from "../../pipelines/zero-shot-audio-classification.js";
import { DEFAULT_HYPOTHESIS_TEMPLATE, hypothesisFormatter, parseCandidateLabels } from "../../pipelines/zero-shot-hypothesis.js";
import { createProgressBar } from "../../util/progress.js";
import type { CliIO } from "../cli-io.js";
import { UsageError } from "../cli-io.js";
import { expandInputs } from "../expand-inputs.js";
import { MODEL_OPTION_HELP, MODEL_OPTION_SPEC, modelLoadOptions } from "../model-options.js";
import { OUTPUT_FORMATS, ResultWriter } from "../output-format.js";
import { choiceOption, integerOption, parseCommand, stringOption } from "../parse-options.js";

export const zeroShotUsage = `Usage: audioclass zero-shot --model M --labels "dog barking,vacuum cleaner" [options] FILES|DIRS...

Scores audio files against labels you choose, with a CLAP model (zero-shot audio
classification, e.g. laion/clap-htsat-unfused): each label is put into a sentence (--template)
and the scores are the softmax of the audio-text similarities, highest first. Directories
expand to the audio files inside them.

Options:
${MODEL_OPTION_HELP}
  --labels L            comma-separated candidate labels (repeatable)
  --label L             one label, taken as is (repeatable; for labels with commas)
  --template T          how a label becomes a sentence, {} is the label
                        (default: "${DEFAULT_HYPOTHESIS_TEMPLATE}")
  --batch-size N        files per audio-tower run (default 1; results do not depend on it)
  --decoder D           builtin (default) or ffmpeg (Python's exact decoding path)
  --seed N              seed for the random crop of clips longer than the model's 10 s
  --format F            json, jsonl, csv or table (default: table on a terminal, json otherwise)
  --quiet               no progress bar
`;

/** Progress bars start at this many files, as in classify. */
const PROGRESS_MIN_FILES = 8;

function collectLabels(values: Record<string, unknown>): string[] {
  const lists = (values["labels"] as string[] | undefined) ?? [];
  const single = (values["label"] as string[] | undefined) ?? [];
  const labels = [...lists.flatMap((l) => l.split(",")).map((l) => l.trim()).filter((l) => l.length > 0), ...single];
  if (labels.length === 0) throw new UsageError('give the candidate labels with --labels "dog barking,vacuum cleaner" (or --label, once per label)');
  return parseCandidateLabels(labels);
}

export async function zeroShotCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommand(argv, {
    ...MODEL_OPTION_SPEC,
    labels: { type: "string", multiple: true, short: "l" },
    label: { type: "string", multiple: true },
    template: { type: "string", short: "t" },
    "batch-size": { type: "string", short: "b" },
    decoder: { type: "string" },
    seed: { type: "string" },
    format: { type: "string", short: "f" },
    quiet: { type: "boolean", short: "q" },
  });
  const modelRef = stringOption(values, "model");
  if (modelRef === undefined) throw new UsageError("--model is required: a CLAP checkpoint folder or hub id, e.g. --model laion/clap-htsat-unfused");
  const candidateLabels = collectLabels(values);
  const hypothesisTemplate = stringOption(values, "template") ?? DEFAULT_HYPOTHESIS_TEMPLATE;
  hypothesisFormatter(hypothesisTemplate); // a bad template fails before the model loads
  const format = choiceOption(values, "format", OUTPUT_FORMATS) ?? (io.stdoutIsTTY ? "table" : "json");
  const decoder = choiceOption(values, "decoder", ["builtin", "ffmpeg"] as const);
  const batchSize = integerOption(values, "batch-size") ?? 1;
  const seed = integerOption(values, "seed", { min: 0 });
  if (positionals.length === 0) throw new UsageError("no input files: pass audio files or directories");

  const { files, missing } = await expandInputs(positionals);
  let failures = 0;
  for (const m of missing) {
    io.stderr(`audioclass zero-shot: ${m.input}: ${m.reason}\n`);
    failures++;
  }
  if (files.length === 0) return 1;

  const zs = await createZeroShotAudioClassificationPipeline(modelRef, { ...modelLoadOptions(values, io), decoder, seed, hypothesisTemplate });
  const rate = zs.featureExtractor.samplingRate;
  const writer = new ResultWriter(format, io.stdout);
  const progress =
    files.length >= PROGRESS_MIN_FILES
      ? createProgressBar({ label: "zero-shot", total: files.length, quiet: values["quiet"] === true, stream: io.stderrStream, env: io.env })
      : undefined;
  try {
    for (let start = 0; start < files.length; start += batchSize) {
      const batchFiles = files.slice(start, start + batchSize);
      const loaded = await Promise.all(
        batchFiles.map(async (file) => {
          try {
            return { file, audio: await loadAudioInput(file, rate, { decoder }) };
          } catch (error) {
            if (!(error instanceof AudioclassError)) throw error;
            io.stderr(`audioclass zero-shot: ${file}: ${error.message}\n`);
            failures++;
            return undefined;
          }
        }),
      );
      const ok = loaded.filter((x): x is { file: string; audio: Float32Array } => x !== undefined);
      try {
        const results = await zs(ok.map((x) => x.audio), { candidateLabels, batchSize });
        ok.forEach((x, i) => writer.add({ file: x.file, predictions: results[i]! }));
      } catch (error) {
        if (!(error instanceof AudioclassError)) throw error;
        // a clip the feature extractor refuses (e.g. empty): score the batch file by file
        for (const x of ok) {
          try {
            writer.add({ file: x.file, predictions: await zs(x.audio, { candidateLabels }) });
          } catch (single) {
            if (!(single instanceof AudioclassError)) throw single;
            io.stderr(`audioclass zero-shot: ${x.file}: ${single.message}\n`);
            failures++;
          }
        }
      }
      progress?.increment(batchFiles.length);
    }
    writer.end();
    progress?.finish(failures > 0 ? `${failures} failed` : undefined);
  } finally {
    await zs.dispose();
  }
  return failures > 0 ? 1 : 0;
}
