/**
 * pocketfft's float32 real FFT followed by torch's |X|² (see torch-float32-rfft.ts), compiled to
 * a WebAssembly SIMD kernel that transforms four frames at once, one per f32x4 lane.
 *
 * Why WebAssembly: reproducing float32 arithmetic in JavaScript costs a Math.fround after every
 * operation, which makes the transform about three times slower than our float64 FFT; wasm's
 * f32x4 operations are IEEE binary32 per lane (single rounding, no FMA contraction, subnormals
 * kept), so the kernel gives bit-for-bit the JavaScript reference's results at native speed.
 * pocketfft itself vectorises the same way — over rows, never within one transform — so lanes
 * never mix.
 *
 * Memory (W = 16 bytes per 4-lane element): the four input frames one after another; buffers A
 * and B, which the passes ping-pong between, holding element j of all four frames in one v128;
 * the interleaved power spectrum; the four output spectra one after another; each pass's
 * twiddles, splatted to four lanes. The kernel interleaves and de-interleaves itself (4 × 4
 * transposes), so callers copy whole frames with typed-array `set`.
 */
import { encodeModule, FunctionBody, Op, SimdOp, uleb, ValueType, type WasmFunction } from "./wasm-module.js";
import type { PocketfftPass } from "./pocketfft-real-plan.js";

/** Frames per kernel call (f32x4 lanes). */
export const WASM_LANES = 4;

const W = 16;
const HALF_SQRT2 = Math.fround(Math.SQRT1_2);

export interface WasmRealFftKernel {
  /** Float32 view of the whole memory. */
  memory: Float32Array;
  /** Float index of frame 0's input; frame f starts inputStride floats later. */
  inputOffset: number;
  inputStride: number;
  /** Float index of frame 0's power spectrum (n/2 + 1 values); frame f starts outputStride later. */
  outputOffset: number;
  outputStride: number;
  /** Transforms the four input frames into the four power spectra. */
  run: () => void;
}

/** Local-variable helpers over one function body: every value is a v128 (four float32 lanes). */
class Lanes {
  constructor(readonly fb: FunctionBody) {}

  value(): number {
    return this.fb.local(ValueType.v128);
  }

  load(pointer: number, offset: number): number {
    const into = this.value();
    this.fb.get(pointer).simdMemory(SimdOp.v128Load, offset).set(into);
    return into;
  }

  store(pointer: number, offset: number, value: number): void {
    this.fb.get(pointer).get(value).simdMemory(SimdOp.v128Store, offset);
  }

  /** Stores a ∘ b without keeping it in a local. */
  storeOp(pointer: number, offset: number, op: number, a: number, b: number): void {
    this.fb.get(pointer).get(a).get(b).simd(op).simdMemory(SimdOp.v128Store, offset);
  }

  op(op: number, a: number, b: number): number {
    const into = this.value();
    this.fb.get(a).get(b).simd(op).set(into);
    return into;
  }

  /** conj(w)·x for w = (wr, wi), x = (xr, xi): (wr·xr + wi·xi, wr·xi − wi·xr) — pocketfft's MULPM. */
  mulConj(wr: number, wi: number, xr: number, xi: number): [number, number] {
    const re = this.op(SimdOp.f32x4Add, this.op(SimdOp.f32x4Mul, wr, xr), this.op(SimdOp.f32x4Mul, wi, xi));
    const im = this.op(SimdOp.f32x4Sub, this.op(SimdOp.f32x4Mul, wr, xi), this.op(SimdOp.f32x4Mul, wi, xr));
    return [re, im];
  }
}

interface Pointer {
  local: number;
  /** Byte address at the first iteration (plus the value of local `base`, if given). */
  start: number;
  base?: number;
  /** Bytes added per iteration. */
  step: number;
}

