/**
 * Triangular mel filter banks, stored sparsely: each filter keeps only the range of FFT bins
 * where it is non-zero, so applying a bank costs O(total filter width) per frame instead of
 * O(filters × bins) — about 2 multiply-adds per FFT bin for standard banks.
 *
 * `melFilterBank` follows transformers.audio_utils.mel_filter_bank (which also reproduces
 * torchaudio.functional.melscale_fbanks and librosa.filters.mel); Kaldi banks are in
 * kaldi-mel-banks.ts.
 */
import { DspArgumentError, requireFinite, requireInteger } from "./errors.js";
import { checkMelScale, hertzToMel, linspace, melToHertz, type MelScale } from "./mel-scale.js";

/** A bank of `numFilters` filters over `numFrequencyBins` FFT bins, non-zero ranges only. */
export class MelFilterBank {
  readonly numFilters: number;
  readonly numFrequencyBins: number;
  /** First bin of each filter's stored range (empty filters: start = end = 0). */
  readonly start: Int32Array;
  /** One past the last bin of each filter's stored range. */
  readonly end: Int32Array;
  /** Offset of each filter's first stored weight in `weights`. */
  readonly offsets: Int32Array;
  readonly weights: Float64Array;

  private constructor(numFilters: number, numFrequencyBins: number, start: Int32Array, end: Int32Array, weights: Float64Array) {
    this.numFilters = numFilters;
    this.numFrequencyBins = numFrequencyBins;
    this.start = start;
    this.end = end;
    this.weights = weights;
    this.offsets = new Int32Array(numFilters);
    let offset = 0;
    for (let f = 0; f < numFilters; f++) {
      this.offsets[f] = offset;
      offset += end[f]! - start[f]!;
    }
  }

  /**
   * Builds a bank from a dense row-major [numFilters][numFrequencyBins] matrix (note: transposed
   * relative to transformers, whose mel_filter_bank returns [bins][filters]).
   */
  static fromDense(dense: ArrayLike<number>, numFilters: number, numFrequencyBins: number): MelFilterBank {
    requireInteger("number of mel filters", numFilters, 1);
    requireInteger("number of frequency bins", numFrequencyBins, 1);
    if (dense.length !== numFilters * numFrequencyBins) {
      throw new DspArgumentError(
        `a dense filter bank of ${numFilters} filters × ${numFrequencyBins} bins needs ${numFilters * numFrequencyBins} values, got ${dense.length}`,
      );
    }
    const start = new Int32Array(numFilters);
    const end = new Int32Array(numFilters);
    let total = 0;
    for (let f = 0; f < numFilters; f++) {
      const row = f * numFrequencyBins;
      let first = -1;
      let last = -1;
      for (let b = 0; b < numFrequencyBins; b++) {
        if (dense[row + b] !== 0) {
          if (first < 0) first = b;
          last = b;
        }
      }
      if (first >= 0) {
        start[f] = first;
        end[f] = last + 1;
        total += last + 1 - first;
      }
    }
    const weights = new Float64Array(total);
    let offset = 0;
    for (let f = 0; f < numFilters; f++) {
      for (let b = start[f]!; b < end[f]!; b++) weights[offset++] = dense[f * numFrequencyBins + b]!;
    }
    return new MelFilterBank(numFilters, numFrequencyBins, start, end, weights);
  }

  /** Dense row-major [numFilters][numFrequencyBins] copy of the weights. */
  toDense(): Float64Array {
    const out = new Float64Array(this.numFilters * this.numFrequencyBins);
    for (let f = 0; f < this.numFilters; f++) {
      const offset = this.offsets[f]! - this.start[f]!;
      for (let b = this.start[f]!; b < this.end[f]!; b++) out[f * this.numFrequencyBins + b] = this.weights[offset + b]!;
    }
    return out;
  }

  /** Weight of filter `filter` at FFT bin `bin` (0 outside its stored range). */
  weight(filter: number, bin: number): number {
    if (bin < this.start[filter]! || bin >= this.end[filter]!) return 0;
    return this.weights[this.offsets[filter]! + bin - this.start[filter]!]!;
  }

  /** A copy with every weight rounded to float32 (what torch does after `.to(torch.float32)`). */
  toFloat32Weights(): MelFilterBank {
    return new MelFilterBank(this.numFilters, this.numFrequencyBins, this.start, this.end, Float64Array.from(Float32Array.from(this.weights)));
  }

