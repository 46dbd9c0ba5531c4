/**
 * Validates what users pass to a feature extractor and turns it into float32 waveforms.
 *
 * Accepted, as in Python: one mono waveform (Float32Array, Float64Array — cast to float32
 * first, as transformers does — or number[]), or a batch (an array of those). Anything else —
 * empty audio, NaN/Infinity, a 2-D array where a waveform must be 1-D, integer typed arrays,
 * strings — is rejected with a FeatureExtractorInputError that names the input and the fix.
 */
import { describeValue } from "../errors.js";
import { FeatureExtractorInputError } from "./errors.js";

/** One mono waveform. */
export type AudioArray = Float32Array | Float64Array | readonly number[];

/** What a feature extractor accepts: one waveform or a batch of them. */
export type AudioInput = AudioArray | readonly AudioArray[];

export interface NormalizedAudio {
  /** Float32 waveforms; a Float32Array input is used as is (never modified). */
  waveforms: Float32Array[];
  /** True when the input was a list of waveforms (the output batch dimension is always present). */
  isBatched: boolean;
}

const FIX_HINT = "pass a mono waveform as Float32Array, Float64Array or number[], or an array of them for a batch";

function isWaveformLike(value: unknown): boolean {
  return value instanceof Float32Array || value instanceof Float64Array || Array.isArray(value);
}

/** First index whose value is NaN or ±Infinity, or −1. */
function firstNonFinite(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    // v − v is NaN exactly for NaN and ±Infinity, and cheaper than Number.isFinite in a hot loop
    if (v - v !== 0) return i;
  }
  return -1;
}

function nonFiniteError(name: string, index: number, value: number, overflow: boolean): FeatureExtractorInputError {
  const what = overflow ? `${value}, which overflows float32` : String(value);
  return new FeatureExtractorInputError(
    `${name} has a non-finite sample (${what}) at index ${index}; feature extractors need finite samples — ` +
      `replace or drop NaN/Infinity values (and keep float samples within ±3.4e38)`,
  );
}

/** Converts one waveform to float32 after checking it is 1-D, non-empty and finite. */
function toWaveform(value: unknown, name: string): Float32Array {
  if (value instanceof Float32Array) {
    if (value.length === 0) throw new FeatureExtractorInputError(`${name} is empty (0 samples); pass at least one sample`);
    const bad = firstNonFinite(value);
    if (bad >= 0) throw nonFiniteError(name, bad, value[bad]!, false);
    return value;
  }
  if (value instanceof Float64Array) {
    if (value.length === 0) throw new FeatureExtractorInputError(`${name} is empty (0 samples); pass at least one sample`);
    let bad = firstNonFinite(value);
    if (bad >= 0) throw nonFiniteError(name, bad, value[bad]!, false);
    const out = Float32Array.from(value);
    bad = firstNonFinite(out);
    if (bad >= 0) throw nonFiniteError(name, bad, value[bad]!, true);
    return out;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) throw new FeatureExtractorInputError(`${name} is empty (0 samples); pass at least one sample`);
    const out = new Float32Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v !== "number") {
        if (isWaveformLike(v) || ArrayBuffer.isView(v)) {
          throw new FeatureExtractorInputError(
            `${name} is 2-D (element ${i} is ${describeValue(v)}); feature extractors take mono 1-D waveforms — ` +
              `downmix multi-channel audio first (audioclass's readAudio does), or pass a batch as a list of 1-D waveforms`,
          );
        }
        throw new FeatureExtractorInputError(`${name}[${i}] is ${describeValue(v)}, not a number; ${FIX_HINT}`);
      }
      if (v - v !== 0) throw nonFiniteError(name, i, v, false);
      out[i] = v;
      if (out[i]! - out[i]! !== 0) throw nonFiniteError(name, i, v, true);
    }
    return out;
  }
  if (ArrayBuffer.isView(value)) {
    throw new FeatureExtractorInputError(
      `${name} is ${describeValue(value)}; feature extractors take float samples in [−1, 1] as Float32Array or Float64Array ` +
        `(convert integer PCM first, e.g. int16 / 32768)`,
    );
  }
  throw new FeatureExtractorInputError(`${name} is ${describeValue(value)}; ${FIX_HINT}`);
}

/**
 * Normalises a feature-extractor input to a list of float32 waveforms. A plain array is a batch
 * when its first element is itself an array (transformers' is_batched rule).
 */
export function normalizeAudioInput(input: unknown, name = "audio"): NormalizedAudio {
  if (Array.isArray(input) && input.length > 0 && typeof input[0] !== "number") {
    if (!isWaveformLike(input[0])) {
      throw new FeatureExtractorInputError(`${name}[0] is ${describeValue(input[0])}; ${FIX_HINT}`);
    }
    const waveforms = input.map((item, i) => {
      if (!isWaveformLike(item)) {
        throw new FeatureExtractorInputError(
          `${name}[${i}] is ${describeValue(item)} but ${name}[0] is a waveform; a batch must hold only waveforms`,
        );
      }
      return toWaveform(item, `${name}[${i}]`);
    });
    return { waveforms, isBatched: true };
  }
  if (Array.isArray(input) && input.length === 0) {
    throw new FeatureExtractorInputError(`${name} is an empty array; pass a waveform with at least one sample or a non-empty batch`);
  }
  return { waveforms: [toWaveform(input, name)], isBatched: false };
}
