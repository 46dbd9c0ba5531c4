/**
 * CLAP's "fusion" input for long clips (ClapFeatureExtractor._random_mel_fusion): the whole
 * log-mel squeezed to chunk_frames rows by bilinear interpolation, followed by three
 * chunk_frames-long crops picked at random from the front, middle and back thirds of the
 * possible start positions.
 */
import type { RandomSource } from "./numpy-random-state.js";

const f32 = Math.fround;

/**
 * torch.nn.functional.interpolate(x[None, None], size=[outRows, outCols], mode="bilinear",
 * align_corners=False) for a row-major [rows][cols] float32 matrix, with torch's float32 index
 * and weight arithmetic (source = scale·(i + 0.5) − 0.5 clamped at 0, scale = in/out).
 */
export function bilinearResize(input: Float32Array, rows: number, cols: number, outRows: number, outCols: number): Float32Array {
  const rowIndex = linearTaps(rows, outRows);
  const colIndex = linearTaps(cols, outCols);
  const out = new Float32Array(outRows * outCols);
  for (let i = 0; i < outRows; i++) {
    const r0 = rowIndex.index0[i]! * cols;
    const r1 = rowIndex.index1[i]! * cols;
    const h0 = rowIndex.weight0[i]!;
    const h1 = rowIndex.weight1[i]!;
    for (let j = 0; j < outCols; j++) {
      const c0 = colIndex.index0[j]!;
      const c1 = colIndex.index1[j]!;
      const w0 = colIndex.weight0[j]!;
      const w1 = colIndex.weight1[j]!;
      // torch evaluates h0·(w0·x00 + w1·x01) + h1·(w0·x10 + w1·x11), each op in float32
      const top = f32(f32(input[r0 + c0]! * w0) + f32(input[r0 + c1]! * w1));
      const bottom = f32(f32(input[r1 + c0]! * w0) + f32(input[r1 + c1]! * w1));
      out[i * outCols + j] = f32(f32(top * h0) + f32(bottom * h1));
    }
  }
  return out;
}

interface LinearTaps {
  index0: Int32Array;
  index1: Int32Array;
  weight0: Float32Array;
  weight1: Float32Array;
}

/** Source indices and weights along one axis (torch's compute_source_index_and_lambda). */
function linearTaps(inSize: number, outSize: number): LinearTaps {
  const taps: LinearTaps = {
    index0: new Int32Array(outSize),
    index1: new Int32Array(outSize),
    weight0: new Float32Array(outSize),
    weight1: new Float32Array(outSize),
  };
  const scale = f32(inSize / outSize);
  for (let i = 0; i < outSize; i++) {
    if (inSize === outSize) {
      taps.index0[i] = i;
      taps.index1[i] = i;
      taps.weight0[i] = 1;
      taps.weight1[i] = 0;
      continue;
    }
    let src = f32(f32(scale * f32(i + 0.5)) - 0.5);
    if (src < 0) src = 0;
    const i0 = Math.trunc(src);
    const lambda1 = Math.min(Math.max(f32(src - i0), 0), 1);
    taps.index0[i] = i0;
    taps.index1[i] = i0 < inSize - 1 ? i0 + 1 : i0;
    taps.weight1[i] = lambda1;
    taps.weight0[i] = f32(1 - lambda1);
  }
  return taps;
}

/** numpy.array_split(range(n), 3) as [start, length] pairs. */
function splitInThree(n: number): [number, number][] {
  const each = Math.floor(n / 3);
  const extra = n % 3;
  const out: [number, number][] = [];
  let start = 0;
  for (let s = 0; s < 3; s++) {
    const size = s < extra ? each + 1 : each;
    out.push([start, size]);
    start += size;
  }
  return out;
}

/**
 * The 4-channel fused mel, row-major [4][chunkFrames][bins]: channel 0 the shrunk whole mel,
 * channels 1–3 the random front/middle/back crops. `mel` is [totalFrames][bins].
 */
export function randomMelFusion(mel: Float32Array, totalFrames: number, chunkFrames: number, bins: number, rng: RandomSource): Float32Array {
  const ranges = splitInThree(totalFrames - chunkFrames + 1);
  // Python: an empty middle or back third falls back to [0]; choice over a range = start + randint
  const starts = ranges.map(([start, size]) => (size === 0 ? 0 : start + rng.randint(0, size)));
  const chunk = chunkFrames * bins;
  const out = new Float32Array(4 * chunk);
  out.set(bilinearResize(mel, totalFrames, bins, chunkFrames, bins), 0);
  starts.forEach((start, k) => out.set(mel.subarray(start * bins, start * bins + chunk), (k + 1) * chunk));
  return out;
}
