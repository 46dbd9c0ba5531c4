/**
 * AddBackgroundNoise (audiomentations): mixes in a recorded noise — rain, traffic, a café, or
 * another clip (mixup-like). For each call one sound is picked at random, a random excerpt as
 * long as the input is taken from it (a shorter sound is looped), and it is scaled either
 * relative to the input ("relative": to an SNR drawn uniformly in dB; silent input therefore
 * gets no noise) or to an absolute RMS level ("absolute": drawn uniformly in dBFS).
 *
 * Noise sounds are decoded once (AddBackgroundNoise.fromPaths) and resampled on first use at
 * each sampling rate, so applying stays synchronous and cheap.
 */
import { readAudio } from "../../audio/read-audio.js";
import { resample } from "../../audio/resample.js";
import { describeValue } from "../../errors.js";
import { AugmentationError } from "../errors.js";
import type { Rng } from "../random.js";
import { listAudioFiles } from "../data/audio-files.js";
import { Augmentation, checkOptionKeys, checkRange, choiceOption, finiteOption, type Transform } from "./transform.js";
import { dbToAmplitude, noiseRmsForSnr, rms } from "./signal-math.js";

/** One decoded noise sound. */
export interface NoiseSound {
  /** How reports and warnings name it (e.g. its path). */
  readonly name: string;
  /** Mono samples. */
  readonly samples: Float32Array;
  readonly sampleRate: number;
}

export interface AddBackgroundNoiseOptions {
  /** The noise sounds to draw from (at least one). */
  sounds: readonly NoiseSound[];
  /** Lowest SNR in dB ("relative" mode). Default 3. */
  minSnrDb?: number;
  /** Highest SNR in dB ("relative" mode). Default 30. */
  maxSnrDb?: number;
  /** "relative" (default): noise level follows the input's RMS; "absolute": a fixed dBFS range. */
  noiseRms?: "relative" | "absolute";
  /** Lowest noise RMS in dBFS ("absolute" mode). Default −45. */
  minAbsoluteRmsDb?: number;
  /** Highest noise RMS in dBFS ("absolute" mode), ≤ 0. Default −15. */
  maxAbsoluteRmsDb?: number;
  /** A transform applied to the noise excerpt before mixing (e.g. a Gain or a Compose). */
  noiseTransform?: Transform;
  /** Probability of applying. Default 0.5. */
  p?: number;
}

export type AddBackgroundNoiseFileOptions = Omit<AddBackgroundNoiseOptions, "sounds"> & {
  /** File extensions taken from folders (default: the ones readAudio decodes). */
  extensions?: readonly string[];
};

type Parameters = { sound: string; start: number; snrDb: number; rmsDb: number };

const NAME = "AddBackgroundNoise";
const OPTION_KEYS = ["sounds", "minSnrDb", "maxSnrDb", "noiseRms", "minAbsoluteRmsDb", "maxAbsoluteRmsDb", "noiseTransform", "p"] as const;

export class AddBackgroundNoise extends Augmentation<Parameters> {
  readonly name = NAME;
  readonly sounds: readonly NoiseSound[];
  readonly minSnrDb: number;
  readonly maxSnrDb: number;
  readonly noiseRms: "relative" | "absolute";
  readonly minAbsoluteRmsDb: number;
  readonly maxAbsoluteRmsDb: number;
  readonly noiseTransform: Transform | undefined;
  private readonly atRate = new Map<string, Float32Array>();
  private readonly warned = new Set<string>();

  constructor(options: AddBackgroundNoiseOptions) {
    checkOptionKeys(NAME, options, OPTION_KEYS);
    super(NAME, options.p);
    const sounds: unknown = options.sounds;
    if (!Array.isArray(sounds) || sounds.length === 0) {
      throw new AugmentationError(`${NAME}: sounds must be a non-empty array of { name, samples, sampleRate }; use AddBackgroundNoise.fromPaths(folderOrFiles) to load them`);
    }
    for (const [i, s] of (sounds as NoiseSound[]).entries()) {
      if (s === null || typeof s !== "object" || !(s.samples instanceof Float32Array) || s.samples.length === 0) {
        throw new AugmentationError(`${NAME}: sounds[${i}] must have non-empty Float32Array samples, got ${describeValue(s)}`);
      }
      if (!Number.isInteger(s.sampleRate) || s.sampleRate <= 0) {
        throw new AugmentationError(`${NAME}: sounds[${i}] (${s.name}) must have a whole positive sampleRate, got ${describeValue(s.sampleRate)}`);
      }
    }
    this.sounds = [...(sounds as NoiseSound[])];
    this.minSnrDb = finiteOption(NAME, "minSnrDb", options.minSnrDb, 3);
    this.maxSnrDb = finiteOption(NAME, "maxSnrDb", options.maxSnrDb, 30);
    checkRange(NAME, "minSnrDb", this.minSnrDb, "maxSnrDb", this.maxSnrDb);
    this.noiseRms = choiceOption(NAME, "noiseRms", options.noiseRms, ["relative", "absolute"], "relative");
    this.minAbsoluteRmsDb = finiteOption(NAME, "minAbsoluteRmsDb", options.minAbsoluteRmsDb, -45);
    this.maxAbsoluteRmsDb = finiteOption(NAME, "maxAbsoluteRmsDb", options.maxAbsoluteRmsDb, -15);
    checkRange(NAME, "minAbsoluteRmsDb", this.minAbsoluteRmsDb, "maxAbsoluteRmsDb", this.maxAbsoluteRmsDb);
    if (this.maxAbsoluteRmsDb > 0) throw new AugmentationError(`${NAME}: maxAbsoluteRmsDb must not be greater than 0 dBFS, got ${this.maxAbsoluteRmsDb}`);
    if (options.noiseTransform !== undefined && typeof options.noiseTransform?.apply !== "function") {
      throw new AugmentationError(`${NAME}: noiseTransform must be a transform (e.g. new Gain(…)), got ${describeValue(options.noiseTransform)}`);
    }
    this.noiseTransform = options.noiseTransform;
  }

