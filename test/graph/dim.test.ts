import { test } from "node:test";
import assert from "node:assert/strict";
import { canonicalDim, dimAdd, dimCeilDiv, dimFloorDiv, dimMul, dimProduct, dimSub, dimSymbols, dimsEqual, evaluateDim } from "../../src/graph/index.js";
import { dimExactDiv, dimMin } from "../../src/graph/dim.js";

test("numbers stay numbers", () => {
  assert.equal(dimAdd(3, 4), 7);
  assert.equal(dimMul(3, 4), 12);
  assert.equal(dimFloorDiv(7, 2), 3);
  assert.equal(dimCeilDiv(7, 2), 4);
});

test("symbolic sums and products are canonical", () => {
  assert.equal(dimAdd("time", 1), "time+1");
  assert.equal(dimSub(dimAdd("time", 1), 1), "time");
  assert.equal(dimMul("time", "batch"), "batch*time");
  assert.equal(dimMul("batch", "time"), "batch*time");
  assert.equal(dimProduct(["batch", 12, "time"]), "12*batch*time");
  assert.equal(dimMul(2, dimAdd("time", 1)), "2*time+2");
  assert.equal(dimSub("time", "time"), 0);
  assert.equal(canonicalDim("1+time"), "time+1");
  assert.equal(canonicalDim("time*batch*2"), "2*batch*time");
  assert.ok(dimsEqual("time+1-1", "time"));
  assert.ok(!dimsEqual("time", "frames"));
});

test("exact division cancels factors; otherwise floor/ceil expressions", () => {
  assert.equal(dimExactDiv("12*batch*time", 12), "batch*time");
  assert.equal(dimExactDiv("12*batch*time", "batch"), "12*time");
  assert.equal(dimExactDiv("2*time+2", 2), "time+1");
  assert.equal(dimExactDiv("time+1", 2), undefined);
  assert.equal(dimFloorDiv(dimSub("samples", 400), 160), "floor((samples-400)/160)");
  assert.equal(dimCeilDiv("time", 2), "ceil(time/2)");
  // the conv-length formula keeps nesting and stays evaluable
  const frames = dimAdd(dimFloorDiv(dimSub("samples", 10), 5), 1);
  assert.equal(frames, "floor((samples-10)/5)+1");
  assert.equal(evaluateDim(frames, { samples: 16000 }), 3199);
  const next = dimAdd(dimFloorDiv(dimSub(frames, 3), 2), 1);
  assert.equal(evaluateDim(next, { samples: 16000 }), 1599);
  assert.deepEqual(dimSymbols(next), ["samples"]);
});

test("evaluation binds symbols and rejects unknowns", () => {
  assert.equal(evaluateDim("2*batch*time+3", { batch: 2, time: 5 }), 23);
  assert.equal(evaluateDim(dimMin("time", 7), { time: 5 }), 5);
  assert.equal(evaluateDim("time", {}), undefined);
  assert.equal(evaluateDim("?Reshape_1.d0:3", { time: 1 }), undefined);
  assert.equal(evaluateDim(4, {}), 4);
});
