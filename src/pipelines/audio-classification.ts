/**
 * The audio-classification pipeline: audio in, `[{ label, score }]` out, with the semantics of
 * transformers' AudioClassificationPipeline (REFERENCE.md) — same labels, same order, same
 * scores — plus real batching. Options given at construction are defaults; a call may override
 * them (transformers 4.49 lets call-time defaults override construction options; we do not).
 */
import type { FeatureExtractor } from "../features/index.js";
import { AutoFeatureExtractor } from "../models/index.js";
import { AutoModelForAudioClassification, FROM_PRETRAINED_OPTION_KEYS, type AudioClassificationModel, type FromPretrainedOptions } from "../models/index.js";
import { loadAudioInput, maxInputBytes, type AudioInputOptions, type PipelineAudioInput } from "./audio-input.js";
import { checkFunctionToApply, checkTopK, labelScores, type FunctionToApply, type LabelScore } from "./classification-scores.js";
import { NonFiniteOutputError } from "./errors.js";
import { checkBatchSize, checkDecoder, checkOptionKeys, checkOptionsObject, isInputList } from "./pipeline-options.js";

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

interface ResolvedCallOptions {
  topK: number;
  functionToApply: FunctionToApply;
  batchSize: number;
  decoder: AudioInputOptions["decoder"];
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
    checkOptionsObject(options, "{ topK: 3 }");
    checkOptionKeys(options, CALL_KEYS, "audio-classification call option");
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
    return loadAudioInput(input, this.samplingRate, { decoder: checkDecoder(options.decoder ?? this.defaults.decoder), maxBytes: this.maxInputBytes });
  }

  /** Most bytes read from one input: no more than one model run may take (the model's maxMemoryMB). */
  get maxInputBytes(): number {
    return maxInputBytes(this.model.maxMemoryBytes);
  }

  /** Classifies waveforms already at the model's rate, `batchSize` at a time. Throws NonFiniteOutputError for the first input whose scores are not finite. */
  async classifyWaveforms(waveforms: readonly Float32Array[], options: AudioClassificationCallOptions = {}): Promise<LabelScore[][]> {
    const results = await this.classifyEach(waveforms, options);
    const failed = results.find((r): r is NonFiniteOutputError => r instanceof NonFiniteOutputError);
    if (failed !== undefined) throw failed;
    return results as LabelScore[][];
  }

  /**
   * Like classifyWaveforms, but an input whose logits are NaN or infinite gets a
   * NonFiniteOutputError in its place instead of failing the others (the CLI reports it per file).
   */
  async classifyEach(waveforms: readonly Float32Array[], options: AudioClassificationCallOptions = {}): Promise<Array<LabelScore[] | NonFiniteOutputError>> {
    const resolved = this.resolve(options);
    const results: Array<LabelScore[] | NonFiniteOutputError> = [];
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
        results.push(rowLogits.every(Number.isFinite) ? labelScores(rowLogits, id2label, resolved) : this.nonFinite(batch[row]!, rowLogits, start + row));
      }
    }
    return results;
  }

  private nonFinite(waveform: Float32Array, logits: Float32Array, index: number): NonFiniteOutputError {
    let peak = 0;
    for (const x of waveform) peak = Math.max(peak, Math.abs(x));
    const kind = logits.some(Number.isNaN) ? "NaN" : "infinite";
    const why =
      peak > 1e3 ? `its samples reach ${peak.toExponential(1)}, while audio samples are expected within [-1, 1] (scale the audio down)`
      : `the audio looks ordinary (peak ${peak.toPrecision(3)}), so the model's weights may hold NaN or Infinity (${this.model.dir})`;
    return new NonFiniteOutputError(`the model produced ${kind} scores for input #${index}: ${why}`, index);
  }

  /** Classifies one input (→ one list of label scores) or an array of inputs (→ one list per input). */
  run(input: PipelineAudioInput, options?: AudioClassificationCallOptions): Promise<LabelScore[]>;
  run(inputs: readonly PipelineAudioInput[], options?: AudioClassificationCallOptions): Promise<LabelScore[][]>;
  async run(input: PipelineAudioInput | readonly PipelineAudioInput[], options: AudioClassificationCallOptions = {}): Promise<LabelScore[] | LabelScore[][]> {
    const resolved = this.resolve(options);
    const many = isInputList(input);
    if (many && input.length === 0) return []; // an empty list of inputs, as in Python
    const inputs = many ? (input as readonly PipelineAudioInput[]) : [input as PipelineAudioInput];
    const waveforms = await Promise.all(inputs.map((x) => loadAudioInput(x, this.samplingRate, { decoder: resolved.decoder, maxBytes: this.maxInputBytes })));
    const results = await this.classifyWaveforms(waveforms, options);
    return many ? results : results[0]!;
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }
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

/** What `pipeline("audio-classification", model, options)` accepts: call defaults and load options. */
const PIPELINE_KEYS: readonly string[] = [...CALL_KEYS, ...FROM_PRETRAINED_OPTION_KEYS];

export async function createAudioClassificationPipeline(modelRef: string, options: AudioClassificationPipelineOptions = {}): Promise<AudioClassifier> {
  checkOptionsObject(options, "{ topK: 3, threads: 2 }");
  checkOptionKeys(options, PIPELINE_KEYS, "audio-classification pipeline option");
  const { topK, functionToApply, batchSize, decoder, ...loadOptions } = options;
  const model = await AutoModelForAudioClassification.fromPretrained(modelRef, loadOptions);
  const featureExtractor = await AutoFeatureExtractor.fromPretrained(model.dir);
  return callablePipeline(new AudioClassificationPipeline(model, featureExtractor, { topK, functionToApply, batchSize, decoder }));
}
