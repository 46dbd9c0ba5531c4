import { test } from "node:test";
import assert from "node:assert/strict";
import {
  blackmanWindow,
  DspArgumentError,
  hammingWindow,
  hannWindow,
  kaldiWindow,
  padWindow,
  poveyWindow,
  windowFunction,
} from "../../src/dsp/index.js";
import { torchHannWindow } from "../../src/dsp/windows.js";

function close(actual: ArrayLike<number>, expected: number[], tolerance = 1e-15): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i]! - expected[i]!) <= tolerance, `index ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

test("Hann: symmetric is numpy.hanning, periodic is torch.hann_window", () => {
  close(hannWindow(5, false), [0, 0.5, 1, 0.5, 0]); // np.hanning(5)
  close(hannWindow(4, true), [0, 0.5, 1, 0.5]); // torch.hann_window(4)
  close(hannWindow(1), [1]);
  // periodic(n) is symmetric(n + 1) without its last sample
  const periodic = hannWindow(400, true);
  const symmetric = hannWindow(401, false);
  close(periodic, Array.from(symmetric.subarray(0, 400)), 1e-15);
});

test("Hamming: 0.54 − 0.46·cos, numpy.hamming when symmetric", () => {
  close(hammingWindow(5, false), [0.08, 0.54, 1, 0.54, 0.08], 1e-15);
  close(hammingWindow(4, true), [0.08, 0.54, 1, 0.54], 1e-15);
});

test("Povey is the symmetric Hann window to the power 0.85", () => {
  const hann = hannWindow(400, false);
  const povey = poveyWindow(400);
  for (let i = 0; i < 400; i++) assert.ok(Math.abs(povey[i]! - Math.pow(hann[i]!, 0.85)) < 1e-15);
  // the float32 torchaudio version is within float32 rounding of it
  const kaldi = kaldiWindow("povey", 400);
  for (let i = 0; i < 400; i++) assert.ok(Math.abs(kaldi[i]! - povey[i]!) < 1e-6);
});

test("Kaldi's Blackman uses the generalised coefficient", () => {
  const w = blackmanWindow(9, false, 0.42);
  for (let j = 0; j < 9; j++) {
    const a = (2 * Math.PI * j) / 8;
    assert.ok(Math.abs(w[j]! - (0.42 - 0.5 * Math.cos(a) + 0.08 * Math.cos(2 * a))) < 1e-15);
  }
  const kaldi = kaldiWindow("blackman", 9);
  for (let j = 0; j < 9; j++) assert.ok(Math.abs(kaldi[j]! - w[j]!) < 1e-6);
});

test("torch-arithmetic windows are float32 values within float32 rounding of the exact ones", () => {
  const exact = hannWindow(400, true);
  const torch = torchHannWindow(400, true);
  for (let i = 0; i < 400; i++) {
    assert.equal(torch[i], Math.fround(torch[i]!), "torch windows hold float32 values");
    // float32 angle (j·f32(2π/N)) and cosine rounding: a few float32 ulps at most
    assert.ok(Math.abs(torch[i]! - exact[i]!) < 4e-7, `index ${i}: ${torch[i]! - exact[i]!}`);
  }
  const rectangular = kaldiWindow("rectangular", 10);
  assert.deepEqual(Array.from(rectangular), new Array(10).fill(1));
  const hanning = kaldiWindow("hanning", 400);
  assert.equal(hanning[0], 0);
  assert.ok(Math.abs(hanning[399]!) < 1e-7, "Kaldi windows are symmetric");
});

test("windowFunction dispatches by name and padWindow centres like transformers", () => {
  close(windowFunction("hann", 4), [0, 0.5, 1, 0.5]);
  close(windowFunction("hann", 5, { periodic: false }), [0, 0.5, 1, 0.5, 0]);
  close(windowFunction("boxcar", 3), [1, 1, 1]);
  close(padWindow(Float64Array.from([1, 2]), 6), [0, 0, 1, 2, 0, 0]);
  close(padWindow(Float64Array.from([1, 2]), 5, false), [1, 2, 0, 0, 0]);
});

test("bad window arguments raise DspArgumentError", () => {
  assert.throws(() => hannWindow(0), DspArgumentError);
  assert.throws(() => windowFunction("triangle" as never, 4), /unknown window "triangle"; use one of hann/);
  assert.throws(() => kaldiWindow("gauss" as never, 4), /unknown Kaldi window type/);
  assert.throws(() => padWindow(Float64Array.from([1, 2, 3]), 2), DspArgumentError);
});
