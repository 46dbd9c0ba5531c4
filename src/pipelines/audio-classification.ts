/**
 * The audio-classification pipeline: audio in, `[{ label, score }]` out, with the semantics of
 * transformers' AudioClassificationPipeline (REFERENCE.md) — same labels, same order, same
 * scores — plus real batching. Options given at construction are defaults; a call may override
 * them (transformers 4.49 lets call-time defaults override construction options; we do not).
 */
import { AutoFeatureExtractor, type FeatureExtractor } from "../features/index.js";
import { AutoModelForAudioClassification, type AudioClassificationModel, type FromPretrainedOptions } from "../models/index.js";
import { describeValue } from "../errors.js";
import { loadAudioInput, type AudioInputOptions, type PipelineAudioInput } from "./audio-input.js";
import { checkFunctionToApply, checkTopK, labelScores, type FunctionToApply, type LabelScore } from "./classification-scores.js";
import { PipelineOptionError } from "./errors.js";

export interface AudioClassificationCallOptions {
  /** How many labels to return (default: all; larger values are clipped; null = all). */
  topK?: number | null;
  /** "softmax" (default), "sigmoid" (multi-label models) or "none" (raw logits as scores). */
  functionToApply?: FunctionToApply;
  /** Inputs per model run (default 1). Padded batches are masked, so results equal one-by-one runs. */
  batchSize?: number;
  /** "builtin" (default) or "ffmpeg" (Python's ffmpeg_read, for exact parity on files). */
  decoder?: AudioInputOptions["decoder"];
}

export interface AudioClassificationPipelineOptions extends AudioClassificationCallOptions, FromPretrainedOptions {}

const CALL_KEYS = ["topK", "functionToApply", "batchSize", "decoder"] as const;
const PYTHON_NAMES: Record<string, string> = { top_k: "topK", function_to_apply: "functionToApply", batch_size: "batchSize" };

interface ResolvedCallOptions {
  topK: number;
  functionToApply: FunctionToApply;
  batchSize: number;
  decoder: AudioInputOptions["decoder"];
}

function checkBatchSize(value: unknown): number {
  if (value === undefined) return 1;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new PipelineOptionError(`batchSize must be a positive integer, got ${describeValue(value)}`);
  }
  return value;
}

function checkDecoder(value: unknown): AudioInputOptions["decoder"] {
  if (value === undefined || value === "builtin" || value === "ffmpeg") return value;
  throw new PipelineOptionError(`decoder must be "builtin" or "ffmpeg", got ${describeValue(value)}`);
}

function checkCallKeys(options: object): void {
  for (const key of Object.keys(options)) {
    if ((CALL_KEYS as readonly string[]).includes(key)) continue;
    const hint = PYTHON_NAMES[key] ? ` (did you mean ${PYTHON_NAMES[key]}? option names are camelCase)` : "";
    throw new PipelineOptionError(`unknown audio-classification option ${JSON.stringify(key)}${hint}; valid options: ${CALL_KEYS.join(", ")}`);
  }
}

export class AudioClassificationPipeline {
  readonly task = "audio-classification" as const;
  private readonly defaults: AudioClassificationCallOptions;

  constructor(
    readonly model: AudioClassificationModel,
    readonly featureExtractor: FeatureExtractor,
    defaults: AudioClassificationCallOptions = {},
  ) {
    this.defaults = {};
    for (const key of CALL_KEYS) if (defaults[key] !== undefined) (this.defaults as Record<string, unknown>)[key] = defaults[key];
    this.resolve({}); // validate construction options now, not at the first call
  }

  get samplingRate(): number {
    return this.featureExtractor.samplingRate;
  }

  private resolve(options: AudioClassificationCallOptions): ResolvedCallOptions {
    if (typeof options !== "object" || options === null || Array.isArray(options)) {
      throw new PipelineOptionError(`call options must be an object like { topK: 3 }, got ${describeValue(options)}`);
    }
    checkCallKeys(options);
    const merged = { ...this.defaults, ...options };
    // An explicit `topK: null` at call time means all labels even when the pipeline has a default.
    const topK = "topK" in options ? options.topK : this.defaults.topK;
    return {
      topK: checkTopK(topK, this.model.numLabels),
      functionToApply: checkFunctionToApply(merged.functionToApply ?? "softmax"),
      batchSize: checkBatchSize(merged.batchSize),
      decoder: checkDecoder(merged.decoder),
    };
  }

