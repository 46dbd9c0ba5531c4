/**
 * The per-step feeds of a wav2vec2-family training graph: SpecAugment masks sized to the batch
 * (frames from the graph, valid frames from the attention mask as the graph computes them) and
 * LayerDrop gates.
 */
import type { TrainingInputContext } from "../architecture.js";
import { LAYER_DROP_INPUT, layerDropFeed } from "../layer-drop.js";
import type { Tensor } from "../../tensor.js";
import type { SpeechEncoderConfig } from "./speech-encoder-config.js";
import { receptiveField } from "./frame-lengths.js";
import { specAugmentFeeds } from "./spec-augment.js";
import type { SpeechTrainingSettings } from "./training-settings.js";

/** Frames transformers' conv stack yields for `samples` (0 when the clip is shorter than its receptive field). */
export function transformersFrames(samples: number, kernels: readonly number[], strides: readonly number[]): number {
  let length = samples;
  kernels.forEach((kernel, i) => {
    length = length < kernel ? 0 : Math.floor((length - kernel) / strides[i]!) + 1;
  });
  return length;
}

/**
 * Frames as the graph counts them (convOutputLengths: at least one per clip). Of `samples` valid
 * samples this is the valid frames; of the padded length plus the receptive-field padding the
 * graph appends, the batch's frame count.
 */
export function graphValidFrames(samples: number, kernels: readonly number[], strides: readonly number[]): number {
  let length = samples;
  kernels.forEach((kernel, i) => {
    const stride = strides[i]!;
    length = Math.max(Math.floor(Math.max(length + stride - kernel, 0) / stride), 1);
  });
  return length;
}

function sampleCounts(feeds: TrainingInputContext["feeds"]): number[] {
  const values = feeds["input_values"];
  if (values === undefined || values.dims.length !== 2) return [];
  const [batch, time] = values.dims as [number, number];
  const mask = feeds["attention_mask"];
  if (mask === undefined) return new Array<number>(batch).fill(time);
  return Array.from({ length: batch }, (_, b) => {
    let n = 0;
    for (let t = 0; t < time; t++) n += Number(mask.data[b * time + t]);
    return n;
  });
}

/** `extraSamples`: zeros the graph appends beyond the receptive-field padding (SEW's squeeze padding). */
export function speechTrainingInputs(
  config: Pick<SpeechEncoderConfig, "convKernel" | "convStride" | "hiddenSize" | "numLayers">,
  settings: SpeechTrainingSettings,
  context: TrainingInputContext,
  options: { extraSamples?: number } = {},
): Record<string, Tensor> {
  const feeds: Record<string, Tensor> = {};
  const values = context.feeds["input_values"];
  if (settings.applySpecAugment && (settings.maskTimeProb > 0 || settings.maskFeatureProb > 0) && values !== undefined) {
    const [batch, time] = values.dims as [number, number];
    const frames = graphValidFrames(time + receptiveField(config.convKernel, config.convStride) - 1 + (options.extraSamples ?? 0), config.convKernel, config.convStride);
    const validFrames = sampleCounts(context.feeds).map((n) => graphValidFrames(n, config.convKernel, config.convStride));
    const hfFrames = transformersFrames(time, config.convKernel, config.convStride);
    Object.assign(feeds, specAugmentFeeds(settings, { batch, frames, hfFrames, hidden: config.hiddenSize, validFrames }, context.random));
  }
  if (settings.layerDrop > 0) feeds[LAYER_DROP_INPUT] = layerDropFeed(config.numLayers, settings.layerDrop, context.random);
  return feeds;
}
