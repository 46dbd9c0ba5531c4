/**
 * DeBERTa-v2's relative positions (`build_relative_position` with `make_log_bucket_position`):
 * r = query − key; |r| ≤ position_buckets/2 keeps r, larger distances are log-bucketed as
 * sign(r)·(ceil(log(|r|/mid) / log((max_position − 1)/mid) · (mid − 1)) + mid), in float32 as
 * torch computes it. Attention then reads rel_embeddings row clamp(bucket + span, 0, 2·span − 1)
 * for both content→position and position→content (the bucket is odd in r, so p2c's
 * clamp(span − bucket(key − query)) is the same row).
 *
 * The rows depend only on r, so the graph gathers them from a table over r ∈ [−R, R], with R the
 * first distance whose row is clamped at the edge (every larger distance is too), capped at
 * MAX_TABLE_DISTANCE squeezed frames.
 */
const f32 = Math.fround;

/** Squeezed frames (~20 ms each at squeeze 2 of a 320× conv stack): 2^16 is ~45 minutes of audio. */
export const MAX_TABLE_DISTANCE = 2 ** 16;

export function logBucketPosition(relative: number, bucketSize: number, maxPosition: number): number {
  if (bucketSize <= 0) return relative;
  const mid = Math.floor(bucketSize / 2);
  const distance = relative < mid && relative > -mid ? mid - 1 : Math.abs(relative);
  if (distance <= mid) return relative;
  let v = f32(f32(distance) / mid);
  v = f32(Math.log(v));
  v = f32(v / f32(Math.log(f32((maxPosition - 1) / mid))));
  v = f32(v * (mid - 1));
  return Math.sign(relative) * (Math.ceil(v) + mid);
}

/** rel_embeddings row for relative position r (clamped into the 2·span rows). */
export function attentionRow(relative: number, bucketSize: number, maxPosition: number, span: number): number {
  return Math.min(Math.max(logBucketPosition(relative, bucketSize, maxPosition) + span, 0), 2 * span - 1);
}

/** { distance R, rows[r + R] for r ∈ [−R, R] } as int64 for the graph's Gather. */
export function attentionRowTable(bucketSize: number, maxPosition: number, span: number): { distance: number; rows: BigInt64Array } {
  let distance = 1;
  const row = (r: number): number => attentionRow(r, bucketSize, maxPosition, span);
  // Rows grow with r, so once both ±distance sit at the edges every larger distance does too.
  while (distance < MAX_TABLE_DISTANCE && (row(distance) < 2 * span - 1 || row(-distance) > 0)) distance++;
  const rows = new BigInt64Array(2 * distance + 1);
  for (let r = -distance; r <= distance; r++) rows[r + distance] = BigInt(attentionRow(r, bucketSize, maxPosition, span));
  return { distance, rows };
}
