import assert from "node:assert/strict";
import { type GraphModel, dimSymbols, evaluateDim, isUnknownDim } from "../../../src/graph/index.js";
import { createSession } from "../../../src/runtime/index.js";
import type { Tensor } from "../../../src/tensor.js";
import type { Arr } from "./reference.js";

export function f32(dims: number[], data: ArrayLike<number>): Tensor<"float32"> {
  return { type: "float32", dims, data: Float32Array.from(data) };
}

export function i64(dims: number[], data: ArrayLike<number>): Tensor<"int64"> {
  return { type: "int64", dims, data: BigInt64Array.from(Array.from(data), (v) => BigInt(v)) };
}

export function toArr(t: Tensor): Arr {
  return { dims: [...t.dims], data: Array.from(t.data as ArrayLike<number | bigint>, Number) };
}

/** Symbols of the model's input shapes bound to the fed dims. */
function bindInputSymbols(model: GraphModel, feeds: Record<string, Tensor>): Record<string, number> {
  const bindings: Record<string, number> = {};
  for (const id of model.inputs) {
    const v = model.values[id]!;
    const fed = feeds[v.name];
    if (fed === undefined) continue;
    v.shape.forEach((d, i) => {
      if (typeof d === "string" && dimSymbols(d).length === 1 && dimSymbols(d)[0] === d) bindings[d] = fed.dims[i]!;
    });
  }
  return bindings;
}

/**
 * Checks inferred shapes (evaluated with the input symbols bound to the fed dims) against what
 * ONNX Runtime produced, for every value in `outputs`. Unknown dims ("?…") are only allowed on
 * values that are not graph outputs.
 */
export function assertInferredShapes(model: GraphModel, feeds: Record<string, Tensor>, outputs: Record<string, Tensor>): void {
  const bindings = bindInputSymbols(model, feeds);
  for (const v of model.values) {
    const got = outputs[v.name];
    if (got === undefined) continue;
    const actual = got.dims;
    const where = `${model.outputs.includes(v.id) ? "output" : "intermediate"} "${v.name}"`;
    assert.equal(actual.length, v.shape.length, `rank of ${where}: inferred [${v.shape.join(", ")}], ORT gave [${actual.join(", ")}]`);
    v.shape.forEach((d, i) => {
      if (isUnknownDim(d) && !model.outputs.includes(v.id)) return;
      const expected = evaluateDim(d, bindings);
      if (expected === undefined) assert.fail(`${where} axis ${i}: inferred dim ${JSON.stringify(d)} cannot be evaluated with ${JSON.stringify(bindings)}`);
      assert.equal(actual[i], expected, `${where} axis ${i}: inferred ${JSON.stringify(d)} = ${expected}, ORT gave ${actual[i]}`);
    });
  }
}

/** The model with every node-produced value (except float16 ones) exposed as an extra output. */
function exposeIntermediates(model: GraphModel): GraphModel {
  const extra = model.values.filter((v) => v.kind === "node" && v.dtype !== "float16" && !model.outputs.includes(v.id)).map((v) => v.id);
  return { ...model, outputs: [...model.outputs, ...extra] };
}

/** Serialises, loads (one thread: tiny graphs), runs and checks inferred shapes. */
export async function runModel(model: GraphModel, feeds: Record<string, Tensor>): Promise<Record<string, Tensor>> {
  return (await runEach(model, [feeds]))[0]!;
}

/**
 * Runs one session on several feeds (e.g. two batch sizes). Every intermediate value is fetched
 * too, so inferred shapes are checked against ORT for the whole graph, not just its outputs.
 * Returns the model's own outputs.
 */
export async function runEach(model: GraphModel, feedsList: Record<string, Tensor>[]): Promise<Record<string, Tensor>[]> {
  const session = await createSession(exposeIntermediates(model), { threads: 1 });
  const names = new Set(model.outputs.map((id) => model.values[id]!.name));
  try {
    const results: Record<string, Tensor>[] = [];
    for (const feeds of feedsList) {
      const all = await session.run(feeds);
      assertInferredShapes(model, feeds, all);
      results.push(Object.fromEntries(Object.entries(all).filter(([k]) => names.has(k))));
    }
    return results;
  } finally {
    await session.dispose();
  }
}

/** Max |a − e| ≤ atol + rtol·|e| element-wise, with dims equal; reports the worst element. */
export function assertClose(actual: Tensor | Arr, expected: Arr, tolerance: { atol?: number; rtol?: number } = {}): void {
  const atol = tolerance.atol ?? 1e-5;
  const rtol = tolerance.rtol ?? 0;
  assert.deepEqual([...actual.dims], expected.dims, "dims differ");
  const a = Array.from(actual.data as ArrayLike<number | bigint>, Number);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < a.length; i++) {
    const e = expected.data[i]!;
    const diff = Math.abs(a[i]! - e);
    const excess = diff - (atol + rtol * Math.abs(e));
    if (Number.isNaN(diff) !== Number.isNaN(e) && !(Number.isNaN(a[i]!) && Number.isNaN(e))) {
      assert.fail(`element ${i}: got ${a[i]}, expected ${e}`);
    }
    if (excess > worstExcess) {
      worstExcess = excess;
      worst = i;
    }
  }
  if (worst >= 0) assert.fail(`element ${worst}: got ${a[worst]}, expected ${expected.data[worst]} (tolerance atol ${atol}, rtol ${rtol})`);
}

/** Exact equality (integer ops). */
export function assertExact(actual: Tensor, expected: Arr): void {
  assert.deepEqual([...actual.dims], expected.dims, "dims differ");
  assert.deepEqual(Array.from(actual.data as ArrayLike<number | bigint>, Number), expected.data);
}
