/** Synthetic test signals and measurements shared by the augmentation tests. */
import { rfft } from "../../../src/dsp/index.js";
import { Rng } from "../../../src/training/random.js";

export function tone(frequency: number, seconds: number, sampleRate: number, amplitude = 0.5): Float32Array {
  const n = Math.round(seconds * sampleRate);
  return Float32Array.from({ length: n }, (_, i) => amplitude * Math.sin((2 * Math.PI * frequency * i) / sampleRate));
}

/** Uniform noise in [−a, a) from a seeded generator. */
export function noise(n: number, seed: number, amplitude = 0.3): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, () => amplitude * (2 * rng.random() - 1));
}

export function rmsOf(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s / x.length);
}

/** y − x in float64. */
export function difference(y: ArrayLike<number>, x: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: x.length }, (_, i) => y[i]! - x[i]!);
}

/** Frequency (Hz) of the strongest bin of a Hann-windowed excerpt [from, from + n). */
export function peakFrequency(x: ArrayLike<number>, sampleRate: number, from: number, n: number): { frequency: number; binWidth: number } {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = x[from + i]! * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));
  const { re, im } = rfft(w, n);
  let best = 1;
  let bestPower = -1;
  for (let k = 1; k < re.length; k++) {
    const p = re[k]! ** 2 + im[k]! ** 2;
    if (p > bestPower) {
      bestPower = p;
      best = k;
    }
  }
  return { frequency: (best * sampleRate) / n, binWidth: sampleRate / n };
}

/** Index of the sample with the largest short-time energy (window of `w` samples). */
export function energyCentre(x: ArrayLike<number>, w: number): number {
  let best = 0;
  let bestEnergy = -1;
  let energy = 0;
  for (let i = 0; i < x.length; i++) {
    energy += x[i]! * x[i]!;
    if (i >= w) energy -= x[i - w]! * x[i - w]!;
    if (i >= w - 1 && energy > bestEnergy) {
      bestEnergy = energy;
      best = i - Math.floor(w / 2);
    }
  }
  return best;
}

/** Binomial bound: |k − n·p| ≤ z·√(n·p·(1−p)). */
export function withinBinomial(k: number, n: number, p: number, z = 4.5): boolean {
  return Math.abs(k - n * p) <= z * Math.sqrt(n * p * (1 - p));
}
