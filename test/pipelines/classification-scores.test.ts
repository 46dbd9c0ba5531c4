import { test } from "node:test";
import assert from "node:assert/strict";
import { applyFunction, checkFunctionToApply, checkTopK, labelScores, topKIndices } from "../../src/pipelines/classification-scores.js";
import { PipelineOptionError } from "../../src/pipelines/errors.js";
import { caseFiles, loadFloat, readJson } from "../helpers/fixtures.js";

test("every fixture pipeline variant is reproduced from the recorded logits", () => {
  let checked = 0;
  for (const model of ["ast", "wav2vec2", "hubert", "wavlm", "whisper"]) {
    for (const file of caseFiles(model)) {
      const c = readJson(file);
      const logits = loadFloat(c.logits);
      const id2label = (i: number) => readJson(`models/${model}/config.json`).id2label[String(i)] as string;
      for (const p of c.pipeline) {
        // init_* cases follow our semantics (construction options are defaults, 4.49 ignores
        // them); the pipeline tests check those.
        if (p.input !== "waveform" || p.name.startsWith("init_")) continue;
        const opts = p.call_kwargs;
        const fn = checkFunctionToApply(opts.function_to_apply ?? "softmax");
        const topK = checkTopK(opts.top_k, c.num_labels);
        const got = labelScores(logits, id2label, { topK, functionToApply: fn });
        assert.deepEqual(got.map((x) => x.label), p.output.map((x: { label: string }) => x.label), `${file} ${p.name}`);
        got.forEach((x, i) => assert.ok(Math.abs(x.score - p.output[i].score) <= 1e-5, `${file} ${p.name} #${i}`));
        checked++;
      }
    }
  }
  assert.ok(checked >= 5 * 8 * 10, `checked ${checked} variants`);
});

test("ties keep label-index order; NaN ranks first like torch.topk", () => {
  assert.deepEqual(topKIndices([0.2, 0.5, 0.5, 0.1], 4), [1, 2, 0, 3]);
  assert.deepEqual(topKIndices([1, Number.NaN, 2], 2), [1, 2]);
});

test("softmax is stable for large logits and sums to one", () => {
  const p = applyFunction([1000, 1001, 999], "softmax");
  assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-6);
  assert.ok(p[1]! > p[0]! && p[0]! > p[2]!);
  assert.deepEqual(Array.from(applyFunction([0], "sigmoid")), [0.5]);
  assert.deepEqual(Array.from(applyFunction([-3.5, 2], "none")), [-3.5, 2]);
});

test("invalid functionToApply gets Python's message; topK is validated and clipped", () => {
  assert.throws(
    () => checkFunctionToApply("relu"),
    (e: unknown) => e instanceof PipelineOptionError && e.message === "Invalid value for `function_to_apply`: relu. Valid options are ['softmax', 'sigmoid', 'none']",
  );
  assert.equal(checkTopK(undefined, 8), 8);
  assert.equal(checkTopK(null, 8), 8);
  assert.equal(checkTopK(13, 8), 8);
  assert.equal(checkTopK(3, 8), 3);
  for (const bad of [0, -1, 2.5, "3", Number.NaN]) assert.throws(() => checkTopK(bad, 8), PipelineOptionError);
});
