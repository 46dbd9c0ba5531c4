import { test } from "node:test";
import assert from "node:assert/strict";
import { ClapFeatureExtractor, NumpyRandomState } from "../../src/features/index.js";
import { bilinearResize } from "../../src/features/clap-mel-fusion.js";
import { featureCases, fixtureExtractor, maxDiff, testSignal } from "./fixture-cases.js";

test("CLAP: every fixture case within 1e-4, including the 12 s random crop (np.random.seed(0) reproduced)", () => {
  const fe = fixtureExtractor("clap");
  let croppedCases = 0;
  for (const c of featureCases("clap")) {
    // the fixtures were made with np.random.seed(0) before each call
    const out = fe(c.waveform, { samplingRate: c.samplingRate, rng: new NumpyRandomState(0) });
    const features = out["input_features"]!;
    const isLonger = out["is_longer"]!;
    assert.deepEqual(features.dims, c.expected["input_features"]!.shape, c.name);
    const d = maxDiff(features.data, c.expected["input_features"]!.data);
    assert.ok(d <= 1e-4, `${c.name}: max diff ${d}`);
    assert.equal(isLonger.type, "bool");
    assert.ok(isLonger.data instanceof Uint8Array);
    assert.deepEqual(isLonger.dims, [1, 1]);
    assert.deepEqual(Array.from(isLonger.data), Array.from(c.expected["is_longer"]!.data), `${c.name}: is_longer`);
    if (c.randomCrop) croppedCases++;
  }
  assert.equal(croppedCases, 1, "the long clip's random crop is compared exactly, not by shape only");
});

test("CLAP rand_trunc: the crop starts where numpy's randint says, and the mel is that 10 s window's", () => {
  const fe = fixtureExtractor("clap");
  const clip = testSignal(576000, 48000, 9);
  const cropped = fe(clip, { samplingRate: 48000, rng: new NumpyRandomState(0) });
  const start = new NumpyRandomState(0).randint(0, 96001);
  const window = fe(clip.subarray(start, start + 480000), { samplingRate: 48000 });
  assert.equal(maxDiff(cropped["input_features"]!.data, window["input_features"]!.data), 0);
  assert.deepEqual(Array.from(cropped["is_longer"]!.data), [1]);
  assert.deepEqual(Array.from(window["is_longer"]!.data), [0]);
});

test("CLAP padding modes: repeatpad tiles whole copies then zeros, repeat tiles and cuts, pad adds zeros", () => {
  const fe = new ClapFeatureExtractor({ truncation: "rand_trunc", max_length_s: 1 }); // 48000 samples
  const clip = testSignal(20000, 48000, 5);
  // `copies` copies of the clip from the start, the last one cut at 48000 samples, zeros after
  const tiled = (copies: number) => {
    const out = new Float32Array(48000);
    for (let k = 0; k < copies; k++) out.set(clip.subarray(0, Math.min(20000, 48000 - k * 20000)), k * 20000);
    return out;
  };
  const features = (padding: "repeatpad" | "repeat" | "pad") => fe(clip, { samplingRate: 48000, padding })["input_features"]!.data;
  const reference = (w: Float32Array) => fe(w, { samplingRate: 48000 })["input_features"]!.data;
  assert.equal(maxDiff(features("repeatpad"), reference(tiled(2))), 0);
  assert.equal(maxDiff(features("repeat"), reference(tiled(3))), 0);
  assert.equal(maxDiff(features("pad"), reference(tiled(1))), 0);
  assert.deepEqual(fe(clip, { samplingRate: 48000 })["input_features"]!.dims, [1, 1, 101, 64]);
});

test("CLAP fusion, short clips: HTK mel four times; with no long clip, one random example is flagged", () => {
  const fe = new ClapFeatureExtractor({ truncation: "fusion", max_length_s: 1 });
  const clips = [testSignal(30000, 48000, 1), testSignal(40000, 48000, 2), testSignal(10000, 48000, 3)];
  const out = fe(clips, { samplingRate: 48000, rng: new NumpyRandomState(3) });
  const features = out["input_features"]!;
  assert.deepEqual(features.dims, [3, 4, 101, 64]);
  const per = 101 * 64;
  for (let b = 0; b < 3; b++) {
    for (let k = 1; k < 4; k++) {
      assert.equal(maxDiff(features.data.subarray((b * 4 + k) * per, (b * 4 + k + 1) * per), features.data.subarray(b * 4 * per, (b * 4 + 1) * per)), 0);
    }
  }
  const flagged = new NumpyRandomState(3).randint(0, 3);
  assert.deepEqual(Array.from(out["is_longer"]!.data), [0, 1, 2].map((i) => (i === flagged ? 1 : 0)));
  // fusion uses the HTK bank, rand_trunc the Slaney one: the same clip gives different features
  const slaney = new ClapFeatureExtractor({ truncation: "rand_trunc", max_length_s: 1 });
  assert.ok(maxDiff(slaney(clips[0]!, { samplingRate: 48000 })["input_features"]!.data, features.data.subarray(0, per)) > 1);
});

