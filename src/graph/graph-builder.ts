import { attr } from "./attributes.js";
import { TensorOps } from "./builder-tensor-ops.js";
import { GraphError } from "./errors.js";
import { type GraphModel, MICROSOFT_DOMAIN } from "./ir.js";
import type { Value } from "./value.js";

export interface ConvOptions {
  /** One per spatial axis (default 1). */
  readonly strides?: readonly number[];
  /** [begin..., end...] per spatial axis (default 0). PyTorch padding p on a 1-D conv is [p, p]. */
  readonly pads?: readonly number[];
  readonly dilations?: readonly number[];
  /** Groups (PyTorch `groups`; depthwise when equal to the channel count). */
  readonly group?: number;
}

export interface PoolOptions {
  readonly kernel: readonly number[];
  readonly strides?: readonly number[];
  readonly pads?: readonly number[];
  readonly ceilMode?: boolean;
  /** AveragePool only: count padded zeros in the divisor (PyTorch count_include_pad). */
  readonly countIncludePad?: boolean;
}

export interface MultiHeadAttentionOptions {
  readonly numHeads: number;
  /** Multiplies Q·Kᵀ; default 1/√head_size. */
  readonly scale?: number;
  /** Concatenated Q, K and V projection biases [3 × hidden], added inside the kernel. */
  readonly bias?: Value;
  /** Additive bias [batch or 1, heads or 1, query length, key length]: masks and position biases. */
  readonly attentionBias?: Value;
}

/**
 * Builds a graph op by op. Model code is written against this class:
 *
 *     const g = new GraphBuilder({ name: "classifier" });
 *     const x = g.input("input_values", "float32", ["batch", 1024, 128]);
 *     const w = g.initializer("classifier.dense.weight", weight);   // [out, in], PyTorch layout
 *     const y = g.add(g.matMul(x, g.transpose(w, [1, 0])), g.initializer("classifier.dense.bias", bias));
 *     g.output("logits", y);
 *     const model = g.build();
 *
 * Every call infers dtype and shape (with symbolic dims) and fails early with a ShapeError or
 * DTypeError naming the op, its scope and the input shapes.
 */
export class GraphBuilder extends TensorOps {
  /**
   * A builder holding a copy of `model`, for passes that extend or rewrite a graph (autodiff).
   * With outputs "drop", the model's outputs become ordinary values and new outputs are declared.
   */
  static from(model: GraphModel, options: { outputs?: "keep" | "drop" } = {}): GraphBuilder {
    const g = new GraphBuilder({ name: model.name, docString: model.docString });
    g.load(model, options.outputs !== "drop");
    return g;
  }

  /** N-D convolution (1-D and 2-D in practice): x [N, C, D...], w [M, C/group, k...], b [M]. */
  conv(x: Value, w: Value, b?: Value, options: ConvOptions = {}): Value {
    return this.op1("Conv", [x, w, b], {
      strides: options.strides === undefined ? undefined : attr.ints(options.strides),
      pads: options.pads === undefined ? undefined : attr.ints(options.pads),
      dilations: options.dilations === undefined ? undefined : attr.ints(options.dilations),
      group: options.group === undefined || options.group === 1 ? undefined : attr.int(options.group),
    });
  }

  averagePool(x: Value, options: PoolOptions): Value {
    return this.op1("AveragePool", [x], {
      ...this.poolAttributes(options),
      count_include_pad: options.countIncludePad ? attr.int(1) : undefined,
    });
  }

  maxPool(x: Value, options: PoolOptions): Value {
    return this.op1("MaxPool", [x], this.poolAttributes(options));
  }

  private poolAttributes(options: PoolOptions) {
    return {
      kernel_shape: attr.ints(options.kernel),
      strides: options.strides === undefined ? undefined : attr.ints(options.strides),
      pads: options.pads === undefined ? undefined : attr.ints(options.pads),
      ceil_mode: options.ceilMode ? attr.int(1) : undefined,
    };
  }

  globalAveragePool(x: Value): Value {
    return this.op1("GlobalAveragePool", [x]);
  }

  /** Inference-mode batch norm: (x − mean)/√(var + ε)·scale + bias per channel (axis 1). */
  batchNormalization(x: Value, scale: Value, bias: Value, mean: Value, variance: Value, options: { epsilon?: number } = {}): Value {
    return this.op1("BatchNormalization", [x, scale, bias, mean, variance], { epsilon: attr.float(options.epsilon ?? 1e-5) });
  }

  /**
   * ONNX Runtime's fused attention (com.microsoft.MultiHeadAttention) on projected Q [B, S, D],
   * K [B, T, D], V [B, T, Dv]: softmax(Q·Kᵀ·scale + attentionBias)·V per head, heads merged
   * back into [B, S, Dv]. CPU float32 only in practice.
   */
  multiHeadAttention(query: Value, key: Value, value: Value, options: MultiHeadAttentionOptions): Value {
    if (!Number.isInteger(options.numHeads) || options.numHeads < 1) {
      throw new GraphError(`multiHeadAttention: numHeads must be a positive integer, got ${options.numHeads}`);
    }
    return this.op1(
      "MultiHeadAttention",
      [query, key, value, options.bias, undefined, options.attentionBias],
      { num_heads: attr.int(options.numHeads), scale: options.scale === undefined ? undefined : attr.float(options.scale) },
      MICROSOFT_DOMAIN,
    );
  }

  /** alpha·op(A)·op(B) with batched operands (com.microsoft.FusedMatMul), e.g. x·Wᵀ without a Transpose. */
  fusedMatMul(a: Value, b: Value, options: { alpha?: number; transA?: boolean; transB?: boolean } = {}): Value {
    return this.op1(
      "FusedMatMul",
      [a, b],
      {
        alpha: options.alpha === undefined ? undefined : attr.float(options.alpha),
        transA: options.transA ? attr.int(1) : undefined,
        transB: options.transB ? attr.int(1) : undefined,
      },
      MICROSOFT_DOMAIN,
    );
  }
}
