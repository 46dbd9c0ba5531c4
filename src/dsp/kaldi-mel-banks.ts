/**
 * Kaldi's mel filter bank as torchaudio.compliance.kaldi.get_mel_banks builds it (no VTLN warp):
 * triangles linear on the Kaldi mel scale 1127·ln(1 + f/700), edges equally spaced in mel from
 * lowFreq to highFreq, evaluated at the FFT bin centres k·sr/paddedWindowSize for
 * k < paddedWindowSize / 2, and a zero column for the Nyquist bin (torchaudio pads one on).
 *
 * torchaudio does this in float32; every step below is rounded to float32 the same way so
 * the weights (and which filters are empty at high bin counts) match its tensor.
 */
import { DspArgumentError, requireFinite, requireInteger } from "./errors.js";
import { MelFilterBank } from "./mel-filter-bank.js";
import { sleefLogf } from "./sleef-float32.js";

const f32 = Math.fround;

export interface KaldiMelBankOptions {
  numBins: number;
  /** FFT length (the window length rounded up to a power of two in Kaldi's default). */
  paddedWindowSize: number;
  sampleFrequency: number;
  /** Lower edge in Hz (Kaldi default 20). */
  lowFreq?: number;
  /** Upper edge in Hz; ≤ 0 means an offset from Nyquist (Kaldi default 0 = Nyquist). */
  highFreq?: number;
}

/** Python-float (float64) mel of a scalar frequency, as mel_scale_scalar. */
function kaldiMelScalar(freq: number): number {
  return 1127.0 * Math.log(1.0 + freq / 700.0);
}

export function kaldiMelBanks(options: KaldiMelBankOptions): MelFilterBank {
  const { numBins, paddedWindowSize, sampleFrequency } = options;
  requireInteger("numBins", numBins, 4);
  requireInteger("paddedWindowSize", paddedWindowSize, 2);
  requireFinite("sampleFrequency", sampleFrequency, true);
  if (paddedWindowSize % 2 !== 0) {
    throw new DspArgumentError(`paddedWindowSize must be even for Kaldi mel banks, got ${paddedWindowSize}`);
  }
  const lowFreq = options.lowFreq ?? 20;
  let highFreq = options.highFreq ?? 0;
  requireFinite("lowFreq", lowFreq);
  requireFinite("highFreq", highFreq);
  const nyquist = 0.5 * sampleFrequency;
  if (highFreq <= 0) highFreq += nyquist;
  if (!(lowFreq >= 0 && lowFreq < nyquist && highFreq > 0 && highFreq <= nyquist && lowFreq < highFreq)) {
    throw new DspArgumentError(
      `Kaldi mel banks need 0 ≤ lowFreq < highFreq ≤ Nyquist; got lowFreq ${lowFreq}, highFreq ${highFreq}, Nyquist ${nyquist}`,
    );
  }

  const numFftBins = paddedWindowSize / 2;
  const fftBinWidth = sampleFrequency / paddedWindowSize;
  const melLow = kaldiMelScalar(lowFreq);
  const melHigh = kaldiMelScalar(highFreq);
  const melDelta = (melHigh - melLow) / (numBins + 1);
  // Python scalars meet float32 tensors: torch casts them to float32 before each op.
  const lowF = f32(melLow);
  const deltaF = f32(melDelta);

  // mel of each FFT bin centre: 1127 · log(1 + (binWidth · k) / 700), all float32, with torch.log
  // being SLEEF's (one ulp off the exact log for a few bins, which moves their weights ~1e-5)
  const binMel = new Float64Array(numFftBins);
  for (let k = 0; k < numFftBins; k++) {
    const freq = f32(f32(fftBinWidth) * k);
    binMel[k] = f32(1127.0 * sleefLogf(f32(1.0 + f32(freq / 700.0))));
  }

  const numFrequencyBins = numFftBins + 1;
  const dense = new Float64Array(numBins * numFrequencyBins);
  for (let m = 0; m < numBins; m++) {
    const left = f32(lowF + f32(m * deltaF));
    const center = f32(lowF + f32((m + 1) * deltaF));
    const right = f32(lowF + f32((m + 2) * deltaF));
    const upWidth = f32(center - left);
    const downWidth = f32(right - center);
    for (let k = 0; k < numFftBins; k++) {
      const up = f32(f32(binMel[k]! - left) / upWidth);
      const down = f32(f32(right - binMel[k]!) / downWidth);
      dense[m * numFrequencyBins + k] = Math.max(0, Math.min(up, down));
    }
  }
  return MelFilterBank.fromDense(dense, numBins, numFrequencyBins);
}
