/**
 * Log mel filter bank features as torchaudio.compliance.kaldi.fbank computes them (Kaldi's
 * compute-fbank-feats) with dither 0 and snip_edges true: frames of frameLength ms every
 * frameShift ms that fit entirely in the signal, per-frame DC removal, pre-emphasis, window,
 * zero-padding to a power of two, power spectrum, Kaldi mel banks, log with a float32-epsilon
 * floor. The input is used as given — Kaldi proper expects int16-scaled samples; transformers'
 * AST feeds it floats in [−1, 1] and so do we.
 *
 * Every step follows torch's float32 arithmetic — framing, SLEEF's cos in the window and log in
 * the mel banks, pocketfft's float32 FFT, float32 energies and logs — so that near-silent bands,
 * where the log magnifies rounding, come out as torchaudio's do. What is left — the order in
 * which torch's float32 matmul (OpenBLAS sgemm) sums each band, whose terms are all
 * non-negative, and SLEEF's log of the energies where we round the exact one — moves a feature
 * by at most one float32 ulp.
 */
import { DspArgumentError, requireFinite, requireInteger } from "./errors.js";
import { kaldiMelBanks } from "./kaldi-mel-banks.js";
import type { MelFilterBank } from "./mel-filter-bank.js";
import { isPowerOfTwo } from "./pocketfft-real-plan.js";
import { sleefCosf } from "./sleef-float32.js";
import { spectrogram } from "./spectrogram.js";
import { getTorchFloat32RealFft, type TorchFloat32RealFft } from "./torch-float32-rfft.js";
import { boxcarWindow, torchCosineWindow } from "./windows.js";

const f32 = Math.fround;

/** float32 machine epsilon, torchaudio's floor before the log. */
export const KALDI_EPSILON = 1.1920928955078125e-7;

export type KaldiWindowType = "povey" | "hanning" | "hamming" | "rectangular" | "blackman";

export const KALDI_WINDOW_TYPES: readonly KaldiWindowType[] = ["povey", "hanning", "hamming", "rectangular", "blackman"];

export interface KaldiFbankOptions {
  sampleFrequency?: number;
  /** Frame length in ms (default 25). */
  frameLength?: number;
  /** Frame shift in ms (default 10). */
  frameShift?: number;
  numMelBins?: number;
  /** Default "povey" (Kaldi and torchaudio's default); transformers' AST uses "hanning". */
  windowType?: KaldiWindowType;
  blackmanCoeff?: number;
  preemphasisCoefficient?: number;
  removeDcOffset?: boolean;
  roundToPowerOfTwo?: boolean;
  lowFreq?: number;
  /** ≤ 0: offset from Nyquist. */
  highFreq?: number;
  /** Log of the mel energies (default true); false gives the linear energies. */
  useLogFbank?: boolean;
  /** Power spectrum (default true) or magnitude. */
  usePower?: boolean;
  /**
   * Compute the power spectrum as torch does — pocketfft's FFT and |X|² in float32 — rather
   * than in float64 (default true). Near-silent mel bands then match torchaudio to float32
   * rounding instead of to ~1e-3 in the log. Applies to power spectra with a power-of-two FFT
   * (Kaldi's defaults); other settings use the float64 FFT.
   */
  torchFloat32Fft?: boolean;
}

/** The frame geometry torchaudio derives from the options (sizes in samples). */
export interface KaldiFrameGeometry {
  windowSize: number;
  windowShift: number;
  paddedWindowSize: number;
}

export function kaldiFrameGeometry(options: KaldiFbankOptions = {}): KaldiFrameGeometry {
  const sampleFrequency = options.sampleFrequency ?? 16000;
  const frameLength = options.frameLength ?? 25;
  const frameShift = options.frameShift ?? 10;
  requireFinite("sampleFrequency", sampleFrequency, true);
  requireFinite("frameLength", frameLength, true);
  requireFinite("frameShift", frameShift, true);
  // torchaudio: int(sample_frequency * ms * 0.001)
  const windowShift = Math.trunc(sampleFrequency * frameShift * 0.001);
  const windowSize = Math.trunc(sampleFrequency * frameLength * 0.001);
  if (windowSize < 2) throw new DspArgumentError(`a ${frameLength} ms frame at ${sampleFrequency} Hz is ${windowSize} samples; Kaldi needs at least 2`);
  if (windowShift < 1) throw new DspArgumentError(`a ${frameShift} ms shift at ${sampleFrequency} Hz is less than one sample`);
  let paddedWindowSize = windowSize;
  if (options.roundToPowerOfTwo ?? true) {
    paddedWindowSize = 1;
    while (paddedWindowSize < windowSize) paddedWindowSize *= 2;
  }
  if (paddedWindowSize % 2 !== 0) {
    throw new DspArgumentError(`the padded window (${paddedWindowSize} samples) must be even; use roundToPowerOfTwo or another frameLength`);
  }
  return { windowSize, windowShift, paddedWindowSize };
}

/**
 * The window torchaudio's _feature_window_function builds (always symmetric), with torch's
 * float32 arithmetic so the values are the ones torchaudio multiplies by.
 */
