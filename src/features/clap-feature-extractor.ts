/**
 * ClapFeatureExtractor (transformers' numpy path): log-mel in dB of a centred, reflect-padded
 * STFT (periodic Hann of fft_window_size, hop_length, power 2), with
 *  - truncation "rand_trunc": Slaney mel (Slaney norm); clips longer than max_length_s are cut at
 *    a random offset (np.random.randint) → 1 channel;
 *  - truncation "fusion": HTK mel (no norm); long clips give the 4-channel fused mel
 *    (shrunk whole + 3 random crops), short clips their mel four times; when no clip of the
 *    batch is long, one random example is flagged is_longer anyway (as Python does);
 *  - padding of short clips: "repeatpad" (tile whole copies, then zeros), "repeat" (tile and
 *    cut), anything else zeros.
 * Randomness comes from a NumpyRandomState: seeded like np.random.seed(n), it reproduces
 * Python's crops exactly. As in Python, top_db is not applied.
 *
 * Output: input_features [batch, 1 | 4, frames, feature_size] float32 (frames =
 * max_length // hop_length + 1), is_longer [batch, 1] bool.
 */
import { DspArgumentError } from "../dsp/errors.js";
import { melFilterBank, type MelFilterBank } from "../dsp/mel-filter-bank.js";
import { spectrogram } from "../dsp/spectrogram.js";
import { hannWindow } from "../dsp/windows.js";
import { tensor } from "../tensor.js";
import { randomMelFusion } from "./clap-mel-fusion.js";
import { PREPROCESSOR_BOUNDS, WAVEFORM_VALUE_BOUNDS } from "./config-bounds.js";
import { ConfigReader } from "./config-values.js";
import { FeatureExtractorConfigError, FeatureExtractorInputError } from "./errors.js";
import {
  defineReadonly,
  FeatureExtractor,
  type ClapPaddingMode,
  type ClapTruncationMode,
  type FeatureExtractorCallOptions,
  type FeatureExtractorOutput,
} from "./feature-extractor.js";
import { NumpyRandomState, type RandomSource } from "./numpy-random-state.js";

const TRUNCATION_MODES: readonly ClapTruncationMode[] = ["fusion", "rand_trunc"];

export class ClapFeatureExtractor extends FeatureExtractor {
  declare readonly fftWindowSize: number;
  declare readonly hopLength: number;
  declare readonly maxLengthS: number;
  /** max_length_s · sampling_rate. */
  declare readonly nbMaxSamples: number;
  declare readonly nbFrequencyBins: number;
  declare readonly frequencyMin: number;
  declare readonly frequencyMax: number;
  /** Read from the config but, as in transformers, not applied. */
  declare readonly topDb: number | null;
  declare readonly truncation: ClapTruncationMode;
  /** "repeatpad" | "repeat" | "pad" (any other value behaves like "pad", as in Python). */
  declare readonly padding: string;
  /** HTK-scale filters without norm (fusion). */
  declare readonly melFilters: MelFilterBank;
  /** Slaney-scale filters with Slaney norm (rand_trunc). */
  declare readonly melFiltersSlaney: MelFilterBank;
  private declare readonly window: Float64Array;
  private declare readonly rng: NumpyRandomState;

