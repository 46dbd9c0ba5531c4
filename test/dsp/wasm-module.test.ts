import { test } from "node:test";
import assert from "node:assert/strict";
import { encodeModule, FunctionBody, Op, SimdOp, sleb, uleb, ValueType } from "../../src/dsp/wasm-module.js";

test("LEB128 encodings", () => {
  assert.deepEqual(uleb(0), [0]);
  assert.deepEqual(uleb(127), [127]);
  assert.deepEqual(uleb(128), [0x80, 0x01]);
  assert.deepEqual(uleb(624485), [0xe5, 0x8e, 0x26]);
  assert.deepEqual(sleb(0), [0]);
  assert.deepEqual(sleb(63), [63]);
  assert.deepEqual(sleb(64), [0xc0, 0x00]);
  assert.deepEqual(sleb(-1), [0x7f]);
  assert.deepEqual(sleb(-64), [0x40]);
  assert.deepEqual(sleb(-65), [0xbf, 0x7f]);
  assert.deepEqual(sleb(-123456), [0xc0, 0xbb, 0x78]);
});

test("a generated module validates and runs: a loop of f32x4 multiply-adds with a constant", () => {
  // out[i] = a[i]·b[i] + 0.5 for 3 vectors of four floats: a at 0, b at 48, out at 96
  const fb = new FunctionBody(0);
  const p = fb.local(ValueType.i32);
  const k = fb.local(ValueType.i32);
  const half = fb.local(ValueType.v128);
  fb.f32x4Const(0.5).set(half);
  fb.i32Const(0).set(p).i32Const(0).set(k);
  fb.emit(Op.loop, 0x40);
  fb.get(p);
  fb.get(p).simdMemory(SimdOp.v128Load, 0);
  fb.get(p).simdMemory(SimdOp.v128Load, 48);
  fb.simd(SimdOp.f32x4Mul).get(half).simd(SimdOp.f32x4Add);
  fb.simdMemory(SimdOp.v128Store, 96);
  fb.get(p).i32Const(16).emit(Op.i32Add).set(p);
  fb.get(k).i32Const(1).emit(Op.i32Add, Op.localTee, k).i32Const(3).emit(Op.i32LtU, Op.brIf, 0);
  fb.emit(Op.end);
  const bytes = encodeModule([{ params: [], body: fb, exportName: "run" }], 1);
  assert.equal(WebAssembly.validate(bytes), true);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
  const memory = new Float32Array((instance.exports["memory"] as WebAssembly.Memory).buffer);
  for (let i = 0; i < 12; i++) {
    memory[i] = i;
    memory[12 + i] = 0.25 * i;
  }
  (instance.exports["run"] as () => void)();
  for (let i = 0; i < 12; i++) assert.equal(memory[24 + i], Math.fround(i * 0.25 * i + 0.5));
});
