/**
 * Valid lengths through the conv feature encoder, and masks of the valid frames. The sample
 * count of an example is the sum of its attention mask (transformers assumes right padding and
 * does the same); each conv maps a length L to floor((L − kernel) / stride) + 1, as
 * `_get_feat_extract_output_lengths`.
 */
import type { GraphBuilder, Value } from "../../graph/index.js";

/** Samples per example: the attention mask [batch, time] summed over time, as int64 [batch]. */
export function sampleCounts(g: GraphBuilder, attentionMask: Value): Value {
  return g.reduceSum(g.cast(attentionMask, "int64"), [1], { keepDims: false });
}

/**
 * The valid length after each conv layer, int64 [batch] each. A length never drops below one
 * frame: an example shorter than the receptive field (400 samples for the base conv stack) keeps
 * its first frame so its row stays finite, padded alone (appendReceptiveFieldPadding) or in a batch alike.
 * transformers gets a length ≤ 0 there and ends up attending to every frame of the row.
 */
export function convOutputLengths(g: GraphBuilder, samples: Value, kernels: readonly number[], strides: readonly number[]): Value[] {
  const lengths: Value[] = [];
  let length = samples;
  kernels.forEach((kernel, i) => {
    const stride = strides[i]!;
    // floor((L − k) / s) + 1 = floor((L − k + s) / s); clamped at 0 first so the integer Div
    // (which truncates) is a floor.
    const shifted = g.max(g.add(length, stride - kernel), 0);
    length = g.max(g.div(shifted, stride), 1);
    lengths.push(length);
  });
  return lengths;
}

/** bool [batch, T]: true where the position along `axis` of `like` is below the example's length. */
export function validFrames(g: GraphBuilder, lengths: Value, like: Value, axis: number): Value {
  const size = g.gather(g.shape(like), axis);
  const positions = g.range(g.scalar(0, "int64"), size, g.scalar(1, "int64"));
  return g.less(g.unsqueeze(positions, [0]), g.unsqueeze(lengths, [1]));
}

/** x with the invalid frames set to 0; `valid` is bool [batch, T], x is [batch, T, ...] or [batch, C, T]. */
export function zeroInvalid(g: GraphBuilder, x: Value, valid: Value, layout: "time-major" | "channels-first"): Value {
  const mask = layout === "time-major" ? g.unsqueeze(valid, [2]) : g.unsqueeze(valid, [1]);
  return g.where(mask, x, 0);
}

/** Samples one output frame of the conv stack sees: k₀ + Σᵢ (kᵢ − 1)·(s₀⋯sᵢ₋₁). */
export function receptiveField(kernels: readonly number[], strides: readonly number[]): number {
  let field = 1;
  let jump = 1;
  kernels.forEach((kernel, i) => {
    field += (kernel - 1) * jump;
    jump *= strides[i]!;
  });
  return field;
}

/**
 * input_values [batch, samples] with `field − 1` zero samples appended, so that even a clip
 * shorter than the receptive field yields a frame (which it keeps, like the same clip padded in a
 * batch) instead of failing inside a conv with no output. For any longer clip the appended
 * samples only reach frames past its valid length, which everything downstream masks; a fixed
 * amount keeps the time dims symbolic (shape inference stays exact).
 */
export function appendReceptiveFieldPadding(g: GraphBuilder, inputValues: Value, field: number): Value {
  if (field <= 1) return inputValues;
  const zeros = g.constantOfShape(g.concat([g.shape(inputValues, 0, 1), g.vector([field - 1])], 0), 0, "float32");
  return g.concat([inputValues, zeros], 1);
}
