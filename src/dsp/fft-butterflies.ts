/**
 * The butterflies of the Stockham mixed-radix FFT (fft.ts): one pass combines `radix`
 * interleaved sub-transforms of length `span` into transforms of length span·radix, reading
 * x[j + r·m] (m = n / radix) and writing X[(j − k)·radix + k + q·span] for k = j mod span.
 * Radices 2, 3, 4, 5 and 8 have hand-written kernels (the first radix-4 pass skips its unit
 * twiddles); other odd primes use a direct O(p²) butterfly.
 */

export interface Stage {
  radix: number;
  /** Length of the sub-transforms this stage combines (product of the earlier radices). */
  span: number;
  /** Twiddles w^(k·r) for k < span, r = 1..radix−1, at index k·(radix−1) + r − 1. */
  twRe: Float64Array;
  twIm: Float64Array;
  /** cos/sin(2πq/radix) for the generic butterfly (empty for the specialised radices). */
  rootRe: Float64Array;
  rootIm: Float64Array;
}

/** One Stockham pass: combines `radix` interleaved sub-transforms of length `span`. */
export function runStage(s: Stage, n: number, inRe: Float64Array, inIm: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
  // one small function per radix keeps each hot loop separately optimisable
  const m = n / s.radix;
  switch (s.radix) {
    case 4:
      if (s.span === 1) radix4First(m, inRe, inIm, outRe, outIm);
      else radix4(m, s.span, s.twRe, s.twIm, inRe, inIm, outRe, outIm);
      return;
    case 8:
      radix8(m, s.span, s.twRe, s.twIm, inRe, inIm, outRe, outIm);
      return;
    case 2:
      radix2(m, s.span, s.twRe, s.twIm, inRe, inIm, outRe, outIm);
      return;
    case 3:
      radix3(m, s.span, s.twRe, s.twIm, inRe, inIm, outRe, outIm);
      return;
    case 5:
      radix5(m, s.span, s.twRe, s.twIm, inRe, inIm, outRe, outIm);
      return;
    default:
      genericStage(s, m, inRe, inIm, outRe, outIm);
  }
}

/**
 * The first radix-4 pass reading its complex input packed in a real array —
 * z[j] = input[2j] + i·input[2j+1] — which is how the real FFT feeds its half-size transform;
 * it saves a separate packing pass.
 */
export function radix4FirstPacked(m: number, input: Float64Array | Float32Array, outRe: Float64Array, outIm: Float64Array): void {
  for (let j = 0, o = 0; j < m; j++, o += 4) {
    const a0r = input[2 * j]!;
    const a0i = input[2 * j + 1]!;
    const a1r = input[2 * (j + m)]!;
    const a1i = input[2 * (j + m) + 1]!;
    const a2r = input[2 * (j + 2 * m)]!;
    const a2i = input[2 * (j + 2 * m) + 1]!;
    const a3r = input[2 * (j + 3 * m)]!;
    const a3i = input[2 * (j + 3 * m) + 1]!;
    const t0r = a0r + a2r;
    const t0i = a0i + a2i;
    const t1r = a0r - a2r;
    const t1i = a0i - a2i;
    const t2r = a1r + a3r;
    const t2i = a1i + a3i;
    const t3r = a1r - a3r;
    const t3i = a1i - a3i;
    outRe[o] = t0r + t2r;
    outIm[o] = t0i + t2i;
    outRe[o + 1] = t1r + t3i;
    outIm[o + 1] = t1i - t3r;
    outRe[o + 2] = t0r - t2r;
    outIm[o + 2] = t0i - t2i;
    outRe[o + 3] = t1r - t3i;
    outIm[o + 3] = t1i + t3r;
  }
}

function radix4First(m: number, inRe: Float64Array, inIm: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
  // first pass: all twiddles are 1
  for (let j = 0, o = 0; j < m; j++, o += 4) {
    const a0r = inRe[j]!;
    const a0i = inIm[j]!;
    const a1r = inRe[j + m]!;
    const a1i = inIm[j + m]!;
    const a2r = inRe[j + 2 * m]!;
    const a2i = inIm[j + 2 * m]!;
    const a3r = inRe[j + 3 * m]!;
    const a3i = inIm[j + 3 * m]!;
    const t0r = a0r + a2r;
    const t0i = a0i + a2i;
    const t1r = a0r - a2r;
    const t1i = a0i - a2i;
    const t2r = a1r + a3r;
    const t2i = a1i + a3i;
    const t3r = a1r - a3r;
    const t3i = a1i - a3i;
    outRe[o] = t0r + t2r;
    outIm[o] = t0i + t2i;
    outRe[o + 1] = t1r + t3i;
    outIm[o + 1] = t1i - t3r;
    outRe[o + 2] = t0r - t2r;
    outIm[o + 2] = t0i - t2i;
    outRe[o + 3] = t1r - t3i;
    outIm[o + 3] = t1i + t3r;
  }
}

