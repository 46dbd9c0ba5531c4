/**
 * Single-rounding float32 fused multiply-add (C's fmaf, x86's vfmadd…ps), for emulating float32
 * code compiled with FMA. JavaScript has no fma; float32 operands make it cheap to do exactly:
 * the product of two floats is exact in a double, and the sum's rounding error is recovered
 * with TwoSum.
 */
const f32 = Math.fround;

const bits = new Int32Array(1);
const value = new Float32Array(bits.buffer);

/** The float next to the finite float32 value x, towards +∞ (up) or −∞. */
function adjacentFloat(x: number, up: boolean): number {
  if (x === 0) return up ? 2 ** -149 : -(2 ** -149);
  value[0] = x;
  // the bit pattern grows with |x|, so step it up for magnitude away from zero
  bits[0] = bits[0]! + ((x > 0) === up ? 1 : -1);
  return value[0]!;
}

/** a·b + c rounded once to float32; a, b and c must be float32 values. */
export function fmaf(a: number, b: number, c: number): number {
  const p = a * b; // exact: 24 + 24 significant bits fit in 53
  const s = p + c;
  const rounded = f32(s);
  // if s is a float, or not halfway between two floats, rounding s once more is still exact
  // rounding of p + c: no float boundary lies between s and the exact sum
  if (rounded === s) return rounded;
  const other = adjacentFloat(rounded, rounded < s);
  if (s !== (rounded + other) / 2) return rounded;
  const v = s - p;
  const error = p - (s - v) + (c - v);
  if (error === 0) return rounded; // a true tie: f32 already rounded to even
  return error > 0 === other > rounded ? other : rounded;
}
