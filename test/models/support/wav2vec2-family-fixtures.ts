/**
 * The golden-fixture checks shared by the wav2vec2, HuBERT and WavLM test files: every recorded
 * case's features → logits (also with the fused attention kernel), the padded-batch run of the
 * list-input clips against single runs and against the pipeline's recorded top-2, and a clean
 * load report.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { join } from "node:path";
import { Wav2Vec2FeatureExtractor } from "../../../src/features/index.js";
import { type AudioClassificationArchitecture, type AudioClassificationModel, ModelConfig, loadAudioClassificationModel } from "../../../src/models/index.js";
import type { Tensor } from "../../../src/tensor.js";
import { type ArrayRef, caseFiles, loadArray, loadFloat, maxAbsDiff, modelDir, readJson } from "../../helpers/fixtures.js";
import { assertPaddedBatchMatchesSingles } from "./wav2vec2-batches.js";

/** Logits from the recorded features must be this close to transformers' (abs). */
export const FIXTURE_TOLERANCE = 1e-4;

export function featureTensors(refs: Record<string, ArrayRef>): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [name, ref] of Object.entries(refs)) {
    const data = loadArray(ref);
    out[name] = data instanceof Float32Array ? { type: "float32", dims: ref.shape, data } : { type: "int32", dims: ref.shape, data };
  }
  return out;
}

function softmax(row: ArrayLike<number>): number[] {
  const max = Math.max(...Array.from(row));
  const e = Array.from(row, (v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

/** Registers the fixture tests of one model folder (test/fixtures/hf/models/<name>). */
export function fixtureTests(name: string, architecture: AudioClassificationArchitecture): void {
  const models: Partial<Record<"plain" | "fused", AudioClassificationModel>> = {};
  before(async () => {
    const config = await ModelConfig.fromFile(join(modelDir(name), "config.json"));
    models.plain = await loadAudioClassificationModel(modelDir(name), config, architecture, { threads: 1, cache: false });
    models.fused = await loadAudioClassificationModel(modelDir(name), config, architecture, { threads: 1, cache: false, fused: true });
  });
  after(async () => {
    await models.plain?.dispose();
    await models.fused?.dispose();
  });

  test(`${name}: graph takes input_values float32 and attention_mask int64, the load report is clean`, () => {
    const model = models.plain!;
    assert.deepEqual(model.session.inputs.map((i) => [i.name, i.type]), [["input_values", "float32"], ["attention_mask", "int64"]]);
    assert.deepEqual(model.session.outputNames, ["logits"]);
    // masked_spec_embed is in the checkpoint but training-only: skipped without being reported
    assert.deepEqual(model.report.unusedWeights, []);
    assert.equal(model.report.source, "checkpoint");
  });

  for (const file of caseFiles(name)) {
    test(`${name}: ${file} logits from the recorded features within ${FIXTURE_TOLERANCE}`, async () => {
      const c = readJson(file);
      const expected = loadFloat(c.logits);
      for (const kind of ["plain", "fused"] as const) {
        const logits = await models[kind]!.forward(featureTensors(c.features));
        assert.deepEqual(logits.dims, c.logits.shape);
        const diff = maxAbsDiff(logits.data, expected);
        assert.ok(diff <= FIXTURE_TOLERANCE, `${kind}: max abs diff ${diff}`);
      }
      if (c.dict_input?.features !== undefined) {
        const logits = await models.plain!.forward(featureTensors(c.dict_input.features));
        const diff = maxAbsDiff(logits.data, loadFloat(c.dict_input.logits));
        assert.ok(diff <= FIXTURE_TOLERANCE, `dict input: max abs diff ${diff}`);
      }
    });
  }

  test(`${name}: the list-input clips as one padded batch match single runs within 1e-5 and the pipeline's top 2`, async () => {
    const list = readJson(`cases/${name}/_list_input.json`);
    const short = readJson(`cases/${name}/short_0p3s.json`);
    const waveforms = [...list.inputs.map((input: { waveform: ArrayRef }) => loadFloat(input.waveform)), loadFloat(short.waveform)];
    const extractor = new Wav2Vec2FeatureExtractor(readJson(`models/${name}/preprocessor_config.json`));
    const check = await assertPaddedBatchMatchesSingles(models.plain!, waveforms, extractor, 1e-5);
    const labels = models.plain!.labels;
    list.output.forEach((expected: { label: string; score: number }[], i: number) => {
      const scores = softmax(check.batch.subarray(i * labels.length, (i + 1) * labels.length));
      const top = scores.map((score, j) => ({ label: labels[j]!, score })).sort((a, b) => b.score - a.score).slice(0, expected.length);
      assert.deepEqual(top.map((t) => t.label), expected.map((e) => e.label), `clip ${i}: top labels`);
      top.forEach((t, j) => assert.ok(Math.abs(t.score - expected[j]!.score) <= 1e-5, `clip ${i}: score of ${t.label} ${t.score} vs ${expected[j]!.score}`));
    });
    // the fused kernel masks the padded keys too
    await assertPaddedBatchMatchesSingles(models.fused!, waveforms, extractor, 1e-5);
  });
}