function radix4(m: number, span: number, twRe: Float64Array, twIm: Float64Array, inRe: Float64Array, inIm: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
  for (let j0 = 0, o0 = 0; j0 < m; j0 += span, o0 += span * 4) {
    for (let k = 0; k < span; k++) {
      const j = j0 + k;
      const t = k * 3;
      const a0r = inRe[j]!;
      const a0i = inIm[j]!;
      let x = inRe[j + m]!;
      let y = inIm[j + m]!;
      let wr = twRe[t]!;
      let wi = twIm[t]!;
      const a1r = x * wr - y * wi;
      const a1i = x * wi + y * wr;
      x = inRe[j + 2 * m]!;
      y = inIm[j + 2 * m]!;
      wr = twRe[t + 1]!;
      wi = twIm[t + 1]!;
      const a2r = x * wr - y * wi;
      const a2i = x * wi + y * wr;
      x = inRe[j + 3 * m]!;
      y = inIm[j + 3 * m]!;
      wr = twRe[t + 2]!;
      wi = twIm[t + 2]!;
      const a3r = x * wr - y * wi;
      const a3i = x * wi + y * wr;
      const t0r = a0r + a2r;
      const t0i = a0i + a2i;
      const t1r = a0r - a2r;
      const t1i = a0i - a2i;
      const t2r = a1r + a3r;
      const t2i = a1i + a3i;
      const t3r = a1r - a3r;
      const t3i = a1i - a3i;
      const o = o0 + k;
      outRe[o] = t0r + t2r;
      outIm[o] = t0i + t2i;
      outRe[o + span] = t1r + t3i;
      outIm[o + span] = t1i - t3r;
      outRe[o + 2 * span] = t0r - t2r;
      outIm[o + 2 * span] = t0i - t2i;
      outRe[o + 3 * span] = t1r - t3i;
      outIm[o + 3 * span] = t1i + t3r;
    }
  }
}

const SQRT1_2 = Math.SQRT1_2;

/**
 * Radix-8 pass: a 4-point DFT of the even and of the odd inputs, joined with w8^q
 * (w8 = (1 − i)/√2, w8² = −i, w8³ = −(1 + i)/√2). Fewer passes than radix-4 for powers of two.
 */
