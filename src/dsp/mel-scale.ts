/**
 * Hertz ↔ mel conversions for the three scales feature extractors use:
 * "htk" (2595·log10(1 + f/700)), "kaldi" (1127·ln(1 + f/700), the same curve in natural log)
 * and "slaney" (linear below 1 kHz, logarithmic above — librosa's default).
 */
import { DspArgumentError } from "./errors.js";

export type MelScale = "htk" | "kaldi" | "slaney";

export const MEL_SCALES: readonly MelScale[] = ["htk", "kaldi", "slaney"];

const SLANEY_MIN_LOG_HERTZ = 1000.0;
const SLANEY_MIN_LOG_MEL = 15.0;
const SLANEY_LOGSTEP = 27.0 / Math.log(6.4);
const SLANEY_INV_LOGSTEP = Math.log(6.4) / 27.0;

export function checkMelScale(scale: string): asserts scale is MelScale {
  if (!(MEL_SCALES as readonly string[]).includes(scale)) {
    throw new DspArgumentError(`unknown mel scale ${JSON.stringify(scale)}; use one of ${MEL_SCALES.join(", ")}`);
  }
}

/** Frequency in Hz to mels (transformers.audio_utils.hertz_to_mel, same operation order). */
export function hertzToMel(freq: number, scale: MelScale = "htk"): number {
  checkMelScale(scale);
  if (scale === "htk") return 2595.0 * Math.log10(1.0 + freq / 700.0);
  if (scale === "kaldi") return 1127.0 * Math.log(1.0 + freq / 700.0);
  if (freq >= SLANEY_MIN_LOG_HERTZ) return SLANEY_MIN_LOG_MEL + Math.log(freq / SLANEY_MIN_LOG_HERTZ) * SLANEY_LOGSTEP;
  return (3.0 * freq) / 200.0;
}

/** Mels to frequency in Hz (transformers.audio_utils.mel_to_hertz, same operation order). */
export function melToHertz(mel: number, scale: MelScale = "htk"): number {
  checkMelScale(scale);
  if (scale === "htk") return 700.0 * (Math.pow(10, mel / 2595.0) - 1.0);
  if (scale === "kaldi") return 700.0 * (Math.exp(mel / 1127.0) - 1.0);
  if (mel >= SLANEY_MIN_LOG_MEL) return SLANEY_MIN_LOG_HERTZ * Math.exp(SLANEY_INV_LOGSTEP * (mel - SLANEY_MIN_LOG_MEL));
  return (200.0 * mel) / 3.0;
}

/** numpy.linspace(start, stop, num) with numpy's arithmetic (i·step + start, last = stop). */
export function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  if (num === 1) {
    out[0] = start;
    return out;
  }
  const step = (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = step === 0 ? (i / (num - 1)) * (stop - start) + start : i * step + start;
  out[num - 1] = stop;
  return out;
}
