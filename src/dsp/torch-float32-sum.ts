/**
 * torch's float32 sum of a contiguous row, in torch's order (ATen SumKernel.cpp,
 * vectorized_inner_sum → row_sum → multi_row_sum, AVX2 build: 8-lane vectors, 4 interleaved
 * accumulators, cascaded levels of 16 steps), every addition rounded to float32.
 *
 * Why bother: torchaudio's Kaldi fbank subtracts each frame's mean (computed as this sum / n)
 * before rounding the frame to float32, and the rounding noise that leaves in quiet bands depends
 * on the exact mean. Matching the mean bit for bit halves the largest difference to torchaudio's
 * features in near-silent bins.
 */
const f32 = Math.fround;

const LANES = 8;
const ILP = 4;
const LEVELS = 4;

/** Accumulators reused across calls (the sum is synchronous and not re-entrant). */
const scratch = new Float64Array(LEVELS * ILP * LANES);

/** utils::CeilLog2: ceil(log2(x)), with 1 for x ≤ 2. */
function ceilLog2(x: number): number {
  if (x <= 2) return 1;
  return Math.floor(Math.log2(x - 1)) + 1;
}

/**
 * multi_row_sum over `size` groups of ILP vectors starting at `offset`: leaves ILP vector
 * accumulators in scratch[0 .. ILP·LANES) (lane-major: scratch[k * LANES + lane]).
 */
function multiRowSum(values: ArrayLike<number>, offset: number, size: number): void {
  const levelPower = Math.max(4, Math.floor(ceilLog2(size) / LEVELS));
  const levelStep = 1 << levelPower;
  const levelMask = levelStep - 1;
  const width = ILP * LANES;
  const acc = scratch;
  if (size < levelStep) {
    // no cascade level is ever reached: each accumulator is a plain sequential sum, which
    // can run in a register (25 ms frames at 16 kHz are 12 groups)
    for (let e = 0; e < width; e++) {
      let sum = 0;
      for (let i = 0, at = offset + e; i < size; i++, at += width) sum = f32(sum + values[at]!);
      acc[e] = sum;
    }
    return;
  }
  acc.fill(0);
  let i = 0;
  while (i + levelStep <= size) {
    for (let j = 0; j < levelStep; j++, i++) {
      const base = offset + i * width;
      for (let e = 0; e < width; e++) acc[e] = f32(acc[e]! + values[base + e]!);
    }
    for (let level = 1; level < LEVELS; level++) {
      for (let e = 0; e < width; e++) {
        acc[level * width + e] = f32(acc[level * width + e]! + acc[(level - 1) * width + e]!);
        acc[(level - 1) * width + e] = 0;
      }
      if ((i & (levelMask << (level * levelPower))) !== 0) break;
    }
  }
  for (; i < size; i++) {
    const base = offset + i * width;
    for (let e = 0; e < width; e++) acc[e] = f32(acc[e]! + values[base + e]!);
  }
  for (let level = 1; level < LEVELS; level++) {
    for (let e = 0; e < width; e++) acc[e] = f32(acc[e]! + acc[level * width + e]!);
  }
}

/** Sum of values[offset .. offset + n) as torch computes it for a float32 tensor on CPU. */
export function torchFloat32RowSum(values: ArrayLike<number>, offset: number, n: number): number {
  const vectors = Math.floor(n / LANES);
  if (vectors === 0) {
    let total = 0;
    for (let k = 0; k < n; k++) total = f32(total + values[offset + k]!);
    return total;
  }
  // row_sum: ILP interleaved vector accumulators, then leftover vectors into the first
  const groups = Math.floor(vectors / ILP);
  multiRowSum(values, offset, groups);
  const partial = scratch;
  for (let v = groups * ILP; v < vectors; v++) {
    for (let lane = 0; lane < LANES; lane++) partial[lane] = f32(partial[lane]! + values[offset + v * LANES + lane]!);
  }
  for (let k = 1; k < ILP; k++) {
    for (let lane = 0; lane < LANES; lane++) partial[lane] = f32(partial[lane]! + partial[k * LANES + lane]!);
  }
  // scalar tail first, then the lanes in order
  let total = 0;
  for (let k = vectors * LANES; k < n; k++) total = f32(total + values[offset + k]!);
  for (let lane = 0; lane < LANES; lane++) total = f32(total + partial[lane]!);
  return total;
}