  constructor(config: Record<string, unknown> = {}, source = "ClapFeatureExtractor config") {
    const r = new ConfigReader(config, source);
    const samplingRate = r.size("sampling_rate", 48000);
    const featureSize = r.size("feature_size", 64);
    super({
      featureExtractorType: "ClapFeatureExtractor",
      samplingRate,
      featureSize,
      paddingValue: r.number("padding_value", 0, WAVEFORM_VALUE_BOUNDS.padding_value),
      paddingSide: r.choice("padding_side", ["right", "left"] as const, "right"),
      returnAttentionMask: r.boolean("return_attention_mask", false),
      modelInputNames: r.stringList("model_input_names", ["input_features", "is_longer"]),
      config: r.config,
    });
    const fftWindowSize = r.size("fft_window_size", 1024);
    const maxLengthS = r.number("max_length_s", 10, { positive: true, ...PREPROCESSOR_BOUNDS.max_length_s });
    const frequencyMin = r.number("frequency_min", 0, { min: 0, max: PREPROCESSOR_BOUNDS.sampling_rate.max });
    const frequencyMax = r.number("frequency_max", 14000, { positive: true, max: PREPROCESSOR_BOUNDS.sampling_rate.max });
    if (!(frequencyMax > frequencyMin)) {
      throw new FeatureExtractorConfigError(`${source}: "frequency_max" (${frequencyMax}) must be above "frequency_min" (${frequencyMin}); the mel filters span the range between them`);
    }
    if (fftWindowSize % 2 !== 0) {
      throw new FeatureExtractorConfigError(`${source}: "fft_window_size" must be even (frames are max_length // hop_length + 1), got ${fftWindowSize}`);
    }
    const nbFrequencyBins = (fftWindowSize >> 1) + 1;
    const hopLength = r.size("hop_length", 480);
    const frames = r.windowFrames("hop_length", r.windowSamples("max_length_s", maxLengthS, samplingRate), hopLength);
    r.windowFftPoints(frames, "fft_window_size", fftWindowSize);
    r.windowFeatureValues(frames, "feature_size", featureSize);
    const bank = (norm: "slaney" | null, melScale: "htk" | "slaney"): MelFilterBank => {
      try {
        return melFilterBank({
          numFrequencyBins: nbFrequencyBins,
          numMelFilters: featureSize,
          minFrequency: frequencyMin,
          maxFrequency: frequencyMax,
          samplingRate,
          norm,
          melScale,
        });
      } catch (error) {
        // The bank's arguments all come from this config: name it and the keys.
        if (!(error instanceof DspArgumentError)) throw error;
        throw new FeatureExtractorConfigError(`${source}: "frequency_min", "frequency_max" and "feature_size" make no mel filter bank: ${error.message}`, { cause: error });
      }
    };
    defineReadonly(this, {
      fftWindowSize,
      hopLength,
      maxLengthS,
      nbMaxSamples: r.windowSamples("max_length_s", maxLengthS, samplingRate),
      nbFrequencyBins,
      frequencyMin,
      frequencyMax,
      topDb: r.nullableNumber("top_db", null),
      truncation: r.choice("truncation", TRUNCATION_MODES, "fusion"),
      padding: r.string("padding", "repeatpad"),
      melFilters: bank(null, "htk"),
      melFiltersSlaney: bank("slaney", "slaney"),
    });
    Object.defineProperty(this, "window", { value: hannWindow(fftWindowSize, true), enumerable: false });
    Object.defineProperty(this, "rng", { value: new NumpyRandomState(), enumerable: false });
  }

  /** max_length_s: longer clips are cropped (or fused from crops). */
  override get inputSeconds(): number {
    return this.nbMaxSamples / this.samplingRate;
  }

  protected compute(waveforms: Float32Array[], options: FeatureExtractorCallOptions): FeatureExtractorOutput {
    const truncation = options.truncation ?? this.truncation;
    if (truncation !== "fusion" && truncation !== "rand_trunc") {
      throw new FeatureExtractorInputError(`truncation must be "fusion" or "rand_trunc" for ${this.featureExtractorType}, got ${JSON.stringify(truncation)}`);
    }
    const padding = options.padding ?? this.padding;
    if (typeof padding !== "string") {
      throw new FeatureExtractorInputError(`padding must be "repeatpad", "repeat" or "pad" for ${this.featureExtractorType}, got ${JSON.stringify(padding)}`);
    }
    const maxLength = options.maxLength ?? this.nbMaxSamples;
    if (!Number.isInteger(maxLength) || maxLength < 1) {
      throw new FeatureExtractorInputError(`maxLength must be a positive number of samples, got ${JSON.stringify(maxLength)}`);
    }
    const rng = options.rng ?? this.rng;

    const channels = truncation === "fusion" ? 4 : 1;
    const frames = Math.floor(maxLength / this.hopLength) + 1;
    const bins = this.featureSize;
    const perExample = channels * frames * bins;
    const out = new Float32Array(waveforms.length * perExample);
    const isLonger = new Uint8Array(waveforms.length);
    waveforms.forEach((waveform, b) => {
      const { mel, longer } = this.inputMel(waveform, maxLength, truncation, padding as ClapPaddingMode, rng);
      out.set(mel, b * perExample);
      isLonger[b] = longer ? 1 : 0;
    });
    if (truncation === "fusion" && !isLonger.includes(1)) isLonger[rng.randint(0, waveforms.length)] = 1;
    return {
      input_features: tensor("float32", [waveforms.length, channels, frames, bins], out),
      is_longer: tensor("bool", [waveforms.length, 1], isLonger),
    };
  }

