/**
 * SeamlessM4TFeatureExtractor (Wav2Vec2-BERT's): Kaldi-style log-mel fbank through
 * transformers' numpy `spectrogram` — waveform × 32768, 400-sample povey frames every 160 samples,
 * no centring, DC removal, pre-emphasis 0.97, 512-point power spectrum, an 80-bin Kaldi mel bank
 * (triangles in mel space, the Nyquist bin zero), natural log with a float32-epsilon floor,
 * cast to float32 — then each mel bin normalised over the clip's frames in numpy float32
 * (pairwise sums along time, variance with ddof 1, + 1e-7), frames padded to the longest (and
 * to a multiple of `pad_to_multiple_of`, default 2) with padding_value, and pairs of frames
 * stacked: input_features [batch, frames/stride, stride·80], attention_mask [batch, frames/stride]
 * keeping every stride-th entry (1, 3, …), so an odd frame count masks the last stacked frame.
 *
 * The FFT is ours in float64, not numpy's pocketfft (its output is rounded to complex64 as
 * transformers stores it); on every fixture clip the features come out bit for bit equal.
 */
import { melFilterBank, type MelFilterBank } from "../dsp/mel-filter-bank.js";
import { spectrogram } from "../dsp/spectrogram.js";
import { poveyWindow } from "../dsp/windows.js";
import { tensor } from "../tensor.js";
import { WAVEFORM_VALUE_BOUNDS } from "./config-bounds.js";
import { ConfigReader } from "./config-values.js";
import { FeatureExtractorInputError } from "./errors.js";
import { defineReadonly, FeatureExtractor, type FeatureExtractorCallOptions, type FeatureExtractorOutput } from "./feature-extractor.js";
import { numpySumFloat32 } from "./float32-statistics.js";

const f32 = Math.fround;
const FRAME_LENGTH = 400;
const HOP_LENGTH = 160;
const FFT_LENGTH = 512;
/** np.finfo(np.float32).eps as transformers writes it. */
const MEL_FLOOR = 1.192092955078125e-7;

/**
 * transformers 4.49 builds the Kaldi bank over 256 bins of width sr/512 and pads a zero Nyquist
 * row; our melFilterBank spaces bins by sr/((n − 1)·2), so 257 bins give the same widths and a
 * Nyquist bin at the last filter's right edge, where every triangle is 0.
 */
function seamlessMelBank(numMelBins: number, samplingRate: number): MelFilterBank {
  return melFilterBank({
    numFrequencyBins: FFT_LENGTH / 2 + 1,
    numMelFilters: numMelBins,
    minFrequency: 20,
    maxFrequency: Math.floor(samplingRate / 2),
    samplingRate,
    norm: null,
    melScale: "kaldi",
    triangularizeInMelSpace: true,
  });
}

/**
 * x.mean(0), x.var(0, ddof=1) and (x − mean)/sqrt(var + 1e-7) in numpy float32, in place on
 * [frames, bins]: numpy reduces each bin's column with its buffered pairwise float32 sum (which
 * reproduces the fixtures bit for bit; a sequential sum drifts by up to 3e-4 on short clips).
 */
function normalizePerBin(x: Float32Array, frames: number, bins: number): void {
  const column = new Float32Array(frames);
  const squares = new Float32Array(frames);
  for (let c = 0; c < bins; c++) {
    for (let t = 0; t < frames; t++) column[t] = x[t * bins + c]!;
    const mean = f32(numpySumFloat32(column, 0, frames) / frames);
    for (let t = 0; t < frames; t++) {
      const d = f32(column[t]! - mean);
      squares[t] = f32(d * d);
    }
    const variance = f32(numpySumFloat32(squares, 0, frames) / Math.max(frames - 1, 0));
    const scale = f32(Math.sqrt(f32(variance + f32(1e-7))));
    for (let t = 0; t < frames; t++) x[t * bins + c] = f32(f32(column[t]! - mean) / scale);
  }
}

export class SeamlessM4TFeatureExtractor extends FeatureExtractor {
  declare readonly numMelBins: number;
  declare readonly stride: number;
  declare private readonly window: Float64Array;
  declare private readonly melFilters: MelFilterBank;

  constructor(config: Record<string, unknown> = {}, source = "SeamlessM4TFeatureExtractor config") {
    const r = new ConfigReader(config, source);
    const samplingRate = r.size("sampling_rate", 16000);
    const numMelBins = r.size("num_mel_bins", 80);
    super({
      featureExtractorType: "SeamlessM4TFeatureExtractor",
      samplingRate,
      featureSize: r.size("feature_size", 80),
      paddingValue: r.number("padding_value", 0, WAVEFORM_VALUE_BOUNDS.padding_value),
      paddingSide: r.choice("padding_side", ["right", "left"] as const, "right"),
      returnAttentionMask: r.boolean("return_attention_mask", true),
      modelInputNames: r.stringList("model_input_names", ["input_features", "attention_mask"]),
      config: r.config,
    });
    defineReadonly(this, { numMelBins, stride: r.integer("stride", 2, 1, 16) });
    Object.defineProperty(this, "window", { value: poveyWindow(FRAME_LENGTH, false), enumerable: false });
    Object.defineProperty(this, "melFilters", { value: seamlessMelBank(numMelBins, samplingRate), enumerable: false });
  }

