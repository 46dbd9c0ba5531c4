/**
 * torch.nn.functional.interpolate(mode="bicubic", align_corners=True) along one axis, as HTSAT
 * uses it to stretch the 1001-frame mel to the 1024 frames of its spectrogram image. The taps
 * and weights are computed here with torch's float32 arithmetic (cubic convolution, A = −0.75,
 * source index = scale·i with scale = (in − 1)/(out − 1), neighbours clamped at the edges); the
 * graph gathers the four neighbouring rows and sums them in torch's order.
 */
import type { GraphBuilder, Value } from "../../graph/index.js";

const f32 = Math.fround;
const A = -0.75;

/** ((A + 2)·x − (A + 3))·x·x + 1, for |x| ≤ 1 */
function near(x: number): number {
  return f32(f32(f32(f32(f32(f32(A + 2) * x) - f32(A + 3)) * x) * x) + 1);
}

/** ((A·x − 5A)·x + 8A)·x − 4A, for 1 < |x| < 2 */
function far(x: number): number {
  return f32(f32(f32(f32(f32(f32(A * x) - f32(5 * A)) * x) + f32(8 * A)) * x) - f32(4 * A));
}

export interface CubicTaps {
  /** indices[k][i]: the k-th source row (k = 0..3) of output row i. */
  indices: Int32Array[];
  weights: Float32Array[];
}

export function cubicTaps(inSize: number, outSize: number): CubicTaps {
  const indices = [0, 1, 2, 3].map(() => new Int32Array(outSize));
  const weights = [0, 1, 2, 3].map(() => new Float32Array(outSize));
  const scale = outSize > 1 ? f32((inSize - 1) / (outSize - 1)) : 0;
  for (let i = 0; i < outSize; i++) {
    const real = f32(scale * i);
    const base = Math.floor(real);
    const t = f32(real - base);
    const w = [far(f32(t + 1)), near(t), near(f32(1 - t)), far(f32(f32(1 - t) + 1))];
    for (let k = 0; k < 4; k++) {
      indices[k]![i] = Math.min(Math.max(base - 1 + k, 0), inSize - 1);
      weights[k]![i] = w[k]!;
    }
  }
  return { indices, weights };
}

/** Resizes `axis` of x from inSize to outSize (a static size) by bicubic interpolation. */
export function bicubicResizeAxis(g: GraphBuilder, x: Value, axis: number, inSize: number, outSize: number): Value {
  if (inSize === outSize) return x;
  const taps = cubicTaps(inSize, outSize);
  const trailing = x.rank - axis - 1;
  return g.scope("bicubic", () => {
    let out: Value | undefined;
    for (let k = 0; k < 4; k++) {
      const rows = g.gather(x, g.constant({ type: "int64", dims: [outSize], data: BigInt64Array.from(taps.indices[k]!, BigInt) }), axis);
      const weight = g.constant({ type: "float32", dims: [outSize, ...new Array<number>(trailing).fill(1)], data: taps.weights[k]! });
      const term = g.mul(rows, weight);
      out = out === undefined ? term : g.add(out, term);
    }
    return out!;
  });
}
