/**
 * Wav2Vec2FeatureExtractor (also HuBERT, WavLM, Data2VecAudio, …): the raw waveform, batched
 * with SequenceFeatureExtractor padding, optionally normalised per example to zero mean and unit
 * variance in numpy float32 arithmetic.
 *
 * As in Python, normalisation uses the attention mask — statistics over the unpadded samples,
 * padding reset to padding_value — only when a mask is returned and padding is on; otherwise
 * each padded row is normalised whole, padding included. (With left padding Python takes the
 * statistics over the wrong end of the row; audioclass uses the real samples.)
 *
 * Output: input_values [batch, length] float32, attention_mask [batch, length] int32 when
 * return_attention_mask (call option, else config).
 */
import { tensor } from "../tensor.js";
import { WAVEFORM_VALUE_BOUNDS } from "./config-bounds.js";
import { ConfigReader } from "./config-values.js";
import { FeatureExtractorInputError } from "./errors.js";
import { defineReadonly, FeatureExtractor, type FeatureExtractorCallOptions, type FeatureExtractorOutput } from "./feature-extractor.js";
import { normalizeZeroMeanUnitVariance } from "./float32-statistics.js";
import { padWaveforms, type PaddingOption } from "./padding.js";

export class Wav2Vec2FeatureExtractor extends FeatureExtractor {
  declare readonly doNormalize: boolean;

  constructor(config: Record<string, unknown> = {}, source = "Wav2Vec2FeatureExtractor config") {
    const r = new ConfigReader(config, source);
    super({
      featureExtractorType: "Wav2Vec2FeatureExtractor",
      samplingRate: r.size("sampling_rate", 16000),
      featureSize: r.size("feature_size", 1),
      paddingValue: r.number("padding_value", 0, WAVEFORM_VALUE_BOUNDS.padding_value),
      paddingSide: r.choice("padding_side", ["right", "left"] as const, "right"),
      returnAttentionMask: r.boolean("return_attention_mask", false),
      modelInputNames: r.stringList("model_input_names", ["input_values", "attention_mask"]),
      config: r.config,
    });
    defineReadonly(this, { doNormalize: r.boolean("do_normalize", true) });
  }

  override batchOptions(): FeatureExtractorCallOptions {
    return { padding: true };
  }

  protected compute(waveforms: Float32Array[], options: FeatureExtractorCallOptions): FeatureExtractorOutput {
    const padding = options.padding ?? false;
    if (typeof options.truncation === "string") {
      throw new FeatureExtractorInputError(`truncation must be true or false for ${this.featureExtractorType}, got ${JSON.stringify(options.truncation)}`);
    }
    const returnMask = options.returnAttentionMask ?? this.returnAttentionMask;
    const batch = padWaveforms(waveforms, {
      padding: padding as PaddingOption,
      maxLength: options.maxLength,
      truncation: options.truncation ?? false,
      padToMultipleOf: options.padToMultipleOf,
      paddingValue: this.paddingValue,
      paddingSide: this.paddingSide,
    });
    const { values, batchSize, length } = batch;
    if (this.doNormalize) {
      const useMask = returnMask && batch.padded;
      for (let b = 0; b < batchSize; b++) {
        const row = b * length;
        if (useMask) {
          const offset = batch.offsets[b]!;
          const n = batch.lengths[b]!;
          normalizeZeroMeanUnitVariance(values, row + offset, n, values, row + offset);
          values.fill(this.paddingValue, row, row + offset);
          values.fill(this.paddingValue, row + offset + n, row + length);
        } else {
          normalizeZeroMeanUnitVariance(values, row, length, values, row);
        }
      }
    }
    const out: FeatureExtractorOutput = { input_values: tensor("float32", [batchSize, length], values) };
    if (returnMask) out["attention_mask"] = tensor("int32", [batchSize, length], batch.attentionMask);
    return out;
  }

  toJSON(): Record<string, unknown> {
    return {
      ...this.config,
      feature_extractor_type: this.featureExtractorType,
      feature_size: this.featureSize,
      sampling_rate: this.samplingRate,
      padding_value: this.paddingValue,
      padding_side: this.paddingSide,
      do_normalize: this.doNormalize,
      return_attention_mask: this.returnAttentionMask,
    };
  }
}
