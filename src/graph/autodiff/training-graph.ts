import type { Shape } from "../dim.js";
import { type DType, isFloatType } from "../dtype.js";
import { GraphBuilder } from "../graph-builder.js";
import type { GraphModel, ValueId } from "../ir.js";
import type { Value } from "../value.js";
import { analyzeGradientFlow, appendBackward } from "./backward-pass.js";
import { AutodiffError } from "./errors.js";
import { type LossAndGradient, bceWithLogitsLoss, crossEntropyLoss } from "./losses.js";
import { replayForward } from "./replay-forward.js";
import { type DropoutOptions, DropoutRewriter, type DropoutSite } from "./training-dropout.js";
import { GRADIENT_PREFIX, inputShape, resolveNames } from "./vjp-graph.js";

export type LossName = "cross_entropy" | "bce_with_logits";

export interface TrainingGraphOptions {
  /** Which parameters (by Hugging Face name) are trained; the others stay frozen initializers. */
  readonly trainable: (parameterName: string) => boolean;
  readonly loss: LossName;
  /** The forward value the loss reads (default "logits"). */
  readonly logitsName?: string;
  /** cross_entropy: PyTorch's label_smoothing (default 0). */
  readonly labelSmoothing?: number;
  /** cross_entropy: labels with this value are ignored (default −100). */
  readonly ignoreIndex?: number;
  /** How dropout sites get their randomness (default { mode: "in-graph", seed: 0 }). */
  readonly dropout?: DropoutOptions;
}

/** What a trainer needs to know about a training graph besides its inputs and outputs. */
export interface TrainingGraphInfo {
  /** Trained parameters, in graph order: each is an input and has the output `gradients[name]`. */
  readonly parameters: readonly string[];
  readonly gradients: Readonly<Record<string, string>>;
  /** Trainable parameters no gradient reaches (left as initializers; PyTorch leaves their .grad None). */
  readonly unreached: readonly string[];
  /** Parameters kept frozen (initializers). */
  readonly frozen: readonly string[];
  readonly loss: LossName;
  readonly labels: { readonly name: string; readonly dtype: DType; readonly shape: Shape };
  readonly dropout: { readonly mode: DropoutOptions["mode"]; readonly sites: readonly DropoutSite[] };
}

export interface TrainingGraph extends GraphModel {
  readonly training: TrainingGraphInfo;
}

export const LABELS_INPUT = "labels";
export const LOSS_OUTPUT = "loss";

/**
 * The training graph of a forward graph: inputs are the trained parameters (by their names),
 * the forward inputs and `labels`; outputs are `loss`, the logits and `grad.<name>` for each
 * trained parameter. Frozen parameters stay initializers, and no backward work is emitted for
 * what only leads to them. Forward values are reused by the backward pass, not recomputed
 * (except attention probabilities of fused attention, see attention-rules.ts).
 *
 *     const training = buildTrainingGraph(forward, { trainable: (n) => !n.startsWith("wav2vec2.feature_extractor."), loss: "cross_entropy" });
 *     const session = await createSession(training);
 *     const { loss, ...grads } = await session.run({ ...parameterFeeds, input_values, labels });
 */
export function buildTrainingGraph(forward: GraphModel, options: TrainingGraphOptions): TrainingGraph {
  if (typeof options?.trainable !== "function") throw new AutodiffError("buildTrainingGraph needs a trainable(name) predicate");
  if (options.loss !== "cross_entropy" && options.loss !== "bce_with_logits") {
    throw new AutodiffError(`loss must be "cross_entropy" or "bce_with_logits", got ${JSON.stringify(options.loss)}`);
  }
  const logitsName = options.logitsName ?? "logits";
  const [logitsId] = resolveNames(forward, [logitsName], "logits value") as [ValueId];
  if (!isFloatType(forward.values[logitsId]!.dtype)) throw new AutodiffError(`"${logitsName}" is ${forward.values[logitsId]!.dtype}; the loss needs float logits`);

  const parameters = forward.values.filter((v) => v.kind === "parameter");
  const trainable = parameters.filter((v) => isFloatType(v.dtype) && options.trainable(v.name));
  const flow = analyzeGradientFlow(forward, trainable.map((v) => v.id), [logitsId]);
  const reached = trainable.filter((v) => flow.reachesSeed.has(v.id));
  if (reached.length === 0) {
    const sample = parameters.slice(0, 5).map((v) => `"${v.name}"`).join(", ");
    throw new AutodiffError(
      `no trainable parameter reaches "${logitsName}" (${trainable.length} of ${parameters.length} parameters matched trainable(); first parameters: ${sample})`,
    );
  }

  const g = new GraphBuilder({ name: `${forward.name}.train`, docString: forward.docString });
  const dropout = new DropoutRewriter(g, options.dropout ?? { mode: "in-graph", seed: 0 });
  const map = replayForward(forward, g, { promote: new Set(reached.map((v) => v.id)), substitute: dropout.substitute });
  const logits = map.get(logitsId)!;
  let labels: Value;
  let lossAndGradient: LossAndGradient;
  if (options.loss === "cross_entropy") {
    labels = g.input(LABELS_INPUT, "int64", inputShape(logits.shape.slice(0, -1), LABELS_INPUT));
    lossAndGradient = crossEntropyLoss(g, logits, labels, { labelSmoothing: options.labelSmoothing, ignoreIndex: options.ignoreIndex });
  } else {
    labels = g.input(LABELS_INPUT, logits.dtype, inputShape(logits.shape, LABELS_INPUT));
    lossAndGradient = bceWithLogitsLoss(g, logits, labels);
  }
  g.output(LOSS_OUTPUT, lossAndGradient.loss);
  g.output(logitsName, logits);

  const grads = appendBackward(g, forward, (id) => map.get(id), new Map([[logitsId, lossAndGradient.dLogits]]), new Set(reached.map((v) => v.id)), dropout.overrides);
  const gradients: Record<string, string> = {};
  for (const v of reached) {
    const name = `${GRADIENT_PREFIX}${v.name}`;
    g.output(name, grads.get(v.id)!);
    gradients[v.name] = name;
  }
  const trainableIds = new Set(trainable.map((v) => v.id));
  const model = g.build();
  const training: TrainingGraphInfo = {
    parameters: reached.map((v) => v.name),
    gradients,
    unreached: trainable.filter((v) => !flow.reachesSeed.has(v.id)).map((v) => v.name),
    frozen: parameters.filter((v) => !trainableIds.has(v.id)).map((v) => v.name),
    loss: options.loss,
    labels: { name: LABELS_INPUT, dtype: labels.dtype, shape: labels.shape },
    dropout: { mode: options.dropout?.mode ?? "in-graph", sites: dropout.sites },
  };
  return Object.freeze({ ...model, training });
}
