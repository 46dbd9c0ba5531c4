/**
 * The graph pass behind `dtype`: rewrites a float32 model so its weights are held in lower
 * precision, the same way for every family (it sees only ops and initializers).
 *
 * - "q8": every matrix product whose B is a float32 weight — Gemm (a Linear), MatMul with a weight
 *   or a Transpose of one, FusedMatMul — becomes com.microsoft.DynamicQuantizeMatMul: B int8 with
 *   one scale per output channel (symmetric), A quantized to uint8 per tensor at run time, the
 *   Linear's bias added by the kernel. Convolutions, embeddings, norms and the attention products
 *   (activation × activation) stay float32.
 * - "fp16": every float32 weight of rank ≥ 2 is stored as float16 and widened by a Cast where it is
 *   read; vectors (biases, norm scales) stay float32. The session must not fold those Casts back
 *   into float32 weights (see precisionSessionOptions).
 *
 * Which nodes keep float32 weights is the caller's choice (`keepFloat`; models/ decides per family).
 */
import { type GraphModel, type GraphTensor, GraphRewrite, MICROSOFT_DOMAIN, type NodeInfo, type ValueId, attr, consumersOf } from "../graph/index.js";
import { type Tensor, numel } from "../tensor.js";
import type { SessionOptions } from "./session.js";
import { type Int8Matrix, quantizeMatrixInt8, toFloat16 } from "./weight-quantization.js";

export type ReducedPrecision = "q8" | "fp16";

/**
 * int8 levels each side of zero: 7-bit weights (±63), as onnxruntime's quantizer's `reduce_range`.
 * On x86 CPUs without VNNI (AVX2, plain AVX-512) ORT's u8·s8 kernel adds pairs of products in
 * int16 (vpmaddubsw) and saturates when both are large: 255 · 127 · 2 > 2¹⁵ − 1, while
 * 255 · 63 · 2 < 2¹⁵ − 1. Measured on an AVX2 machine against float32: the fixture models' max
 * |Δ logit| is 0.19–1.21 with ±127 and 0.07–0.23 with ±63; the default model on all 2000 FSDD
 * clips, max / mean |Δ logit| 0.98 / 0.12 with ±127 and 0.31 / 0.017 with ±63 — saturation costs
 * far more than the lost bit. One setting for every CPU keeps results (and cached weights) the same
 * everywhere; on VNNI CPUs ±127 would halve the rounding error (not measured: no such CPU here).
 */
export const DEFAULT_INT8_LEVELS = 63;

/**
 * Smallest weight "fp16" halves. The session's constant-folding limit sits just below the smallest
 * widened weight (see precisionSessionOptions), so this keeps that limit above the shape
 * arithmetic ORT should still fold (int64 vectors, a few hundred bytes at most).
 */
const MIN_HALF_ELEMENTS = 1024;

export interface WeightPrecisionOptions {
  readonly precision: ReducedPrecision;
  /** Nodes whose weights stay float32 (decided per family by measured accuracy). Default: none. */
  readonly keepFloat?: (node: NodeInfo) => boolean;
  /** Tensors converted by an earlier load (an on-disk cache), by the name this pass gives them. */
  readonly precomputed?: (name: string) => GraphTensor | undefined;
  /**
   * Called with each float32 weight once converted: the data read for it may be dropped. The weight
   * can still be read later (another product, a kept node), so only drop copies that can be read again
   * (a file-backed tensor's).
   */
  readonly release?: (tensor: GraphTensor) => void;
  /** int8 levels each side of zero (default DEFAULT_INT8_LEVELS). */
  readonly int8Levels?: number;
}

export interface WeightPrecisionResult {
  readonly model: GraphModel;
  /** Every tensor the rewritten model holds in lower precision (int8 values, their scales, halves), by name. */
  readonly converted: ReadonlyMap<string, GraphTensor>;
  /** How many of them came from `precomputed`. */
  readonly reused: number;
  /** Weights that stayed float32 although the pass could have converted them (keepFloat, values out of range). */
  readonly keptFloat: readonly string[];
}

/** A matrix product y = A · B (+ bias) whose B is a float32 initializer. */
interface WeightProduct {
  readonly a: ValueId;
  readonly weight: ValueId;
  /** "out-in": stored [N, K] as a PyTorch Linear (used transposed); "in-out": stored as B [K, N]. */
  readonly layout: "out-in" | "in-out";
  /** A 1-D float32 bias [N] the kernel adds; other biases are added after it. */
  readonly bias?: ValueId;
  readonly otherBias?: ValueId;
}

