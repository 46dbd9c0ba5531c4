// checkModelGradients: the whole-model gradient check, reusable for any forward graph with a
// `logits` output (the src/models builders once they land): builds the training graph, runs one
// step in ONNX Runtime, and compares every trained parameter's gradient at a sample of
// coordinates with float64 central differences of the loss on the reference interpreter.
//
// Tolerance: |analytic − numeric| ≤ atol·scale + rtol·|numeric| + 1e-6·G, with scale = max |gradient|
// of that parameter tensor (from ONNX Runtime) and G the largest gradient of the whole model.
// The defaults (atol 3e-4, rtol 3e-3) are three times the per-op ones: a whole model chains tens
// of ops, each adding ~u = 6e-8 of relative error, and normalisations and softmax amplify them by
// their condition numbers; observed errors are ≤ 2e-5 of scale (AUTODIFF_REPORT=1 prints them).
// The last term is absolute: a gradient that is exactly zero (an attention key bias — softmax
// ignores a shift shared by all keys) comes out of float32 as a sum of cancelling terms, whose
// noise is u times those terms (bounded by G), not a fraction of the zero result; 1e-6·G ≈ 16u·G.
import assert from "node:assert/strict";
import type { GraphModel } from "../../../src/graph/index.js";
import {
  type DropoutOptions, LABELS_INPUT, LOSS_OUTPUT, type LossName, type TrainingGraph, buildTrainingGraph, dropoutMaskFeeds,
} from "../../../src/graph/autodiff/index.js";
import { createSession } from "../../../src/runtime/index.js";
import type { Tensor } from "../../../src/tensor.js";
import { rng } from "../support/random.js";
import { GradientComparison, type Tolerance, argMaxAbs, centralDifference, pickCoordinates } from "./support/finite-differences.js";
import { Interpreter64 } from "./support/interpreter64.js";
import { bceWithLogits64, crossEntropy64 } from "./support/reference-losses.js";
import { type T64, fromTensor } from "./support/tensor64.js";

export const MODEL_TOLERANCE: Tolerance = { atol: 3e-4, rtol: 3e-3 };

export interface ModelGradientCheckOptions {
  readonly loss: LossName;
  /** int64 class ids (cross_entropy) or float multi-hot targets (bce_with_logits). */
  readonly labels: Tensor;
  /** Default: every float parameter. */
  readonly trainable?: (name: string) => boolean;
  readonly labelSmoothing?: number;
  readonly ignoreIndex?: number;
  readonly logitsName?: string;
  /** "off" (default) or "mask-inputs" (masks from dropoutMaskFeeds, applied by the reference too). */
  readonly dropout?: "off" | "mask-inputs";
  /** Coordinates checked per parameter tensor, the largest gradient included (default 4). */
  readonly coordinatesPerParameter?: number;
  readonly seed?: number;
  readonly tolerance?: Tolerance;
}

export interface ModelGradientCheckResult {
  readonly training: TrainingGraph;
  readonly loss: number;
  readonly checked: number;
  readonly maxRelativeError: number;
  /** The largest |error| / allowed error over the checked coordinates. */
  readonly toleranceUsed: number;
  /** ONNX Runtime's gradients, by parameter name. */
  readonly gradients: ReadonlyMap<string, Float32Array>;
}

export async function checkModelGradients(
  forward: GraphModel,
  feeds: Readonly<Record<string, Tensor>>,
  options: ModelGradientCheckOptions,
): Promise<ModelGradientCheckResult> {
  const random = rng(options.seed ?? 11);
  const dropout: DropoutOptions = { mode: options.dropout ?? "off", seed: options.seed ?? 11 };
  const training = buildTrainingGraph(forward, {
    trainable: options.trainable ?? (() => true),
    loss: options.loss,
    logitsName: options.logitsName,
    labelSmoothing: options.labelSmoothing,
    ignoreIndex: options.ignoreIndex,
    dropout,
  });
  const byName = new Map(forward.values.map((v) => [v.name, v]));
  const parameterFeeds: Record<string, Tensor> = {};
  for (const name of training.training.parameters) parameterFeeds[name] = forward.initializers.get(byName.get(name)!.id) as Tensor;
  const masks = dropout.mode === "mask-inputs" ? dropoutMaskFeeds(training, feeds, { seed: dropout.seed!, step: 0 }) : {};
  const session = await createSession(training, { threads: 1 });
  let out: Record<string, Tensor>;
  try {
    out = await session.run({ ...feeds, ...parameterFeeds, ...masks, [LABELS_INPUT]: options.labels });
  } finally {
    await session.dispose();
  }

  const dropoutMasks = new Map<string, T64>();
  for (const site of training.training.dropout.sites) if (site.maskInput !== undefined) dropoutMasks.set(site.nodeName, fromTensor(masks[site.maskInput]!));
  const reference = new Interpreter64(forward, feeds, { dropoutMasks });
  const logitsName = options.logitsName ?? "logits";
  const logitsId = reference.id(logitsName);
  const labels = Array.from(options.labels.data as ArrayLike<number | bigint>, Number);
  const lossOf = (values: Map<number, T64>): number => {
    const logits = values.get(logitsId)!;
    return options.loss === "cross_entropy"
      ? crossEntropy64(logits, labels, { labelSmoothing: options.labelSmoothing, ignoreIndex: options.ignoreIndex })
      : bceWithLogits64(logits, labels);
  };
  const loss64 = lossOf(reference.with(new Map()));
  const lossOrt = (out[LOSS_OUTPUT]!.data as Float32Array)[0]!;
  assert.ok(Math.abs(lossOrt - loss64) <= 1e-5 * Math.max(1, Math.abs(loss64)), `loss: ONNX Runtime ${lossOrt}, float64 reference ${loss64}`);

  const comparison = new GradientComparison(options.tolerance ?? MODEL_TOLERANCE);
  const gradients = new Map<string, Float32Array>();
  for (const name of training.training.parameters) gradients.set(name, out[training.training.gradients[name]!]!.data as Float32Array);
  const largest = Math.max(...[...gradients.values()].map((g) => Math.max(...Array.from(g, Math.abs))));
  const noise = 1e-6 * largest;
  for (const name of training.training.parameters) {
    const grad = out[training.training.gradients[name]!]!;
    const analytic = grad.data as Float32Array;
    const base = fromTensor(parameterFeeds[name]!);
    assert.deepEqual([...grad.dims], [...base.dims], `gradient of "${name}" has dims [${grad.dims}], the parameter [${base.dims}]`);
    const id = reference.id(name);
    const scale = Math.max(...Array.from(analytic, Math.abs), 1e-30);
    for (const i of pickCoordinates(base.data.length, options.coordinatesPerParameter ?? 4, random, [argMaxAbs(analytic)])) {
      const numeric = centralDifference(base, i, (p) => lossOf(reference.with(new Map([[id, p]]))));
      comparison.compare(name, i, analytic[i]!, numeric, scale, noise);
    }
  }
  comparison.finish(`training graph of "${forward.name}"`);
  if (process.env.AUTODIFF_REPORT) {
    console.log(`  ${forward.name}: ${training.training.parameters.length} parameters, ${comparison.checked} coordinates, loss ${lossOrt.toFixed(4)}, worst error ${(100 * comparison.toleranceUsed).toFixed(1)}% of the tolerance`);
  }
  return { training, loss: lossOrt, checked: comparison.checked, maxRelativeError: comparison.maxRelativeError, toleranceUsed: comparison.toleranceUsed, gradients };
}
