/**
 * `audioclass zero-shot`: scores audio files against labels chosen on the command line, with a
 * CLAP model. The run is classify's (label-files.ts): one record per input, failed ones
 * included, `--batch-size` clips per audio-tower run, `--output` / `--resume`.
 */
import "../../models/node-platform.js"; // Node's model loaders: this verb imports pipeline files, not an entry
import { createZeroShotAudioClassificationPipeline } from "../../pipelines/zero-shot-audio-classification.js";
import { DEFAULT_HYPOTHESIS_TEMPLATE, hypothesisFormatter, parseCandidateLabels } from "../../pipelines/zero-shot-hypothesis.js";
import type { CliIO } from "../cli-io.js";
import { UsageError } from "../cli-io.js";
import { labelFiles } from "../label-files.js";
import { pipelineLabeller } from "../pipeline-labeller.js";
import { MODEL_OPTION_HELP, MODEL_OPTION_SPEC, modelLoadOptions } from "../model-options.js";
import { OUTPUT_OPTION_HELP, OUTPUT_OPTION_SPEC, outputSettings } from "../output-options.js";
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
${OUTPUT_OPTION_HELP}
`;

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
    ...OUTPUT_OPTION_SPEC,
    labels: { type: "string", multiple: true, short: "l" },
    label: { type: "string", multiple: true },
    template: { type: "string", short: "t" },
    decoder: { type: "string" },
    seed: { type: "string" },
  });
  const modelRef = stringOption(values, "model");
  if (modelRef === undefined) throw new UsageError("--model is required: a CLAP checkpoint folder or hub id, e.g. --model laion/clap-htsat-unfused");
  const candidateLabels = collectLabels(values);
  const hypothesisTemplate = stringOption(values, "template") ?? DEFAULT_HYPOTHESIS_TEMPLATE;
  hypothesisFormatter(hypothesisTemplate); // a bad template fails before the model loads
  const settings = outputSettings(values, io);
  const decoder = choiceOption(values, "decoder", ["builtin", "ffmpeg"] as const);
  const seed = integerOption(values, "seed", { min: 0 });
  if (positionals.length === 0) throw new UsageError("no input files: pass audio files or directories (or - for standard input)");

  return labelFiles({
    command: "zero-shot",
    inputs: positionals,
    ...settings,
    io,
    createLabeller: async () => {
      const zs = await createZeroShotAudioClassificationPipeline(modelRef, { ...modelLoadOptions(values, io), decoder, seed, hypothesisTemplate });
      return pipelineLabeller(zs, { candidateLabels, batchSize: settings.batchSize }, settings.windows);
    },
  });
}
