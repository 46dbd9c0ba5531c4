/**
 * Time stretching by phase vocoder, the algorithm of librosa.effects.time_stretch (which
 * audiomentations' TimeStretch and PitchShift "librosa_phase_vocoder" call):
 *
 *  1. STFT: periodic Hann window of n_fft (2048), hop n_fft/4, centred frames with zero
 *     padding (librosa ≥ 0.10's pad_mode "constant");
 *  2. phase vocoder: output frame t reads the input at fractional frame t·rate; magnitudes are
 *     interpolated linearly between the two neighbouring frames, and the phase is accumulated
 *     from each bin's measured phase advance (expected advance + wrapped deviation), which keeps
 *     a stationary partial's frequency while the frame rate changes;
 *  3. inverse STFT by overlap-add, divided by the summed squared window, trimmed to
 *     round(n / rate) samples.
 *
 * Why a phase vocoder and not WSOLA: it is what librosa (hence audiomentations' documented
 * behaviour) does, so augmented spectrograms look like the Python recipe's; it keeps tones'
 * frequencies exact (the property pitch shifting relies on); and with the FFTs of the dsp layer
 * it costs a few milliseconds per second of audio. Its known artefacts are part of the reference
 * behaviour: "phasiness" on transients, and, when slowing down (rate < 1), a fixed level loss on
 * steady tones (≈ −0.8 dB at rates 0.8–0.95, −1.2 dB at 0.5): the first, half zero-padded
 * frames' phase errors are reused for several output frames and never cancel. Speeding up keeps
 * the level exactly.
 */
import { getComplexFft } from "../../dsp/fft.js";
import { getRealFft } from "../../dsp/real-fft.js";
import { hannWindow } from "../../dsp/windows.js";
import { roundHalfEven } from "./signal-math.js";

/** Complex frames, row-major [frames][bins]. */
export interface Stft {
  re: Float64Array;
  im: Float64Array;
  frames: number;
  bins: number;
}

/** librosa.stft(x, n_fft, hop_length=hop, window="hann", center=True, pad_mode="constant"). */
export function stft(x: ArrayLike<number>, nFft: number, hop: number): Stft {
  const pad = Math.floor(nFft / 2);
  const frames = 1 + Math.floor(x.length / hop);
  const bins = Math.floor(nFft / 2) + 1;
  const window = hannWindow(nFft, true);
  const plan = getRealFft(nFft);
  const re = new Float64Array(frames * bins);
  const im = new Float64Array(frames * bins);
  const frame = new Float64Array(nFft);
  const outRe = new Float64Array(bins);
  const outIm = new Float64Array(bins);
  for (let t = 0; t < frames; t++) {
    const start = t * hop - pad;
    for (let j = 0; j < nFft; j++) {
      const i = start + j;
      frame[j] = i >= 0 && i < x.length ? x[i]! * window[j]! : 0;
    }
    plan.forward(frame, outRe, outIm);
    re.set(outRe, t * bins);
    im.set(outIm, t * bins);
  }
  return { re, im, frames, bins };
}

/** librosa.istft(D, hop_length=hop, window="hann", center=True, length=length). */
export function istft(spec: Stft, nFft: number, hop: number, length: number): Float64Array {
  const pad = Math.floor(nFft / 2);
  const frames = Math.min(spec.frames, Math.ceil((length + 2 * pad) / hop));
  const total = nFft + hop * Math.max(frames - 1, 0);
  const window = hannWindow(nFft, true);
  const plan = getComplexFft(nFft);
  const y = new Float64Array(total);
  const windowSum = new Float64Array(total);
  const re = new Float64Array(nFft);
  const im = new Float64Array(nFft);
  const { bins } = spec;
  for (let t = 0; t < frames; t++) {
    // Hermitian completion; the imaginary parts of DC and Nyquist are dropped, as irfft does
    for (let k = 0; k < bins; k++) {
      re[k] = spec.re[t * bins + k]!;
      im[k] = spec.im[t * bins + k]!;
    }
    im[0] = 0;
    if (nFft % 2 === 0) im[nFft / 2] = 0;
    for (let k = bins; k < nFft; k++) {
      re[k] = re[nFft - k]!;
      im[k] = -im[nFft - k]!;
    }
    plan.inverse(re, im);
    const offset = t * hop;
    for (let j = 0; j < nFft; j++) {
      y[offset + j] += re[j]! * window[j]!;
      windowSum[offset + j] += window[j]! * window[j]!;
    }
  }
  const tiny = 1.1754943508222875e-38; // np.finfo(float32).tiny, librosa's threshold
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const j = i + pad;
    if (j >= total) break;
    out[i] = windowSum[j]! > tiny ? y[j]! / windowSum[j]! : y[j]!;
  }
  return out;
}

/** librosa.phase_vocoder(D, rate=rate, hop_length=hop, n_fft=nFft). */
export function phaseVocoder(spec: Stft, rate: number, nFft: number, hop: number): Stft {
  const { bins } = spec;
  const frames = Math.ceil(spec.frames / rate);
  const re = new Float64Array(frames * bins);
  const im = new Float64Array(frames * bins);
  // magnitude and phase of every input frame, once; librosa pads two silent frames at the end
  // so that frame ⌊step⌋ + 1 always exists
  const padded = (spec.frames + 2) * bins;
  const magnitude = new Float64Array(padded);
  const angle = new Float64Array(padded);
  for (let i = 0; i < spec.frames * bins; i++) {
    magnitude[i] = Math.hypot(spec.re[i]!, spec.im[i]!);
    angle[i] = Math.atan2(spec.im[i]!, spec.re[i]!);
  }
  const advance = new Float64Array(bins);
  const phase = new Float64Array(bins);
  for (let k = 0; k < bins; k++) {
    advance[k] = (hop * 2 * Math.PI * k) / nFft;
    phase[k] = angle[k]!;
  }
  const twoPi = 2 * Math.PI;
  for (let t = 0; t < frames; t++) {
    const step = t * rate;
    const a = Math.floor(step) * bins;
    const b = a + bins;
    const alpha = step - Math.floor(step);
    for (let k = 0; k < bins; k++) {
      const m = (1 - alpha) * magnitude[a + k]! + alpha * magnitude[b + k]!;
      re[t * bins + k] = m * Math.cos(phase[k]!);
      im[t * bins + k] = m * Math.sin(phase[k]!);
      let deviation = angle[b + k]! - angle[a + k]! - advance[k]!;
      deviation -= twoPi * Math.round(deviation / twoPi);
      phase[k] = phase[k]! + advance[k]! + deviation;
    }
  }
  return { re, im, frames, bins };
}

/**
 * librosa.effects.time_stretch(x, rate): rate > 1 speeds up (shorter output), rate < 1 slows
 * down; the output has round(n / rate) samples (Python rounding) and the same pitch.
 */
export function timeStretch(x: ArrayLike<number>, rate: number, nFft = 2048): Float64Array {
  const hop = Math.floor(nFft / 4);
  const stretched = phaseVocoder(stft(x, nFft, hop), rate, nFft, hop);
  return istft(stretched, nFft, hop, roundHalfEven(x.length / rate));
}
