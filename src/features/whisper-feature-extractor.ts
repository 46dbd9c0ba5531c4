/**
 * WhisperFeatureExtractor, following transformers' torch.stft path: pad/truncate the waveform to
 * chunk_length·sampling_rate samples (n_samples), optional zero-mean/unit-variance normalisation
 * (doNormalize), STFT with a periodic Hann window of n_fft, hop_length, centred with reflect
 * padding, power spectrum without its last frame, Slaney mel filters (0–8000 Hz, Slaney norm,
 * float32 weights), log10 with a 1e-10 floor, clamp to (max − 8) per example, then (x + 4) / 4.
 *
 * Output: input_features [batch, feature_size, frames] float32 (frames = n_samples / hop_length
 * with the default padding); attention_mask [batch, frames] int32 (every hop_length-th sample of
 * the sample mask) when asked for. Python returns the sample-level mask unless the call itself
 * asks for one; audioclass always returns the frame-level mask the model can use.
 */
import { melFilterBank, type MelFilterBank } from "../dsp/mel-filter-bank.js";
import { spectrogram } from "../dsp/spectrogram.js";
import { torchHannWindow } from "../dsp/windows.js";
import { tensor } from "../tensor.js";
import { WAVEFORM_VALUE_BOUNDS } from "./config-bounds.js";
import { ConfigReader } from "./config-values.js";
import { FeatureExtractorInputError } from "./errors.js";
import { defineReadonly, FeatureExtractor, type FeatureExtractorCallOptions, type FeatureExtractorOutput } from "./feature-extractor.js";
import { normalizeZeroMeanUnitVariance } from "./float32-statistics.js";
import { NumpyRandomState } from "./numpy-random-state.js";
import { padWaveforms, type PaddingOption } from "./padding.js";

const f32 = Math.fround;

export class WhisperFeatureExtractor extends FeatureExtractor {
  declare readonly nFft: number;
  declare readonly hopLength: number;
  /** Seconds per input window. */
  declare readonly chunkLength: number;
  /** Samples per input window (chunk_length · sampling_rate). */
  declare readonly nSamples: number;
  /** Frames per input window (n_samples / hop_length) — twice the encoder's max_source_positions. */
  declare readonly nbMaxFrames: number;
  /** Standard deviation of Gaussian noise added to the waveform (0 = none). */
  declare readonly dither: number;
  declare readonly melFilters: MelFilterBank;
  private declare readonly window: Float64Array;
  private declare readonly rng: NumpyRandomState;

  constructor(config: Record<string, unknown> = {}, source = "WhisperFeatureExtractor config") {
    const r = new ConfigReader(config, source);
    const samplingRate = r.size("sampling_rate", 16000);
    const featureSize = r.size("feature_size", 80);
    super({
      featureExtractorType: "WhisperFeatureExtractor",
      samplingRate,
      featureSize,
      paddingValue: r.number("padding_value", 0, WAVEFORM_VALUE_BOUNDS.padding_value),
      paddingSide: r.choice("padding_side", ["right", "left"] as const, "right"),
      returnAttentionMask: r.boolean("return_attention_mask", false),
      modelInputNames: r.stringList("model_input_names", ["input_features"]),
      config: r.config,
    });
    const nFft = r.size("n_fft", 400);
    const hopLength = r.size("hop_length", 160);
    const chunkLength = r.size("chunk_length", 30);
    // Python recomputes n_samples / nb_max_frames from chunk_length and ignores stored values.
    const nSamples = r.windowSamples("chunk_length", chunkLength, samplingRate);
    const frames = r.windowFrames("hop_length", nSamples, hopLength);
    r.windowFftPoints(frames, "n_fft", nFft);
    r.windowFeatureValues(frames, "feature_size", featureSize);
    defineReadonly(this, {
      nFft,
      hopLength,
      chunkLength,
      nSamples,
      nbMaxFrames: Math.floor(nSamples / hopLength),
      dither: r.number("dither", 0, WAVEFORM_VALUE_BOUNDS.dither),
      melFilters: melFilterBank({
        numFrequencyBins: 1 + Math.floor(nFft / 2),
        numMelFilters: featureSize,
        minFrequency: 0,
        maxFrequency: 8000,
        samplingRate,
        norm: "slaney",
        melScale: "slaney",
      }).toFloat32Weights(),
    });
    Object.defineProperty(this, "window", { value: torchHannWindow(nFft, true), enumerable: false });
    Object.defineProperty(this, "rng", { value: new NumpyRandomState(), enumerable: false });
  }

  /** Each clip is padded to n_samples on its own; dither draws from a shared generator. */
  override get perExample(): boolean {
    return this.dither === 0;
  }

  /** chunk_length seconds: longer clips are truncated to n_samples. */
  override get inputSeconds(): number {
    return this.nSamples / this.samplingRate;
  }

