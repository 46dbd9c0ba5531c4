/**
 * ClapModel: a CLAP checkpoint (config.json + model.safetensors / pytorch_model.bin) built into
 * two onnxruntime sessions — the HTSAT audio tower and the RoBERTa text tower, each with its
 * projection — plus the logit scales. Sessions are created on first use, so text-only or
 * audio-only callers pay only for the tower they use.
 */
import { describeValue } from "../../errors.js";
import type { GraphModel, GraphTensor } from "../../graph/index.js";
import type { HubOptions } from "../../hub/hub-option-names.js";
import { Weights } from "../../nn/weights.js";
import type { Device } from "../../runtime/device.js";
import { maxMemoryBytes } from "../../runtime/memory-limit.js";
import { type ModelDType, weightPrecisionOf } from "../../runtime/model-dtype.js";
import { type Session, type SessionOptions, createSession } from "../../runtime/session.js";
import type { ReducedPrecision } from "../../runtime/weight-precision-pass.js";
import { DEFAULT_FUSED_ATTENTION } from "../model-session-options.js";
import type { Tensor } from "../../tensor.js";
import { ModelConfigError } from "../errors.js";
import type { ModelConfig } from "../model-config.js";
import { pretrainedLoaders } from "../pretrained-loaders.js";
import type { ClapSettings } from "./clap-config.js";
import { type AudioInputShape, buildClapAudioGraph, buildClapTextGraph } from "./clap-graphs.js";
import { checkAudioFeatures, checkTextInputs, dotProducts } from "./clap-inputs.js";

export interface ClapLoadOptions extends HubOptions {
  /** Intra-op threads per session (default: all cores). */
  threads?: number;
  /** Where both towers run: "cpu" (default) or "webgpu" (browsers with WebGPU). */
  device?: Device;
  /** onnxruntime's fused attention kernels (default DEFAULT_FUSED_ATTENTION: on). */
  fused?: boolean;
  /** Share sessions between loads of the same folder and options (default true); disposing any holder releases them for all. */
  cache?: boolean;
  /** The features the audio graph takes; default from preprocessor_config.json. */
  audioInput?: AudioInputShape;
  /** Refuse runs estimated above this many MiB of intermediate tensors (default: half the RAM). */
  maxMemoryMB?: number;
  /** Precision of both towers' weights: "fp32" (default), "q8" / "int8", "fp16" (see ModelSessionOptions.dtype). */
  dtype?: ModelDType;
  /** Where "q8" / "fp16" weights are kept between loads (see ModelSessionOptions.weightsCacheDir). */
  weightsCacheDir?: string | false;
}

export interface ClapLoadReport {
  /** Checkpoint tensors neither tower read. */
  unusedWeights: string[];
  timings: { weightsMs: number; buildMs: number };
}

/** What ClapModel.forward returns (Python's ClapOutput, without the tower outputs). */
export interface ClapOutput {
  logits_per_audio: Tensor<"float32">;
  logits_per_text: Tensor<"float32">;
  audio_embeds: Tensor<"float32">;
  text_embeds: Tensor<"float32">;
}

/**
 * How a tower's float32 graph is rewritten for a lower precision: Node keeps the converted weights
 * on disk between loads (converted-weights-cache.ts), browsers convert at each load.
 */
export type ReducePrecision = (graph: GraphModel, precision: ReducedPrecision) => Promise<{ graph: GraphModel; sessionOptions: SessionOptions }>;

/** What a tower's session is created from: its graph (float32, or rewritten for the dtype) and options. */
type PrepareTower = () => Promise<{ graph: GraphModel; options: Parameters<typeof createSession>[1] }>;

/** A session built on first use; the graph is dropped once loaded. */
class LazySession {
  #prepare: PrepareTower | undefined;
  #session: Promise<Session> | undefined;

  constructor(prepare: PrepareTower) {
    this.#prepare = prepare;
  }