test("CLAP fusion, long clip: shrunk whole mel + crops from the front, middle and back thirds", () => {
  const fe = new ClapFeatureExtractor({ truncation: "fusion", max_length_s: 1 });
  const clip = testSignal(48000 * 3, 48000, 7); // 3 s → 301 frames, chunks of 101
  const out = fe(clip, { samplingRate: 48000, rng: new NumpyRandomState(11) });
  assert.deepEqual(out["input_features"]!.dims, [1, 4, 101, 64]);
  assert.deepEqual(Array.from(out["is_longer"]!.data), [1]);
  const full = new ClapFeatureExtractor({ truncation: "fusion", max_length_s: 3 })(clip, { samplingRate: 48000, rng: new NumpyRandomState(0) });
  const mel = full["input_features"]!.data.subarray(0, 301 * 64); // the whole clip's mel (channel 0 of an unfused call)
  // starts: np.array_split(range(201), 3) → [0, 67), [67, 134), [134, 201)
  const rng = new NumpyRandomState(11);
  const starts = [rng.randint(0, 67), 67 + rng.randint(0, 67), 134 + rng.randint(0, 67)];
  const per = 101 * 64;
  starts.forEach((s, k) => {
    assert.equal(maxDiff(out["input_features"]!.data.subarray((k + 1) * per, (k + 2) * per), mel.subarray(s * 64, s * 64 + per)), 0, `crop ${k}`);
  });
  // channel 0: bilinear shrink of 301 rows to 101 (align_corners=False), checked in float64;
  // torch places the source rows in float32 (≈1e-5 rows off), which shows where rows differ a lot
  const shrunk = out["input_features"]!.data.subarray(0, per);
  const scale = 301 / 101;
  for (let i = 0; i < 101; i++) {
    const src = Math.max(0, scale * (i + 0.5) - 0.5);
    const i0 = Math.floor(src);
    const i1 = Math.min(i0 + 1, 300);
    const l = src - i0;
    for (let j = 0; j < 64; j++) {
      const x0 = mel[i0 * 64 + j]!;
      const x1 = mel[i1 * 64 + j]!;
      const expected = (1 - l) * x0 + l * x1;
      // two float32 roundings of the source row (≤ one float32 ulp of it) plus the rounded scale
      const ulp = 2 ** (Math.floor(Math.log2(Math.max(src, 1))) - 23);
      const srcError = ulp + (i + 0.5) * Math.abs(Math.fround(scale) - scale);
      const tolerance = srcError * Math.abs(x1 - x0) + 1e-5;
      assert.ok(Math.abs(shrunk[i * 64 + j]! - expected) <= tolerance, `row ${i} col ${j}: ${shrunk[i * 64 + j]} vs ${expected}`);
    }
  }
});

test("CLAP fusion corner case: longer than max_length by less than a hop is the whole mel, not 'longer'", () => {
  const fe = new ClapFeatureExtractor({ truncation: "fusion", max_length_s: 1 });
  const clip = testSignal(48000 + 100, 48000, 8);
  const out = fe([clip, testSignal(48000 * 2, 48000, 9)], { samplingRate: 48000, rng: new NumpyRandomState(0) });
  assert.deepEqual(Array.from(out["is_longer"]!.data), [0, 1]);
});

test("bilinearResize follows torch's align_corners=False sampling", () => {
  const rows4 = Float32Array.from([0, 10, 20, 30]); // 4 × 1
  assert.deepEqual(Array.from(bilinearResize(rows4, 4, 1, 2, 1)), [5, 25]);
  // upsampling 2 → 4: sources −0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to the last row)
  assert.deepEqual(Array.from(bilinearResize(Float32Array.from([0, 8]), 2, 1, 4, 1)), [0, 2, 6, 8]);
  const same = Float32Array.from([1, 2, 3, 4, 5, 6]);
  assert.deepEqual(Array.from(bilinearResize(same, 2, 3, 2, 3)), [1, 2, 3, 4, 5, 6]);
});

test("CLAP: config values and bad options", () => {
  const fe = fixtureExtractor("clap") as ClapFeatureExtractor;
  assert.equal(fe.truncation, "rand_trunc");
  assert.equal(fe.padding, "repeatpad");
  assert.equal(fe.nbMaxSamples, 480000);
  assert.equal(fe.nbFrequencyBins, 513);
  assert.equal(fe.topDb, null);
  assert.equal(fe.frequencyMin, 50);
  assert.deepEqual(fe.modelInputNames, ["input_features", "is_longer"]);
  const defaults = new ClapFeatureExtractor();
  assert.equal(defaults.truncation, "fusion", "Python's default truncation");
  assert.throws(() => fe(testSignal(1000, 48000), { samplingRate: 48000, truncation: true }), /truncation must be "fusion" or "rand_trunc"/);
  assert.throws(() => fe(testSignal(1000, 48000), { samplingRate: 48000, padding: true }), /padding must be "repeatpad", "repeat" or "pad"/);
  assert.throws(() => fe(testSignal(1000, 48000), { samplingRate: 48000, maxLength: 0 }), /maxLength must be a positive number of samples/);
  assert.throws(() => new ClapFeatureExtractor({ truncation: "crop" }), /"truncation" must be one of "fusion", "rand_trunc"/);
});
