/**
 * Short-time Fourier spectrograms (power, magnitude, mel, log-mel), following
 * transformers.audio_utils.spectrogram step for step: optional centre padding, framing,
 * per-frame DC removal and pre-emphasis, window, real FFT, |X|^power, mel projection with a
 * floor, then log / log10 / dB. Computed in float64 throughout.
 *
 * Output is frame-major ([numFrames][numBins]) — transposed relative to transformers, which
 * returns [bins][frames] — because the frame loop writes rows; extractors lay it out as needed.
 */
import { DspArgumentError, requireFinite, requireInteger } from "./errors.js";
import type { MelFilterBank } from "./mel-filter-bank.js";
import { getRealFft } from "./real-fft.js";
import { TorchFloat32RealFft } from "./torch-float32-rfft.js";
import { torchFloat32RowSum } from "./torch-float32-sum.js";

export type PadMode = "reflect" | "constant" | "edge";
export type LogMel = "log" | "log10" | "dB";

export interface SpectrogramOptions {
  /** Analysis window, already zero-padded to frameLength if shorter. */
  window: Float64Array;
  frameLength: number;
  hopLength: number;
  /** FFT size ≥ frameLength (frames are zero-padded on the right). Default frameLength. */
  fftLength?: number;
  /** 1 = magnitude, 2 = power (default 1, as transformers). Any positive exponent works. */
  power?: number;
  /** Pad frameLength/2 samples on both sides so frame t is centred on t·hop (default true). */
  center?: boolean;
  padMode?: PadMode;
  /** Subtract each frame's mean before pre-emphasis (Kaldi). */
  removeDcOffset?: boolean;
  /** Pre-emphasis coefficient p: y[j] = x[j] − p·x[j−1], y[0] = (1 − p)·x[0] (Kaldi). */
  preemphasis?: number | null;
  melFilters?: MelFilterBank | null;
  /** Floor applied after the mel projection (default 1e-10). */
  melFloor?: number;
  logMel?: LogMel | null;
  /** dB only: the value that maps to 0 dB (default 1). */
  reference?: number;
  /** dB only: values are clipped to this before the log (default 1e-10). */
  minValue?: number;
  /** dB only: clip everything below (max − dbRange). */
  dbRange?: number | null;
  /**
   * Round each framing step (DC removal, pre-emphasis, windowing) to float32, as torch does
   * when it frames a float32 signal (torchaudio's Kaldi fbank, torch.stft). The FFT stays
   * float64 unless `torchFft` is given. In bands whose energy is close to float32 rounding noise
   * this is part of what brings the result close to torch's.
   */
  float32Frames?: boolean;
  /**
   * Compute the power spectra with this emulation of torch's float32 FFT (pocketfft + |X|² in
   * float32) instead of our float64 FFT. Needs power 2 and a matching size; meant together with
   * float32Frames. In near-silent bands the log amplifies the float32 FFT's rounding to ~1e-3,
   * and only torch's own arithmetic reproduces it.
   */
  torchFft?: TorchFloat32RealFft | null;
  /**
   * Hold the energies (after the mel filters, if any) and their logs as float32 values — what
   * torch's float32 tensors hold between the matmul, the floor and the log (torchaudio's Kaldi
   * fbank).
   */
  float32Energies?: boolean;
  /** Compute at most this many frames (the first ones) — for callers that truncate anyway. */
  maxFrames?: number;
  /**
   * Hold each FFT output as complex64 (float32 real and imaginary parts) before |X|^power, as
   * transformers' numpy `spectrogram` stores it (`np.empty(..., dtype=np.complex64)`), then take
   * the magnitude in float64 (np.abs(..., dtype=np.float64)).
   */
  complex64Spectrum?: boolean;
}

export interface Spectrogram {
  /** Row-major [numFrames][numBins]. */
  data: Float64Array;
  numFrames: number;
  /** fftLength/2 + 1 frequency bins, or the number of mel filters. */
  numBins: number;
}

/** Index into a signal of `length` samples for position `i` (possibly outside), per pad mode; −1 = zero. */
function paddedIndex(i: number, length: number, mode: PadMode): number {
  if (i >= 0 && i < length) return i;
  if (mode === "constant") return -1;
  if (mode === "edge") return i < 0 ? 0 : length - 1;
  if (length === 1) return 0;
  // numpy "reflect" (no edge repeat) is periodic with period 2·(length − 1)
  const period = 2 * (length - 1);
  let j = i % period;
  if (j < 0) j += period;
  return j < length ? j : period - j;
}

/** Number of frames transformers' spectrogram produces for `length` samples (never negative). */
export function numFrames(length: number, frameLength: number, hopLength: number, center: boolean): number {
  const padded = center ? length + 2 * Math.floor(frameLength / 2) : length;
  if (padded < frameLength) return 0;
  return 1 + Math.floor((padded - frameLength) / hopLength);
}