  /**
   * Loads every audio file among `paths` (files, and folders searched recursively in sorted
   * order), decoded to mono at its own rate.
   */
  static async fromPaths(paths: string | readonly string[], options: AddBackgroundNoiseFileOptions = {}): Promise<AddBackgroundNoise> {
    const { extensions, ...rest } = options;
    let files: string[];
    try {
      files = await listAudioFiles(typeof paths === "string" ? [paths] : paths, extensions);
    } catch (cause) {
      throw new AugmentationError(`${NAME}: ${(cause as Error).message}`, { cause });
    }
    if (files.length === 0) {
      throw new AugmentationError(`${NAME}: no audio files found in ${JSON.stringify(paths)}; point it at noise files or folders holding .wav/.flac/.mp3/.ogg/.opus files`);
    }
    const sounds: NoiseSound[] = [];
    for (const file of files) {
      try {
        const audio = await readAudio(file, { mono: true });
        sounds.push({ name: file, samples: audio.channels[0]!, sampleRate: audio.samplingRate });
      } catch (cause) {
        throw new AugmentationError(`${NAME}: cannot use ${file} as a noise sound: ${(cause as Error).message}`, { cause });
      }
    }
    return new AddBackgroundNoise({ ...rest, sounds });
  }

  toJSON(): Record<string, unknown> {
    const { minSnrDb, maxSnrDb, noiseRms, minAbsoluteRmsDb, maxAbsoluteRmsDb, p } = this;
    return {
      name: NAME,
      sounds: this.sounds.map((s) => s.name),
      minSnrDb,
      maxSnrDb,
      noiseRms,
      minAbsoluteRmsDb,
      maxAbsoluteRmsDb,
      ...(this.noiseTransform !== undefined && { noiseTransform: this.noiseTransform.toJSON() }),
      p,
    };
  }

  protected draw(samples: Float32Array, sampleRate: number, rng: Rng): Parameters {
    const snrDb = rng.uniform(this.minSnrDb, this.maxSnrDb);
    const rmsDb = rng.uniform(this.minAbsoluteRmsDb, this.maxAbsoluteRmsDb);
    const index = rng.integer(0, this.sounds.length - 1);
    const noise = this.noiseAt(index, sampleRate);
    const start = rng.integer(0, Math.max(0, noise.length - samples.length - 1));
    return { sound: this.sounds[index]!.name, start, snrDb, rmsDb };
  }

  protected render(samples: Float32Array, sampleRate: number, parameters: Parameters, rng: Rng): Float32Array {
    const index = this.sounds.findIndex((s) => s.name === parameters.sound);
    if (index < 0) throw new AugmentationError(`${NAME}: no noise sound named ${JSON.stringify(parameters.sound)}; use one of ${this.sounds.map((s) => s.name).join(", ")}`);
    const n = samples.length;
    let excerpt = this.noiseAt(index, sampleRate).subarray(parameters.start, parameters.start + n);
    if (this.noiseTransform !== undefined) excerpt = this.noiseTransform.apply(excerpt, sampleRate, rng);
    const noiseLevel = rms(excerpt);
    if (!(noiseLevel >= 1e-9)) {
      this.warnSilent(parameters.sound);
      return samples.slice();
    }
    const target = this.noiseRms === "relative" ? noiseRmsForSnr(rms(samples), parameters.snrDb) : dbToAmplitude(parameters.rmsDb);
    const gain = target / noiseLevel;
    const out = new Float32Array(n);
    // a short excerpt is looped, as audiomentations' repeated concatenation does
    for (let i = 0; i < n; i++) out[i] = samples[i]! + excerpt[i % excerpt.length]! * gain;
    return out;
  }

  /** The sound at `sampleRate`, resampled (torchaudio's sinc) once and cached. */
  private noiseAt(index: number, sampleRate: number): Float32Array {
    const sound = this.sounds[index]!;
    if (sound.sampleRate === sampleRate) return sound.samples;
    if (!Number.isInteger(sampleRate)) {
      throw new AugmentationError(`${NAME}: cannot resample ${sound.name} from ${sound.sampleRate} Hz to a fractional rate (${sampleRate} Hz); pass a whole sampleRate`);
    }
    const key = `${index}@${sampleRate}`;
    let cached = this.atRate.get(key);
    if (cached === undefined) {
      cached = resample(sound.samples, sound.sampleRate, sampleRate);
      this.atRate.set(key, cached);
    }
    return cached;
  }

  private warnSilent(name: string): void {
    if (this.warned.has(name)) return;
    this.warned.add(name);
    process.emitWarning(`${NAME}: the noise ${name} is too silent to be added (RMS below 1e-9); the input is returned unchanged`, {
      code: "AUDIOCLASS_SILENT_NOISE",
    });
  }
}
