/**
 * ASTFeatureExtractor (Audio Spectrogram Transformer): Kaldi fbank exactly as transformers calls
 * torchaudio.compliance.kaldi.fbank — Hann ("hanning") window, 25 ms / 10 ms frames, FFT 512,
 * pre-emphasis 0.97, DC removal, dither 0, `num_mel_bins` mel bins from 20 Hz, log with a
 * float32-epsilon floor, samples used as floats (no ×32768) — then zero-pad or truncate to
 * `max_length` frames and, with do_normalize, (x − mean) / (2·std), in float32.
 *
 * Output: input_values [batch, max_length, num_mel_bins] float32. Python's call ignores
 * padding/truncation options; so does this one.
 */
import { KaldiFbankComputer } from "../dsp/kaldi-fbank.js";
import { tensor } from "../tensor.js";
import { NORMALIZATION_BOUNDS, WAVEFORM_VALUE_BOUNDS } from "./config-bounds.js";
import { ConfigReader } from "./config-values.js";
import { FeatureExtractorInputError } from "./errors.js";
import { defineReadonly, FeatureExtractor, type FeatureExtractorCallOptions, type FeatureExtractorOutput } from "./feature-extractor.js";

const f32 = Math.fround;

export class ASTFeatureExtractor extends FeatureExtractor {
  declare readonly numMelBins: number;
  /** Frames per example after padding/truncation. */
  declare readonly maxLength: number;
  declare readonly doNormalize: boolean;
  declare readonly mean: number;
  declare readonly std: number;
  private declare readonly fbank: KaldiFbankComputer;

  /** Builds from a preprocessor_config.json object; missing keys take Python's defaults. */
  constructor(config: Record<string, unknown> = {}, source = "ASTFeatureExtractor config") {
    const r = new ConfigReader(config, source);
    const samplingRate = r.size("sampling_rate", 16000);
    super({
      featureExtractorType: "ASTFeatureExtractor",
      samplingRate,
      featureSize: r.size("feature_size", 1),
      paddingValue: r.number("padding_value", 0, WAVEFORM_VALUE_BOUNDS.padding_value),
      paddingSide: r.choice("padding_side", ["right", "left"] as const, "right"),
      returnAttentionMask: r.boolean("return_attention_mask", false),
      modelInputNames: r.stringList("model_input_names", ["input_values", "attention_mask"]),
      config: r.config,
    });
    const numMelBins = r.size("num_mel_bins", 128);
    const maxLength = r.size("max_length", 1024);
    r.windowFeatureValues(maxLength, "num_mel_bins", numMelBins);
    defineReadonly(this, {
      numMelBins,
      maxLength,
      doNormalize: r.boolean("do_normalize", true),
      mean: r.number("mean", -4.2677393, NORMALIZATION_BOUNDS.mean),
      std: r.number("std", 4.5689974, { positive: true, ...NORMALIZATION_BOUNDS.std }),
    });
    Object.defineProperty(this, "fbank", {
      value: new KaldiFbankComputer({ sampleFrequency: samplingRate, numMelBins, windowType: "hanning", frameShift: 10 }),
      enumerable: false,
    });
  }

  /** Each clip is padded or cut to max_length frames on its own. */
  override get perExample(): boolean {
    return true;
  }

  /** max_length frames: (max_length − 1) shifts plus one window (10.255 s for 1024 frames at 16 kHz). */
  override get inputSeconds(): number {
    const { windowSize, windowShift } = this.fbank.geometry;
    return ((this.maxLength - 1) * windowShift + windowSize) / this.samplingRate;
  }

  /** Frames the fbank yields for `samples` samples, before padding/truncation to maxLength. */
  framesFor(samples: number): number {
    const { windowSize, windowShift } = this.fbank.geometry;
    return samples < windowSize ? 0 : 1 + Math.floor((samples - windowSize) / windowShift);
  }

  protected compute(waveforms: Float32Array[], _options: FeatureExtractorCallOptions): FeatureExtractorOutput {
    const { maxLength, numMelBins } = this;
    const perExample = maxLength * numMelBins;
    const out = new Float32Array(waveforms.length * perExample);
    const mean = f32(this.mean);
    const scale = f32(this.std * 2);
    const { windowSize } = this.fbank.geometry;
    waveforms.forEach((waveform, b) => {
      if (waveform.length < windowSize) {
        // torchaudio asserts here; say what it needs instead
        throw new FeatureExtractorInputError(
          `audio${waveforms.length > 1 ? `[${b}]` : ""} has ${waveform.length} samples; ${this.featureExtractorType} needs at least ` +
            `${windowSize} (one 25 ms frame at ${this.samplingRate} Hz) — pad short clips with silence first`,
        );
      }
      const fb = this.fbank.compute(waveform, maxLength);
      const valid = fb.numFrames * numMelBins;
      const base = b * perExample;
      if (!this.doNormalize) {
        for (let i = 0; i < valid; i++) out[base + i] = fb.data[i]!;
        return;
      }
      // zero padding comes before normalisation: padded frames hold (0 − mean) / (2·std)
      for (let i = 0; i < valid; i++) out[base + i] = f32(f32(f32(fb.data[i]!) - mean) / scale);
      out.fill(f32(f32(0 - mean) / scale), base + valid, base + perExample);
    });
    return { input_values: tensor("float32", [waveforms.length, maxLength, numMelBins], out) };
  }

  toJSON(): Record<string, unknown> {
    return {
      ...this.config,
      feature_extractor_type: this.featureExtractorType,
      feature_size: this.featureSize,
      sampling_rate: this.samplingRate,
      num_mel_bins: this.numMelBins,
      max_length: this.maxLength,
      padding_value: this.paddingValue,
      padding_side: this.paddingSide,
      do_normalize: this.doNormalize,
      mean: this.mean,
      std: this.std,
      return_attention_mask: this.returnAttentionMask,
    };
  }
}
