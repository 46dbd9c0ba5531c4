import { test } from "node:test";
import assert from "node:assert/strict";
import { releaseArrayBuffer } from "../../src/util/release-memory.js";

test("a released buffer is detached; small, shared and pooled memory is left alone", () => {
  const buffer = new ArrayBuffer(1 << 20);
  const view = new Float32Array(buffer);
  assert.equal(releaseArrayBuffer(buffer), true);
  assert.equal(buffer.byteLength, 0);
  assert.equal(view.length, 0);
  assert.equal(releaseArrayBuffer(buffer), false);
  assert.equal(releaseArrayBuffer(new SharedArrayBuffer(1 << 21)), false);
  assert.equal(releaseArrayBuffer(new ArrayBuffer(4096)), false);
  const pooled = Buffer.from("small"); // lives in Node's shared 8 KiB pool
  assert.equal(releaseArrayBuffer(pooled.buffer), false);
  assert.equal(pooled.toString(), "small");
});