/** `count` ≥ 1 iterations of `body`, advancing each pointer by its step after every iteration. */
function countedLoop(fb: FunctionBody, count: number, pointers: Pointer[], body: () => void): void {
  const counter = fb.local(ValueType.i32);
  for (const p of pointers) {
    if (p.base === undefined) fb.i32Const(p.start).set(p.local);
    else fb.get(p.base).i32Const(p.start).emit(Op.i32Add).set(p.local);
  }
  fb.i32Const(0).set(counter);
  fb.emit(Op.loop, 0x40);
  body();
  for (const p of pointers) fb.get(p.local).i32Const(p.step).emit(Op.i32Add).set(p.local);
  fb.get(counter).i32Const(1).emit(Op.i32Add, Op.localTee, counter).i32Const(count).emit(Op.i32LtU, Op.brIf, 0);
  fb.emit(Op.end);
}

/** radf4 (see torch-float32-rfft.ts for the index algebra) from `cc` to `ch`, twiddles at `wa`. */
function radf4(pass: PocketfftPass, cc: number, ch: number, wa: number): FunctionBody {
  const { ido, l1 } = pass;
  const fb = new FunctionBody(0);
  const v = new Lanes(fb);
  const s = ido * l1 * W;
  const pc = fb.local(ValueType.i32);
  const ph = fb.local(ValueType.i32);
  countedLoop(fb, l1, [{ local: pc, start: cc, step: ido * W }, { local: ph, start: ch, step: 4 * ido * W }], () => {
    const x0 = v.load(pc, 0);
    const x1 = v.load(pc, s);
    const x2 = v.load(pc, 2 * s);
    const x3 = v.load(pc, 3 * s);
    const tr1 = v.op(SimdOp.f32x4Add, x3, x1);
    v.storeOp(ph, 2 * ido * W, SimdOp.f32x4Sub, x3, x1);
    const tr2 = v.op(SimdOp.f32x4Add, x0, x2);
    v.storeOp(ph, (2 * ido - 1) * W, SimdOp.f32x4Sub, x0, x2);
    v.storeOp(ph, 0, SimdOp.f32x4Add, tr2, tr1);
    v.storeOp(ph, (4 * ido - 1) * W, SimdOp.f32x4Sub, tr2, tr1);
  });
  if (ido % 2 === 0) {
    const h = v.value();
    fb.f32x4Const(HALF_SQRT2).set(h);
    const minusH = v.value();
    fb.f32x4Const(-HALF_SQRT2).set(minusH);
    countedLoop(fb, l1, [{ local: pc, start: cc + (ido - 1) * W, step: ido * W }, { local: ph, start: ch, step: 4 * ido * W }], () => {
      const x0 = v.load(pc, 0);
      const x1 = v.load(pc, s);
      const x2 = v.load(pc, 2 * s);
      const x3 = v.load(pc, 3 * s);
      const ti1 = v.op(SimdOp.f32x4Mul, minusH, v.op(SimdOp.f32x4Add, x1, x3));
      const tr1 = v.op(SimdOp.f32x4Mul, h, v.op(SimdOp.f32x4Sub, x1, x3));
      v.storeOp(ph, (ido - 1) * W, SimdOp.f32x4Add, x0, tr1);
      v.storeOp(ph, (3 * ido - 1) * W, SimdOp.f32x4Sub, x0, tr1);
      v.storeOp(ph, 3 * ido * W, SimdOp.f32x4Add, ti1, x2);
      v.storeOp(ph, ido * W, SimdOp.f32x4Sub, ti1, x2);
    });
  }
  if (ido > 2) {
    const pcc = fb.local(ValueType.i32);
    const pi = fb.local(ValueType.i32);
    const pic = fb.local(ValueType.i32);
    const pw = fb.local(ValueType.i32);
    const rowW = (ido - 1) * W;
    countedLoop(fb, l1, [{ local: pc, start: cc, step: ido * W }, { local: ph, start: ch, step: 4 * ido * W }], () => {
      fb.i32Const(wa).set(pw);
      countedLoop(
        fb,
        (ido >> 1) - 1,
        [
          { local: pcc, base: pc, start: W, step: 2 * W },
          { local: pi, base: ph, start: W, step: 2 * W },
          { local: pic, base: ph, start: (ido - 3) * W, step: -2 * W },
        ],
        () => {
          const [cr2, ci2] = v.mulConj(v.load(pw, 0), v.load(pw, W), v.load(pcc, s), v.load(pcc, s + W));
          const [cr3, ci3] = v.mulConj(v.load(pw, rowW), v.load(pw, rowW + W), v.load(pcc, 2 * s), v.load(pcc, 2 * s + W));
          const [cr4, ci4] = v.mulConj(v.load(pw, 2 * rowW), v.load(pw, 2 * rowW + W), v.load(pcc, 3 * s), v.load(pcc, 3 * s + W));
          const tr1 = v.op(SimdOp.f32x4Add, cr4, cr2);
          const tr4 = v.op(SimdOp.f32x4Sub, cr4, cr2);
          const ti1 = v.op(SimdOp.f32x4Add, ci2, ci4);
          const ti4 = v.op(SimdOp.f32x4Sub, ci2, ci4);
          const yr = v.load(pcc, 0);
          const yi = v.load(pcc, W);
          const tr2 = v.op(SimdOp.f32x4Add, yr, cr3);
          const tr3 = v.op(SimdOp.f32x4Sub, yr, cr3);
          const ti2 = v.op(SimdOp.f32x4Add, yi, ci3);
          const ti3 = v.op(SimdOp.f32x4Sub, yi, ci3);
          v.storeOp(pi, 0, SimdOp.f32x4Add, tr2, tr1);
          v.storeOp(pic, 3 * ido * W, SimdOp.f32x4Sub, tr2, tr1);
          v.storeOp(pi, W, SimdOp.f32x4Add, ti1, ti2);
          v.storeOp(pic, 3 * ido * W + W, SimdOp.f32x4Sub, ti1, ti2);
          v.storeOp(pi, 2 * ido * W, SimdOp.f32x4Add, tr3, ti4);
          v.storeOp(pic, ido * W, SimdOp.f32x4Sub, tr3, ti4);
          v.storeOp(pi, 2 * ido * W + W, SimdOp.f32x4Add, tr4, ti3);
          v.storeOp(pic, ido * W + W, SimdOp.f32x4Sub, tr4, ti3);
          fb.get(pw).i32Const(2 * W).emit(Op.i32Add).set(pw);
        },
      );
    });
  }
  return fb;
}

