/**
 * Which parameters a fine-tuning run trains. Frozen parameters stay constants of the training
 * graph: no gradient is computed for them (the backward pass stops where only they would need
 * one) and their values never change, as requires_grad False does in PyTorch.
 *
 * - "none": everything trains (except what transformers itself never trains: Whisper's
 *   sinusoidal positions, BatchNorm statistics);
 * - "feature-encoder": the wav2vec2 family's convolutional waveform encoder
 *   (`freeze_feature_encoder()`, the recipes' default);
 * - "backbone": only the classification head trains (`freeze_base_model()`);
 * - { allButLast: N }: the head, the norms after the last layer and the last N transformer layers
 *   train; embeddings, the feature encoder and earlier layers are frozen.
 */
import type { AudioClassificationArchitecture, ModelConfig, ParameterSpec } from "../models/index.js";
import { TrainerOptionsError } from "./errors.js";

export type FreezeOption = "none" | "feature-encoder" | "backbone" | { readonly allButLast: number };

/** Parses the CLI spelling: none, feature-encoder, backbone, all-but-last:N. */
export function parseFreezeOption(text: string): FreezeOption {
  if (text === "none" || text === "feature-encoder" || text === "backbone") return text;
  const match = /^all-but-last:(\d+)$/.exec(text);
  if (match) return { allButLast: Number(match[1]) };
  throw new TrainerOptionsError(`freeze must be none, feature-encoder, backbone or all-but-last:N (N layers left trainable), got ${JSON.stringify(text)}`, "freeze");
}

export function formatFreezeOption(option: FreezeOption): string {
  return typeof option === "string" ? option : `all-but-last:${option.allButLast}`;
}

/** The trainable(name) predicate for the training graph. */
export function trainablePredicate(
  architecture: AudioClassificationArchitecture,
  config: ModelConfig,
  specs: readonly ParameterSpec[],
  option: FreezeOption,
): (name: string) => boolean {
  const neverTrained = new Set(specs.filter((s) => s.trainable === false).map((s) => s.name));
  const layers = architecture.numLayers(config);
  if (option === "feature-encoder" && !architecture.hasFeatureEncoder) {
    throw new TrainerOptionsError(`freeze "feature-encoder": ${architecture.name} has no convolutional feature encoder; use none, backbone or all-but-last:N`, "freeze");
  }
  if (typeof option === "object") {
    if (!Number.isSafeInteger(option.allButLast) || option.allButLast < 0 || option.allButLast > layers) {
      throw new TrainerOptionsError(`freeze all-but-last:${option.allButLast}: the model has ${layers} transformer layers; N must be 0 … ${layers}`, "freeze");
    }
  } else if (!["none", "feature-encoder", "backbone"].includes(option)) {
    throw new TrainerOptionsError(`freeze must be none, feature-encoder, backbone or { allButLast: N }, got ${JSON.stringify(option)}`, "freeze");
  }
  return (name) => {
    if (neverTrained.has(name)) return false;
    const place = architecture.parameterPlace(config, name);
    if (option === "none") return true;
    if (option === "feature-encoder") return place.part !== "feature-encoder";
    if (option === "backbone") return place.part === "head";
    if (place.part === "head" || place.part === "post-layers") return true;
    return place.part === "layer" && place.layer! >= layers - option.allButLast;
  };
}