  /**
   * out[outOffset + f] = Σ_b weight(f, b) · spectrum[specOffset + b] for every filter f.
   * Sums in bin order, like a dense dot product would.
   */
  apply(spectrum: Float64Array, specOffset: number, out: Float64Array, outOffset: number): void {
    const { start, end, offsets, weights } = this;
    for (let f = 0; f < this.numFilters; f++) {
      let sum = 0;
      const s = start[f]!;
      const base = offsets[f]! - s;
      const stop = end[f]!;
      for (let b = s; b < stop; b++) sum += weights[base + b]! * spectrum[specOffset + b]!;
      out[outOffset + f] = sum;
    }
  }
}

export interface MelFilterBankOptions {
  /** FFT bins the bank covers: fftLength / 2 + 1. */
  numFrequencyBins: number;
  numMelFilters: number;
  minFrequency: number;
  maxFrequency: number;
  samplingRate: number;
  /** "slaney" divides each triangle by its width in Hz (area normalisation); null leaves peaks at 1. */
  norm?: "slaney" | null;
  melScale?: MelScale;
  /** Triangles linear in mel rather than Hz (what torchaudio's Kaldi banks do). */
  triangularizeInMelSpace?: boolean;
}

/**
 * transformers.audio_utils.mel_filter_bank, same arithmetic (float64): filter edges equally
 * spaced in mel between min and max frequency, FFT bin centres linspace(0, sr // 2, bins).
 * Filters that cover no bin are kept (all zeros), as transformers keeps them.
 */
export function melFilterBank(options: MelFilterBankOptions): MelFilterBank {
  const { numFrequencyBins, numMelFilters, minFrequency, maxFrequency, samplingRate } = options;
  const norm = options.norm ?? null;
  const scale = options.melScale ?? "htk";
  checkMelScale(scale);
  requireInteger("numFrequencyBins", numFrequencyBins, 2);
  requireInteger("numMelFilters", numMelFilters, 1);
  requireFinite("minFrequency", minFrequency);
  requireFinite("maxFrequency", maxFrequency);
  requireFinite("samplingRate", samplingRate, true);
  if (norm !== null && norm !== "slaney") {
    throw new DspArgumentError(`mel filter norm must be "slaney" or null, got ${JSON.stringify(norm)}`);
  }
  if (minFrequency > maxFrequency) {
    throw new DspArgumentError(`minFrequency (${minFrequency}) must not exceed maxFrequency (${maxFrequency})`);
  }

  const melFreqs = linspace(hertzToMel(minFrequency, scale), hertzToMel(maxFrequency, scale), numMelFilters + 2);
  let filterFreqs: Float64Array = melFreqs.map((m) => melToHertz(m, scale));
  // A triangle of zero width divides by zero: its weights (and every feature) would be NaN.
  for (let i = 1; i < filterFreqs.length; i++) {
    if (!(filterFreqs[i]! > filterFreqs[i - 1]!)) {
      throw new DspArgumentError(
        `${minFrequency} – ${maxFrequency} Hz is too narrow for ${numMelFilters} mel filters (edges ${i - 1} and ${i} coincide); widen the range or use fewer filters`,
      );
    }
  }
  let fftFreqs: Float64Array;
  if (options.triangularizeInMelSpace === true) {
    const binWidth = samplingRate / ((numFrequencyBins - 1) * 2);
    fftFreqs = new Float64Array(numFrequencyBins);
    for (let b = 0; b < numFrequencyBins; b++) fftFreqs[b] = hertzToMel(binWidth * b, scale);
    filterFreqs = melFreqs;
  } else {
    fftFreqs = linspace(0, Math.floor(samplingRate / 2), numFrequencyBins);
  }

  const dense = new Float64Array(numMelFilters * numFrequencyBins);
  for (let f = 0; f < numMelFilters; f++) {
    const left = filterFreqs[f]!;
    const center = filterFreqs[f + 1]!;
    const right = filterFreqs[f + 2]!;
    const downWidth = center - left;
    const upWidth = right - center;
    const enorm = norm === "slaney" ? 2.0 / (right - left) : 1;
    for (let b = 0; b < numFrequencyBins; b++) {
      // transformers: down = −(left − f)/(center − left), up = (right − f)/(right − center)
      const down = -(left - fftFreqs[b]!) / downWidth;
      const up = (right - fftFreqs[b]!) / upWidth;
      const w = Math.max(0, Math.min(down, up));
      dense[f * numFrequencyBins + b] = norm === "slaney" ? w * enorm : w;
    }
  }
  return MelFilterBank.fromDense(dense, numMelFilters, numFrequencyBins);
}
