/**
 * The audio-classification pipeline: audio in, `[{ label, score }]` out, with the semantics of
 * transformers' AudioClassificationPipeline (REFERENCE.md) — same labels, same order, same
 * scores — plus real batching. Options given at construction are defaults; a call may override
 * them (transformers 4.49 lets call-time defaults override construction options; we do not).
 */
import type { FeatureExtractor, FeatureExtractorOutput } from "../features/feature-extractor.js";
import { stackFeatures } from "../features/stack-features.js";
// Files, not models/index.js: that index is Node's entry to the layer (it installs Node's loaders).
import { AutoFeatureExtractor } from "../models/auto-feature-extractor.js";
import type { AudioClassificationModel } from "../models/audio-classification-model.js";
import { AutoModelForAudioClassification, FROM_PRETRAINED_OPTION_KEYS, type FromPretrainedOptions } from "../models/auto-model.js";
import { maxInputBytes, type PipelineAudioInput } from "./audio-input.js";
import { type AudioCallOptions, AudioPipeline, type ResolvedAudioOptions, type TimelineRequest, callable } from "./audio-pipeline.js";
import type { Timeline } from "./timeline.js";
import { checkFunctionToApply, checkTopK, labelScores, type FunctionToApply, type LabelScore } from "./classification-scores.js";
import { NonFiniteOutputError, PipelineInputError } from "./errors.js";
import { type PreparedClip, type PrepareOptions, featureCallOptions, prepareClip } from "./prepared-clip.js";
import { checkBatchSize, checkDecoder, checkOptionKeys, checkOptionsObject } from "./pipeline-options.js";

export interface AudioClassificationCallOptions extends AudioCallOptions {
  /** How many labels to return (default: all; larger values are clipped; null = all). */
  topK?: number | null;
  /** "softmax" (default), "sigmoid" (multi-label models) or "none" (raw logits as scores). */
  functionToApply?: FunctionToApply;
}

export interface AudioClassificationPipelineOptions extends AudioClassificationCallOptions, FromPretrainedOptions {}

const CALL_KEYS = ["topK", "functionToApply", "batchSize", "decoder"] as const;

interface ResolvedCallOptions extends ResolvedAudioOptions {
  topK: number;
  functionToApply: FunctionToApply;
}

export class AudioClassificationPipeline extends AudioPipeline<AudioClassificationCallOptions, ResolvedCallOptions> {
  readonly task = "audio-classification" as const;
  protected readonly pythonName = "AudioClassificationPipeline";
  protected readonly optionsExample = "{ topK: 3 }";

  constructor(
    readonly model: AudioClassificationModel,
    readonly featureExtractor: FeatureExtractor,
    defaults: AudioClassificationCallOptions = {},
  ) {
    super(CALL_KEYS, defaults);
    this.resolve({}); // validate construction options now, not at the first call
  }

  get samplingRate(): number {
    return this.featureExtractor.samplingRate;
  }

  /** Most bytes read from one input: no more than one model run may take (the model's maxMemoryMB). */
  get maxInputBytes(): number {
    return maxInputBytes(this.model.maxMemoryBytes);
  }

  get inputSeconds(): number | undefined {
    return this.featureExtractor.inputSeconds;
  }

  protected multiLabel(resolved: ResolvedCallOptions): boolean {
    return resolved.functionToApply === "sigmoid";
  }

  protected check(merged: Partial<AudioClassificationCallOptions>, given: Partial<AudioClassificationCallOptions>): ResolvedCallOptions {
    // An explicit `topK: null` at call time means all labels even when the pipeline has a default.
    const topK = "topK" in given ? given.topK : this.defaults.topK;
    return {
      topK: checkTopK(topK, this.model.numLabels),
      functionToApply: checkFunctionToApply(merged.functionToApply ?? "softmax"),
      batchSize: checkBatchSize(merged.batchSize),
      decoder: checkDecoder(merged.decoder),
    };
  }

  protected async process(waveforms: readonly Float32Array[], resolved: ResolvedCallOptions): Promise<LabelScore[][]> {
    const results = await this.scoreEach(waveforms, resolved);
    const failed = results.find((r): r is NonFiniteOutputError => r instanceof NonFiniteOutputError);
    if (failed !== undefined) throw failed;
    return results as LabelScore[][];
  }

  /** Classifies waveforms already at the model's rate, `batchSize` at a time. Throws NonFiniteOutputError for the first input whose scores are not finite. */
  classifyWaveforms(waveforms: readonly Float32Array[], options: AudioClassificationCallOptions = {}): Promise<LabelScore[][]> {
    return this.process(waveforms, this.resolve(options));
  }

  /**
   * Like classifyWaveforms, but an input whose logits are NaN or infinite gets a
   * NonFiniteOutputError in its place instead of failing the others (the CLI reports it per file).
   */
  override classifyEach(waveforms: readonly Float32Array[], options: AudioClassificationCallOptions = {}): Promise<Array<LabelScore[] | NonFiniteOutputError>> {
    return this.scoreEach(waveforms, this.resolve(options));
  }

