/**
 * BatchLoader: the training/evaluation iterator over an AudioDataset — the part of a PyTorch
 * DataLoader plus the HF feature-extraction transform that audio classification needs.
 *
 * Each epoch visits the examples in order, or in a seeded random order (shuffle), in batches of
 * batchSize (the last one smaller unless dropLast). Each example is decoded, downmixed,
 * resampled to the extractor's rate, optionally cropped, augmented, and turned into features;
 * the batch is padded by the extractor with its attention mask, and labels come as class ids
 * (Int32Array) or multi-hot rows (Float32Array) for multi-label data.
 *
 * Resuming: getState() returns { epoch, position, rng } where rng is the generator's state at
 * the start of the epoch. The epoch's order and the per-example augmentation streams derive
 * from it, so setState() on a fresh loader continues with the very batches — augmentations
 * included — the interrupted run would have produced next. Each example's randomness comes
 * from its own stream (epoch seed + position), so it does not depend on load order.
 */
import { describeValue } from "../../errors.js";
import type { FeatureExtractor, FeatureExtractorOutput } from "../../features/feature-extractor.js";
import type { AppliedAugmentation, Transform } from "../augment/transform.js";
import { TrainingDataError } from "../errors.js";
import { Rng, type RngState } from "../random.js";
import type { AudioDataset } from "./audio-dataset.js";
import { extractBatch, extractOne, featureModeOf, labelTargets, stackFeatures, type FeatureMode } from "./batch-features.js";
import { FeatureCache, stableJson, type CachedExample } from "./feature-cache.js";
import { checkWaveformOptions, loadWaveform, type CropMode, type WaveformOptions } from "./load-waveform.js";

export interface BatchLoaderOptions {
  /** The model's feature extractor; audio is resampled to its rate. */
  featureExtractor: FeatureExtractor;
  /** Examples per batch. */
  batchSize: number;
  /** Visit examples in a new random order each epoch. Default false. */
  shuffle?: boolean;
  /** Seed of the order and of the augmentations. Default 0. */
  seed?: number;
  /** Leave out a last batch smaller than batchSize. Default false. */
  dropLast?: boolean;
  /** Augmentation applied to each waveform before feature extraction (training only). */
  augment?: Transform | null;
  /** Longer audio is cropped to this many seconds. Default: no limit. */
  maxDurationSeconds?: number;
  /** Where to crop: "start" (default), "center" or "random". */
  crop?: CropMode;
  /**
   * Cache of prepared examples, used when nothing random happens to them (no augmentation, no
   * random crop). true (default): a private 1 GiB cache; false: none; or a shared FeatureCache.
   */
  cache?: boolean | FeatureCache;
  /** Attention mask for padded batches (default: the extractor's return_attention_mask). */
  returnAttentionMask?: boolean;
  /** Pad batch lengths to a multiple of this (Wav2Vec2-style extractors). */
  padToMultipleOf?: number;
  /** Examples loaded at once within a batch. Default 4. */
  concurrency?: number;
}

/** Where a loader is: enough to continue the same sequence of batches. */
export interface BatchLoaderState {
  readonly epoch: number;
  /** Examples of this epoch already handed out. */
  readonly position: number;
  /** The generator's state at the start of this epoch. */
  readonly rng: RngState;
  /** The dataset size and batch size the state was taken with (checked on restore). */
  readonly datasetSize: number;
  readonly batchSize: number;
}

export interface Batch {
  /** Model inputs by Hugging Face name: input_values / input_features, attention_mask, … */
  readonly inputs: FeatureExtractorOutput;
  /** Class ids [size] (Int32Array) or multi-hot targets [size, numLabels] (Float32Array). */
  readonly labels: Int32Array | Float32Array;
  /** The examples' indices in the dataset. */
  readonly indices: Int32Array;
  readonly size: number;
  readonly epoch: number;
  /** The augmentations applied to each example, in batch order. */
  readonly augmentations: readonly (readonly AppliedAugmentation[])[];
}

const OPTION_KEYS = [
  "featureExtractor", "batchSize", "shuffle", "seed", "dropLast", "augment", "maxDurationSeconds", "crop", "cache",
  "returnAttentionMask", "padToMultipleOf", "concurrency",
];

interface Prepared {
  item: CachedExample;
  applied: readonly AppliedAugmentation[];
}