/** radf2 from `cc` to `ch`, twiddles at `wa`. */
function radf2(pass: PocketfftPass, cc: number, ch: number, wa: number): FunctionBody {
  const { ido, l1 } = pass;
  const fb = new FunctionBody(0);
  const v = new Lanes(fb);
  const s = ido * l1 * W;
  const pc = fb.local(ValueType.i32);
  const ph = fb.local(ValueType.i32);
  countedLoop(fb, l1, [{ local: pc, start: cc, step: ido * W }, { local: ph, start: ch, step: 2 * ido * W }], () => {
    const x0 = v.load(pc, 0);
    const x1 = v.load(pc, s);
    v.storeOp(ph, 0, SimdOp.f32x4Add, x0, x1);
    v.storeOp(ph, (2 * ido - 1) * W, SimdOp.f32x4Sub, x0, x1);
  });
  if (ido % 2 === 0) {
    countedLoop(fb, l1, [{ local: pc, start: cc + (ido - 1) * W, step: ido * W }, { local: ph, start: ch, step: 2 * ido * W }], () => {
      fb.get(ph).get(pc).simdMemory(SimdOp.v128Load, s).simd(SimdOp.f32x4Neg).simdMemory(SimdOp.v128Store, ido * W);
      fb.get(ph).get(pc).simdMemory(SimdOp.v128Load, 0).simdMemory(SimdOp.v128Store, (ido - 1) * W);
    });
  }
  if (ido > 2) {
    const pcc = fb.local(ValueType.i32);
    const pi = fb.local(ValueType.i32);
    const pic = fb.local(ValueType.i32);
    const pw = fb.local(ValueType.i32);
    countedLoop(fb, l1, [{ local: pc, start: cc, step: ido * W }, { local: ph, start: ch, step: 2 * ido * W }], () => {
      fb.i32Const(wa).set(pw);
      countedLoop(
        fb,
        (ido >> 1) - 1,
        [
          { local: pcc, base: pc, start: W, step: 2 * W },
          { local: pi, base: ph, start: W, step: 2 * W },
          { local: pic, base: ph, start: (ido - 3) * W, step: -2 * W },
        ],
        () => {
          const [tr2, ti2] = v.mulConj(v.load(pw, 0), v.load(pw, W), v.load(pcc, s), v.load(pcc, s + W));
          const yr = v.load(pcc, 0);
          const yi = v.load(pcc, W);
          v.storeOp(pi, 0, SimdOp.f32x4Add, yr, tr2);
          v.storeOp(pic, ido * W, SimdOp.f32x4Sub, yr, tr2);
          v.storeOp(pi, W, SimdOp.f32x4Add, ti2, yi);
          v.storeOp(pic, ido * W + W, SimdOp.f32x4Sub, ti2, yi);
          fb.get(pw).i32Const(2 * W).emit(Op.i32Add).set(pw);
        },
      );
    });
  }
  return fb;
}