function radix8(m: number, span: number, twRe: Float64Array, twIm: Float64Array, inRe: Float64Array, inIm: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
  for (let j0 = 0, o0 = 0; j0 < m; j0 += span, o0 += span * 8) {
    for (let k = 0; k < span; k++) {
      const j = j0 + k;
      const t = k * 7;
      const a0r = inRe[j]!;
      const a0i = inIm[j]!;
      let x = inRe[j + m]!;
      let y = inIm[j + m]!;
      const a1r = x * twRe[t]! - y * twIm[t]!;
      const a1i = x * twIm[t]! + y * twRe[t]!;
      x = inRe[j + 2 * m]!;
      y = inIm[j + 2 * m]!;
      const a2r = x * twRe[t + 1]! - y * twIm[t + 1]!;
      const a2i = x * twIm[t + 1]! + y * twRe[t + 1]!;
      x = inRe[j + 3 * m]!;
      y = inIm[j + 3 * m]!;
      const a3r = x * twRe[t + 2]! - y * twIm[t + 2]!;
      const a3i = x * twIm[t + 2]! + y * twRe[t + 2]!;
      x = inRe[j + 4 * m]!;
      y = inIm[j + 4 * m]!;
      const a4r = x * twRe[t + 3]! - y * twIm[t + 3]!;
      const a4i = x * twIm[t + 3]! + y * twRe[t + 3]!;
      x = inRe[j + 5 * m]!;
      y = inIm[j + 5 * m]!;
      const a5r = x * twRe[t + 4]! - y * twIm[t + 4]!;
      const a5i = x * twIm[t + 4]! + y * twRe[t + 4]!;
      x = inRe[j + 6 * m]!;
      y = inIm[j + 6 * m]!;
      const a6r = x * twRe[t + 5]! - y * twIm[t + 5]!;
      const a6i = x * twIm[t + 5]! + y * twRe[t + 5]!;
      x = inRe[j + 7 * m]!;
      y = inIm[j + 7 * m]!;
      const a7r = x * twRe[t + 6]! - y * twIm[t + 6]!;
      const a7i = x * twIm[t + 6]! + y * twRe[t + 6]!;
      // even inputs a0 a2 a4 a6 → E
      const e0r = a0r + a4r;
      const e0i = a0i + a4i;
      const e1r = a0r - a4r;
      const e1i = a0i - a4i;
      const e2r = a2r + a6r;
      const e2i = a2i + a6i;
      const e3r = a2r - a6r;
      const e3i = a2i - a6i;
      const E0r = e0r + e2r;
      const E0i = e0i + e2i;
      const E2r = e0r - e2r;
      const E2i = e0i - e2i;
      const E1r = e1r + e3i;
      const E1i = e1i - e3r;
      const E3r = e1r - e3i;
      const E3i = e1i + e3r;
      // odd inputs a1 a3 a5 a7 → O
      const f0r = a1r + a5r;
      const f0i = a1i + a5i;
      const f1r = a1r - a5r;
      const f1i = a1i - a5i;
      const f2r = a3r + a7r;
      const f2i = a3i + a7i;
      const f3r = a3r - a7r;
      const f3i = a3i - a7i;
      const O0r = f0r + f2r;
      const O0i = f0i + f2i;
      const O2r = f0r - f2r;
      const O2i = f0i - f2i;
      const O1r = f1r + f3i;
      const O1i = f1i - f3r;
      const O3r = f1r - f3i;
      const O3i = f1i + f3r;
      // w8·O1, −i·O2, w8³·O3
      const P1r = SQRT1_2 * (O1r + O1i);
      const P1i = SQRT1_2 * (O1i - O1r);
      const P3r = SQRT1_2 * (O3i - O3r);
      const P3i = -SQRT1_2 * (O3r + O3i);
      const o = o0 + k;
      outRe[o] = E0r + O0r;
      outIm[o] = E0i + O0i;
      outRe[o + 4 * span] = E0r - O0r;
      outIm[o + 4 * span] = E0i - O0i;
      outRe[o + span] = E1r + P1r;
      outIm[o + span] = E1i + P1i;
      outRe[o + 5 * span] = E1r - P1r;
      outIm[o + 5 * span] = E1i - P1i;
      outRe[o + 2 * span] = E2r + O2i;
      outIm[o + 2 * span] = E2i - O2r;
      outRe[o + 6 * span] = E2r - O2i;
      outIm[o + 6 * span] = E2i + O2r;
      outRe[o + 3 * span] = E3r + P3r;
      outIm[o + 3 * span] = E3i + P3i;
      outRe[o + 7 * span] = E3r - P3r;
      outIm[o + 7 * span] = E3i - P3i;
    }
  }
}

function radix2(m: number, span: number, twRe: Float64Array, twIm: Float64Array, inRe: Float64Array, inIm: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
  for (let j0 = 0, o0 = 0; j0 < m; j0 += span, o0 += span * 2) {
    for (let k = 0; k < span; k++) {
      const j = j0 + k;
      const x = inRe[j + m]!;
      const y = inIm[j + m]!;
      const wr = twRe[k]!;
      const wi = twIm[k]!;
      const br = x * wr - y * wi;
      const bi = x * wi + y * wr;
      const ar = inRe[j]!;
      const ai = inIm[j]!;
      const o = o0 + k;
      outRe[o] = ar + br;
      outIm[o] = ai + bi;
      outRe[o + span] = ar - br;
      outIm[o + span] = ai - bi;
    }
  }
}

function radix3(m: number, span: number, twRe: Float64Array, twIm: Float64Array, inRe: Float64Array, inIm: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
  const s3 = Math.sqrt(3) / 2;
  for (let j0 = 0, o0 = 0; j0 < m; j0 += span, o0 += span * 3) {
    for (let k = 0; k < span; k++) {
      const j = j0 + k;
      const t = k * 2;
      let x = inRe[j + m]!;
      let y = inIm[j + m]!;
      const a1r = x * twRe[t]! - y * twIm[t]!;
      const a1i = x * twIm[t]! + y * twRe[t]!;
      x = inRe[j + 2 * m]!;
      y = inIm[j + 2 * m]!;
      const a2r = x * twRe[t + 1]! - y * twIm[t + 1]!;
      const a2i = x * twIm[t + 1]! + y * twRe[t + 1]!;
      const a0r = inRe[j]!;
      const a0i = inIm[j]!;
      const sr = a1r + a2r;
      const si = a1i + a2i;
      const mr = a0r - 0.5 * sr;
      const mi = a0i - 0.5 * si;
      const dr = s3 * (a1r - a2r);
      const di = s3 * (a1i - a2i);
      const o = o0 + k;
      outRe[o] = a0r + sr;
      outIm[o] = a0i + si;
      outRe[o + span] = mr + di;
      outIm[o + span] = mi - dr;
      outRe[o + 2 * span] = mr - di;
      outIm[o + 2 * span] = mi + dr;
    }
  }
}

