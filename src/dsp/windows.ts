/**
 * Analysis windows, as numpy / torch / torchaudio's Kaldi compliance module define them.
 *
 * "Periodic" windows (the STFT default in torch and transformers) are the first `length`
 * samples of the symmetric window of length + 1; "symmetric" ones (numpy.hanning, Kaldi)
 * end where they start.
 */
import { DspArgumentError, requireInteger } from "./errors.js";
import { sleefCosf } from "./sleef-float32.js";

const f32 = Math.fround;

export type WindowName = "hann" | "hamming" | "povey" | "blackman" | "boxcar";

export const WINDOW_NAMES: readonly WindowName[] = ["hann", "hamming", "povey", "blackman", "boxcar"];

export interface WindowOptions {
  /** Periodic (default, torch.hann_window / transformers window_function) or symmetric. */
  periodic?: boolean;
  /** Kaldi's generalised Blackman coefficient (torchaudio default 0.42). */
  blackmanCoeff?: number;
}

/** Cosine-sum window a − b·cos(2πj/d) (+ c·cos(4πj/d)) with d = length − 1 (symmetric) or length. */
function cosineWindow(length: number, periodic: boolean, a: number, b: number, c: number): Float64Array {
  const out = new Float64Array(length);
  if (length === 1) {
    out[0] = 1;
    return out;
  }
  const denominator = periodic ? length : length - 1;
  for (let j = 0; j < length; j++) {
    const phase = (2 * Math.PI * j) / denominator;
    out[j] = a - b * Math.cos(phase) + c * Math.cos(2 * phase);
  }
  return out;
}

/** Hann window: 0.5 − 0.5·cos(2πj/d) (numpy.hanning when symmetric, torch.hann_window when periodic). */
export function hannWindow(length: number, periodic = true): Float64Array {
  requireInteger("window length", length, 1);
  return cosineWindow(length, periodic, 0.5, 0.5, 0);
}

/** Hamming window: 0.54 − 0.46·cos(2πj/d). */
export function hammingWindow(length: number, periodic = true): Float64Array {
  requireInteger("window length", length, 1);
  return cosineWindow(length, periodic, 0.54, 0.46, 0);
}

/** Kaldi's Povey window: the symmetric (by default) Hann window raised to the power 0.85. */
export function poveyWindow(length: number, periodic = false): Float64Array {
  const w = hannWindow(length, periodic);
  for (let j = 0; j < length; j++) w[j] = Math.pow(w[j]!, 0.85);
  return w;
}

/** Kaldi's generalised Blackman window: c − 0.5·cos(2πj/d) + (0.5 − c)·cos(4πj/d). */
export function blackmanWindow(length: number, periodic = false, blackmanCoeff = 0.42): Float64Array {
  requireInteger("window length", length, 1);
  return cosineWindow(length, periodic, blackmanCoeff, 0.5, 0.5 - blackmanCoeff);
}

/** Rectangular window of ones. */
export function boxcarWindow(length: number): Float64Array {
  requireInteger("window length", length, 1);
  return new Float64Array(length).fill(1);
}

/**
 * A window by name. Defaults follow transformers' `window_function` (periodic = true) except
 * for the Kaldi-only "povey" and "blackman", which are symmetric unless asked otherwise.
 */
export function windowFunction(name: WindowName, length: number, options: WindowOptions = {}): Float64Array {
  switch (name) {
    case "hann":
      return hannWindow(length, options.periodic ?? true);
    case "hamming":
      return hammingWindow(length, options.periodic ?? true);
    case "povey":
      return poveyWindow(length, options.periodic ?? false);
    case "blackman":
      return blackmanWindow(length, options.periodic ?? false, options.blackmanCoeff ?? 0.42);
    case "boxcar":
      return boxcarWindow(length);
    default:
      throw new DspArgumentError(`unknown window ${JSON.stringify(name)}; use one of ${WINDOW_NAMES.join(", ")}`);
  }
}

/**
 * torch.hann_window / torch.hamming_window as torch computes them in float32:
 * arange(N') · float32(2π/(N'−1)) → cos → ·(−β) → +α, with N' = N + 1 when periodic, the cosine
 * being SLEEF's (what torch.cos runs on CPU), not a correctly rounded one. Feature paths that run
 * in torch (torchaudio's Kaldi fbank, Whisper's torch.stft) use these values, and in near-silent
 * bands their float32 rounding is a visible part of the result.
 */
export function torchCosineWindow(length: number, periodic: boolean, alpha: number, beta: number): Float64Array {
  requireInteger("window length", length, 1);
  const out = new Float64Array(length);
  if (length === 1) {
    out[0] = 1;
    return out;
  }
  const n = periodic ? length + 1 : length;
  const step = f32((Math.PI * 2) / (n - 1));
  const a = f32(alpha);
  const b = f32(-beta);
  for (let j = 0; j < length; j++) out[j] = f32(f32(sleefCosf(f32(j * step)) * b) + a);
  return out;
}

/** torch.hann_window(length, periodic) in torch's float32 arithmetic. */
export function torchHannWindow(length: number, periodic = true): Float64Array {
  return torchCosineWindow(length, periodic, 0.5, 0.5);
}

/** Zero-pads `window` to `frameLength`, centred like transformers' window_function(frame_length=…). */
export function padWindow(window: Float64Array, frameLength: number, center = true): Float64Array {
  requireInteger("frame length", frameLength, window.length);
  const out = new Float64Array(frameLength);
  out.set(window, center ? Math.floor((frameLength - window.length) / 2) : 0);
  return out;
}