/** |X_k|² = (sqrt(re² + im²))² in float32 from the half-complex spectrum at `from` into `to`. */
function power(n: number, from: number, to: number): FunctionBody {
  const fb = new FunctionBody(0);
  const v = new Lanes(fb);
  const p = fb.local(ValueType.i32);
  const q = fb.local(ValueType.i32);
  const squareOfRoot = (value: number): void => {
    fb.get(value).simd(SimdOp.f32x4Sqrt).set(value);
    fb.get(value).get(value).simd(SimdOp.f32x4Mul);
  };
  // the real-only ends: DC at 0, Nyquist at n − 1
  for (const [at, out] of [[0, 0], [n - 1, n / 2]] as const) {
    fb.i32Const(to + out * W).set(q);
    fb.i32Const(from + at * W).set(p);
    const x = v.load(p, 0);
    const sq = v.op(SimdOp.f32x4Mul, x, x);
    fb.get(q);
    squareOfRoot(sq);
    fb.simdMemory(SimdOp.v128Store, 0);
  }
  if (n > 2) {
    countedLoop(fb, n / 2 - 1, [{ local: p, start: from + W, step: 2 * W }, { local: q, start: to + W, step: W }], () => {
      const re = v.load(p, 0);
      const im = v.load(p, W);
      const sum = v.op(SimdOp.f32x4Add, v.op(SimdOp.f32x4Mul, re, re), v.op(SimdOp.f32x4Mul, im, im));
      fb.get(q);
      squareOfRoot(sum);
      fb.simdMemory(SimdOp.v128Store, 0);
    });
  }
  return fb;
}

/** Byte lanes of i8x16.shuffle picking float lanes (a0, b0, a1, b1) and (a2, b2, a3, b3). */
const ZIP_LOW = [0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23];
const ZIP_HIGH = [8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31];
/** (a0, a1, b0, b1) and (a2, a3, b2, b3). */
const HALVES_LOW = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];
const HALVES_HIGH = [8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31];

/**
 * Transposes `blocks` 4 × 4 blocks of floats: four rows starting `rowStride` bytes apart at
 * `from` (advancing 16 bytes per block) become four consecutive v128 at `to` (64 bytes per
 * block). Its own inverse with the roles of the strides swapped: `inverse` reads four
 * consecutive v128 and writes the rows.
 */
