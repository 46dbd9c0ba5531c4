import { test } from "node:test";
import assert from "node:assert/strict";
import { WINDOW_POSITIONS, windowOffset } from "../../scripts/window-positions.js";

test("windowOffset: start, 100 ms in, centred and ending at the window's end", () => {
  assert.deepEqual(
    WINDOW_POSITIONS.map((p) => windowOffset(p, 6000, 16000, 16000)),
    [0, 1600, 5000, 10000],
  );
  // odd leftover: centred rounds towards the start
  assert.equal(windowOffset("centred", 5999, 16000, 16000), 5000);
  // a clip longer than the window: its start, its middle, its end stay in
  assert.deepEqual(
    WINDOW_POSITIONS.map((p) => windowOffset(p, 18000, 16000, 16000)),
    [0, 1600, -1000, -2000],
  );
  assert.throws(() => windowOffset("start", 1.5, 16000, 16000), RangeError);
  assert.throws(() => windowOffset("end", 100, 0, 16000), RangeError);
});
