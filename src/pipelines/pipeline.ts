/**
 * `pipeline(task, model, options)`: the entry point users know from transformers.
 *
 *     const classify = await pipeline("audio-classification", "MIT/ast-finetuned-speech-commands-v2");
 *     await classify("clip.wav");   // [{ label, score }, …] sorted by score
 *
 * `model` is a folder, a Hugging Face id ("org/name", "org/name@revision") or omitted: then the
 * model bundled with audioclass (models/default, a spoken-digit classifier) is used; for
 * zero-shot, Python's default laion/clap-htsat-fused (from the hub or the cache).
 */
import { describeValue } from "../errors.js";
import { pretrainedLoaders } from "../models/pretrained-loaders.js";
import {
  createAudioClassificationPipeline,
  type AudioClassificationPipelineOptions,
  type AudioClassifier,
} from "./audio-classification.js";
import { PipelineOptionError } from "./errors.js";
import {
  createZeroShotAudioClassificationPipeline,
  type ZeroShotAudioClassificationOptions,
  type ZeroShotAudioClassificationPipeline,
} from "./zero-shot-audio-classification.js";

/** Python's default zero-shot model (transformers.js uses the unfused one: it has no fusion). */
export const DEFAULT_ZERO_SHOT_MODEL = "laion/clap-htsat-fused";

/**
 * The model shipped in the package (models/default), trained by `npm run train:default`; in
 * browsers, the URL the page configured as its default (the platform's loaders know which).
 */
export function bundledDefaultModel(): string | undefined {
  return pretrainedLoaders().bundledDefaultModel();
}

/** Each task: what builds its pipeline, and the model used when none is named. */
const TASKS = {
  "audio-classification": {
    create: createAudioClassificationPipeline,
    defaultModel: (): string => {
      const ref = bundledDefaultModel();
      if (ref !== undefined) return ref;
      throw new PipelineOptionError(
        "no model given and the bundled default model (models/default) is not in this installation; " +
          'pass a model folder or a Hugging Face id, e.g. pipeline("audio-classification", "MIT/ast-finetuned-speech-commands-v2")',
      );
    },
  },
  "zero-shot-audio-classification": {
    create: createZeroShotAudioClassificationPipeline,
    defaultModel: (): string => DEFAULT_ZERO_SHOT_MODEL,
  },
} as const;

export type Task = keyof typeof TASKS;
export const SUPPORTED_TASKS = Object.keys(TASKS) as Task[];

export function pipeline(task: "audio-classification", model?: string, options?: AudioClassificationPipelineOptions): Promise<AudioClassifier>;
export function pipeline(
  task: "zero-shot-audio-classification",
  model?: string,
  options?: ZeroShotAudioClassificationOptions,
): Promise<ZeroShotAudioClassificationPipeline>;
export async function pipeline(
  task: Task,
  model?: string,
  options: AudioClassificationPipelineOptions | ZeroShotAudioClassificationOptions = {},
): Promise<AudioClassifier | ZeroShotAudioClassificationPipeline> {
  if (!Object.hasOwn(TASKS, task)) {
    throw new PipelineOptionError(`unknown task ${describeValue(task)}; supported tasks: ${SUPPORTED_TASKS.join(", ")}`);
  }
  const entry = TASKS[task];
  return entry.create(model ?? entry.defaultModel(), options as never);
}