  get(): Promise<Session> {
    if (this.#session === undefined) {
      const prepare = this.#prepare!;
      this.#session = prepare().then(({ graph, options }) => createSession(graph, options));
      this.#session.then(() => (this.#prepare = undefined), () => (this.#session = undefined));
    }
    return this.#session;
  }

  async dispose(): Promise<void> {
    const pending = this.#session;
    this.#session = undefined;
    this.#prepare = undefined;
    if (pending !== undefined) await (await pending.catch(() => undefined))?.dispose();
  }
}

export class ClapModel {
  readonly #audio: LazySession;
  readonly #text: LazySession;
  readonly #maxMemoryBytes: number;

  private constructor(
    readonly config: ModelConfig,
    readonly settings: ClapSettings,
    /** The folder the model was loaded from. */
    readonly dir: string,
    /** exp(logit_scale_a) and exp(logit_scale_t), in float32 as Python computes them. */
    readonly logitScaleAudio: number,
    readonly logitScaleText: number,
    readonly audioInput: AudioInputShape,
    readonly report: ClapLoadReport,
    graphs: { audio: GraphModel; text: GraphModel },
    options: ClapLoadOptions,
    reducePrecision: ReducePrecision,
  ) {
    const dtype = options.dtype ?? "fp32";
    const precision = weightPrecisionOf(dtype);
    const key = (tower: string): string | undefined =>
      options.cache === false ? undefined : `${dir}|clap-${tower}|threads=${options.threads ?? "all"}|device=${options.device ?? "cpu"}|fused=${options.fused ?? DEFAULT_FUSED_ATTENTION}|dtype=${dtype}|${audioInput.channels}x${audioInput.frames}x${audioInput.bins}`;
    const tower = (name: "audio" | "text", graph: GraphModel): PrepareTower => async () => {
      const base = { threads: options.threads, device: options.device, cacheKey: key(name), name: `clap ${name} tower (${dir})` };
      if (precision === "fp32") return { graph, options: base };
      const reduced = await reducePrecision(graph, precision);
      return { graph: reduced.graph, options: { ...base, ...reduced.sessionOptions } };
    };
    this.#audio = new LazySession(tower("audio", graphs.audio));
    this.#text = new LazySession(tower("text", graphs.text));
    this.#maxMemoryBytes = maxMemoryBytes(options.maxMemoryMB);
  }

  /**
   * Loads a ClapModel checkpoint from a folder, the Hugging Face cache or the hub (Node), or from
   * a hub id or model URL over HTTP (browsers); see pretrained-loaders.ts.
   */
  static async fromPretrained(ref: string, options: ClapLoadOptions = {}): Promise<ClapModel> {
    weightPrecisionOf(options.dtype); // an unknown dtype fails before anything is downloaded
    return pretrainedLoaders().clapModel(ref, options);
  }

  /**
   * Builds both towers from checkpoint tensors already read (what the platform loaders call).
   * `dir` names the checkpoint (a folder or URL) in messages and session cache keys.
   */
  static fromTensors(config: ModelConfig, settings: ClapSettings, dir: string, tensors: ReadonlyMap<string, GraphTensor>, audioInput: AudioInputShape, options: ClapLoadOptions, reducePrecision: ReducePrecision, weightsMs = 0): ClapModel {
    const t1 = performance.now();
    const weights = Weights.from(new Map(tensors));
    const graphs = {
      audio: buildClapAudioGraph(settings, weights, audioInput, { fused: options.fused ?? DEFAULT_FUSED_ATTENTION }),
      text: buildClapTextGraph(settings, weights, { fused: options.fused ?? DEFAULT_FUSED_ATTENTION }),
    };
    // Python: logit_scale_a.exp(), in float32
    const [scaleAudio, scaleText] = ["logit_scale_a", "logit_scale_t"].map((name) => Math.fround(Math.exp(Number(weights.tensor(name, []).data[0]))));
    const report = { unusedWeights: weights.unusedNames(), timings: { weightsMs, buildMs: performance.now() - t1 } };
    return new ClapModel(config, settings, dir, scaleAudio!, scaleText!, audioInput, report, graphs, options, reducePrecision);
  }

