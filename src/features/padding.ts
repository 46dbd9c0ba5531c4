/**
 * Batch padding and truncation of raw waveforms with the semantics of transformers'
 * SequenceFeatureExtractor.pad (for feature_size 1): truncate each example to max_length (rounded
 * up to pad_to_multiple_of) when asked, then pad to the longest example or to max_length, with
 * padding_value on padding_side and an int32 attention mask that is 0 on the padding.
 */
import { FeatureExtractorInputError } from "./errors.js";

/** true = "longest"; false = "do_not_pad" (Python's PaddingStrategy values are accepted too). */
export type PaddingOption = boolean | "longest" | "max_length" | "do_not_pad";

export type PaddingSide = "right" | "left";

export interface PadOptions {
  padding: PaddingOption;
  maxLength?: number | null;
  truncation?: boolean;
  padToMultipleOf?: number | null;
  paddingValue: number;
  paddingSide: PaddingSide;
}

export interface PaddedBatch {
  /** Row-major [batchSize][length]. */
  values: Float32Array;
  batchSize: number;
  length: number;
  /** Per example: where its samples start in its row and how many there are (after truncation). */
  offsets: Int32Array;
  lengths: Int32Array;
  /** 1 on samples, 0 on padding, row-major like `values`. */
  attentionMask: Int32Array;
  /** False for "do_not_pad" (transformers then ignores the mask when normalising). */
  padded: boolean;
}

type Strategy = "longest" | "max_length" | "do_not_pad";

function strategyOf(padding: PaddingOption): Strategy {
  if (padding === true || padding === "longest") return "longest";
  if (padding === false || padding === "do_not_pad") return "do_not_pad";
  if (padding === "max_length") return "max_length";
  throw new FeatureExtractorInputError(
    `padding must be true, false, "longest", "max_length" or "do_not_pad", got ${JSON.stringify(padding)}`,
  );
}

function checkPositiveInteger(name: string, value: number | null | undefined): void {
  if (value === null || value === undefined) return;
  if (!Number.isInteger(value) || value < 1) {
    throw new FeatureExtractorInputError(`${name} must be a positive integer, got ${JSON.stringify(value)}`);
  }
}

/** Rounds `length` up to a multiple of `multiple` (no-op without one). */
export function roundUpToMultiple(length: number, multiple: number | null | undefined): number {
  if (multiple === null || multiple === undefined || length % multiple === 0) return length;
  return (Math.floor(length / multiple) + 1) * multiple;
}

export function padWaveforms(waveforms: readonly Float32Array[], options: PadOptions): PaddedBatch {
  const strategy = strategyOf(options.padding);
  const maxLength = options.maxLength ?? null;
  const multiple = options.padToMultipleOf ?? null;
  checkPositiveInteger("maxLength", maxLength);
  checkPositiveInteger("padToMultipleOf", multiple);
  if (strategy === "max_length" && maxLength === null) {
    throw new FeatureExtractorInputError(`padding "max_length" needs maxLength; pass maxLength or use padding: "longest"`);
  }
  if (options.truncation === true && maxLength === null) {
    throw new FeatureExtractorInputError(`truncation needs maxLength; pass maxLength or set truncation: false`);
  }

  const lengths = Int32Array.from(waveforms, (w) => w.length);
  if (options.truncation === true && maxLength !== null) {
    const limit = roundUpToMultiple(maxLength, multiple);
    for (let i = 0; i < lengths.length; i++) lengths[i] = Math.min(lengths[i]!, limit);
  }

  let target: number;
  if (strategy === "do_not_pad") {
    target = lengths[0]!;
    for (let i = 1; i < lengths.length; i++) {
      if (lengths[i] !== target) {
        throw new FeatureExtractorInputError(
          `cannot batch waveforms of different lengths (${Array.from(lengths).join(", ")} samples) without padding; ` +
            `pass padding: true (or "longest" / "max_length")`,
        );
      }
    }
  } else {
    let longest = 0;
    for (const n of lengths) longest = Math.max(longest, n);
    target = roundUpToMultiple(strategy === "longest" ? longest : maxLength!, multiple);
    if (longest > target) {
      // transformers leaves over-long examples untouched; a batch then cannot be stacked.
      if (lengths.some((n) => n !== longest)) {
        throw new FeatureExtractorInputError(
          `a waveform has ${longest} samples, more than maxLength ${target}, and the batch cannot be stacked; ` +
            `pass truncation: true to cut it to maxLength`,
        );
      }
      target = longest;
    }
  }

  const batchSize = waveforms.length;
  const values = new Float32Array(batchSize * target);
  const attentionMask = new Int32Array(batchSize * target);
  const offsets = new Int32Array(batchSize);
  if (options.paddingValue !== 0) values.fill(options.paddingValue);
  for (let b = 0; b < batchSize; b++) {
    const n = lengths[b]!;
    const offset = options.paddingSide === "left" ? target - n : 0;
    offsets[b] = offset;
    values.set(waveforms[b]!.subarray(0, n), b * target + offset);
    attentionMask.fill(1, b * target + offset, b * target + offset + n);
  }
  return { values, batchSize, length: target, offsets, lengths, attentionMask, padded: strategy !== "do_not_pad" };
}
