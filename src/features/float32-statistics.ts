/**
 * Mean, variance and zero-mean/unit-variance normalisation with numpy's float32 arithmetic, so
 * Wav2Vec2-style normalisation reproduces transformers' output bit for bit (not just to 1e-5):
 * numpy 1.24 reduces a float32 array in buffers of 8192 elements, summing each buffer pairwise
 * (8 accumulators up to 128 elements, halving above) and adding the buffer sums in order, every
 * addition rounded to float32. (Verified bit-exact on all Wav2Vec2 fixtures; numpy 2 no longer
 * splits into buffers, which changes the last bit now and then.)
 */
const f32 = Math.fround;

/** numpy's reduction buffer size (np.getbufsize()). */
const NUMPY_BUFFER_SIZE = 8192;

/** np.sum of a float32 slice as numpy 1.24 computes it. */
export function numpySumFloat32(values: Float32Array, start: number, count: number): number {
  let total = 0;
  for (let at = 0; at < count; at += NUMPY_BUFFER_SIZE) {
    total = f32(total + pairwiseSumFloat32(values, start + at, Math.min(NUMPY_BUFFER_SIZE, count - at)));
  }
  return total;
}

/** numpy's pairwise_sum for float32 over values[start .. start + count). */
export function pairwiseSumFloat32(values: Float32Array, start: number, count: number): number {
  if (count < 8) {
    let res = 0;
    for (let i = 0; i < count; i++) res = f32(res + values[start + i]!);
    return res;
  }
  if (count <= 128) {
    let r0 = values[start]!;
    let r1 = values[start + 1]!;
    let r2 = values[start + 2]!;
    let r3 = values[start + 3]!;
    let r4 = values[start + 4]!;
    let r5 = values[start + 5]!;
    let r6 = values[start + 6]!;
    let r7 = values[start + 7]!;
    const blockEnd = count - (count % 8);
    let i = 8;
    for (; i < blockEnd; i += 8) {
      const p = start + i;
      r0 = f32(r0 + values[p]!);
      r1 = f32(r1 + values[p + 1]!);
      r2 = f32(r2 + values[p + 2]!);
      r3 = f32(r3 + values[p + 3]!);
      r4 = f32(r4 + values[p + 4]!);
      r5 = f32(r5 + values[p + 5]!);
      r6 = f32(r6 + values[p + 6]!);
      r7 = f32(r7 + values[p + 7]!);
    }
    let res = f32(f32(f32(r0 + r1) + f32(r2 + r3)) + f32(f32(r4 + r5) + f32(r6 + r7)));
    for (; i < count; i++) res = f32(res + values[start + i]!);
    return res;
  }
  let half = Math.floor(count / 2);
  half -= half % 8;
  return f32(pairwiseSumFloat32(values, start, half) + pairwiseSumFloat32(values, start + half, count - half));
}

export interface Float32Moments {
  mean: number;
  variance: number;
}

/** numpy's x.mean() and x.var() (ddof 0) for a float32 slice. */
export function float32Moments(values: Float32Array, start: number, count: number): Float32Moments {
  const mean = f32(numpySumFloat32(values, start, count) / count);
  // var = mean(|x − mean|²), each step a float32 array op
  const squares = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const d = f32(values[start + i]! - mean);
    squares[i] = d * d;
  }
  const variance = f32(numpySumFloat32(squares, 0, count) / count);
  return { mean, variance };
}

/**
 * out[outStart + i] = (x[i] − mean) / sqrt(var + 1e-7) over values[start .. start + count), as
 * transformers' zero_mean_unit_var_norm under numpy 1.x: the denominator is computed in float64
 * (float32 scalar + Python float promoted then) and rounded to float32 for the array division.
 * `out` may alias `values`.
 */
export function normalizeZeroMeanUnitVariance(
  values: Float32Array,
  start: number,
  count: number,
  out: Float32Array,
  outStart: number,
): void {
  const { mean, variance } = float32Moments(values, start, count);
  const denominator = f32(Math.sqrt(variance + 1e-7));
  for (let i = 0; i < count; i++) out[outStart + i] = f32(values[start + i]! - mean) / denominator;
}