export function kaldiWindow(type: KaldiWindowType, size: number, blackmanCoeff = 0.42): Float64Array {
  switch (type) {
    case "hanning":
      return torchCosineWindow(size, false, 0.5, 0.5);
    case "hamming":
      return torchCosineWindow(size, false, 0.54, 0.46);
    case "povey": {
      const w = torchCosineWindow(size, false, 0.5, 0.5);
      const exponent = f32(0.85);
      for (let j = 0; j < size; j++) w[j] = f32(Math.pow(w[j]!, exponent));
      return w;
    }
    case "rectangular":
      return boxcarWindow(size);
    case "blackman": {
      // c − 0.5·cos(a·j) + (0.5 − c)·cos(2a·j), a = 2π/(N − 1), each tensor op in float32
      // (torch.cos is SLEEF's)
      const w = new Float64Array(size);
      const a = f32((2 * Math.PI) / (size - 1));
      const twoA = f32((2 * 2 * Math.PI) / (size - 1));
      const c = f32(blackmanCoeff);
      const c2 = f32(0.5 - blackmanCoeff);
      for (let j = 0; j < size; j++) {
        const first = f32(c - f32(0.5 * sleefCosf(f32(a * j))));
        w[j] = f32(first + f32(c2 * sleefCosf(f32(twoA * j))));
      }
      return w;
    }
    default:
      throw new DspArgumentError(`unknown Kaldi window type ${JSON.stringify(type)}; use one of ${KALDI_WINDOW_TYPES.join(", ")}`);
  }
}

export interface KaldiFbank {
  /** Row-major [numFrames][numMelBins]. */
  data: Float64Array;
  numFrames: number;
  numMelBins: number;
}

/**
 * A reusable Kaldi fbank computer: the window and mel banks are built once. `compute` throws
 * DspArgumentError if the signal is shorter than one frame, as torchaudio asserts.
 */
export class KaldiFbankComputer {
  readonly geometry: KaldiFrameGeometry;
  readonly numMelBins: number;
  readonly melBanks: MelFilterBank;
  private readonly window: Float64Array;
  private readonly options: KaldiFbankOptions;
  private readonly torchFft: TorchFloat32RealFft | null;

  constructor(options: KaldiFbankOptions = {}) {
    this.options = options;
    this.geometry = kaldiFrameGeometry(options);
    this.numMelBins = options.numMelBins ?? 23;
    requireInteger("numMelBins", this.numMelBins, 4);
    const preemphasis = options.preemphasisCoefficient ?? 0.97;
    if (!(preemphasis >= 0 && preemphasis <= 1)) {
      throw new DspArgumentError(`preemphasisCoefficient must be in [0, 1], got ${preemphasis}`);
    }
    this.window = kaldiWindow(options.windowType ?? "povey", this.geometry.windowSize, options.blackmanCoeff ?? 0.42);
    this.melBanks = kaldiMelBanks({
      numBins: this.numMelBins,
      paddedWindowSize: this.geometry.paddedWindowSize,
      sampleFrequency: options.sampleFrequency ?? 16000,
      lowFreq: options.lowFreq ?? 20,
      highFreq: options.highFreq ?? 0,
    });
    const { paddedWindowSize } = this.geometry;
    const emulate = (options.torchFloat32Fft ?? true) && (options.usePower ?? true) && isPowerOfTwo(paddedWindowSize);
    this.torchFft = emulate ? getTorchFloat32RealFft(paddedWindowSize) : null;
  }

  /** Features of `waveform`; with `maxFrames`, only the first maxFrames frames are computed. */
  compute(waveform: Float32Array | Float64Array, maxFrames?: number): KaldiFbank {
    const { windowSize, windowShift, paddedWindowSize } = this.geometry;
    if (waveform.length < windowSize) {
      throw new DspArgumentError(
        `Kaldi fbank needs at least one full frame of ${windowSize} samples; the signal has ${waveform.length}`,
      );
    }
    const preemphasis = this.options.preemphasisCoefficient ?? 0.97;
    const useLog = this.options.useLogFbank ?? true;
    const result = spectrogram(waveform, {
      window: this.window,
      frameLength: windowSize,
      hopLength: windowShift,
      fftLength: paddedWindowSize,
      power: (this.options.usePower ?? true) ? 2 : 1,
      center: false,
      removeDcOffset: this.options.removeDcOffset ?? true,
      preemphasis: preemphasis === 0 ? null : preemphasis,
      melFilters: this.melBanks,
      // Kaldi floors only on the log path; the linear energies are returned as they are.
      melFloor: useLog ? KALDI_EPSILON : -Infinity,
      logMel: useLog ? "log" : null,
      float32Frames: true,
      torchFft: this.torchFft,
      float32Energies: true,
      maxFrames,
    });
    return { data: result.data, numFrames: result.numFrames, numMelBins: this.numMelBins };
  }
}

/** One-shot torchaudio.compliance.kaldi.fbank (dither 0, snip_edges true, no energy column). */
export function kaldiFbank(waveform: Float32Array | Float64Array, options: KaldiFbankOptions = {}): KaldiFbank {
  return new KaldiFbankComputer(options).compute(waveform);
}
