import type { GraphBuilder } from "../graph/graph-builder.js";
import type { Value } from "../graph/value.js";
import { WeightShapeError } from "./errors.js";
import { type WeightMap, Weights, featureDim } from "./weights.js";

/**
 * How a PyTorch Linear (weight [out, in]) becomes ONNX:
 * - "matmul": MatMul(x, Transpose(W)) + b. ORT folds the Transpose into a constant at load.
 * - "gemm": Gemm(x, W, b, transB=1); inputs of rank > 2 are flattened to 2-D and reshaped back.
 * - "fused": com.microsoft.FusedMatMul(x, W, transB=1) + b, no transposed copy of W at all.
 */
export type LinearForm = "matmul" | "gemm" | "fused";

export interface LinearOptions {
  /** Whether the layer has a bias (default true; e.g. Whisper's k_proj has none). */
  readonly bias?: boolean;
  readonly form?: LinearForm;
}

/**
 * Default form. Measured in bench/runtime.ts ("Linear forms"): the three run equally fast, but
 * "matmul" makes ORT build a transposed copy of every weight at load (≈40% slower loads, twice the
 * weight memory while folding). "gemm" is a standard op (any execution provider), uses the
 * checkpoint's [out, in] weight as is, and keeps training graphs free of per-step transposes.
 */
export const DEFAULT_LINEAR_FORM: LinearForm = "gemm";

/** y = x·Wᵀ + b for a PyTorch Linear stored as `${name}.weight` [out, in] and `${name}.bias` [out]. */
export function linear(g: GraphBuilder, weights: WeightMap | Weights, name: string, x: Value, options: LinearOptions = {}): Value {
  const w = Weights.from(weights).scope(name);
  const weightTensor = w.tensor("weight");
  if (weightTensor.dims.length !== 2) {
    throw new WeightShapeError(w.fullName("weight"), `a Linear weight must be 2-D [out, in], got [${weightTensor.dims.join(", ")}]`);
  }
  const [outFeatures, inFeatures] = weightTensor.dims as [number, number];
  const features = featureDim(x);
  if (typeof features === "number" && features !== inFeatures) {
    throw new WeightShapeError(w.fullName("weight"), `is [${outFeatures}, ${inFeatures}] (out, in) but the input has ${features} features (shape [${x.shape.join(", ")}])`);
  }
  const weight = w.param(g, "weight");
  const bias = options.bias === false ? undefined : w.param(g, "bias", [outFeatures]);
  return g.scope(name, () => {
    switch (options.form ?? DEFAULT_LINEAR_FORM) {
      case "gemm": {
        if (x.rank === 2) return g.gemm(x, weight, bias, { transB: true });
        const flat = g.reshape(x, [-1, inFeatures]);
        const y = g.gemm(flat, weight, bias, { transB: true });
        const target = g.concat([g.shape(x, 0, -1), g.vector([outFeatures])], 0);
        return g.reshape(y, target);
      }
      case "fused": {
        const y = g.fusedMatMul(x, weight, { transB: true });
        return bias === undefined ? y : g.add(y, bias);
      }
      case "matmul": {
        const y = g.matMul(x, g.transpose(weight, [1, 0]));
        return bias === undefined ? y : g.add(y, bias);
      }
    }
  });
}