export function spectrogram(waveform: Float32Array | Float64Array, options: SpectrogramOptions): Spectrogram {
  const { window, frameLength, hopLength } = options;
  const fftLength = options.fftLength ?? frameLength;
  const power = options.power ?? 1;
  const center = options.center ?? true;
  const padMode = options.padMode ?? "reflect";
  const preemphasis = options.preemphasis ?? null;
  const mel = options.melFilters ?? null;
  const melFloor = options.melFloor ?? 1e-10;
  const logMel = options.logMel ?? null;
  const float32 = options.float32Frames === true;
  const torchFft = options.torchFft ?? null;
  const float32Energies = options.float32Energies === true;
  requireInteger("frameLength", frameLength, 1);
  requireInteger("hopLength", hopLength, 1);
  requireInteger("fftLength", fftLength, frameLength);
  requireFinite("power", power, true);
  if (window.length !== frameLength) {
    throw new DspArgumentError(`window length (${window.length}) must equal frameLength (${frameLength}); zero-pad it with padWindow()`);
  }
  if (padMode !== "reflect" && padMode !== "constant" && padMode !== "edge") {
    throw new DspArgumentError(`padMode must be "reflect", "constant" or "edge", got ${JSON.stringify(padMode)}`);
  }
  if (preemphasis !== null) requireFinite("preemphasis", preemphasis);
  if (logMel !== null && logMel !== "log" && logMel !== "log10" && logMel !== "dB") {
    throw new DspArgumentError(`logMel must be "log", "log10", "dB" or null, got ${JSON.stringify(logMel)}`);
  }
  if (logMel === "dB" && power !== 1 && power !== 2) {
    throw new DspArgumentError(`logMel "dB" needs power 1 (amplitude) or 2 (power), got ${power}`);
  }
  const fft = getRealFft(fftLength);
  if (mel !== null && mel.numFrequencyBins !== fft.numBins) {
    throw new DspArgumentError(`mel filters cover ${mel.numFrequencyBins} bins but an FFT of ${fftLength} gives ${fft.numBins}`);
  }
  if (torchFft !== null && (power !== 2 || torchFft.size !== fftLength)) {
    throw new DspArgumentError(`torchFft computes power spectra (power 2) of ${torchFft.size} points; got power ${power}, fftLength ${fftLength}`);
  }

  const length = waveform.length;
  let frames = numFrames(length, frameLength, hopLength, center);
  if (options.maxFrames !== undefined) {
    requireInteger("maxFrames", options.maxFrames, 0);
    frames = Math.min(frames, options.maxFrames);
  }
  const offset = center ? Math.floor(frameLength / 2) : 0;
  const outBins = mel === null ? fft.numBins : mel.numFilters;
  const out = new Float64Array(frames * outBins);
  // the torch FFT transforms several frames per call; the float64 one, one at a time
  const batch = torchFft === null ? 1 : TorchFloat32RealFft.BATCH;
  const buffers = Array.from({ length: batch }, () => new Float64Array(fftLength));
  const spectra = Array.from({ length: batch }, () => new Float64Array(fft.numBins));
  const removeDc = options.removeDcOffset === true;
  const complex64 = options.complex64Spectrum === true && torchFft === null;
  const re = new Float64Array(complex64 ? fft.numBins : 0);
  const im = new Float64Array(complex64 ? fft.numBins : 0);

  for (let first = 0; first < frames; first += batch) {
    const count = Math.min(batch, frames - first);
    for (let f = 0; f < count; f++) {
      const buffer = buffers[f]!;
      const start = (first + f) * hopLength - offset;
      const inside = start >= 0 && start + frameLength <= length;
      if (inside && float32) {
        // the common case: read straight from the signal, no intermediate copy
        frameInFloat32(waveform, start, buffer, frameLength, removeDc, preemphasis, window);
        continue;
      }
      if (inside) {
        for (let j = 0; j < frameLength; j++) buffer[j] = waveform[start + j]!;
      } else {
        for (let j = 0; j < frameLength; j++) {
          const idx = paddedIndex(start + j, length, padMode);
          buffer[j] = idx < 0 ? 0 : waveform[idx]!;
        }
      }
      if (float32) frameInFloat32(buffer, 0, buffer, frameLength, removeDc, preemphasis, window);
      else frameInFloat64(buffer, frameLength, removeDc, preemphasis, window);
    }

    if (torchFft !== null) {
      torchFft.powerSpectra(count === batch ? buffers : buffers.slice(0, count), count === batch ? spectra : spectra.slice(0, count));
    } else if (complex64) {
      const spectrum = spectra[0]!;
      fft.forward(buffers[0]!, re, im);
      for (let k = 0; k < spectrum.length; k++) {
        const magnitude = Math.hypot(f32(re[k]!), f32(im[k]!));
        spectrum[k] = power === 2 ? magnitude * magnitude : Math.pow(magnitude, power);
      }
    } else {
      const spectrum = spectra[0]!;
      fft.powerSpectrum(buffers[0]!, spectrum);
      if (power !== 2) {
        const half = power / 2;
        for (let k = 0; k < spectrum.length; k++) spectrum[k] = half === 0.5 ? Math.sqrt(spectrum[k]!) : Math.pow(spectrum[k]!, half);
      }
    }

    for (let f = 0; f < count; f++) {
      const spectrum = spectra[f]!;
      const row = (first + f) * outBins;
      if (mel === null) out.set(spectrum, row);
      else mel.apply(spectrum, 0, out, row);
      if (float32Energies) for (let b = row; b < row + outBins; b++) out[b] = f32(out[b]!);
      // `<` rather than `!(>=)` so a NaN propagates, as numpy.maximum does
      if (mel !== null) for (let b = row; b < row + outBins; b++) if (out[b]! < melFloor) out[b] = melFloor;
      // logs while the row is still in cache; ln(x)·log10(e) is within an ulp of Math.log10
      // and about twice as fast in V8
      if (logMel === "log") for (let b = row; b < row + outBins; b++) out[b] = Math.log(out[b]!);
      else if (logMel === "log10") for (let b = row; b < row + outBins; b++) out[b] = Math.log(out[b]!) * Math.LOG10E;
      if (float32Energies && (logMel === "log" || logMel === "log10")) for (let b = row; b < row + outBins; b++) out[b] = f32(out[b]!);
    }
  }

  if (logMel === "dB") {
    toDecibels(out, power === 1 ? 20 : 10, options.reference ?? 1, options.minValue ?? 1e-10, options.dbRange ?? null);
  }
  return { data: out, numFrames: frames, numBins: outBins };
}

