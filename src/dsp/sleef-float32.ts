/**
 * cos and log of float32 values as torch's CPU kernels compute them: ATen's AVX2 build maps
 * torch.cos / torch.log on float tensors to SLEEF's 1-ulp functions (Sleef_cosf8_u10,
 * Sleef_logf8_u10), compiled with FMA. Those are not correctly rounded: for a 400-sample Hann
 * window 15 of the cosines differ by one ulp from Math.fround(Math.cos(x)), and 3 of the 256 log
 * values in a 512-point Kaldi mel bank do. Either is enough to move near-silent mel bands of
 * torchaudio's fbank by ~1e-4 in the log, so the feature paths that mirror torch use these.
 *
 * Each function repeats SLEEF's algorithm (xcosf_u1: Cody–Waite reduction by π/2 in
 * double-float, polynomial in the square; xlogf_u1: m·2^e split, atanh-series in double-float)
 * with float32 rounding and single-rounding FMAs where SLEEF's AVX2 helpers use them. Outside
 * the range those paths cover (|x| ≥ 125 for cos; zero, negative, subnormal or non-finite
 * input for log) they return the correctly rounded value, which SLEEF's other branches give to
 * within an ulp.
 */
import { fmaf } from "./float32-fma.js";

const f32 = Math.fround;

/** A double-float: value hi + lo with |lo| ≤ ulp(hi)/2. */
type DoubleFloat = [hi: number, lo: number];

const add = (a: number, b: number): number => f32(a + b);
const sub = (a: number, b: number): number => f32(a - b);
const mul = (a: number, b: number): number => f32(a * b);

/** Round half to even (vrint / _MM_FROUND_TO_NEAREST_INT). */
function roundEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

// SLEEF's double-float helpers (the FMA variants where they differ)

function dfAdd2(x: number, y: number): DoubleFloat {
  const s = add(x, y);
  const v = sub(s, x);
  return [s, add(sub(x, sub(s, v)), sub(y, v))];
}

function dfAdd2DF(x: DoubleFloat, y: number): DoubleFloat {
  const s = add(x[0], y);
  const v = sub(s, x[0]);
  const t = add(sub(x[0], sub(s, v)), sub(y, v));
  return [s, add(t, x[1])];
}

function dfAdd(x: number, y: number): DoubleFloat {
  const s = add(x, y);
  return [s, add(sub(x, s), y)];
}

function dfAddFloatDF(x: number, y: DoubleFloat): DoubleFloat {
  const s = add(x, y[0]);
  return [s, add(add(sub(x, s), y[0]), y[1])];
}

/** |x| ≥ |y| assumed, as in SLEEF. */
function dfAddDF(x: DoubleFloat, y: DoubleFloat): DoubleFloat {
  const s = add(x[0], y[0]);
  return [s, add(add(add(sub(x[0], s), y[0]), x[1]), y[1])];
}

function dfAddDFFloat(x: DoubleFloat, y: number): DoubleFloat {
  const s = add(x[0], y);
  return [s, add(add(sub(x[0], s), y), x[1])];
}

function dfSquare(x: DoubleFloat): DoubleFloat {
  const s = mul(x[0], x[0]);
  return [s, fmaf(add(x[0], x[0]), x[1], fmaf(x[0], x[0], -s))];
}

function dfMul(x: DoubleFloat, y: DoubleFloat): DoubleFloat {
  const s = mul(x[0], y[0]);
  return [s, fmaf(x[0], y[1], fmaf(x[1], y[0], fmaf(x[0], y[0], -s)))];
}

function dfMulFloat(x: DoubleFloat, y: number): DoubleFloat {
  const s = mul(x[0], y);
  return [s, fmaf(x[1], y, fmaf(x[0], y, -s))];
}

/** x·y rounded to a single float. */
function dfMulToFloat(x: DoubleFloat, y: DoubleFloat): number {
  return fmaf(x[0], y[0], fmaf(x[1], y[0], mul(x[0], y[1])));
}

function dfDiv(n: DoubleFloat, d: DoubleFloat): DoubleFloat {
  const t = f32(1 / d[0]);
  const s = mul(n[0], t);
  const u = fmaf(t, n[0], -s);
  const v = fmaf(-d[1], t, fmaf(-d[0], t, 1));
  return [s, fmaf(s, v, fmaf(n[1], t, u))];
}

const INV_PI = f32(1 / Math.PI);
// π/2 split in three floats (SLEEF's PI_A2f, PI_B2f, PI_C2f, halved)
const HALF_PI_A = f32(f32(3.1414794921875) * 0.5);
const HALF_PI_B = f32(f32(0.00011315941810607910156) * 0.5);
const HALF_PI_C = f32(f32(1.9841872589410058936e-9) * 0.5);
const COS_C1 = f32(2.6083159809786593541503e-6);
const COS_C2 = f32(-0.0001981069071916863322258);
const COS_C3 = f32(0.00833307858556509017944336);
const COS_C4 = f32(-0.166666597127914428710938);

/** Sleef_cosf_u10 of a float32 value, as torch.cos computes it on an AVX2 CPU. */
export function sleefCosf(x: number): number {
  const d = f32(x);
  if (!(Math.abs(d) < 125)) return f32(Math.cos(d));
  // nearest odd multiple of π/2: q = 2·round(d/π − 1/2) + 1
  const dq = fmaf(roundEven(fmaf(d, INV_PI, -0.5)), 2, 1);
  let s = dfAdd2(d, mul(dq, -HALF_PI_A));
  s = dfAdd2DF(s, mul(dq, -HALF_PI_B));
  s = dfAdd2DF(s, mul(dq, -HALF_PI_C));
  const t = s;
  s = dfSquare(s);
  let u = fmaf(COS_C1, s[0], COS_C2);
  u = fmaf(u, s[0], COS_C3);
  const series = dfAddFloatDF(1, dfMul(dfAdd(COS_C4, mul(u, s[0])), s));
  const r = dfMulToFloat(t, series);
  return (dq & 2) === 0 ? -r : r;
}

const LN2: DoubleFloat = [f32(0.69314718246459960938), f32(-1.904654323148236017e-9)];
const LOG_C1 = f32(0.3027294874);
const LOG_C2 = f32(0.3996108174);
const LOG_C3 = f32(0.666669488);
const FOUR_THIRDS = f32(1 / 0.75);
const FLT_MIN = 2 ** -126;

const logBits = new Int32Array(1);
const logValue = new Float32Array(logBits.buffer);

/** Sleef_logf_u10 of a float32 value, as torch.log computes it on an AVX2 CPU. */
export function sleefLogf(x: number): number {
  const d = f32(x);
  if (!(d >= FLT_MIN && d < Infinity)) return f32(Math.log(d));
  // e = exponent of d·4/3, so that m = d·2^−e lies in [0.75, 1.5)
  logValue[0] = mul(d, FOUR_THIRDS);
  const e = ((logBits[0]! >> 23) & 0xff) - 0x7f;
  logValue[0] = d;
  logBits[0] = logBits[0]! - (e << 23);
  const m = logValue[0]!;
  let s = dfMulFloat(LN2, e);
  // atanh series: log m = 2·atanh((m − 1)/(m + 1))
  const z = dfDiv(dfAdd2(-1, m), dfAdd2(1, m));
  const z2 = mul(z[0], z[0]);
  let t = fmaf(LOG_C1, z2, LOG_C2);
  t = fmaf(t, z2, LOG_C3);
  s = dfAddDF(s, [mul(z[0], 2), mul(z[1], 2)]);
  s = dfAddDFFloat(s, mul(mul(z2, z[0]), t));
  return add(s[0], s[1]);
}
