/**
 * Small numeric helpers the augmentations share, with the definitions audiomentations uses:
 * RMS over all samples, dB as 20·log10 of an amplitude ratio, numpy's default ("linear")
 * percentile, and the equal-energy crossfade masks of its Shift transform.
 */

/** Python's round(): halves go to the even neighbour (round(2.5) = 2, round(−0.5) = −0). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Root mean square, accumulated in float64 (0 for an empty array). */
export function rms(samples: ArrayLike<number>): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i]! * samples[i]!;
  return Math.sqrt(sum / samples.length);
}

/** Largest |x| (0 for an empty array). */
export function maxAbs(samples: ArrayLike<number>): number {
  let peak = 0;
  for (let i = 0; i < samples.length; i++) {
    const a = Math.abs(samples[i]!);
    if (a > peak) peak = a;
  }
  return peak;
}

/** 10^(dB/20): the amplitude ratio of a gain in decibels. */
export function dbToAmplitude(db: number): number {
  return 10 ** (db / 20);
}

/** 20·log10(ratio): the gain in decibels of an amplitude ratio. */
export function amplitudeToDb(ratio: number): number {
  return 20 * Math.log10(ratio);
}

/**
 * The RMS a noise must have to sit `snrDb` below a signal of RMS `cleanRms`
 * (audiomentations' calculate_desired_noise_rms).
 */
export function noiseRmsForSnr(cleanRms: number, snrDb: number): number {
  return cleanRms / 10 ** (snrDb / 20);
}

/**
 * numpy.percentile(values, q) with the default linear interpolation: the sorted values are
 * placed at 0 … n−1 and position q/100·(n−1) is interpolated between its two neighbours.
 * `sorted` must be sorted ascending and non-empty.
 */
export function percentileOfSorted(sorted: ArrayLike<number>, q: number): number {
  const position = (q / 100) * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const fraction = position - below;
  const a = sorted[below]!;
  const b = sorted[above]!;
  // numpy's lerp form, exact at the end points
  return fraction >= 0.5 ? b - (b - a) * (1 - fraction) : a + (b - a) * fraction;
}

/**
 * audiomentations' get_crossfade_mask_pair (equal-energy variant): smooth fade-in and fade-out
 * masks of `length` points, after signalsmith's "cheap energy crossfade", in float32.
 */
export function crossfadeMasks(length: number): { fadeIn: Float32Array; fadeOut: Float32Array } {
  const fadeIn = new Float32Array(length);
  const fadeOut = new Float32Array(length);
  const f = Math.fround;
  const k = f(1.4186);
  for (let i = 0; i < length; i++) {
    // np.linspace(0, 1, length, dtype=float32)
    const x = f(length === 1 ? 0 : i / (length - 1));
    const x2 = f(1 - x);
    const a = f(x * x2);
    const b = f(a * f(1 + f(k * a)));
    const c = f(b + x);
    const d = f(b + x2);
    fadeIn[i] = f(c * c);
    fadeOut[i] = f(d * d);
  }
  return { fadeIn, fadeOut };
}
