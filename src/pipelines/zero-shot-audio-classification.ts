/**
 * pipeline("zero-shot-audio-classification", model): transformers 4.49's
 * ZeroShotAudioClassificationPipeline on a CLAP checkpoint. Each candidate label becomes
 * `hypothesisTemplate.format(label)`; the label set is tokenised with padding and embedded by
 * the text tower (once per set, then cached); each clip goes through ClapFeatureExtractor and
 * the audio tower; scores are the softmax of logits_per_audio, sorted descending (ties keep the
 * candidate order, as Python's stable sort).
 *
 * Inputs as Python (a path or URL, file bytes, a 1-D array at the model rate) plus
 * `{ samplingRate, raw }` (resampled) and arrays of inputs. `decoder: "ffmpeg"` decodes files
 * exactly as Python's ffmpeg_read.
 */
import { describeValue } from "../errors.js";
// Files, not models/index.js: that index is Node's entry to the layer (it installs Node's loaders).
import { AutoFeatureExtractor } from "../models/auto-feature-extractor.js";
import { ClapFeatureExtractor } from "../features/clap-feature-extractor.js";
import type { FeatureExtractorOutput } from "../features/feature-extractor.js";
import { NumpyRandomState } from "../features/numpy-random-state.js";
import { HUB_OPTION_KEYS, type HubOptions } from "../hub/hub-option-names.js";
import { ClapModel } from "../models/clap/clap-model.js";
import { pretrainedLoaders } from "../models/pretrained-loaders.js";
import { type Device, checkDevice } from "../runtime/device.js";
import { type ModelDType, weightPrecisionOf } from "../runtime/model-dtype.js";
import { tensor, type Tensor } from "../tensor.js";
import type { TextTokenizer } from "../text/tokenizer.js";
import { type PipelineAudioInput, maxInputBytes } from "./audio-input.js";
import { type AudioCallOptions, AudioPipeline, type ResolvedAudioOptions, type TimelineRequest, callable } from "./audio-pipeline.js";
import type { Timeline } from "./timeline.js";
import { maxMemoryBytes } from "../runtime/memory-limit.js";
import { type LabelScore, applyFunction, topKIndices } from "./classification-scores.js";
import { PipelineInputError, PipelineOptionError } from "./errors.js";
import { type Decoder, checkBatchSize, checkDecoder, checkOptionKeys, checkOptionsObject, isInputList } from "./pipeline-options.js";
import { DEFAULT_HYPOTHESIS_TEMPLATE, hypothesisFormatter, parseCandidateLabels } from "./zero-shot-hypothesis.js";
import { TextEmbeddingCache } from "./zero-shot-text-cache.js";

export interface ZeroShotAudioClassificationOptions extends HubOptions {
  /** Intra-op threads per tower (default: all cores). */
  threads?: number;
  /** Where both towers run: "cpu" (default) or "webgpu" (browsers with WebGPU). */
  device?: Device;
  /** "builtin" (default) or "ffmpeg" (Python's exact decoding path) for files, URLs and bytes. */
  decoder?: "builtin" | "ffmpeg";
  /** onnxruntime's fused attention kernels. */
  fused?: boolean;
  /** Precision of both towers' weights: "fp32" (default), "q8" / "int8", "fp16", as in transformers.js. */
  dtype?: ModelDType;
  /** Where "q8" / "fp16" weights are kept between loads (default: audioclass's cache; false: convert at each load). */
  weightsCacheDir?: string | false;
  /** Seeds the random crop of clips longer than max_length_s (numpy's RandomState; default: unseeded). */
  seed?: number;
  /** Default hypothesis template for calls that give none (default "This is a sound of {}."). */
  hypothesisTemplate?: string;
  /** How many label sets' text embeddings to keep (default 32). */
  textCacheSize?: number;
  /** Refuse runs estimated above this many MiB of intermediate tensors, and inputs above it (default: half the RAM). */
  maxMemoryMB?: number;
  /**
   * Share the towers' sessions with other pipelines and models loaded from the same folder with
   * the same options (default true). Disposing any of them releases the shared sessions.
   */
  cache?: boolean;
}

const ZERO_SHOT_PIPELINE_KEYS: readonly string[] = [
  ...HUB_OPTION_KEYS, "threads", "device", "decoder", "fused", "seed", "hypothesisTemplate", "textCacheSize", "cache", "maxMemoryMB", "dtype", "weightsCacheDir",
] satisfies readonly (keyof ZeroShotAudioClassificationOptions)[];

export interface ZeroShotCallOptions extends AudioCallOptions {
  /** The labels to choose from (a list, or one comma-separated string). */
  candidateLabels: readonly string[] | string;
  /** How labels become texts: "{}" is the label. */
  hypothesisTemplate?: string;
  /** Re-seeds the crop generator for this call (like np.random.seed before the call). */
  seed?: number;
}

export interface AudioEmbeddingOptions extends AudioCallOptions {
  seed?: number;
}

const CALL_KEYS = ["candidateLabels", "hypothesisTemplate", "batchSize", "seed", "decoder"] as const;

