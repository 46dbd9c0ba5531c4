/**
 * Adapts a pretrained audio-classification model to a new label set, like Python's
 * `from_pretrained(path, num_labels=N, id2label=…, label2id=…, ignore_mismatched_sizes=True)`:
 * the config gets the new label maps, the classifier's label-dependent parameters get fresh
 * values as transformers' `_init_weights` gives them (Linear weights N(0, std²) with std from
 * `initializer_range` or `init_std` — AST truncates to [-2, 2] like trunc_normal_ — biases zero),
 * head parameters the checkpoint lacks (e.g. the projector of a base wav2vec2 checkpoint) are
 * created the same way, and every other parameter keeps its pretrained value.
 *
 * transformers only re-initialises when a shape no longer fits ("mismatched-shapes"); by default
 * we also re-initialise when the labels changed but their count did not ("changed-labels"),
 * since a classifier trained for other classes is no head start for new ones.
 */
import type { Tensor } from "../../tensor.js";
import type { RawTensor } from "../../weights/index.js";
import { CheckpointContentError } from "../checkpoint-errors.js";
import { classificationHeadFor, classificationModelTypes, type HeadParameter } from "./classification-heads.js";
import { JsonDocument, type JsonDocumentInput } from "./json-document.js";
import { checkLabels, labelsOf, modelConfigDocument } from "./model-config-json.js";
import type { ModelWeights } from "./model-folder.js";

/** A source of normal deviates; the training Rng (src/training/random.ts) is one. */
export interface NormalSource {
  normal(mean: number, std: number): number;
}

export interface AdaptToLabelsOptions {
  /** Draws the new weights; seed it for a reproducible head. */
  readonly rng: NormalSource;
  /** When label-dependent parameters get new values (default "changed-labels", see above). */
  readonly reinitialize?: "changed-labels" | "mismatched-shapes";
}

export interface AdaptedModel {
  readonly config: JsonDocument;
  /** All parameters: new float32 arrays for the (re)initialised ones, the given tensors for the rest. */
  readonly weights: Map<string, Tensor | RawTensor>;
  readonly labels: string[];
  /** Existing parameters given fresh values. */
  readonly reinitialized: string[];
  /** Head parameters the weights did not have, created. */
  readonly created: string[];
}

/** Fresh values for one head parameter, drawn in row-major order. */
export function initializeHeadParameter(param: HeadParameter, rng: NormalSource): Float32Array {
  const n = param.shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  const init = param.init;
  if (init.kind === "fill") return data.fill(init.value);
  for (let i = 0; i < n; i++) {
    let x = rng.normal(0, init.std);
    // Rejection keeps exactly the truncated normal's distribution; at std 0.02 and bounds ±2 it never loops.
    if (init.truncate) while (x < init.truncate[0] || x > init.truncate[1]) x = rng.normal(0, init.std);
    data[i] = x;
  }
  return data;
}

export function adaptModelToLabels(model: { readonly config: JsonDocumentInput; readonly weights: ModelWeights }, labels: readonly string[], options: AdaptToLabelsOptions): AdaptedModel {
  const newLabels = checkLabels(labels);
  const original = JsonDocument.from(model.config, "config.json");
  const head = classificationHeadFor(original.get("model_type"));
  if (!head) {
    throw new CheckpointContentError(
      `${original.source}: model_type ${JSON.stringify(original.get("model_type"))} has no audio-classification head we can initialise; supported: ${classificationModelTypes().join(", ")}`,
    );
  }
  if (!options || typeof options.rng?.normal !== "function") throw new CheckpointContentError(`adaptModelToLabels needs options.rng, a seeded random source with normal(mean, std) (e.g. new Rng(seed))`);
  const mode = options.reinitialize ?? "changed-labels";
  const oldLabels = labelsOf(original);
  const labelsChanged = oldLabels.length !== newLabels.length || oldLabels.some((l, i) => l !== newLabels[i]);
  const weights = new Map<string, Tensor | RawTensor>(model.weights instanceof Map ? [...model.weights] : Object.entries(model.weights));
  const reinitialized: string[] = [];
  const created: string[] = [];
  for (const param of head.parameters(original, newLabels.length)) {
    const existing = weights.get(param.name);
    const dims = existing ? ((existing as Partial<Tensor>).dims ?? (existing as Partial<RawTensor>).shape) : undefined;
    const fits = dims !== undefined && dims.length === param.shape.length && dims.every((d, i) => d === param.shape[i]);
    if (existing && !param.labelDependent && !fits) {
      throw new CheckpointContentError(
        `"${param.name}" has shape [${dims?.join(", ")}] but the config implies [${param.shape.join(", ")}]; the weights do not belong to this config`,
      );
    }
    const renew = !existing || (param.labelDependent && (!fits || (mode === "changed-labels" && labelsChanged)));
    if (!renew) continue;
    weights.set(param.name, { type: "float32", dims: [...param.shape], data: initializeHeadParameter(param, options.rng) });
    (existing ? reinitialized : created).push(param.name);
  }
  const config = modelConfigDocument(original, { labels: newLabels });
  return { config, weights, labels: newLabels, reinitialized, created };
}
