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
import { AutoFeatureExtractor, ClapFeatureExtractor, NumpyRandomState, type FeatureExtractorOutput } from "../features/index.js";
import { resolveModel, type HubOptions } from "../hub/index.js";
import { ClapModel } from "../models/clap/index.js";
import { type ModelDType, weightPrecisionOf } from "../models/index.js";
import { tensor, type Tensor } from "../tensor.js";
import { TextTokenizer } from "../text/index.js";
import { type PipelineAudioInput, loadAudioInput } from "./audio-input.js";
import { type LabelScore, applyFunction, topKIndices } from "./classification-scores.js";
import { PipelineInputError, PipelineOptionError } from "./errors.js";
import { DEFAULT_HYPOTHESIS_TEMPLATE, hypothesisFormatter, parseCandidateLabels } from "./zero-shot-hypothesis.js";
import { TextEmbeddingCache } from "./zero-shot-text-cache.js";

export interface ZeroShotAudioClassificationOptions extends HubOptions {
  /** Intra-op threads per tower (default: all cores). */
  threads?: number;
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
  /**
   * Share the towers' sessions with other pipelines and models loaded from the same folder with
   * the same options (default true). Disposing any of them releases the shared sessions.
   */
  cache?: boolean;
}

export interface ZeroShotCallOptions {
  /** The labels to choose from (a list, or one comma-separated string). */
  candidateLabels: readonly string[] | string;
  /** How labels become texts: "{}" is the label. */
  hypothesisTemplate?: string;
  /** Clips per audio-tower run for array inputs (default 1, as Python). */
  batchSize?: number;
  /** Re-seeds the crop generator for this call (like np.random.seed before the call). */
  seed?: number;
  /** Overrides the pipeline's decoder for this call. */
  decoder?: "builtin" | "ffmpeg";
}

export interface AudioEmbeddingOptions {
  batchSize?: number;
  seed?: number;
  decoder?: "builtin" | "ffmpeg";
}

export interface ZeroShotAudioClassificationPipeline {
  (input: PipelineAudioInput, options: ZeroShotCallOptions): Promise<LabelScore[]>;
  (inputs: readonly PipelineAudioInput[], options: ZeroShotCallOptions): Promise<LabelScore[][]>;
  readonly task: "zero-shot-audio-classification";
  readonly model: ClapModel;
  readonly tokenizer: TextTokenizer;
  readonly featureExtractor: ClapFeatureExtractor;
  /** Unit-length audio embeddings [inputs, projection_dim] (ClapModel.get_audio_features). */
  getAudioEmbeddings(inputs: PipelineAudioInput | readonly PipelineAudioInput[], options?: AudioEmbeddingOptions): Promise<Tensor<"float32">>;
  /** Unit-length text embeddings [texts, projection_dim] (ClapModel.get_text_features), the texts padded as one batch. */
  getTextEmbeddings(texts: string | readonly string[]): Promise<Tensor<"float32">>;
  /** Releases both towers' sessions. */
  dispose(): Promise<void>;
}

/** An array of inputs, as opposed to one waveform given as number[]. */
function isInputList(input: unknown): input is readonly PipelineAudioInput[] {
  return Array.isArray(input) && (input.length === 0 || input.some((x) => typeof x !== "number"));
}

function checkBatchSize(value: unknown): number {
  if (value === undefined) return 1;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new PipelineOptionError(`batchSize must be a positive integer, got ${describeValue(value)}`);
  }
  return value;
}