  /** One input → mono float32 at the model's rate (decoding, downmix and resampling as Python). */
  loadAudio(input: PipelineAudioInput, options: Pick<AudioClassificationCallOptions, "decoder"> = {}): Promise<Float32Array> {
    return loadAudioInput(input, this.samplingRate, { decoder: checkDecoder(options.decoder ?? this.defaults.decoder) });
  }

  /** Classifies waveforms already at the model's rate, `batchSize` at a time. */
  async classifyWaveforms(waveforms: readonly Float32Array[], options: AudioClassificationCallOptions = {}): Promise<LabelScore[][]> {
    const resolved = this.resolve(options);
    const results: LabelScore[][] = [];
    const labels = this.model.labels;
    const id2label = (id: number) => labels[id]!;
    for (let start = 0; start < waveforms.length; start += resolved.batchSize) {
      const batch = waveforms.slice(start, start + resolved.batchSize);
      const features = this.featureExtractor(batch.length === 1 ? batch[0]! : [...batch], {
        samplingRate: this.samplingRate,
        ...(batch.length > 1 ? this.featureExtractor.batchOptions() : {}),
        ...(this.model.takesAttentionMask ? { returnAttentionMask: true } : {}),
      });
      const logits = await this.model.forward(features);
      const numLabels = logits.dims[1]!;
      for (let row = 0; row < batch.length; row++) {
        const rowLogits = logits.data.subarray(row * numLabels, (row + 1) * numLabels);
        results.push(labelScores(rowLogits, id2label, resolved));
      }
    }
    return results;
  }

  /** Classifies one input (→ one list of label scores) or an array of inputs (→ one list per input). */
  run(input: PipelineAudioInput, options?: AudioClassificationCallOptions): Promise<LabelScore[]>;
  run(inputs: readonly PipelineAudioInput[], options?: AudioClassificationCallOptions): Promise<LabelScore[][]>;
  async run(input: PipelineAudioInput | readonly PipelineAudioInput[], options: AudioClassificationCallOptions = {}): Promise<LabelScore[] | LabelScore[][]> {
    const resolved = this.resolve(options);
    if (Array.isArray(input) && input.length === 0) return []; // an empty list of inputs, as in Python
    const many = isInputList(input);
    const inputs = many ? (input as readonly PipelineAudioInput[]) : [input as PipelineAudioInput];
    const waveforms = await Promise.all(inputs.map((x) => loadAudioInput(x, this.samplingRate, { decoder: resolved.decoder })));
    const results = await this.classifyWaveforms(waveforms, options);
    return many ? results : results[0]!;
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}

/**
 * A list of inputs, as opposed to one input given as a plain number[] of samples: an array whose
 * items are themselves inputs (strings, typed arrays, objects).
 */
function isInputList(input: unknown): boolean {
  return Array.isArray(input) && input.length > 0 && input.every((x) => typeof x !== "number");
}

/** The callable form `classify(input, options)`, with the pipeline's members attached. */
export type AudioClassifier = AudioClassificationPipeline & {
  (input: PipelineAudioInput, options?: AudioClassificationCallOptions): Promise<LabelScore[]>;
  (inputs: readonly PipelineAudioInput[], options?: AudioClassificationCallOptions): Promise<LabelScore[][]>;
};

export function callablePipeline(p: AudioClassificationPipeline): AudioClassifier {
  const fn = ((input: PipelineAudioInput | readonly PipelineAudioInput[], options?: AudioClassificationCallOptions) =>
    p.run(input as PipelineAudioInput, options)) as AudioClassifier;
  Object.setPrototypeOf(fn, p);
  return fn;
}

export async function createAudioClassificationPipeline(modelRef: string, options: AudioClassificationPipelineOptions = {}): Promise<AudioClassifier> {
  const { topK, functionToApply, batchSize, decoder, ...loadOptions } = options;
  const model = await AutoModelForAudioClassification.fromPretrained(modelRef, loadOptions);
  const featureExtractor = await AutoFeatureExtractor.fromPretrained(model.dir);
  return callablePipeline(new AudioClassificationPipeline(model, featureExtractor, { topK, functionToApply, batchSize, decoder }));
}
