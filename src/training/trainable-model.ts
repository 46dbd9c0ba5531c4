/**
 * The model a training run starts from, with every parameter in memory:
 *
 * - a config.json file (or a folder with a config and no weights): a fresh model, every
 *   parameter drawn as transformers' `_init_weights` draws it (seeded);
 * - a model folder or Hugging Face id: the checkpoint's weights (weight-normalised convs kept as
 *   `weight_g`/`weight_v`, as transformers saves them), adapted to the training labels like
 *   `from_pretrained(…, num_labels, id2label, label2id, ignore_mismatched_sizes=True)`: a new
 *   label set gets a fresh classifier, head parameters the checkpoint lacks (a base model's
 *   projector) and parameters its config needs but it lacks (masked_spec_embed) are created,
 *   and checkpoint tensors the classifier does not have (pre-training heads) are dropped.
 *
 * The config written back keeps every key of the original except the label maps and
 * `architectures` (and `problem_type` for multi-label data).
 */
import { stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { FeatureExtractor } from "../features/index.js";
import { resolveModel, type HubOptions } from "../hub/index.js";
import { type AudioClassificationArchitecture, AutoFeatureExtractor, ModelConfig, type ParameterSpec, architectureFor, initializeParameters } from "../models/index.js";
import type { Tensor } from "../tensor.js";
import { loadWeights } from "../weights/index.js";
import { JsonDocument, adaptModelToLabels, modelConfigDocument } from "./checkpoint/index.js";
import { defaultPreprocessorConfig } from "./default-preprocessor.js";
import { TrainerOptionsError } from "./errors.js";
import { Rng } from "./random.js";

export interface TrainableModel {
  /** config.json to save: the original's keys with the training labels. */
  readonly config: JsonDocument;
  readonly modelConfig: ModelConfig;
  readonly architecture: AudioClassificationArchitecture;
  readonly specs: readonly ParameterSpec[];
  /** Every parameter and buffer, by checkpoint name. */
  readonly weights: Map<string, Tensor>;
  readonly featureExtractor: FeatureExtractor;
  readonly featureExtractorConfig: JsonDocument;
  readonly labels: readonly string[];
  /** What was done to get here, for the run's log. */
  readonly origin: {
    readonly kind: "checkpoint" | "config";
    readonly path: string;
    /** Parameters given fresh values (new head, new labels, missing from the checkpoint). */
    readonly initialized: readonly string[];
    /** Checkpoint tensors the classification model does not have (dropped). */
    readonly dropped: readonly string[];
  };
}

export interface TrainableModelOptions {
  readonly seed: number;
  readonly multiLabel?: boolean;
  readonly hub?: HubOptions;
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() === true;
}

async function hasWeights(dir: string): Promise<boolean> {
  for (const name of ["model.safetensors", "model.safetensors.index.json", "pytorch_model.bin", "pytorch_model.bin.index.json"]) {
    if (await isFile(join(dir, name))) return true;
  }
  return false;
}

/** Where the config (and maybe weights) come from. */
async function locate(ref: string, hub: HubOptions | undefined): Promise<{ configPath: string; dir: string; withWeights: boolean }> {
  if (ref.endsWith(".json") && (await isFile(ref))) return { configPath: ref, dir: dirname(ref), withWeights: false };
  if (ref.endsWith(".json")) throw new TrainerOptionsError(`model: ${ref} does not exist; pass a config.json file, a model folder or a Hugging Face id`, "model");
  const { dir } = await resolveModel(ref, hub ?? {});
  const configPath = join(dir, "config.json");
  if (!(await isFile(configPath))) throw new TrainerOptionsError(`model: ${dir} has no config.json; pass a Hugging Face model folder or a config.json file`, "model");
  return { configPath, dir, withWeights: await hasWeights(dir) };
}

async function featureExtractorFor(dir: string, config: ModelConfig): Promise<{ doc: JsonDocument; extractor: FeatureExtractor }> {
  // A config file passed on its own may have a preprocessor config next to it.
  const path = join(dir, "preprocessor_config.json");
  if (await isFile(path)) {
    const doc = await JsonDocument.read(path);
    return { doc, extractor: AutoFeatureExtractor.fromConfig(doc.toObject(), { source: path, modelType: config.modelType }) };
  }
  const defaults = defaultPreprocessorConfig(config);
  return { doc: JsonDocument.from(defaults, "preprocessor_config.json"), extractor: AutoFeatureExtractor.fromConfig(defaults, { source: "default preprocessor config", modelType: config.modelType }) };
}

function asTrainingTensor(name: string, tensor: Tensor): Tensor {
  if (tensor.type === "float32" || tensor.type === "int64") return tensor;
  if (tensor.type === "float64") return { type: "float32", dims: tensor.dims, data: Float32Array.from(tensor.data as Float64Array) };
  throw new TrainerOptionsError(`model: parameter "${name}" is stored as ${tensor.type}; audioclass trains float32 parameters`, "model");
}

/**
 * Loads (or creates) the model for training on `labels` (class-id order). When they are the
 * checkpoint's own labels in another order, the checkpoint's order is kept (see `labels` of the
 * result): relabel the data with it.
 */
export async function loadTrainableModel(ref: string, requested: readonly string[], options: TrainableModelOptions): Promise<TrainableModel> {
  const { configPath, dir, withWeights } = await locate(ref, options.hub);
  const original = await JsonDocument.read(configPath);
  const originalConfig = new ModelConfig(original.toObject(), configPath);
  const architecture = architectureFor(originalConfig);
  const rng = new Rng(options.seed);
  // The model's own labels in another order: keep its ids (and its trained head); the data follows.
  const own = originalConfig.labels();
  const labels = withWeights && own.length === requested.length && own.every((l) => requested.includes(l)) ? own : [...requested];
  let config = modelConfigDocument(original, { labels });
  if (options.multiLabel) config = config.with({ problem_type: "multi_label_classification" });
  const modelConfig = new ModelConfig(config.toObject(), configPath);
  const specs = architecture.parameters(modelConfig);
  const { doc: featureExtractorConfig, extractor: featureExtractor } = await featureExtractorFor(dir, modelConfig);

  if (!withWeights) {
    const weights = initializeParameters(specs, rng);
    return { config, modelConfig, architecture, specs, weights, featureExtractor, featureExtractorConfig, labels: [...labels], origin: { kind: "config", path: configPath, initialized: specs.map((s) => s.name), dropped: [] } };
  }

  const map = await loadWeights(dir, { basePrefix: architecture.basePrefix(originalConfig), modelHasBasePrefix: true, weightNorm: "keep" });
  const loaded = new Map<string, Tensor>();
  try {
    for (const name of map.names()) loaded.set(name, asTrainingTensor(name, map.getTensor(name)));
  } finally {
    map.source.close();
  }
  const adapted = adaptModelToLabels({ config: original, weights: loaded }, labels, { rng });
  const wanted = new Set(specs.map((s) => s.name));
  const weights = new Map<string, Tensor>();
  const missing = specs.filter((s) => !adapted.weights.has(s.name));
  const fresh = initializeParameters(missing, rng);
  const initialized = [...adapted.reinitialized, ...adapted.created];
  for (const spec of specs) {
    const tensor = (adapted.weights.get(spec.name) as Tensor | undefined) ?? fresh.get(spec.name)!;
    if (fresh.has(spec.name)) initialized.push(spec.name);
    const dims = tensor.dims;
    if (dims.length !== spec.shape.length || dims.some((d, i) => d !== spec.shape[i])) {
      throw new TrainerOptionsError(`model: "${spec.name}" in ${dir} has shape [${dims.join(", ")}] but its config.json implies [${spec.shape.join(", ")}]; the weights do not belong to this config`, "model");
    }
    weights.set(spec.name, tensor);
  }
  const dropped = [...adapted.weights.keys()].filter((name) => !wanted.has(name)).sort();
  return { config, modelConfig, architecture, specs, weights, featureExtractor, featureExtractorConfig, labels: [...labels], origin: { kind: "checkpoint", path: dir, initialized, dropped } };
}
