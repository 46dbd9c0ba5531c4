// Per-op gradient check: the VJP graph run by ONNX Runtime against central differences of
// L = Σ_outputs Σ cotangent·output on the float64 interpreter.
import assert from "node:assert/strict";
import { type GraphModel, isFloatType } from "../../../../src/graph/index.js";
import { COTANGENT_PREFIX, GRADIENT_PREFIX, buildVjpGraph } from "../../../../src/graph/autodiff/index.js";
import { createSession } from "../../../../src/runtime/index.js";
import type { Tensor } from "../../../../src/tensor.js";
import { rng } from "../../support/random.js";
import { GradientComparison, OP_TOLERANCE, type Tolerance, argMaxAbs, centralDifference, pickCoordinates } from "./finite-differences.js";
import { Interpreter64 } from "./interpreter64.js";
import { type T64, fromTensor } from "./tensor64.js";

export interface VjpCheckOptions {
  /** Values to differentiate (default: every float input). */
  readonly wrt?: readonly string[];
  readonly seed?: number;
  /** Coordinates checked per value (default 48; all when the value is smaller). */
  readonly maxCoordinates?: number;
  readonly tolerance?: Tolerance;
  /** Keep-masks for training-mode Dropout nodes, by node name. */
  readonly dropoutMasks?: ReadonlyMap<string, T64>;
}

export interface VjpCheckResult {
  readonly vjp: GraphModel;
  /** Largest |analytic − numeric| / scale seen. */
  readonly maxRelativeError: number;
  /** The largest |error| / allowed error. */
  readonly toleranceUsed: number;
  readonly checked: number;
}

function randomTensor(dims: readonly number[], random: () => number): Tensor<"float32"> {
  const n = dims.reduce((p, d) => p * d, 1);
  return { type: "float32", dims: [...dims], data: Float32Array.from({ length: n }, () => random() * 2 - 1) };
}

/** Checks every gradient of `forward` with respect to `wrt` and the forward values themselves. */
export async function checkVjp(forward: GraphModel, feeds: Record<string, Tensor>, options: VjpCheckOptions = {}): Promise<VjpCheckResult> {
  const random = rng(options.seed ?? 7);
  const wrt = options.wrt ?? forward.inputs.map((id) => forward.values[id]!).filter((v) => isFloatType(v.dtype)).map((v) => v.name);
  const reference = new Interpreter64(forward, feeds, { dropoutMasks: options.dropoutMasks });
  const outputs = forward.outputs.map((id) => forward.values[id]!).filter((v) => isFloatType(v.dtype));
  const cotangents = new Map(outputs.map((v) => [v.name, randomTensor(reference.value(v.name).dims, random)]));
  const vjp = buildVjpGraph(forward, { wrt });
  const allFeeds: Record<string, Tensor> = { ...feeds };
  for (const [name, t] of cotangents) allFeeds[`${COTANGENT_PREFIX}${name}`] = t;
  for (const name of wrt) {
    if (allFeeds[name] !== undefined) continue;
    const id = reference.id(name);
    allFeeds[name] = forward.initializers.get(id) as Tensor;
  }
  const session = await createSession(vjp, { threads: 1 });
  let results: Record<string, Tensor>;
  try {
    results = await session.run(allFeeds);
  } finally {
    await session.dispose();
  }
  // The interpreter must agree with ONNX Runtime on the forward pass, or the check is moot.
  for (const v of outputs) {
    const ort = Array.from(results[v.name]!.data as Float32Array);
    const ref = reference.value(v.name).data;
    const scale = Math.max(1, ...ort.map(Math.abs));
    ort.forEach((x, i) => assert.ok(Math.abs(x - ref[i]!) <= 1e-5 * scale, `forward "${v.name}"[${i}]: ORT ${x}, interpreter ${ref[i]}`));
  }
  const loss = (values: Map<number, T64>): number => {
    let total = 0;
    for (const v of outputs) {
      const y = values.get(v.id)!.data;
      const ct = cotangents.get(v.name)!.data;
      for (let i = 0; i < y.length; i++) total += y[i]! * ct[i]!;
    }
    return total;
  };
  const comparison = new GradientComparison(options.tolerance ?? OP_TOLERANCE);
  for (const name of wrt) {
    const id = reference.id(name);
    const base = fromTensor(allFeeds[name]!);
    const grad = results[`${GRADIENT_PREFIX}${name}`]!;
    assert.deepEqual([...grad.dims], [...base.dims], `gradient of "${name}" has dims [${grad.dims}], the value has [${base.dims}]`);
    const analytic = grad.data as Float32Array;
    const scale = Math.max(1, ...Array.from(analytic, Math.abs));
    for (const i of pickCoordinates(base.data.length, options.maxCoordinates ?? 48, random, [argMaxAbs(analytic)])) {
      const numeric = centralDifference(base, i, (x) => loss(reference.with(new Map([[id, x]]))));
      comparison.compare(name, i, analytic[i]!, numeric, scale);
    }
  }
  comparison.finish(`VJP of graph "${forward.name}"`);
  return { vjp, maxRelativeError: comparison.maxRelativeError, toleranceUsed: comparison.toleranceUsed, checked: comparison.checked };
}
