/**
 * Checks and conversions between what callers hand a ClapModel (feature-extractor and tokenizer
 * output, in Hugging Face names) and the towers' graph inputs, and the similarity products the
 * logits are made of.
 */
import { describeValue } from "../../errors.js";
import { tensor, type Tensor } from "../../tensor.js";
import { ModelInputError } from "../errors.js";
import type { AudioInputShape } from "./clap-graphs.js";

function isTensor(value: unknown): value is Tensor {
  return typeof value === "object" && value !== null && ArrayBuffer.isView((value as Tensor).data) && Array.isArray((value as Tensor).dims);
}

/** The audio tower's feeds: input_features as built for, and is_longer (bool) when the model fuses. */
export function checkAudioFeatures(features: Readonly<Record<string, Tensor>>, shape: AudioInputShape, fused: boolean): Record<string, Tensor> {
  const x = features?.["input_features"];
  const want = `[batch, ${shape.channels}, ${shape.frames}, ${shape.bins}]`;
  if (!isTensor(x) || x.type !== "float32") {
    throw new ModelInputError(`CLAP's audio tower needs "input_features", a float32 tensor ${want} from ClapFeatureExtractor; got ${describeValue(x)}`);
  }
  const [batch, channels, frames, bins] = x.dims;
  if (x.dims.length !== 4 || channels !== shape.channels || frames !== shape.frames || bins !== shape.bins || batch === 0) {
    const hint = channels !== shape.channels
      ? ` (${shape.channels === 4 ? 'this model was loaded for truncation "fusion" features' : 'this model was loaded for truncation "rand_trunc" features'}; pass audioInput when loading to use other features)`
      : " (the checkpoint's preprocessor_config.json fixes max_length_s, hop_length and feature_size)";
    throw new ModelInputError(`input_features must be ${want}, got [${x.dims.join(", ")}]${hint}`);
  }
  if (!fused) return { input_features: x };
  const flags = features["is_longer"];
  if (!isTensor(flags) || flags.data.length !== batch) {
    throw new ModelInputError(`this CLAP model fuses long clips and needs "is_longer" [${batch}, 1] (ClapFeatureExtractor returns it), got ${describeValue(flags)}`);
  }
  const data = Uint8Array.from(flags.data as ArrayLike<number | bigint>, (v) => (Number(v) !== 0 ? 1 : 0));
  return { input_features: x, is_longer: tensor("bool", [batch!, 1], data) };
}

function asInt64(t: Tensor, name: string): Tensor<"int64"> {
  if (t.type === "int64") return t as Tensor<"int64">;
  if (t.type === "int32" || t.type === "uint8" || t.type === "bool" || t.type === "int8") {
    return tensor("int64", t.dims, BigInt64Array.from(t.data as ArrayLike<number>, (v) => BigInt(v)));
  }
  throw new ModelInputError(`"${name}" must hold integer token ids (int64 or int32), got ${t.type}`);
}

/** The text tower's feeds: int64 input_ids and attention_mask (all ones when not given). */
export function checkTextInputs(inputs: Readonly<Record<string, Tensor>>, maxLength: number): Record<string, Tensor> {
  const ids = inputs?.["input_ids"];
  if (!isTensor(ids) || ids.dims.length !== 2 || ids.dims[0] === 0 || ids.dims[1] === 0) {
    throw new ModelInputError(`CLAP's text tower needs "input_ids" [batch, sequence] from its tokenizer, got ${describeValue(ids)}`);
  }
  if (ids.dims[1]! > maxLength) {
    throw new ModelInputError(
      `the texts are ${ids.dims[1]} tokens long, but CLAP's text tower takes at most ${maxLength} (max_position_embeddings); shorten the labels or the hypothesis template, or tokenize with truncation`,
    );
  }
  const mask = inputs["attention_mask"];
  if (mask !== undefined && (!isTensor(mask) || mask.dims.length !== 2 || mask.dims[0] !== ids.dims[0] || mask.dims[1] !== ids.dims[1])) {
    throw new ModelInputError(`"attention_mask" must have the shape of input_ids [${ids.dims.join(", ")}], got ${describeValue(mask)}`);
  }
  const count = ids.dims[0]! * ids.dims[1]!;
  return {
    input_ids: asInt64(ids, "input_ids"),
    attention_mask: mask === undefined ? tensor("int64", ids.dims, new BigInt64Array(count).fill(1n)) : asInt64(mask, "attention_mask"),
  };
}

/** scale · a·bᵀ for row-major a [n, d] and b [m, d], rounded to float32 like torch's matmul. */
export function dotProducts(a: Tensor<"float32">, b: Tensor<"float32">, scale: number): Tensor<"float32"> {
  const [n, d] = a.dims as [number, number];
  const [m, d2] = b.dims as [number, number];
  if (a.dims.length !== 2 || b.dims.length !== 2 || d !== d2) {
    throw new ModelInputError(`embeddings must be [count, dim] with the same dim, got [${a.dims.join(", ")}] and [${b.dims.join(", ")}]`);
  }
  const out = new Float32Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let sum = 0;
      for (let k = 0; k < d; k++) sum += a.data[i * d + k]! * b.data[j * d + k]!;
      out[i * m + j] = Math.fround(Math.fround(sum) * scale);
    }
  }
  return tensor("float32", [n, m], out);
}