const intAttr = (node: NodeInfo, name: string, fallback: number): number => {
  const a = node.attributes[name];
  return a?.type === "int" ? a.value : fallback;
};
const floatAttr = (node: NodeInfo, name: string, fallback: number): number => {
  const a = node.attributes[name];
  return a?.type === "float" ? a.value : fallback;
};

function isFloatMatrix(model: GraphModel, id: ValueId | null | undefined): id is ValueId {
  if (id === null || id === undefined) return false;
  const t = model.initializers.get(id);
  return t !== undefined && t.type === "float32" && t.dims.length === 2;
}

/** Recognises the products the q8 rewrite handles; undefined for everything else. */
function weightProduct(model: GraphModel, node: NodeInfo): WeightProduct | undefined {
  const [a, b, c] = node.inputs;
  if (a === null || a === undefined || model.values[a]!.dtype !== "float32" || model.values[a]!.shape.length < 2) return undefined;
  const op = node.domain === "" ? node.opType : `${node.domain}.${node.opType}`;
  if (op === "Gemm") {
    if (intAttr(node, "transA", 0) !== 0 || floatAttr(node, "alpha", 1) !== 1 || !isFloatMatrix(model, b)) return undefined;
    const layout = intAttr(node, "transB", 0) === 1 ? "out-in" : "in-out";
    if (c === null || c === undefined) return { a, weight: b, layout };
    if (floatAttr(node, "beta", 1) !== 1) return undefined;
    const n = model.initializers.get(b)!.dims[layout === "out-in" ? 0 : 1];
    const cv = model.values[c]!;
    return cv.dtype === "float32" && cv.shape.length === 1 && cv.shape[0] === n ? { a, weight: b, layout, bias: c } : { a, weight: b, layout, otherBias: c };
  }
  if (op === "MatMul") {
    if (isFloatMatrix(model, b)) return { a, weight: b, layout: "in-out" };
    const producer = b === null || b === undefined ? undefined : model.values[b]!.producer;
    const t = producer === undefined ? undefined : model.nodes[producer]!;
    const perm = t?.attributes["perm"];
    if (t?.opType === "Transpose" && t.domain === "" && perm?.type === "ints" && perm.value.join() === "1,0" && isFloatMatrix(model, t.inputs[0])) {
      return { a, weight: t.inputs[0]!, layout: "out-in" };
    }
    return undefined;
  }
  if (op === `${MICROSOFT_DOMAIN}.FusedMatMul`) {
    const plain = intAttr(node, "transA", 0) === 0 && intAttr(node, "transBatchA", 0) === 0 && intAttr(node, "transBatchB", 0) === 0;
    if (!plain || floatAttr(node, "alpha", 1) !== 1 || !isFloatMatrix(model, b)) return undefined;
    return { a, weight: b, layout: intAttr(node, "transB", 0) === 1 ? "out-in" : "in-out" };
  }
  return undefined;
}

/** Rewrites `model` so its weights are held in `options.precision`; see the module comment. */
export function lowerWeightPrecision(model: GraphModel, options: WeightPrecisionOptions): WeightPrecisionResult {
  return options.precision === "q8" ? quantizeProducts(model, options) : halveWeights(model, options);
}