function transpose(from: number, to: number, rowStride: number, blocks: number, inverse: boolean): FunctionBody {
  const fb = new FunctionBody(0);
  const v = new Lanes(fb);
  const p = fb.local(ValueType.i32);
  const q = fb.local(ValueType.i32);
  const readOffset = (r: number) => (inverse ? 16 * r : rowStride * r);
  const writeOffset = (r: number) => (inverse ? rowStride * r : 16 * r);
  countedLoop(
    fb,
    blocks,
    [
      { local: p, start: from, step: inverse ? 64 : 16 },
      { local: q, start: to, step: inverse ? 16 : 64 },
    ],
    () => {
      const rows = [0, 1, 2, 3].map((r) => v.load(p, readOffset(r)));
      const zip = (a: number, b: number, lanes: number[]) => {
        const into = v.value();
        fb.get(a).get(b).shuffle(lanes).set(into);
        return into;
      };
      const a = zip(rows[0]!, rows[1]!, ZIP_LOW);
      const b = zip(rows[0]!, rows[1]!, ZIP_HIGH);
      const c = zip(rows[2]!, rows[3]!, ZIP_LOW);
      const d = zip(rows[2]!, rows[3]!, ZIP_HIGH);
      const columns = [zip(a, c, HALVES_LOW), zip(a, c, HALVES_HIGH), zip(b, d, HALVES_LOW), zip(b, d, HALVES_HIGH)];
      columns.forEach((column, r) => v.store(q, writeOffset(r), column));
    },
  );
  return fb;
}

/**
 * Builds and instantiates the kernel for `passes` (a pocketfftRealPlan of length n), or returns
 * null where WebAssembly or its SIMD extension is unavailable (or synchronous compilation is
 * refused), so callers can fall back to the JavaScript reference.
 */
export function compileWasmRealFft(n: number, passes: readonly PocketfftPass[]): WasmRealFftKernel | null {
  if (typeof WebAssembly !== "object") return null;
  // lengths rounded up to whole 4 × 4 transpose blocks; the extra elements stay zero or unused
  const elements = Math.max(n, 4);
  const bins = n / 2 + 1;
  const binBlocks = Math.ceil(bins / 4);
  const input = 0;
  const a = input + WASM_LANES * elements * 4;
  const b = a + elements * W;
  const interleavedPower = b + elements * W;
  const output = interleavedPower + binBlocks * 4 * W;
  let cursor = output + WASM_LANES * binBlocks * 4 * 4;
  const twiddleAt: number[] = [];
  for (const pass of passes) {
    twiddleAt.push(cursor);
    cursor += pass.twiddles.length * W;
  }
  const functions: WasmFunction[] = [{ params: [], body: transpose(input, a, elements * 4, elements / 4, false) }];
  passes.forEach((pass, i) => {
    const from = i % 2 === 0 ? a : b;
    const to = i % 2 === 0 ? b : a;
    functions.push({ params: [], body: (pass.radix === 4 ? radf4 : radf2)(pass, from, to, twiddleAt[i]!) });
  });
  const result = passes.length % 2 === 0 ? a : b;
  functions.push({ params: [], body: power(n, result, interleavedPower) });
  functions.push({ params: [], body: transpose(interleavedPower, output, binBlocks * 4 * 4, binBlocks, true) });
  const run = new FunctionBody(0);
  for (let i = 0; i < functions.length; i++) run.emit(Op.call, ...uleb(i));
  functions.push({ params: [], body: run, exportName: "run" });
  const bytes = encodeModule(functions, Math.ceil(cursor / 65536));
  let instance: WebAssembly.Instance;
  try {
    instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
  } catch {
    return null;
  }
  const memory = new Float32Array((instance.exports["memory"] as WebAssembly.Memory).buffer);
  passes.forEach((pass, i) => {
    const base = twiddleAt[i]! / 4;
    for (let t = 0; t < pass.twiddles.length; t++) memory.fill(pass.twiddles[t]!, base + 4 * t, base + 4 * t + 4);
  });
  return {
    memory,
    inputOffset: input / 4,
    inputStride: elements,
    outputOffset: output / 4,
    outputStride: binBlocks * 4,
    run: instance.exports["run"] as () => void,
  };
}