interface ResolvedZeroShot extends ResolvedAudioOptions {
  labels: string[];
  sequences: string[];
  generator: NumpyRandomState;
}

function checkSeed(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new PipelineOptionError(`${name} must be an integer between 0 and 2**32 - 1, got ${describeValue(value)}`);
  }
  return value;
}

/** Stacks single-clip feature-extractor outputs into one batch. */
function stackFeatures(parts: readonly FeatureExtractorOutput[]): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const key of ["input_features", "is_longer"] as const) {
    const first = parts[0]![key]!;
    const per = first.data.length;
    const data = new (first.data.constructor as { new (n: number): Float32Array | Uint8Array })(per * parts.length);
    parts.forEach((p, i) => data.set(p[key]!.data as Float32Array & Uint8Array, i * per));
    out[key] = tensor(first.type, [parts.length, ...first.dims.slice(1)], data as never);
  }
  return out;
}

function concatRows(parts: readonly Tensor<"float32">[]): Tensor<"float32"> {
  const width = parts[0]!.dims[1]!;
  const rows = parts.reduce((n, p) => n + p.dims[0]!, 0);
  const data = new Float32Array(rows * width);
  let offset = 0;
  for (const p of parts) {
    data.set(p.data, offset);
    offset += p.data.length;
  }
  return tensor("float32", [rows, width], data);
}

export class ZeroShotAudioClassificationPipelineImpl extends AudioPipeline<ZeroShotCallOptions, ResolvedZeroShot> {
  readonly task = "zero-shot-audio-classification" as const;
  protected readonly pythonName = "ZeroShotAudioClassificationPipeline";
  protected readonly optionsExample = '{ candidateLabels: ["dog", "cat"] }';
  private readonly textCache: TextEmbeddingCache;
  private readonly defaultFormat: (label: string) => string;

  constructor(
    readonly model: ClapModel,
    readonly tokenizer: TextTokenizer,
    readonly featureExtractor: ClapFeatureExtractor,
    /** Most bytes read from one input (see maxMemoryMB). */
    readonly maxInputBytes: number,
    private readonly rng: NumpyRandomState,
    options: { decoder?: Decoder; hypothesisTemplate?: string; textCacheSize?: number },
  ) {
    super(CALL_KEYS, { decoder: options.decoder });
    this.defaultFormat = hypothesisFormatter(options.hypothesisTemplate ?? DEFAULT_HYPOTHESIS_TEMPLATE);
    this.textCache = new TextEmbeddingCache(options.textCacheSize ?? 32);
  }

  get samplingRate(): number {
    return this.featureExtractor.samplingRate;
  }

  get inputSeconds(): number {
    return this.featureExtractor.inputSeconds;
  }

  protected multiLabel(): boolean {
    return false;
  }

  protected override resolve(options: Partial<ZeroShotCallOptions> | undefined): ResolvedZeroShot {
    if (options === null || typeof options !== "object") {
      throw new PipelineOptionError(`the zero-shot pipeline needs options with candidateLabels, e.g. zs(audio, { candidateLabels: ["dog", "cat"] }), got ${describeValue(options)}`);
    }
    return super.resolve(options);
  }

  protected check(merged: Partial<ZeroShotCallOptions>): ResolvedZeroShot {
    const labels = parseCandidateLabels(merged.candidateLabels);
    const format = merged.hypothesisTemplate === undefined ? this.defaultFormat : hypothesisFormatter(merged.hypothesisTemplate);
    return { labels, sequences: labels.map(format), ...this.audioSettings(merged) };
  }

  /** batchSize, decoder and the crop generator, checked before any work is done. */
  private audioSettings(options: AudioEmbeddingOptions): ResolvedAudioOptions & { generator: NumpyRandomState } {
    const callSeed = checkSeed(options.seed, "seed");
    return {
      batchSize: checkBatchSize(options.batchSize),
      decoder: checkDecoder(options.decoder ?? this.defaults.decoder),
      generator: callSeed === undefined ? this.rng : new NumpyRandomState(callSeed),
    };
  }

  protected async process(waveforms: readonly Float32Array[], resolved: ResolvedZeroShot): Promise<LabelScore[][]> {
    const { labels, sequences } = resolved;
    const texts = await this.textCache.get(sequences, () => this.getTextEmbeddings(sequences));
    const results: LabelScore[][] = [];
    for (const audio of await this.audioEmbeddings(waveforms, resolved)) {
      const logits = this.model.logitsPerAudio(audio, texts);
      for (let row = 0; row < audio.dims[0]!; row++) {
        const scores = applyFunction(logits.data.subarray(row * labels.length, (row + 1) * labels.length), "softmax");
        results.push(topKIndices(scores, labels.length).map((i) => ({ label: labels[i]!, score: scores[i]! })));
      }
    }
    return results;
  }

