/**
 * Single-clip feature outputs stacked into one batch, for extractors whose features depend on
 * the clip alone (FeatureExtractor.perExample): equal to one call on the whole batch.
 */
import { tensor } from "../tensor.js";
import { FeatureExtractorInputError } from "./errors.js";
import type { FeatureExtractorOutput, FeatureTensor } from "./feature-extractor.js";

/** Concatenates single-example outputs along the batch dimension. */
export function stackFeatures(outputs: readonly FeatureExtractorOutput[]): FeatureExtractorOutput {
  const first = outputs[0];
  if (first === undefined) throw new FeatureExtractorInputError("cannot stack an empty batch");
  const result: FeatureExtractorOutput = {};
  for (const [name, t0] of Object.entries(first)) {
    const rowDims = t0.dims.slice(1);
    let batch = 0;
    for (const [i, out] of outputs.entries()) {
      const t = out[name];
      if (t === undefined || t.type !== t0.type || t.dims.length !== t0.dims.length || t.dims.slice(1).some((d, k) => d !== rowDims[k])) {
        throw new FeatureExtractorInputError(
          `example ${i} of the batch has ${name} ${t === undefined ? "missing" : `[${t.dims.join(", ")}]`} but example 0 has [${t0.dims.join(", ")}]; ` +
            `per-example features must all have the same shape`,
        );
      }
      batch += t.dims[0]!;
    }
    const data = new (t0.data.constructor as new (n: number) => FeatureTensor["data"])(outputs.reduce((n, o) => n + o[name]!.data.length, 0));
    let offset = 0;
    for (const out of outputs) {
      (data as Float32Array).set(out[name]!.data as Float32Array, offset);
      offset += out[name]!.data.length;
    }
    result[name] = tensor(t0.type, [batch, ...rowDims], data as never) as FeatureTensor;
  }
  return result;
}

