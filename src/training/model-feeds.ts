/**
 * From a batch to the feeds of a model graph: the feature extractor's tensors under the graph's
 * input names (attention masks converted to the integer type the graph declares, all ones when
 * the extractor gave none), labels as the loss wants them, and the dims of any other input the
 * graph declares over the same symbols ("batch", "time").
 */
import { type GraphModel, dimSymbols, evaluateDim } from "../graph/index.js";
import type { Tensor } from "../tensor.js";
import { TrainingDataError } from "./errors.js";

/** Inputs a batch provides (the rest are parameters, masks and gates). */
const MODEL_INPUTS = new Set(["input_values", "input_features", "attention_mask"]);

function asMask(mask: Tensor, type: string): Tensor {
  if (mask.type === type) return mask;
  const n = mask.data.length;
  if (type === "int64") {
    const data = new BigInt64Array(n);
    for (let i = 0; i < n; i++) data[i] = BigInt(Number(mask.data[i]));
    return { type: "int64", dims: mask.dims, data };
  }
  if (type === "int32") return { type: "int32", dims: mask.dims, data: Int32Array.from(mask.data as ArrayLike<number>, Number) };
  throw new TrainingDataError(`the model's attention_mask input is ${type}; audioclass feeds int32 or int64 masks`);
}

/** The graph inputs a batch fills, converted as the graph declares them. */
export function batchFeeds(graph: GraphModel, inputs: Readonly<Record<string, Tensor>>): Record<string, Tensor> {
  const feeds: Record<string, Tensor> = {};
  for (const id of graph.inputs) {
    const v = graph.values[id]!;
    if (!MODEL_INPUTS.has(v.name)) continue;
    const given = inputs[v.name];
    if (given !== undefined) {
      feeds[v.name] = v.name === "attention_mask" ? asMask(given, v.dtype) : given;
      continue;
    }
    if (v.name === "attention_mask") {
      const values = inputs["input_values"];
      if (values === undefined) throw new TrainingDataError("the model takes an attention_mask but the batch has no input_values to size it from");
      const n = values.data.length;
      feeds[v.name] = v.dtype === "int32" ? { type: "int32", dims: values.dims, data: new Int32Array(n).fill(1) } : { type: "int64", dims: values.dims, data: new BigInt64Array(n).fill(1n) };
      continue;
    }
    throw new TrainingDataError(`the model needs "${v.name}" but the feature extractor produced {${Object.keys(inputs).join(", ")}}; the model and its preprocessor_config.json do not match`);
  }
  return feeds;
}

/** Labels for the loss: int64 class ids [batch] (cross entropy) or float multi-hot [batch, labels] (BCE). */
export function labelFeed(labels: Int32Array | Float32Array, multiLabel: boolean, numLabels: number): Tensor {
  if (multiLabel) return { type: "float32", dims: [labels.length / numLabels, numLabels], data: labels as Float32Array };
  return { type: "int64", dims: [labels.length], data: BigInt64Array.from(labels as Int32Array, (v) => BigInt(v)) };
}

/** dims of any input of `graph`, with its symbols bound from the fed inputs (e.g. [batch, frames]). */
export function inputDimsFor(graph: GraphModel, feeds: Readonly<Record<string, Tensor>>): (name: string) => number[] {
  const bindings: Record<string, number> = {};
  for (const id of graph.inputs) {
    const v = graph.values[id]!;
    const fed = feeds[v.name];
    if (fed === undefined) continue;
    v.shape.forEach((d, i) => {
      if (typeof d === "string" && dimSymbols(d).length === 1 && dimSymbols(d)[0] === d) bindings[d] = fed.dims[i]!;
    });
  }
  return (name) => {
    const v = graph.values.find((x) => x.name === name && x.kind === "input");
    if (v === undefined) throw new TrainingDataError(`the training graph has no input "${name}"`);
    return v.shape.map((d) => {
      const n = evaluateDim(d, bindings);
      if (n === undefined) throw new TrainingDataError(`cannot size input "${name}" [${v.shape.join(", ")}] from the batch (${JSON.stringify(bindings)})`);
      return n;
    });
  };
}