  private scoreEach(waveforms: readonly Float32Array[], resolved: ResolvedCallOptions): Promise<Array<LabelScore[] | NonFiniteOutputError>> {
    // The same route as prepared clips, so results do not depend on where clips were prepared.
    const fe = this.featureExtractor;
    const clips = waveforms.map((w) =>
      fe.perExample ? { samples: w.length, features: fe(w, featureCallOptions(fe, 1, this.model.takesAttentionMask)), waveform: w } : { samples: w.length, waveform: w },
    );
    return this.scorePrepared(clips, resolved);
  }

  /** Options for preparing clips (in worker threads or here) the way this pipeline batches them. */
  prepareOptions(options: Pick<AudioClassificationCallOptions, "decoder"> = {}): PrepareOptions {
    return { decoder: checkDecoder(options.decoder ?? this.defaults.decoder), maxBytes: this.maxInputBytes, pipelineName: this.pythonName, returnAttentionMask: this.model.takesAttentionMask };
  }

  /** Decodes one input and, when the extractor works clip by clip, computes its features. */
  prepare(input: PipelineAudioInput, options: Pick<AudioClassificationCallOptions, "decoder"> = {}): Promise<PreparedClip> {
    return prepareClip(input, this.featureExtractor, this.prepareOptions(options));
  }

  /** Scores prepared clips, `batchSize` at a time in the order given; non-finite scores are per-clip errors. */
  classifyPrepared(clips: readonly PreparedClip[], options: AudioClassificationCallOptions = {}): Promise<Array<LabelScore[] | NonFiniteOutputError>> {
    return this.scorePrepared(clips, this.resolve(options));
  }

  private async scorePrepared(clips: readonly PreparedClip[], resolved: ResolvedCallOptions): Promise<Array<LabelScore[] | NonFiniteOutputError>> {
    const results: Array<LabelScore[] | NonFiniteOutputError> = [];
    const labels = this.model.labels;
    const id2label = (id: number) => labels[id]!;
    for (let start = 0; start < clips.length; start += resolved.batchSize) {
      const batch = clips.slice(start, start + resolved.batchSize);
      const logits = await this.model.forward(this.batchFeatures(batch));
      const numLabels = logits.dims[1]!;
      for (let row = 0; row < batch.length; row++) {
        const rowLogits = logits.data.subarray(row * numLabels, (row + 1) * numLabels);
        results.push(rowLogits.every(Number.isFinite) ? labelScores(rowLogits, id2label, resolved) : this.nonFinite(batch[row]!, rowLogits, start + row));
      }
    }
    return results;
  }

  /** Stacked per-clip features, or the batch's waveforms through the extractor together. */
  private batchFeatures(batch: readonly PreparedClip[]): FeatureExtractorOutput {
    if (batch.every((c) => c.features !== undefined)) return batch.length === 1 ? batch[0]!.features! : stackFeatures(batch.map((c) => c.features!));
    const waveforms = batch.map((c) => {
      if (c.waveform === undefined) throw new PipelineInputError("a prepared clip holds neither features nor its waveform");
      return c.waveform;
    });
    const fe = this.featureExtractor;
    return fe(waveforms.length === 1 ? waveforms[0]! : waveforms, featureCallOptions(fe, waveforms.length, this.model.takesAttentionMask));
  }

  private nonFinite(clip: PreparedClip, logits: Float32Array, index: number): NonFiniteOutputError {
    let peak = 0;
    for (const x of clip.waveform ?? []) peak = Math.max(peak, Math.abs(x));
    if (clip.waveform === undefined) peak = Number.NaN;
    const kind = logits.some(Number.isNaN) ? "NaN" : "infinite";
    const why =
      Number.isNaN(peak) ? `the audio is far outside [-1, 1] (scale it down), or the model's weights hold NaN or Infinity (${this.model.dir})`
      : peak > 1e3 ? `its samples reach ${peak.toExponential(1)}, while audio samples are expected within [-1, 1] (scale the audio down)`
      : `the audio looks ordinary (peak ${peak.toPrecision(3)}), so the model's weights may hold NaN or Infinity (${this.model.dir})`;
    return new NonFiniteOutputError(`the model produced ${kind} scores for input #${index}: ${why}`, index);
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}

/** The callable form `classify(input, options)`, with the pipeline's members attached. */
export type AudioClassifier = AudioClassificationPipeline & {
  (input: PipelineAudioInput, options: AudioClassificationCallOptions & TimelineRequest): Promise<Timeline>;
  (inputs: readonly PipelineAudioInput[], options: AudioClassificationCallOptions & TimelineRequest): Promise<Timeline[]>;
  (input: PipelineAudioInput, options?: AudioClassificationCallOptions): Promise<LabelScore[]>;
  (inputs: readonly PipelineAudioInput[], options?: AudioClassificationCallOptions): Promise<LabelScore[][]>;
};

export function callablePipeline(p: AudioClassificationPipeline): AudioClassifier {
  return callable<AudioClassificationPipeline, AudioClassifier>(p);
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