  protected compute(waveforms: Float32Array[], options: FeatureExtractorCallOptions): FeatureExtractorOutput {
    if (typeof options.truncation === "string") {
      throw new FeatureExtractorInputError(`truncation must be true or false for ${this.featureExtractorType}, got ${JSON.stringify(options.truncation)}`);
    }
    const doNormalize = options.doNormalize ?? false;
    const returnMask = options.returnAttentionMask ?? this.returnAttentionMask;
    const batch = padWaveforms(waveforms, {
      padding: (options.padding ?? "max_length") as PaddingOption,
      maxLength: options.maxLength ?? this.nSamples,
      truncation: options.truncation ?? true,
      padToMultipleOf: options.padToMultipleOf,
      paddingValue: this.paddingValue,
      paddingSide: this.paddingSide,
    });
    const { values, batchSize, length } = batch;
    if (doNormalize) {
      for (let b = 0; b < batchSize; b++) {
        const row = b * length;
        const offset = batch.offsets[b]!;
        const n = batch.lengths[b]!;
        normalizeZeroMeanUnitVariance(values, row + offset, n, values, row + offset);
        values.fill(this.paddingValue, row, row + offset);
        values.fill(this.paddingValue, row + offset + n, row + length);
      }
    }
    if (this.dither !== 0) {
      const rng = options.rng ?? this.rng;
      for (let i = 0; i < values.length; i++) values[i] = values[i]! + this.dither * rng.standardNormal();
    }

    const bins = this.featureSize;
    let frames = -1;
    let out = new Float32Array(0);
    for (let b = 0; b < batchSize; b++) {
      const logMel = this.logMel(values.subarray(b * length, (b + 1) * length));
      if (frames < 0) {
        frames = logMel.length / bins;
        out = new Float32Array(batchSize * bins * frames);
      }
      // [frames][bins] → [bins][frames]
      const base = b * bins * frames;
      for (let t = 0; t < frames; t++) for (let m = 0; m < bins; m++) out[base + m * frames + t] = logMel[t * bins + m]!;
    }
    const result: FeatureExtractorOutput = { input_features: tensor("float32", [batchSize, bins, frames], out) };
    if (returnMask) {
      // the sample mask at every hop_length-th sample: ceil(length / hop) entries
      const maskFrames = Math.ceil(length / this.hopLength);
      const mask = new Int32Array(batchSize * maskFrames);
      for (let b = 0; b < batchSize; b++) {
        for (let t = 0; t < maskFrames; t++) mask[b * maskFrames + t] = batch.attentionMask[b * length + t * this.hopLength]!;
      }
      result["attention_mask"] = tensor("int32", [batchSize, maskFrames], mask);
    }
    return result;
  }

  /** Normalised log-mel of one padded waveform, frame-major [frames][feature_size], float32 values. */
  private logMel(waveform: Float32Array): Float32Array {
    if (waveform.length <= Math.floor(this.nFft / 2)) {
      // torch.stft's reflect padding needs more samples than half a window
      throw new FeatureExtractorInputError(
        `a ${waveform.length}-sample input is too short for ${this.featureExtractorType}'s ${this.nFft}-point STFT ` +
          `(it needs more than ${Math.floor(this.nFft / 2)} samples); use the default padding to ${this.nSamples} samples`,
      );
    }
    const spec = spectrogram(waveform, {
      window: this.window,
      frameLength: this.nFft,
      hopLength: this.hopLength,
      power: 2,
      center: true,
      padMode: "reflect",
      melFilters: this.melFilters,
      melFloor: 1e-10,
      float32Frames: true,
    });
    // torch.stft path: the last frame is dropped before the mel projection
    const frames = spec.numFrames - 1;
    const bins = spec.numBins;
    const logSpec = new Float32Array(frames * bins);
    let max = -Infinity;
    for (let i = 0; i < logSpec.length; i++) {
      // ln·log10(e): within an ulp of log10 (torch's float32 log10 is no closer) and twice as fast
      const v = f32(Math.log(f32(spec.data[i]!)) * Math.LOG10E);
      logSpec[i] = v;
      if (v > max) max = v;
    }
    const floor = f32(max - 8);
    for (let i = 0; i < logSpec.length; i++) logSpec[i] = f32(f32(Math.max(logSpec[i]!, floor) + 4) / 4);
    return logSpec;
  }

  toJSON(): Record<string, unknown> {
    return {
      ...this.config,
      feature_extractor_type: this.featureExtractorType,
      feature_size: this.featureSize,
      sampling_rate: this.samplingRate,
      hop_length: this.hopLength,
      chunk_length: this.chunkLength,
      n_fft: this.nFft,
      n_samples: this.nSamples,
      nb_max_frames: this.nbMaxFrames,
      padding_value: this.paddingValue,
      padding_side: this.paddingSide,
      dither: this.dither,
      return_attention_mask: this.returnAttentionMask,
    };
  }
}