export class BatchLoader implements AsyncIterable<Batch> {
  readonly dataset: AudioDataset;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  private readonly extractor: FeatureExtractor;
  private readonly mode: FeatureMode;
  private readonly augment: Transform | null;
  private readonly waveformOptions: WaveformOptions;
  private readonly cache: FeatureCache | null;
  private readonly cacheKeySuffix: string;
  private readonly extractOptions: { returnAttentionMask?: boolean; padToMultipleOf?: number };
  private readonly concurrency: number;
  private rng: Rng;
  private epochNumber = 0;
  private cursor = 0;
  private epochStart!: RngState;
  private order!: number[];
  private epochSeed = 0;

  constructor(dataset: AudioDataset, options: BatchLoaderOptions) {
    for (const key of Object.keys(options)) {
      if (!OPTION_KEYS.includes(key)) throw new TrainingDataError(`BatchLoader: unknown option ${JSON.stringify(key)}; valid options are ${OPTION_KEYS.join(", ")}`);
    }
    const fe = options.featureExtractor;
    if (typeof fe !== "function" || typeof (fe as FeatureExtractor).extract !== "function") {
      throw new TrainingDataError(`BatchLoader needs featureExtractor (e.g. await AutoFeatureExtractor.fromPretrained(dir)), got ${describeValue(fe)}`);
    }
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1) throw new TrainingDataError(`batchSize must be a whole number ≥ 1, got ${describeValue(options.batchSize)}`);
    const seed = options.seed ?? 0;
    if (!Number.isSafeInteger(seed) || seed < 0) throw new TrainingDataError(`seed must be a non-negative whole number, got ${describeValue(seed)}`);
    this.dataset = dataset;
    this.batchSize = options.batchSize;
    this.shuffle = options.shuffle ?? false;
    this.dropLast = options.dropLast ?? false;
    this.extractor = fe;
    this.mode = featureModeOf(fe);
    this.augment = options.augment ?? null;
    if (this.augment !== null && typeof this.augment.run !== "function") throw new TrainingDataError(`augment must be a transform (e.g. augmentationPreset("light")), got ${describeValue(this.augment)}`);
    this.waveformOptions = {
      samplingRate: fe.samplingRate,
      ...(options.maxDurationSeconds !== undefined && { maxDurationSeconds: options.maxDurationSeconds }),
      ...(options.crop !== undefined && { crop: options.crop }),
    };
    checkWaveformOptions(this.waveformOptions);
    this.extractOptions = {
      ...(options.returnAttentionMask !== undefined && { returnAttentionMask: options.returnAttentionMask }),
      ...(options.padToMultipleOf !== undefined && { padToMultipleOf: options.padToMultipleOf }),
    };
    const cacheOption = options.cache ?? true;
    this.cache = cacheOption === false ? null : cacheOption === true ? new FeatureCache() : cacheOption;
    this.cacheKeySuffix = stableJson({
      rate: fe.samplingRate,
      max: options.maxDurationSeconds ?? null,
      crop: options.crop ?? "start",
      ...(this.mode === "per-example" && { extractor: fe.toJSON(), extract: this.extractOptions }),
    });
    this.concurrency = options.concurrency ?? 4;
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1) throw new TrainingDataError(`concurrency must be a whole number ≥ 1, got ${describeValue(options.concurrency)}`);
    if (dataset.size === 0) throw new TrainingDataError(`${dataset.source} is empty`);
    this.rng = new Rng(seed);
    this.startEpoch();
  }

  get epoch(): number {
    return this.epochNumber;
  }

  /** Examples of the current epoch already handed out. */
  get position(): number {
    return this.cursor;
  }

  /** Batches in one epoch. */
  get batchesPerEpoch(): number {
    const n = this.dataset.size;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** Cache statistics (undefined when caching is off). */
  get cacheStats(): FeatureCache["stats"] | undefined {
    return this.cache?.stats;
  }

  getState(): BatchLoaderState {
    return { epoch: this.epochNumber, position: this.cursor, rng: this.epochStart, datasetSize: this.dataset.size, batchSize: this.batchSize };
  }

  /** Continues from a state taken by getState() on a loader over the same data and options. */
  setState(state: BatchLoaderState): void {
    if (state === null || typeof state !== "object") throw new TrainingDataError(`BatchLoader.setState needs an object from getState(), got ${describeValue(state)}`);
    if (state.datasetSize !== this.dataset.size || state.batchSize !== this.batchSize) {
      throw new TrainingDataError(
        `the saved loader state is for ${state.datasetSize} examples in batches of ${state.batchSize}, but this loader has ${this.dataset.size} in batches of ${this.batchSize}; ` +
          `resume with the same dataset and batch size`,
      );
    }
    if (!Number.isInteger(state.epoch) || state.epoch < 0 || !Number.isInteger(state.position) || state.position < 0 || state.position > this.dataset.size) {
      throw new TrainingDataError(`the saved loader state has epoch ${describeValue(state.epoch)} and position ${describeValue(state.position)}; expected whole numbers within the dataset`);
    }
    try {
      this.rng = Rng.fromState(state.rng);
    } catch (cause) {
      throw new TrainingDataError(`the saved loader state has a bad rng: ${(cause as Error).message}`, { cause });
    }
    this.epochNumber = state.epoch;
    this.startEpoch();
    this.cursor = state.position;
  }

  /** The next batch of the current epoch, or null when the epoch is over (the next call starts the next epoch). */
  async next(): Promise<Batch | null> {
    const n = this.dataset.size;
    const remaining = n - this.cursor;
    if (remaining <= 0 || (this.dropLast && remaining < this.batchSize)) {
      this.epochNumber++;
      this.startEpoch();
      return null;
    }
    const start = this.cursor;
    const count = Math.min(this.batchSize, remaining);
    const prepared = await this.prepareSlots(start, count);
    this.cursor = start + count;
    return this.assemble(start, count, prepared);
  }

  /** The remaining batches of the current epoch; afterwards the loader is at the next epoch. */
  async *epochBatches(): AsyncGenerator<Batch, void, undefined> {
    for (;;) {
      const batch = await this.next();
      if (batch === null) return;
      yield batch;
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<Batch> {
    return this.epochBatches();
  }

  private startEpoch(): void {
    this.epochStart = this.rng.getState();
    const n = this.dataset.size;
    this.order = this.shuffle ? this.rng.permutation(n) : Array.from({ length: n }, (_, i) => i);
    this.epochSeed = this.rng.nextUint32();
    this.cursor = 0;
  }

  private async prepareSlots(start: number, count: number): Promise<Prepared[]> {
    const out: Prepared[] = new Array(count);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < count) {
        const k = next++;
        out[k] = await this.prepare(start + k);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, count) }, worker));
    return out;
  }

  private async prepare(slot: number): Promise<Prepared> {
    const index = this.order[slot]!;
    const path = this.dataset.examples[index]!.path;
    const random = this.augment !== null || this.waveformOptions.crop === "random";
    const key = `${path}\u0000${this.cacheKeySuffix}`;
    if (!random && this.cache !== null) {
      const hit = this.cache.get(key);
      if (hit !== undefined) return { item: hit, applied: [] };
    }
    const rng = Rng.derive(this.epochSeed, this.epochNumber, slot);
    let samples = await loadWaveform(path, this.waveformOptions, rng);
    let applied: readonly AppliedAugmentation[] = [];
    if (this.augment !== null) {
      const outcome = this.augment.run(samples, this.waveformOptions.samplingRate, rng);
      samples = outcome.samples;
      applied = outcome.applied;
    }
    let item: CachedExample;
    try {
      item = this.mode === "per-example" ? { kind: "features", features: extractOne(this.extractor, samples, this.extractOptions) } : { kind: "waveform", samples };
    } catch (cause) {
      throw new TrainingDataError(`feature extraction failed for ${path}: ${(cause as Error).message}`, { cause });
    }
    if (!random && this.cache !== null) this.cache.set(key, item);
    return { item, applied };
  }

  private assemble(start: number, count: number, prepared: readonly Prepared[]): Batch {
    const indices = Int32Array.from({ length: count }, (_, k) => this.order[start + k]!);
    let inputs: FeatureExtractorOutput;
    if (this.mode === "per-example") {
      inputs = stackFeatures(prepared.map((p) => (p.item as Extract<CachedExample, { kind: "features" }>).features));
    } else {
      const waveforms = prepared.map((p) => (p.item as Extract<CachedExample, { kind: "waveform" }>).samples);
      try {
        inputs = extractBatch(this.extractor, waveforms, this.extractOptions);
      } catch (cause) {
        throw new TrainingDataError(`feature extraction failed for the batch of examples ${Array.from(indices).join(", ")}: ${(cause as Error).message}`, { cause });
      }
    }
    const ids = Array.from(indices, (i) => this.dataset.labelIds(i));
    return {
      inputs,
      labels: labelTargets(ids, this.dataset.numLabels, this.dataset.multiLabel),
      indices,
      size: count,
      epoch: this.epochNumber,
      augmentations: prepared.map((p) => p.applied),
    };
  }
}