  /** _get_input_mel: the [channels][frames][bins] mel of one clip and its is_longer flag. */
  private inputMel(
    waveform: Float32Array,
    maxLength: number,
    truncation: ClapTruncationMode,
    padding: ClapPaddingMode,
    rng: RandomSource,
  ): { mel: Float32Array; longer: boolean } {
    if (waveform.length > maxLength) {
      if (truncation === "rand_trunc") {
        const start = rng.randint(0, waveform.length - maxLength + 1);
        return { mel: this.logMel(waveform.subarray(start, start + maxLength), this.melFiltersSlaney), longer: true };
      }
      const mel = this.logMel(waveform, this.melFilters);
      const chunkFrames = Math.floor(maxLength / this.hopLength) + 1;
      const totalFrames = mel.length / this.featureSize;
      if (chunkFrames === totalFrames) {
        // longer than max_length by less than a hop: the whole mel, four times, not "longer"
        return { mel: repeat4(mel), longer: false };
      }
      return { mel: randomMelFusion(mel, totalFrames, chunkFrames, this.featureSize, rng), longer: true };
    }
    let padded = waveform;
    if (waveform.length < maxLength) {
      padded = new Float32Array(maxLength);
      const copies = padding === "repeat" ? Math.floor(maxLength / waveform.length) + 1 : padding === "repeatpad" ? Math.floor(maxLength / waveform.length) : 1;
      for (let k = 0, at = 0; k < copies && at < maxLength; k++, at += waveform.length) {
        padded.set(waveform.subarray(0, Math.min(waveform.length, maxLength - at)), at);
      }
    }
    if (truncation === "fusion") return { mel: repeat4(this.logMel(padded, this.melFilters)), longer: false };
    return { mel: this.logMel(padded, this.melFiltersSlaney), longer: false };
  }

  /** Log-mel in dB, frame-major [frames][bins], rounded to float32 like np.asarray(…, float32). */
  private logMel(waveform: Float32Array, filters: MelFilterBank): Float32Array {
    const spec = spectrogram(waveform, {
      window: this.window,
      frameLength: this.fftWindowSize,
      hopLength: this.hopLength,
      power: 2,
      center: true,
      padMode: "reflect",
      melFilters: filters,
      melFloor: 1e-10,
      logMel: "dB",
      reference: 1,
      minValue: 1e-10,
    });
    return Float32Array.from(spec.data);
  }

  toJSON(): Record<string, unknown> {
    return {
      ...this.config,
      feature_extractor_type: this.featureExtractorType,
      feature_size: this.featureSize,
      sampling_rate: this.samplingRate,
      hop_length: this.hopLength,
      max_length_s: this.maxLengthS,
      fft_window_size: this.fftWindowSize,
      padding_value: this.paddingValue,
      padding_side: this.paddingSide,
      return_attention_mask: this.returnAttentionMask,
      frequency_min: this.frequencyMin,
      frequency_max: this.frequencyMax,
      top_db: this.topDb,
      truncation: this.truncation,
      padding: this.padding,
      nb_frequency_bins: this.nbFrequencyBins,
      nb_max_samples: this.nbMaxSamples,
    };
  }
}

function repeat4(mel: Float32Array): Float32Array {
  const out = new Float32Array(4 * mel.length);
  for (let k = 0; k < 4; k++) out.set(mel, k * mel.length);
  return out;
}
