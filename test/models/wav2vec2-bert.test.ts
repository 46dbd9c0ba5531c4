// Wav2Vec2BertForSequenceClassification against transformers 4.49.0 (golden fixtures): logits from
// the recorded input_features + attention_mask of every case (odd frame counts mask the last
// stacked frame), and the cases' features as one padded batch against their single runs.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { join } from "node:path";
import { type AudioClassificationModel, ModelConfig, loadAudioClassificationModel } from "../../src/models/index.js";
import { wav2vec2BertArchitecture } from "../../src/models/wav2vec2-bert/index.js";
import { caseFiles, loadFloat, maxAbsDiff, modelDir, readJson } from "../helpers/fixtures.js";
import { featureTensors } from "./support/wav2vec2-family-fixtures.js";

const NAME = "wav2vec2-bert";
let model: AudioClassificationModel;

before(async () => {
  const config = await ModelConfig.fromFile(join(modelDir(NAME), "config.json"));
  model = await loadAudioClassificationModel(modelDir(NAME), config, wav2vec2BertArchitecture, { threads: 1, cache: false });
});
after(async () => model?.dispose());

test("wav2vec2-bert: graph takes input_features [batch, frames, 160] and attention_mask; clean load report", () => {
  assert.deepEqual(model.session.inputs.map((i) => i.name), ["input_features", "attention_mask"]);
  assert.deepEqual(model.report.unusedWeights, []);
});

for (const file of caseFiles(NAME)) {
  test(`wav2vec2-bert: ${file} logits from the recorded features within 1e-4`, async () => {
    const c = readJson(file);
    const logits = await model.forward(featureTensors(c.features));
    assert.deepEqual(logits.dims, c.logits.shape);
    const diff = maxAbsDiff(logits.data, loadFloat(c.logits));
    assert.ok(diff <= 1e-4, `max abs diff ${diff}`);
    if (c.dict_input?.features !== undefined) {
      const d = maxAbsDiff((await model.forward(featureTensors(c.dict_input.features))).data, loadFloat(c.dict_input.logits));
      assert.ok(d <= 1e-4, `dict input: max abs diff ${d}`);
    }
  });
}

test("wav2vec2-bert: three cases' features as one padded batch give their single-run logits within 1e-5", async () => {
  const cases = ["speech_16k", "short_0p3s", "noise_16k_float"].map((n) => readJson(`cases/${NAME}/${n}.json`));
  const singles = cases.map((c) => featureTensors(c.features));
  const frames = Math.max(...singles.map((s) => s["input_features"]!.dims[1]!));
  const width = 160;
  const data = new Float32Array(cases.length * frames * width);
  const mask = new Int32Array(cases.length * frames);
  singles.forEach((s, b) => {
    const f = s["input_features"]!;
    data.set(f.data as Float32Array, b * frames * width);
    mask.set(s["attention_mask"]!.data as Int32Array, b * frames);
  });
  const batch = await model.forward({ input_features: { type: "float32", dims: [cases.length, frames, width], data }, attention_mask: { type: "int32", dims: [cases.length, frames], data: mask } });
  const labels = model.numLabels;
  for (const [b, s] of singles.entries()) {
    const single = await model.forward(s);
    const diff = maxAbsDiff(batch.data.subarray(b * labels, (b + 1) * labels), single.data);
    assert.ok(diff <= 1e-5, `row ${b}: ${diff}`);
  }
});
