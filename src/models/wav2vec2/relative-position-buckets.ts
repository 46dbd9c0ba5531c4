/**
 * WavLM's relative-position buckets (`WavLMAttention._relative_positions_bucket`): half the
 * buckets for keys after the query, half for the rest; within a half, distances below a quarter
 * of the buckets get one bucket each, larger ones are log-spaced up to `max_distance`, beyond
 * which they share the last bucket.
 *
 * The buckets depend only on the distance, so a table over [−max_distance, max_distance] (with
 * distances clamped into it) serves every sequence length. It is computed in float32 step by step,
 * as torch does, so the truncation to an integer bucket agrees with transformers.
 */
const f32 = Math.fround;

/** The bucket of `relative` = key position − query position. */
export function relativePositionBucket(relative: number, numBuckets: number, maxDistance: number): number {
  const half = Math.floor(numBuckets / 2);
  const maxExact = Math.floor(half / 2);
  const distance = Math.abs(relative);
  const base = relative > 0 ? half : 0;
  if (distance < maxExact) return base + distance;
  // torch: log(d / max_exact) / log(max_distance / max_exact) · (half − max_exact) + max_exact, in float32
  let v = f32(f32(distance) / maxExact);
  v = f32(Math.log(v));
  v = f32(v / f32(Math.log(maxDistance / maxExact)));
  v = f32(v * (half - maxExact));
  v = f32(maxExact + v);
  return base + Math.min(Math.trunc(v), half - 1);
}

/**
 * int64 buckets for the distances −maxDistance…maxDistance (index = distance + maxDistance). Past
 * max_distance the log term exceeds 1, so clamping a distance to ±maxDistance keeps its bucket.
 */
export function relativePositionBucketTable(numBuckets: number, maxDistance: number): BigInt64Array {
  const table = new BigInt64Array(2 * maxDistance + 1);
  for (let d = -maxDistance; d <= maxDistance; d++) table[d + maxDistance] = BigInt(relativePositionBucket(d, numBuckets, maxDistance));
  return table;
}