  /** Length of the embeddings both towers produce. */
  get projectionDim(): number {
    return this.config.int("projection_dim", 512);
  }

  /** Longest token sequence the text tower takes (positions run from pad_token_id + 1). */
  get maxTextLength(): number {
    return this.settings.text.maxPositionEmbeddings - this.settings.text.padTokenId - 1;
  }

  /** get_audio_features: unit-length embeddings [batch, projection_dim] of ClapFeatureExtractor output. */
  async audioEmbeddings(features: Readonly<Record<string, Tensor>>): Promise<Tensor<"float32">> {
    const feeds = checkAudioFeatures(features, this.audioInput, this.settings.audio.enableFusion);
    const out = await (await this.#audio.get()).run(feeds, { outputs: ["audio_embeds"], maxMemoryBytes: this.#maxMemoryBytes });
    return out["audio_embeds"] as Tensor<"float32">;
  }

  /** get_text_features: unit-length embeddings [batch, projection_dim] of tokenizer output. */
  async textEmbeddings(inputs: Readonly<Record<string, Tensor>>): Promise<Tensor<"float32">> {
    const feeds = checkTextInputs(inputs, this.maxTextLength);
    const out = await (await this.#text.get()).run(feeds, { outputs: ["text_embeds"], maxMemoryBytes: this.#maxMemoryBytes });
    return out["text_embeds"] as Tensor<"float32">;
  }

  /** logits_per_audio [audios, texts]: cosine similarities times exp(logit_scale_a). */
  logitsPerAudio(audioEmbeds: Tensor<"float32">, textEmbeds: Tensor<"float32">): Tensor<"float32"> {
    return dotProducts(audioEmbeds, textEmbeds, this.logitScaleAudio);
  }

  /** logits_per_text [texts, audios]: cosine similarities times exp(logit_scale_t). */
  logitsPerText(textEmbeds: Tensor<"float32">, audioEmbeds: Tensor<"float32">): Tensor<"float32"> {
    return dotProducts(textEmbeds, audioEmbeds, this.logitScaleText);
  }

  /** ClapModel.forward on tokenizer + feature-extractor output. */
  async forward(inputs: Readonly<Record<string, Tensor>>): Promise<ClapOutput> {
    const [audio_embeds, text_embeds] = await Promise.all([this.audioEmbeddings(inputs), this.textEmbeddings(inputs)]);
    return {
      logits_per_audio: this.logitsPerAudio(audio_embeds, text_embeds),
      logits_per_text: this.logitsPerText(text_embeds, audio_embeds),
      audio_embeds,
      text_embeds,
    };
  }

  async dispose(): Promise<void> {
    await Promise.all([this.#audio.dispose(), this.#text.dispose()]);
  }
}

/**
 * [channels, frames, bins] of the checkpoint's ClapFeatureExtractor output, from its parsed
 * preprocessor_config.json (`path` names it in messages; undefined: the checkpoint has none).
 */
export function audioInputFromPreprocessor(raw: Record<string, unknown> | undefined, path: string, settings: ClapSettings): AudioInputShape {
  if (raw === undefined) {
    const fused = settings.audio.enableFusion;
    return { channels: fused ? 4 : 1, frames: settings.audio.specWidth, bins: settings.audio.numMelBins };
  }
  const number = (key: string, fallback: number): number => {
    const v = raw[key] ?? fallback;
    if (typeof v !== "number" || !(v > 0)) throw new ModelConfigError(`${path}: "${key}" must be a positive number, got ${describeValue(v)}`);
    return v;
  };
  const maxSamples = Math.round(number("max_length_s", 10) * number("sampling_rate", 48000));
  return {
    channels: (raw["truncation"] ?? "fusion") === "fusion" ? 4 : 1,
    frames: Math.floor(maxSamples / number("hop_length", 480)) + 1,
    bins: number("feature_size", 64),
  };
}
