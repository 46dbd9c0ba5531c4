/**
 * SpecAugment as the wav2vec2 family applies it while fine-tuning (`_mask_hidden_states`): after
 * the feature projection, spans of frames are replaced by the learned `masked_spec_embed` and
 * spans of channels set to zero. The graph takes the masks as inputs; they are drawn per step in
 * TypeScript by computeMaskIndices, which follows transformers' `_compute_mask_indices`: the span
 * count is int(prob·length/span + ε) with one ε ~ U(0, 1) per batch, at least `minMasks`, span
 * starts drawn without replacement from the valid positions, short rows padded with their first
 * start. One difference: where transformers raises because a span is longer than the batch's
 * frames (clips shorter than mask_time_length frames), that batch is simply not masked.
 */
import type { GraphBuilder, Value } from "../../graph/index.js";
import type { Weights } from "../../nn/index.js";
import type { Tensor } from "../../tensor.js";
import type { SeededRandom } from "../initialize-parameters.js";
import type { SpeechTrainingSettings } from "./training-settings.js";

export const MASK_TIME_INPUT = "mask_time_indices";
export const MASK_FEATURE_INPUT = "mask_feature_indices";
/** The time mask's frame dim: the frames of the padded batch (see graphFrames). */
export const MASK_TIME_FRAMES = "mask_frames";

/** Applies the masks to h [batch, frames, hidden] (training graphs only); `base` is the backbone's weights. */
export function applySpecAugment(g: GraphBuilder, base: Weights, settings: SpeechTrainingSettings, h: Value): Value {
  if (!settings.applySpecAugment) return h;
  return g.scope("spec_augment", () => {
    let x = h;
    const hidden = h.shape[2]!;
    if (settings.maskTimeProb > 0) {
      // Inputs cannot carry the frame count's expression, so the mask has its own symbol and its
      // frames are gathered by position (all of them, for a mask of the right length).
      const fed = g.input(MASK_TIME_INPUT, "bool", ["batch", MASK_TIME_FRAMES]);
      const frames = g.range(g.scalar(0, "int64"), g.gather(g.shape(h), 1), g.scalar(1, "int64"));
      const mask = g.gather(fed, frames, 1);
      const embed = base.param(g, "masked_spec_embed", [typeof hidden === "number" ? hidden : null]);
      x = g.where(g.unsqueeze(mask, [2]), embed, x);
    }
    if (settings.maskFeatureProb > 0) {
      const mask = g.input(MASK_FEATURE_INPUT, "bool", ["batch", hidden]);
      x = g.where(g.unsqueeze(mask, [1]), 0, x);
    }
    return x;
  });
}

export interface MaskOptions {
  readonly probability: number;
  readonly length: number;
  readonly minMasks: number;
  /** Valid length of each row (default: every row is `columns` long). */
  readonly validLengths?: readonly number[];
}

/** Row-major bool masks [rows, columns] of spans, as `_compute_mask_indices((rows, columns), …)`. */
export function computeMaskIndices(rows: number, columns: number, options: MaskOptions, random: SeededRandom): Uint8Array {
  const mask = new Uint8Array(rows * columns);
  const span = options.length;
  if (span > columns) return mask;
  const epsilon = random.random();
  const spansFor = (length: number): number => {
    let n = Math.max(Math.trunc((options.probability * length) / span + epsilon), options.minMasks);
    if (n * span > columns) n = Math.floor(columns / span);
    if (length - (span - 1) < n) n = Math.max(length - (span - 1), 0);
    return n;
  };
  const maxSpans = spansFor(columns);
  if (maxSpans === 0) return mask;
  for (let r = 0; r < rows; r++) {
    const length = options.validLengths?.[r] ?? columns;
    const n = spansFor(length);
    // np.random.choice(arange(length − span + 1), n, replace=False): a partial shuffle
    const candidates = Array.from({ length: Math.max(length - (span - 1), 0) }, (_, i) => i);
    const starts: number[] = [];
    for (let k = 0; k < n; k++) {
      const j = k + Math.floor(random.random() * (candidates.length - k));
      [candidates[k], candidates[j]] = [candidates[j]!, candidates[k]!];
      starts.push(candidates[k]!);
    }
    const dummy = starts.length > 0 ? starts[0]! : columns - 1;
    while (starts.length < maxSpans) starts.push(dummy);
    for (const start of starts) for (let o = 0; o < span; o++) mask[r * columns + Math.min(start + o, columns - 1)] = 1;
  }
  return mask;
}

/**
 * One step's SpecAugment feeds. `frames` is the graph's frame count for the batch, `hfFrames`
 * the frame count transformers would have (our graph appends padding so even clips shorter than
 * the receptive field get a frame; the extra frames are never masked), `validFrames` each row's
 * valid frames.
 */
export function specAugmentFeeds(
  settings: SpeechTrainingSettings,
  shape: { batch: number; frames: number; hfFrames: number; hidden: number; validFrames: readonly number[] },
  random: SeededRandom,
): Record<string, Tensor<"bool">> {
  const feeds: Record<string, Tensor<"bool">> = {};
  if (!settings.applySpecAugment) return feeds;
  if (settings.maskTimeProb > 0) {
    const lengths = settings.maskTimeOverValidFrames ? shape.validFrames.map((v) => Math.min(v, shape.hfFrames)) : undefined;
    const hf = computeMaskIndices(shape.batch, shape.hfFrames, { probability: settings.maskTimeProb, length: settings.maskTimeLength, minMasks: settings.maskTimeMinMasks, validLengths: lengths }, random);
    const data = new Uint8Array(shape.batch * shape.frames);
    for (let b = 0; b < shape.batch; b++) data.set(hf.subarray(b * shape.hfFrames, (b + 1) * shape.hfFrames), b * shape.frames);
    feeds[MASK_TIME_INPUT] = { type: "bool", dims: [shape.batch, shape.frames], data };
  }
  if (settings.maskFeatureProb > 0) {
    const data = computeMaskIndices(shape.batch, shape.hidden, { probability: settings.maskFeatureProb, length: settings.maskFeatureLength, minMasks: settings.maskFeatureMinMasks }, random);
    feeds[MASK_FEATURE_INPUT] = { type: "bool", dims: [shape.batch, shape.hidden], data };
  }
  return feeds;
}