function checkDecoder(value: unknown): "builtin" | "ffmpeg" | undefined {
  if (value === undefined || value === "builtin" || value === "ffmpeg") return value;
  throw new PipelineOptionError(`decoder must be "builtin" (built-in decoders) or "ffmpeg" (Python's exact path), got ${describeValue(value)}`);
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

export async function createZeroShotAudioClassificationPipeline(
  modelRef: string,
  options: ZeroShotAudioClassificationOptions = {},
): Promise<ZeroShotAudioClassificationPipeline> {
  const decoder = checkDecoder(options.decoder);
  const defaultFormat = hypothesisFormatter(options.hypothesisTemplate ?? DEFAULT_HYPOTHESIS_TEMPLATE);
  const seed = checkSeed(options.seed, "seed");
  weightPrecisionOf(options.dtype); // an unknown dtype fails before anything is downloaded
  const { dir } = await resolveModel(modelRef, options);
  const fe = await AutoFeatureExtractor.fromPretrained(dir);
  if (!(fe instanceof ClapFeatureExtractor)) {
    throw new PipelineInputError(`${dir} is not a CLAP checkpoint: its feature extractor is ${fe.featureExtractorType}, zero-shot audio classification needs ClapFeatureExtractor (e.g. laion/clap-htsat-unfused)`);
  }
  const [tokenizer, model] = await Promise.all([
    TextTokenizer.fromPretrained(dir),
    ClapModel.fromPretrained(dir, {
      threads: options.threads,
      fused: options.fused,
      cache: options.cache,
      dtype: options.dtype,
      weightsCacheDir: options.weightsCacheDir,
      env: options.env,
      audioInput: { channels: fe.truncation === "fusion" ? 4 : 1, frames: Math.floor(fe.nbMaxSamples / fe.hopLength) + 1, bins: fe.featureSize },
    }),
  ]);
  const rng = new NumpyRandomState(seed);
  const cache = new TextEmbeddingCache(options.textCacheSize ?? 32);

  const textEmbeddings = async (texts: string | readonly string[]): Promise<Tensor<"float32">> =>
    model.textEmbeddings({ ...tokenizer.encodeBatch(texts, { padding: true }) });

  /** Checks a call's audio options before any work is done. */
  const audioSettings = (opts: AudioEmbeddingOptions) => {
    const callSeed = checkSeed(opts.seed, "seed");
    return {
      batchSize: checkBatchSize(opts.batchSize),
      decoder: checkDecoder(opts.decoder) ?? decoder,
      generator: callSeed === undefined ? rng : new NumpyRandomState(callSeed),
    };
  };

  /** Audio embeddings of `inputs`, `batchSize` clips per run; each clip's features alone, as Python. */
  const audioEmbeddings = async (inputs: readonly PipelineAudioInput[], settings: ReturnType<typeof audioSettings>): Promise<Tensor<"float32">[]> => {
    const { batchSize, decoder: callDecoder, generator } = settings;
    const out: Tensor<"float32">[] = [];
    for (let start = 0; start < inputs.length; start += batchSize) {
      const chunk = inputs.slice(start, start + batchSize);
      const features: FeatureExtractorOutput[] = [];
      for (const input of chunk) {
        const waveform = await loadAudioInput(input, fe.samplingRate, { decoder: callDecoder, pipelineName: "ZeroShotAudioClassificationPipeline" });
        features.push(fe(waveform, { samplingRate: fe.samplingRate, rng: generator }));
      }
      out.push(await model.audioEmbeddings(stackFeatures(features)));
    }
    return out;
  };

  const classify = async (input: PipelineAudioInput | readonly PipelineAudioInput[], call: ZeroShotCallOptions): Promise<LabelScore[] | LabelScore[][]> => {
    if (call === null || typeof call !== "object") {
      throw new PipelineOptionError(`the zero-shot pipeline needs options with candidateLabels, e.g. zs(audio, { candidateLabels: ["dog", "cat"] }), got ${describeValue(call)}`);
    }
    const labels = parseCandidateLabels(call.candidateLabels);
    const format = call.hypothesisTemplate === undefined ? defaultFormat : hypothesisFormatter(call.hypothesisTemplate);
    const settings = audioSettings(call);
    const sequences = labels.map(format);
    const list = isInputList(input);
    const inputs = list ? input : [input as PipelineAudioInput];
    if (inputs.length === 0) return [];
    const texts = await cache.get(sequences, () => textEmbeddings(sequences));
    const results: LabelScore[][] = [];
    for (const audio of await audioEmbeddings(inputs, settings)) {
      const logits = model.logitsPerAudio(audio, texts);
      for (let row = 0; row < audio.dims[0]!; row++) {
        const scores = applyFunction(logits.data.subarray(row * labels.length, (row + 1) * labels.length), "softmax");
        results.push(topKIndices(scores, labels.length).map((i) => ({ label: labels[i]!, score: scores[i]! })));
      }
    }
    return list ? results : results[0]!;
  };

  const pipeline = classify as ZeroShotAudioClassificationPipeline;
  Object.defineProperties(pipeline, {
    task: { value: "zero-shot-audio-classification", enumerable: true },
    model: { value: model, enumerable: true },
    tokenizer: { value: tokenizer, enumerable: true },
    featureExtractor: { value: fe, enumerable: true },
    getAudioEmbeddings: {
      value: async (inputs: PipelineAudioInput | readonly PipelineAudioInput[], opts: AudioEmbeddingOptions = {}) => {
        const settings = audioSettings(opts ?? {});
        const list = isInputList(inputs) ? inputs : [inputs as PipelineAudioInput];
        if (list.length === 0) throw new PipelineInputError("getAudioEmbeddings needs at least one input");
        const parts = await audioEmbeddings(list, settings);
        return concatRows(parts);
      },
    },
    getTextEmbeddings: { value: textEmbeddings },
    dispose: { value: async () => { cache.clear(); await model.dispose(); } },
  });
  return pipeline;
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