  /** Audio embeddings, `batchSize` clips per run; each clip's features alone, as Python. */
  private async audioEmbeddings(waveforms: readonly Float32Array[], settings: { batchSize: number; generator: NumpyRandomState }): Promise<Tensor<"float32">[]> {
    const out: Tensor<"float32">[] = [];
    for (let start = 0; start < waveforms.length; start += settings.batchSize) {
      const features = waveforms.slice(start, start + settings.batchSize).map((w) => this.featureExtractor(w, { samplingRate: this.samplingRate, rng: settings.generator }));
      out.push(await this.model.audioEmbeddings(stackFeatures(features)));
    }
    return out;
  }

  /** Unit-length audio embeddings [inputs, projection_dim] (ClapModel.get_audio_features). */
  async getAudioEmbeddings(inputs: PipelineAudioInput | readonly PipelineAudioInput[], options: AudioEmbeddingOptions = {}): Promise<Tensor<"float32">> {
    checkOptionsObject(options, "{ batchSize: 4 }");
    checkOptionKeys(options ?? {}, ["batchSize", "seed", "decoder"], "getAudioEmbeddings option");
    const settings = this.audioSettings(options ?? {});
    const list = isInputList(inputs) ? (inputs as readonly PipelineAudioInput[]) : [inputs as PipelineAudioInput];
    if (list.length === 0) throw new PipelineInputError("getAudioEmbeddings needs at least one input");
    const waveforms = await Promise.all(list.map((x) => this.loadAudio(x, { decoder: settings.decoder })));
    return concatRows(await this.audioEmbeddings(waveforms, settings));
  }

  /** Unit-length text embeddings [texts, projection_dim] (ClapModel.get_text_features), the texts padded as one batch. */
  getTextEmbeddings(texts: string | readonly string[]): Promise<Tensor<"float32">> {
    return this.model.textEmbeddings({ ...this.tokenizer.encodeBatch(texts, { padding: true }) });
  }

  /** Releases both towers' sessions. */
  async dispose(): Promise<void> {
    this.textCache.clear();
    await this.model.dispose();
  }
}

/** The callable form `zs(input, { candidateLabels })`, with the pipeline's members attached. */
export type ZeroShotAudioClassificationPipeline = ZeroShotAudioClassificationPipelineImpl & {
  (input: PipelineAudioInput, options: ZeroShotCallOptions & TimelineRequest): Promise<Timeline>;
  (inputs: readonly PipelineAudioInput[], options: ZeroShotCallOptions & TimelineRequest): Promise<Timeline[]>;
  (input: PipelineAudioInput, options: ZeroShotCallOptions): Promise<LabelScore[]>;
  (inputs: readonly PipelineAudioInput[], options: ZeroShotCallOptions): Promise<LabelScore[][]>;
};

export async function createZeroShotAudioClassificationPipeline(
  modelRef: string,
  options: ZeroShotAudioClassificationOptions = {},
): Promise<ZeroShotAudioClassificationPipeline> {
  checkOptionsObject(options, "{ threads: 2 }");
  checkOptionKeys(options, ZERO_SHOT_PIPELINE_KEYS, "zero-shot-audio-classification pipeline option");
  const decoder = checkDecoder(options.decoder);
  hypothesisFormatter(options.hypothesisTemplate ?? DEFAULT_HYPOTHESIS_TEMPLATE); // a bad template fails before loading
  const seed = checkSeed(options.seed, "seed");
  weightPrecisionOf(options.dtype); // an unknown dtype or device fails before anything is downloaded
  checkDevice(options.device);
  // A folder (Node: found in or downloaded to the HF cache) or a base URL (browsers).
  const loaders = pretrainedLoaders();
  const dir = await loaders.locate(modelRef, options);
  const fe = await AutoFeatureExtractor.fromPretrained(dir);
  if (!(fe instanceof ClapFeatureExtractor)) {
    throw new PipelineInputError(`${dir} is not a CLAP checkpoint: its feature extractor is ${fe.featureExtractorType}, zero-shot audio classification needs ClapFeatureExtractor (e.g. laion/clap-htsat-unfused)`);
  }
  const [tokenizer, model] = await Promise.all([
    loaders.tokenizer(dir, options),
    ClapModel.fromPretrained(dir, {
      threads: options.threads,
      ...(options.device !== undefined && { device: options.device }),
      fused: options.fused,
      cache: options.cache,
      ...(options.maxMemoryMB !== undefined && { maxMemoryMB: options.maxMemoryMB }),
      dtype: options.dtype,
      weightsCacheDir: options.weightsCacheDir,
      env: options.env,
      audioInput: { channels: fe.truncation === "fusion" ? 4 : 1, frames: Math.floor(fe.nbMaxSamples / fe.hopLength) + 1, bins: fe.featureSize },
    }),
  ]);
  const pipeline = new ZeroShotAudioClassificationPipelineImpl(model, tokenizer, fe, maxInputBytes(maxMemoryBytes(options.maxMemoryMB)), new NumpyRandomState(seed), {
    ...(decoder !== undefined && { decoder }),
    ...(options.hypothesisTemplate !== undefined && { hypothesisTemplate: options.hypothesisTemplate }),
    ...(options.textCacheSize !== undefined && { textCacheSize: options.textCacheSize }),
  });
  return callable<ZeroShotAudioClassificationPipelineImpl, ZeroShotAudioClassificationPipeline>(pipeline);
}
