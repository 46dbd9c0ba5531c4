/** Runs a loaded classifier on a batch and on each of its examples alone, for consistency checks. */
import assert from "node:assert/strict";
import type { AudioClassificationModel } from "../../../src/models/index.js";
import type { Tensor } from "../../../src/tensor.js";

/** Example `index` of a batch, as a batch of one. */
export function exampleTensor(batch: Tensor<"float32">, index: number): Tensor<"float32"> {
  const per = batch.dims.slice(1).reduce((a, b) => a * b, 1);
  return { type: "float32", dims: [1, ...batch.dims.slice(1)], data: batch.data.slice(index * per, (index + 1) * per) };
}

/**
 * Runs `features[inputName]` as one batch and example by example; asserts logits [batch, numLabels],
 * finite, and each batch row within `tolerance` of its single run. Returns the batch logits.
 */
export async function assertBatchMatchesSingles(model: AudioClassificationModel, inputName: string, features: Tensor<"float32">, tolerance = 1e-5): Promise<Float32Array> {
  const batchSize = features.dims[0]!;
  const logits = await model.forward({ [inputName]: features });
  assert.deepEqual(logits.dims, [batchSize, model.numLabels]);
  assert.ok(logits.data.every(Number.isFinite), "logits must be finite");
  for (let i = 0; i < batchSize; i++) {
    const single = await model.forward({ [inputName]: exampleTensor(features, i) });
    assert.deepEqual(single.dims, [1, model.numLabels]);
    const row = logits.data.subarray(i * model.numLabels, (i + 1) * model.numLabels);
    const worst = Math.max(...Array.from(row, (v, j) => Math.abs(v - single.data[j]!)));
    assert.ok(worst <= tolerance, `batch row ${i} differs from its single run by ${worst} (tolerance ${tolerance})`);
  }
  return logits.data;
}

/** Largest difference between two rows of a [batch, labels] array: distinct inputs must give distinct logits. */
export function rowSpread(logits: Float32Array, numLabels: number, a: number, b: number): number {
  let m = 0;
  for (let j = 0; j < numLabels; j++) m = Math.max(m, Math.abs(logits[a * numLabels + j]! - logits[b * numLabels + j]!));
  return m;
}