function quantizeProducts(model: GraphModel, options: WeightPrecisionOptions): WeightPrecisionResult {
  const rewrite = new GraphRewrite(model);
  const converted = new Map<string, GraphTensor>();
  const keptFloat = new Set<string>();
  let reused = 0;
  const levels = options.int8Levels ?? DEFAULT_INT8_LEVELS;
  const made = new Map<string, { values: ValueId; scales: ValueId }>();
  const products = model.nodes.map((node) => ({ node, product: weightProduct(model, node) }));
  // A weight some kept node reads stays float32 for every reader, so that one copy serves all.
  const keep = new Set<ValueId>();
  for (const { node, product } of products) if (product !== undefined && options.keepFloat?.(node)) keep.add(product.weight);

  const int8Of = (product: WeightProduct): { values: ValueId; scales: ValueId } | undefined => {
    const weightName = model.values[product.weight]!.name;
    const name = `${weightName}:q8:${product.layout}`;
    const existing = made.get(name);
    if (existing !== undefined) return existing;
    const [cachedValues, cachedScales] = [options.precomputed?.(name), options.precomputed?.(`${name}:scale`)];
    let matrix: Int8Matrix | undefined;
    if (cachedValues?.type === "int8" && cachedScales?.type === "float32") {
      matrix = { values: cachedValues as Tensor<"int8">, scales: cachedScales as Tensor<"float32"> };
      reused += 2;
    } else {
      const weight = model.initializers.get(product.weight) as Tensor<"float32">;
      matrix = quantizeMatrixInt8(weight, product.layout, { levels });
      options.release?.(weight);
    }
    if (matrix === undefined) {
      keptFloat.add(weightName);
      return undefined;
    }
    converted.set(name, matrix.values);
    converted.set(`${name}:scale`, matrix.scales);
    const ids = { values: rewrite.addParameter(name, matrix.values), scales: rewrite.addParameter(`${name}:scale`, matrix.scales) };
    made.set(name, ids);
    return ids;
  };

  for (const { node, product } of products) {
    if (product === undefined) continue;
    if (keep.has(product.weight)) {
      keptFloat.add(model.values[product.weight]!.name);
      continue;
    }
    const int8 = int8Of(product);
    if (int8 === undefined) continue;
    rewrite.replace(node, (emit) => {
      const inputs = [product.a, int8.values, int8.scales, null, product.bias ?? null];
      if (product.otherBias === undefined) {
        emit("DynamicQuantizeMatMul", inputs, {}, { domain: MICROSOFT_DOMAIN, into: node.outputs });
      } else {
        const [y] = emit("DynamicQuantizeMatMul", inputs, {}, { domain: MICROSOFT_DOMAIN });
        emit("Add", [y!, product.otherBias], {}, { into: node.outputs });
      }
    });
  }
  return { model: rewrite.build(), converted, reused, keptFloat: [...keptFloat] };
}

function halveWeights(model: GraphModel, options: WeightPrecisionOptions): WeightPrecisionResult {
  const rewrite = new GraphRewrite(model);
  const converted = new Map<string, GraphTensor>();
  const keptFloat: string[] = [];
  let reused = 0;
  const consumers = consumersOf(model);
  for (const [id, tensor] of model.initializers) {
    const value = model.values[id]!;
    const readers = consumers.get(id) ?? [];
    if (tensor.type !== "float32" || tensor.dims.length < 2 || numel(tensor.dims) < MIN_HALF_ELEMENTS || readers.length === 0) continue;
    if (readers.some((node) => options.keepFloat?.(node))) {
      keptFloat.push(value.name);
      continue;
    }
    const name = `${value.name}:fp16`;
    const cached = options.precomputed?.(name);
    let half = cached?.type === "float16" ? cached : undefined;
    if (half !== undefined) reused++;
    else {
      half = toFloat16(tensor as Tensor<"float32">);
      options.release?.(tensor);
    }
    if (half === undefined) {
      keptFloat.push(value.name);
      continue;
    }
    converted.set(name, half);
    const halfId = rewrite.addParameter(name, half);
    let widened: ValueId | undefined;
    rewrite.insertBefore(readers[0]!, (emit) => {
      [widened] = emit("Cast", [halfId], { to: attr.int(1) });
    });
    rewrite.readFrom(id, widened!);
  }
  return { model: rewrite.build(), converted, reused, keptFloat };
}

/**
 * Session options a rewritten model needs. "fp16" models must keep their Casts: ORT would otherwise
 * fold each Cast of a half weight into a float32 weight at load (constant folding, and the
 * FuseFp16InitializerToFp32NodeTransformer), giving back all the memory halving saved. The folding
 * limit is set just below the smallest widened weight, so smaller constants still fold.
 */
export function precisionSessionOptions(result: WeightPrecisionResult): Pick<SessionOptions, "constantFoldingLimitBytes" | "disabledOptimizers"> {
  let smallest = Infinity;
  for (const tensor of result.converted.values()) if (tensor.type === "float16") smallest = Math.min(smallest, numel(tensor.dims) * 4);
  if (smallest === Infinity) return {};
  return { constantFoldingLimitBytes: smallest - 1, disabledOptimizers: ["FuseFp16InitializerToFp32NodeTransformer"] };
}
