/**
 * A minimal WebAssembly binary writer: one memory, functions without imports, and the handful of
 * instructions our generated DSP kernels use (integer address arithmetic, loops, calls, 4-lane
 * float32 arithmetic and shuffles). WebAssembly float32 arithmetic is plain IEEE binary32 — every
 * operation rounded once, no fused multiply-add, no flushing of subnormals — which is what lets
 * kernels written with it reproduce float32 C code exactly, at native speed.
 */

/** Opcodes (single byte unless under the 0xfd SIMD prefix). */
export const Op = {
  loop: 0x03,
  end: 0x0b,
  brIf: 0x0d,
  call: 0x10,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Const: 0x41,
  i32LtU: 0x49,
  i32Add: 0x6a,
} as const;

/** SIMD opcodes (after the 0xfd prefix). */
export const SimdOp = {
  v128Load: 0x00,
  v128Store: 0x0b,
  v128Const: 0x0c,
  i8x16Shuffle: 0x0d,
  f32x4Neg: 0xe1,
  f32x4Sqrt: 0xe3,
  f32x4Add: 0xe4,
  f32x4Sub: 0xe5,
  f32x4Mul: 0xe6,
} as const;

export const ValueType = { i32: 0x7f, v128: 0x7b } as const;

/** Unsigned LEB128. */
export function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 (for i32.const). */
export function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

const f32Bytes = new Uint8Array(4);
const f32View = new DataView(f32Bytes.buffer);

/** Little-endian bytes of a float32 value. */
function float32Bytes(value: number): number[] {
  f32View.setFloat32(0, value, true);
  return Array.from(f32Bytes);
}

/** The body of one function: declared locals plus an instruction stream. */
export class FunctionBody {
  readonly code: number[] = [];
  private readonly params: number;
  private readonly localTypes: number[] = [];

  constructor(params: number) {
    this.params = params;
  }

  /** A new local of `type`; returns its index. */
  local(type: number): number {
    this.localTypes.push(type);
    return this.params + this.localTypes.length - 1;
  }

  emit(...bytes: number[]): this {
    for (const b of bytes) this.code.push(b);
    return this;
  }

  i32Const(value: number): this {
    return this.emit(Op.i32Const, ...sleb(value));
  }

  /** v128.const with the same float32 in all four lanes. */
  f32x4Const(value: number): this {
    const lane = float32Bytes(value);
    return this.emit(0xfd, ...uleb(SimdOp.v128Const), ...lane, ...lane, ...lane, ...lane);
  }

  get(index: number): this {
    return this.emit(Op.localGet, ...uleb(index));
  }

  set(index: number): this {
    return this.emit(Op.localSet, ...uleb(index));
  }

  /** A v128 load or store at the address on the stack plus a constant byte offset (16-byte aligned). */
  simdMemory(op: number, offset: number): this {
    return this.emit(0xfd, ...uleb(op), 4, ...uleb(offset));
  }

  simd(op: number): this {
    return this.emit(0xfd, ...uleb(op));
  }

  /** i8x16.shuffle of the two v128 values on the stack: byte i of the result is byte lanes[i] of (a ‖ b). */
  shuffle(lanes: readonly number[]): this {
    return this.emit(0xfd, ...uleb(SimdOp.i8x16Shuffle), ...lanes);
  }

  /** Encoded body: local declarations (run-length by type) then code. */
  encode(): number[] {
    const groups: [number, number][] = [];
    for (const type of this.localTypes) {
      const last = groups[groups.length - 1];
      if (last !== undefined && last[1] === type) last[0]++;
      else groups.push([1, type]);
    }
    const body = [...uleb(groups.length)];
    for (const [count, type] of groups) body.push(...uleb(count), type);
    body.push(...this.code, Op.end);
    return [...uleb(body.length), ...body];
  }
}

export interface WasmFunction {
  params: number[];
  body: FunctionBody;
  /** Exported under this name, if any. */
  exportName?: string;
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function name(text: string): number[] {
  const bytes = Array.from(new TextEncoder().encode(text));
  return [...uleb(bytes.length), ...bytes];
}

/**
 * A module with one exported memory ("memory", `pages` × 64 KiB) and the given functions (no
 * results; each gets its own type). Function i is called with `call i`.
 */
export function encodeModule(functions: readonly WasmFunction[], pages: number): Uint8Array<ArrayBuffer> {
  const types: number[] = [...uleb(functions.length)];
  for (const f of functions) types.push(0x60, ...uleb(f.params.length), ...f.params, 0);
  const funcs: number[] = [...uleb(functions.length)];
  functions.forEach((_, i) => funcs.push(...uleb(i)));
  const exported = functions.map((f, i) => [f, i] as const).filter(([f]) => f.exportName !== undefined);
  const exports: number[] = [...uleb(exported.length + 1), ...name("memory"), 0x02, 0];
  for (const [f, i] of exported) exports.push(...name(f.exportName!), 0x00, ...uleb(i));
  const code: number[] = [...uleb(functions.length)];
  for (const f of functions) code.push(...f.body.encode());
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, types),
    ...section(3, funcs),
    ...section(5, [1, 0x00, ...uleb(pages)]),
    ...section(7, exports),
    ...section(10, code),
  ]);
}
