/**
 * The Conformer's position embeddings, computed in the graph for the actual length T (as
 * transformers' caches do), step by step in float32:
 * - relative (Wav2Vec2ConformerRelPositionalEmbedding): rows for relative positions T−1 … −(T−1),
 *   channel 2m = sin(r·div_m), 2m+1 = cos(r·div_m), div_m = exp(2m·(−ln 10000 / hidden));
 * - rotary (Wav2Vec2ConformerRotaryPositionalEmbedding): cos and sin of t·inv_freq, the
 *   frequencies repeated over both halves of the head, inv_freq_m = 1 / base^(2m / head_size).
 */
import type { GraphBuilder, Value } from "../../graph/index.js";

const f32 = Math.fround;

/** [2T−1, hidden] for x [B, T, hidden]. */
export function relativePositionEmbeddings(g: GraphBuilder, x: Value, hidden: number): Value {
  const half = hidden / 2;
  const step = f32(-(Math.log(10000) / hidden));
  const div = Float32Array.from({ length: half }, (_, m) => f32(Math.exp(f32(2 * m * step))));
  return g.scope("relative_positions", () => {
    const length = g.gather(g.shape(x), 1);
    const rows = g.sub(g.mul(length, 2), 1);
    const relative = g.cast(g.sub(g.sub(length, 1), g.range(g.scalar(0, "int64"), rows, g.scalar(1, "int64"))), "float32"); // T−1 … −(T−1)
    const angles = g.mul(g.unsqueeze(relative, [1]), g.constant({ type: "float32", dims: [1, half], data: div })); // [2T−1, half]
    const interleaved = g.concat([g.unsqueeze(g.sin(angles), [2]), g.unsqueeze(g.cos(angles), [2])], 2); // [2T−1, half, 2]
    return g.reshape(interleaved, [-1, hidden]);
  });
}

/** inv_freq_m = 1 / base^(2m / head_size) in float32, as the buffer transformers computes (and saves). */
export function rotaryInverseFrequencies(headSize: number, base: number): Float32Array {
  return Float32Array.from({ length: headSize / 2 }, (_, m) => f32(1 / f32(Math.pow(base, f32((2 * m) / headSize)))));
}

/**
 * { cos, sin } [T, 1, headSize] for x [B, T, hidden]. `inverse` [headSize / 2] is the checkpoint's
 * `embed_positions.inv_freq` buffer when it has one (a loaded buffer wins in transformers too).
 */
export function rotaryEmbeddings(g: GraphBuilder, x: Value, headSize: number, base: number, inverseFromCheckpoint?: Value): { cos: Value; sin: Value } {
  const half = headSize / 2;
  return g.scope("rotary_positions", () => {
    const inverse = inverseFromCheckpoint === undefined ? g.constant({ type: "float32", dims: [half], data: rotaryInverseFrequencies(headSize, base) }) : inverseFromCheckpoint;
    const times = g.cast(g.range(g.scalar(0, "int64"), g.gather(g.shape(x), 1), g.scalar(1, "int64")), "float32");
    const frequencies = g.mul(g.unsqueeze(times, [1]), g.unsqueeze(inverse, [0])); // [T, half]
    const angles = g.unsqueeze(g.concat([frequencies, frequencies], 1), [1]); // [T, 1, headSize]
    return { cos: g.cos(angles), sin: g.sin(angles) };
  });
}