const f32 = Math.fround;

/** DC removal, pre-emphasis (first sample against itself) and window, in float64, in place. */
function frameInFloat64(buffer: Float64Array, frameLength: number, removeDc: boolean, preemphasis: number | null, window: Float64Array): void {
  if (removeDc) {
    let sum = 0;
    for (let j = 0; j < frameLength; j++) sum += buffer[j]!;
    const mean = sum / frameLength;
    for (let j = 0; j < frameLength; j++) buffer[j] = buffer[j]! - mean;
  }
  if (preemphasis !== null) {
    for (let j = frameLength - 1; j > 0; j--) buffer[j] = buffer[j]! - preemphasis * buffer[j - 1]!;
    buffer[0] = buffer[0]! * (1 - preemphasis);
  }
  for (let j = 0; j < frameLength; j++) buffer[j] = buffer[j]! * window[j]!;
}

/**
 * The same steps in torch's float32 order — mean (torch's float32 sum / n) → x − mean →
 * x − f32(p)·x_prev → x·window, each rounded — reading source[start…] and writing buffer[0…].
 */
function frameInFloat32(
  source: Float32Array | Float64Array,
  start: number,
  buffer: Float64Array,
  frameLength: number,
  removeDc: boolean,
  preemphasis: number | null,
  window: Float64Array,
): void {
  const mean = removeDc ? f32(torchFloat32RowSum(source, start, frameLength) / frameLength) : 0;
  if (preemphasis === null) {
    for (let j = 0; j < frameLength; j++) buffer[j] = f32(f32(source[start + j]! - mean) * window[j]!);
    return;
  }
  // one forward pass, keeping the previous (pre-emphasis input) sample in `prev`
  const p = f32(preemphasis);
  let prev = f32(source[start]! - mean);
  for (let j = 0; j < frameLength; j++) {
    const y = f32(source[start + j]! - mean);
    buffer[j] = f32(f32(y - f32(p * prev)) * window[j]!);
    prev = y;
  }
}

/**
 * In place: factor·(log10(max(x, minValue)) − log10(max(minValue, reference))), then clip below
 * (max − dbRange) if given — transformers' power_to_db (factor 10) / amplitude_to_db (factor 20).
 */
export function toDecibels(values: Float64Array, factor: number, reference = 1, minValue = 1e-10, dbRange: number | null = null): void {
  requireFinite("reference", reference, true);
  requireFinite("minValue", minValue, true);
  const refDb = Math.log10(Math.max(minValue, reference));
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    // ln(x)·log10(e) rather than Math.log10: within an ulp and about twice as fast in V8
    const v = factor * (Math.log(values[i]! < minValue ? minValue : values[i]!) * Math.LOG10E - refDb);
    values[i] = v;
    if (v > max) max = v;
  }
  if (dbRange !== null) {
    requireFinite("dbRange", dbRange, true);
    const floor = max - dbRange;
    for (let i = 0; i < values.length; i++) if (values[i]! < floor) values[i] = floor;
  }
}

/** Power spectrogram (|STFT|²) with transformers' defaults: centred, reflect-padded, no mel. */
export function powerSpectrogram(
  waveform: Float32Array | Float64Array,
  window: Float64Array,
  hopLength: number,
  fftLength?: number,
): Spectrogram {
  return spectrogram(waveform, { window, frameLength: window.length, hopLength, fftLength, power: 2 });
}

/** Magnitude spectrogram (|STFT|) with transformers' defaults: centred, reflect-padded, no mel. */
export function magnitudeSpectrogram(
  waveform: Float32Array | Float64Array,
  window: Float64Array,
  hopLength: number,
  fftLength?: number,
): Spectrogram {
  return spectrogram(waveform, { window, frameLength: window.length, hopLength, fftLength, power: 1 });
}
