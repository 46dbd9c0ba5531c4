/**
 * A loaded audio-classification model: its config, labels and onnxruntime session. `forward`
 * takes feature-extractor output (Hugging Face names) and returns logits [batch, num_labels].
 */
import type { ModelDType, Session } from "../runtime/index.js";
import type { ConvertedWeightsCacheUse } from "./converted-weights-cache.js";
import type { Tensor } from "../tensor.js";
import { describeValue } from "../errors.js";
import { ModelInputError } from "./errors.js";
import type { AudioClassificationArchitecture } from "./architecture.js";
import type { ModelConfig } from "./model-config.js";

export interface LoadReport {
  /** Checkpoint parameters the graph did not use (transformers warns about these too). */
  unusedWeights: string[];
  /** Milliseconds: reading weights, building the graph, creating the session. */
  timings: { weightsMs: number; buildMs: number; sessionMs: number };
  /** "checkpoint" (built from safetensors/.bin) or "onnx" (a transformers.js-style export). */
  source: "checkpoint" | "onnx";
  /** The dtype the weights were loaded in. */
  dtype?: ModelDType;
  /**
   * For "q8" / "fp16" from a checkpoint: whether the converted weights came from the cache ("hit"),
   * were converted and written to it ("written"), could not be written ("unwritable"), or the
   * cache is off; its file; the weights that stayed float32.
   */
  convertedWeights?: { cache: ConvertedWeightsCacheUse; file?: string; keptFloat: readonly string[] };
}

export class AudioClassificationModel {
  constructor(
    readonly config: ModelConfig,
    readonly session: Session,
    readonly labels: readonly string[],
    /** The folder the model was loaded from. */
    readonly dir: string,
    readonly report: LoadReport,
    /** The family that built the graph (undefined for a transformers.js ONNX export). */
    readonly architecture?: AudioClassificationArchitecture,
    /** Runs estimated above this many bytes of intermediate tensors are refused (MemoryLimitError). */
    readonly maxMemoryBytes?: number,
  ) {}

  get numLabels(): number {
    return this.labels.length;
  }

  get modelType(): string {
    return this.config.modelType;
  }

  /** The graph's input names, e.g. ["input_values", "attention_mask"]. */
  get inputNames(): string[] {
    return this.session.inputs.map((i) => i.name);
  }

  /** Whether the graph takes an attention mask (padded batches then run exactly). */
  get takesAttentionMask(): boolean {
    return this.inputNames.includes("attention_mask");
  }

  /**
   * Runs the model on features. An `attention_mask` the graph does not take is dropped; one it
   * takes but was not given is all ones (an unpadded batch). Masks are converted to the
   * integer type the graph declares.
   */
  async forward(features: Readonly<Record<string, Tensor>>): Promise<Tensor<"float32">> {
    this.architecture?.checkInputs?.(this.config, features);
    checkMaskMatches(features);
    const feeds: Record<string, Tensor> = {};
    for (const input of this.session.inputs) {
      const given = features[input.name];
      if (given !== undefined) {
        feeds[input.name] = input.name === "attention_mask" ? maskAs(given, input.type) : given;
      } else if (input.name === "attention_mask") {
        feeds[input.name] = onesMaskFor(features, input.type);
      } else {
        throw new ModelInputError(
          `${this.config.modelType} model needs "${input.name}", got features {${Object.keys(features).join(", ")}}; ` +
            `run the model's feature extractor (AutoFeatureExtractor.fromPretrained) on the audio first`,
        );
      }
    }
    const outputs = await this.session.run(feeds, { outputs: ["logits"], ...(this.maxMemoryBytes !== undefined && { maxMemoryBytes: this.maxMemoryBytes }) });
    const logits = outputs["logits"];
    if (logits === undefined || logits.type !== "float32") {
      throw new ModelInputError(`model ${this.dir} returned no float32 "logits" output (got ${describeValue(logits)})`);
    }
    return logits as Tensor<"float32">;
  }

  async dispose(): Promise<void> {
    await this.session.dispose();
  }
}

/** A mask must cover the same [batch, time] as the values it masks (the graph only sums it). */
function checkMaskMatches(features: Readonly<Record<string, Tensor>>): void {
  const mask = features["attention_mask"];
  const values = features["input_values"];
  if (mask === undefined || values === undefined || values.dims.length !== 2) return;
  if (mask.dims.length !== 2 || mask.dims[0] !== values.dims[0] || mask.dims[1] !== values.dims[1]) {
    throw new ModelInputError(
      `attention_mask has shape [${mask.dims.join(", ")}] but input_values has [${values.dims.join(", ")}]; ` +
        `they must match (pad the batch with the feature extractor: fe(batch, { padding: true, returnAttentionMask: true }))`,
    );
  }
}

function maskAs(mask: Tensor, type: string | undefined): Tensor {
  if (type === "int64" && mask.type !== "int64") {
    const data = new BigInt64Array(mask.data.length);
    for (let i = 0; i < data.length; i++) data[i] = BigInt(Number(mask.data[i]));
    return { type: "int64", dims: mask.dims, data };
  }
  if (type === "int32" && mask.type !== "int32") {
    return { type: "int32", dims: mask.dims, data: Int32Array.from(mask.data as ArrayLike<number>, Number) };
  }
  return mask;
}

function onesMaskFor(features: Readonly<Record<string, Tensor>>, type: string | undefined): Tensor {
  // input_values [batch, time] or stacked input_features [batch, frames, features] (Wav2Vec2-BERT)
  const main = features["input_values"] ?? features["input_features"];
  if (main === undefined || main.dims.length < 2 || main.dims.length > 3) {
    throw new ModelInputError(`cannot infer an attention_mask: expected input_values [batch, time] or input_features [batch, frames, features], got {${Object.keys(features).join(", ")}}`);
  }
  const dims = main.dims.slice(0, 2);
  const count = dims[0]! * dims[1]!;
  return type === "int32"
    ? { type: "int32", dims, data: new Int32Array(count).fill(1) }
    : { type: "int64", dims, data: new BigInt64Array(count).fill(1n) };
}