function radix5(m: number, span: number, twRe: Float64Array, twIm: Float64Array, inRe: Float64Array, inIm: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
  const c1 = Math.cos((2 * Math.PI) / 5);
  const c2 = Math.cos((4 * Math.PI) / 5);
  const s1 = Math.sin((2 * Math.PI) / 5);
  const s2 = Math.sin((4 * Math.PI) / 5);
  for (let j0 = 0, o0 = 0; j0 < m; j0 += span, o0 += span * 5) {
    for (let k = 0; k < span; k++) {
      const j = j0 + k;
      const t = k * 4;
      const a0r = inRe[j]!;
      const a0i = inIm[j]!;
      let x = inRe[j + m]!;
      let y = inIm[j + m]!;
      const a1r = x * twRe[t]! - y * twIm[t]!;
      const a1i = x * twIm[t]! + y * twRe[t]!;
      x = inRe[j + 2 * m]!;
      y = inIm[j + 2 * m]!;
      const a2r = x * twRe[t + 1]! - y * twIm[t + 1]!;
      const a2i = x * twIm[t + 1]! + y * twRe[t + 1]!;
      x = inRe[j + 3 * m]!;
      y = inIm[j + 3 * m]!;
      const a3r = x * twRe[t + 2]! - y * twIm[t + 2]!;
      const a3i = x * twIm[t + 2]! + y * twRe[t + 2]!;
      x = inRe[j + 4 * m]!;
      y = inIm[j + 4 * m]!;
      const a4r = x * twRe[t + 3]! - y * twIm[t + 3]!;
      const a4i = x * twIm[t + 3]! + y * twRe[t + 3]!;
      const p1r = a1r + a4r;
      const p1i = a1i + a4i;
      const q1r = a1r - a4r;
      const q1i = a1i - a4i;
      const p2r = a2r + a3r;
      const p2i = a2i + a3i;
      const q2r = a2r - a3r;
      const q2i = a2i - a3i;
      const m1r = a0r + c1 * p1r + c2 * p2r;
      const m1i = a0i + c1 * p1i + c2 * p2i;
      const m2r = a0r + c2 * p1r + c1 * p2r;
      const m2i = a0i + c2 * p1i + c1 * p2i;
      // −i·(s1·q1 + s2·q2) and −i·(s2·q1 − s1·q2)
      const n1r = s1 * q1i + s2 * q2i;
      const n1i = -(s1 * q1r + s2 * q2r);
      const n2r = s2 * q1i - s1 * q2i;
      const n2i = -(s2 * q1r - s1 * q2r);
      const o = o0 + k;
      outRe[o] = a0r + p1r + p2r;
      outIm[o] = a0i + p1i + p2i;
      outRe[o + span] = m1r + n1r;
      outIm[o + span] = m1i + n1i;
      outRe[o + 4 * span] = m1r - n1r;
      outIm[o + 4 * span] = m1i - n1i;
      outRe[o + 2 * span] = m2r + n2r;
      outIm[o + 2 * span] = m2i + n2i;
      outRe[o + 3 * span] = m2r - n2r;
      outIm[o + 3 * span] = m2i - n2i;
    }
  }
}

/** Radix-p butterfly by direct O(p²) DFT, for odd primes without a specialised kernel. */
function genericStage(s: Stage, m: number, inRe: Float64Array, inIm: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
  const { radix, span, twRe, twIm, rootRe, rootIm } = s;
  const vRe = new Float64Array(radix);
  const vIm = new Float64Array(radix);
  for (let j0 = 0, o0 = 0; j0 < m; j0 += span, o0 += span * radix) {
    for (let k = 0; k < span; k++) {
      const j = j0 + k;
      vRe[0] = inRe[j]!;
      vIm[0] = inIm[j]!;
      for (let r = 1; r < radix; r++) {
        const x = inRe[j + r * m]!;
        const y = inIm[j + r * m]!;
        const t = k * (radix - 1) + r - 1;
        vRe[r] = x * twRe[t]! - y * twIm[t]!;
        vIm[r] = x * twIm[t]! + y * twRe[t]!;
      }
      for (let q = 0; q < radix; q++) {
        let sr = 0;
        let si = 0;
        let idx = 0;
        for (let r = 0; r < radix; r++) {
          const wr = rootRe[idx]!;
          const wi = rootIm[idx]!;
          sr += vRe[r]! * wr - vIm[r]! * wi;
          si += vRe[r]! * wi + vIm[r]! * wr;
          idx += q;
          if (idx >= radix) idx -= radix;
        }
        outRe[o0 + k + q * span] = sr;
        outIm[o0 + k + q * span] = si;
      }
    }
  }
}