  override batchOptions(): FeatureExtractorCallOptions {
    return { padding: true };
  }

  /** Normalised log-mel frames [frames, num_mel_bins] of one waveform. */
  fbank(waveform: Float32Array): { data: Float32Array; frames: number } {
    if (waveform.length < FRAME_LENGTH) {
      throw new FeatureExtractorInputError(`a ${waveform.length}-sample input is shorter than ${this.featureExtractorType}'s ${FRAME_LENGTH}-sample frame; pass at least ${FRAME_LENGTH} samples (25 ms at 16 kHz)`);
    }
    const scaled = Float32Array.from(waveform, (v) => f32(v * 32768));
    const spec = spectrogram(scaled, {
      window: this.window,
      frameLength: FRAME_LENGTH,
      hopLength: HOP_LENGTH,
      fftLength: FFT_LENGTH,
      power: 2,
      center: false,
      preemphasis: 0.97,
      removeDcOffset: true,
      melFilters: this.melFilters,
      melFloor: MEL_FLOOR,
      logMel: "log",
      complex64Spectrum: true,
    });
    return { data: Float32Array.from(spec.data), frames: spec.numFrames };
  }

  protected compute(waveforms: Float32Array[], options: FeatureExtractorCallOptions): FeatureExtractorOutput {
    if (typeof options.truncation === "string" || (typeof options.padding === "string" && !["longest", "max_length", "do_not_pad"].includes(options.padding))) {
      throw new FeatureExtractorInputError(`${this.featureExtractorType} pads with true/"longest", "max_length" or false and truncates with true/false`);
    }
    const bins = this.numMelBins;
    const features = waveforms.map((w) => {
      const f = this.fbank(w);
      normalizePerBin(f.data, f.frames, bins);
      return f;
    });
    const padding = options.padding ?? true;
    const multiple = options.padToMultipleOf ?? 2;
    let length: number;
    if (padding === "max_length") {
      if (options.maxLength === undefined) throw new FeatureExtractorInputError(`padding "max_length" needs maxLength (in frames)`);
      length = options.maxLength;
    } else {
      length = Math.max(...features.map((f) => f.frames));
    }
    if (options.truncation === true && options.maxLength !== undefined) length = Math.min(length, options.maxLength);
    if (padding !== false && padding !== "do_not_pad" && multiple > 1 && length % multiple !== 0) length += multiple - (length % multiple);
    if ((padding === false || padding === "do_not_pad") && features.some((f) => f.frames !== features[0]!.frames)) {
      throw new FeatureExtractorInputError(`clips of different lengths need padding (padding: true) to form one batch`);
    }
    const batch = features.length;
    const values = new Float32Array(batch * length * bins).fill(this.paddingValue);
    const mask = new Int32Array(batch * length);
    features.forEach((f, b) => {
      const n = Math.min(f.frames, length);
      const offset = this.paddingSide === "left" ? length - n : 0;
      values.set(f.data.subarray(0, n * bins), (b * length + offset) * bins);
      mask.fill(1, b * length + offset, b * length + offset + n);
    });
    // frames that do not fill a last group of `stride` are dropped, as Python does
    const stride = this.stride;
    const groups = Math.floor(length / stride);
    const stacked = new Float32Array(batch * groups * stride * bins);
    const stackedMask = new Int32Array(batch * groups);
    for (let b = 0; b < batch; b++) {
      stacked.set(values.subarray(b * length * bins, (b * length + groups * stride) * bins), b * groups * stride * bins);
      for (let g = 0; g < groups; g++) stackedMask[b * groups + g] = mask[b * length + g * stride + (stride > 1 ? 1 : 0)]!;
    }
    const out: FeatureExtractorOutput = { input_features: tensor("float32", [batch, groups, stride * bins], stacked) };
    if (options.returnAttentionMask ?? this.returnAttentionMask) out["attention_mask"] = tensor("int32", [batch, groups], stackedMask);
    return out;
  }

  toJSON(): Record<string, unknown> {
    return {
      ...this.config,
      feature_extractor_type: this.featureExtractorType,
      feature_size: this.featureSize,
      num_mel_bins: this.numMelBins,
      padding_side: this.paddingSide,
      padding_value: this.paddingValue,
      return_attention_mask: this.returnAttentionMask,
      sampling_rate: this.samplingRate,
      stride: this.stride,
    };
  }
}
