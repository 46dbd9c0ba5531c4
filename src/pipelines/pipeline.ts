/**
 * `pipeline(task, model, options)`: the entry point users know from transformers.
 *
 *     const classify = await pipeline("audio-classification", "MIT/ast-finetuned-speech-commands-v2");
 *     await classify("clip.wav");   // [{ label, score }, …] sorted by score
 *
 * `model` is a folder, a Hugging Face id ("org/name", "org/name@revision") or omitted: then the
 * model bundled with audioclass (models/default, a spoken-digit classifier) is used.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describeValue } from "../errors.js";
import {
  createAudioClassificationPipeline,
  type AudioClassificationPipelineOptions,
  type AudioClassifier,
} from "./audio-classification.js";
import { PipelineOptionError } from "./errors.js";

export const SUPPORTED_TASKS = ["audio-classification"] as const;
export type Task = (typeof SUPPORTED_TASKS)[number];

/** The model shipped in the package (models/default), trained by `npm run train:default`. */
export function bundledDefaultModel(): string | undefined {
  const dir = fileURLToPath(new URL("../../models/default/", import.meta.url));
  return existsSync(`${dir}config.json`) ? dir : undefined;
}

export function pipeline(task: "audio-classification", model?: string, options?: AudioClassificationPipelineOptions): Promise<AudioClassifier>;
export async function pipeline(task: Task, model?: string, options: AudioClassificationPipelineOptions = {}): Promise<AudioClassifier> {
  if (task === "audio-classification") {
    const ref = model ?? bundledDefaultModel();
    if (ref === undefined) {
      throw new PipelineOptionError(
        "no model given and the bundled default model (models/default) is not in this installation; " +
          'pass a model folder or a Hugging Face id, e.g. pipeline("audio-classification", "MIT/ast-finetuned-speech-commands-v2")',
      );
    }
    return createAudioClassificationPipeline(ref, options);
  }
  throw new PipelineOptionError(`unknown task ${describeValue(task)}; supported tasks: ${SUPPORTED_TASKS.join(", ")}`);
}
