// ONNX Runtime contrib ops (domain com.microsoft) used as optional fused forms. Only the
// configurations we use are accepted: MultiHeadAttention with separate 3-D Q/K/V (no packed QKV,
// no past state), FusedMatMul as MatMul with transposes.
import { type Dim, dimExactDiv, dimsEqual, formatShape } from "../dim.js";
import { MICROSOFT_DOMAIN } from "../ir.js";
import { type InferenceContext, type OutputDesc, registerOp } from "../op-schema.js";
import { broadcastShapes } from "../shape.js";

function compatible(a: Dim, b: Dim): boolean {
  return dimsEqual(a, b) || typeof a === "string" || typeof b === "string";
}

registerOp({
  opType: "MultiHeadAttention",
  domain: MICROSOFT_DOMAIN,
  inputs: [3, 6],
  attributes: { num_heads: "int", scale: "float", mask_filter_value: "float", unidirectional: "int" },
  infer(ctx: InferenceContext): OutputDesc[] {
    ctx.requireDType(0, "float");
    const dtype = ctx.sameDType([0, 1, 2, 3, 5]);
    const heads = ctx.requiredInt("num_heads");
    const [q, k, v] = [0, 1, 2].map((i) => ctx.input(i).shape);
    if (q!.length !== 3 || k!.length !== 3 || v!.length !== 3) {
      ctx.shapeError("query, key and value must be 3-D [batch, sequence, hidden]", "Pass the projected Q, K and V before splitting heads.");
    }
    const [batch, seq, hidden] = q as [Dim, Dim, Dim];
    const [kvSeq, vHidden] = [k![1]!, v![2]!];
    if (!compatible(k![0]!, batch) || !compatible(v![0]!, batch) || !compatible(k![1]!, v![1]!)) {
      ctx.shapeError("query, key and value disagree on batch or key length", "Key and value need the same [batch, kv_sequence].");
    }
    if (!compatible(k![2]!, hidden)) ctx.shapeError(`key hidden size ${k![2]} differs from query hidden size ${hidden}`, "Q and K need the same hidden size.");
    if (typeof hidden === "number" && dimExactDiv(hidden, heads) === undefined) {
      ctx.shapeError(`hidden size ${hidden} is not divisible by num_heads ${heads}`, "Use a head count that divides the hidden size.");
    }
    const bias = ctx.optionalInput(3);
    if (bias !== undefined && bias.shape.length !== 1) ctx.shapeError(`bias ${formatShape(bias.shape)} must be 1-D [3 × hidden]`, "Concatenate the Q, K and V biases.");
    const mask = ctx.optionalInput(4);
    if (mask !== undefined && mask.dtype !== "int32") ctx.dtypeError(`key_padding_mask has type ${mask.dtype}`, "Cast the mask to int32.");
    const attentionBias = ctx.optionalInput(5);
    if (attentionBias !== undefined) {
      const s = attentionBias.shape;
      const fits =
        s.length === 4 && compatible(s[2]!, seq) && compatible(s[3]!, kvSeq) &&
        (s[0] === 1 || compatible(s[0]!, batch)) && (s[1] === 1 || compatible(s[1]!, heads)) &&
        !("conflictAxisFromEnd" in broadcastShapes([s, [batch, heads, seq, kvSeq]], ctx.location.nodeName));
      if (!fits) {
        ctx.shapeError(
          `attention_bias ${formatShape(s)} must be [batch or 1, heads or 1, ${seq}, ${kvSeq}]`,
          "Expand the mask over the query axis: the fused kernel does not broadcast axis 2.",
        );
      }
    }
    return [{ dtype, shape: [batch, seq, vHidden] }];
  },
});

registerOp({
  opType: "FusedMatMul",
  domain: MICROSOFT_DOMAIN,
  inputs: [2, 2],
  attributes: { alpha: "float", transA: "int", transB: "int", transBatchA: "int", transBatchB: "int" },
  infer(ctx: InferenceContext): OutputDesc[] {
    ctx.requireDType(0, "float");
    const dtype = ctx.sameDType([0, 1]);
    const a = ctx.input(0).shape;
    const b = ctx.input(1).shape;
    if (a.length < 2 || b.length < 2) ctx.shapeError("FusedMatMul needs operands of rank ≥ 2", "Use MatMul for vectors.");
    if (ctx.int("transBatchA", 0) || ctx.int("transBatchB", 0)) ctx.shapeError("transBatchA/transBatchB are not supported", "Transpose explicitly.");
    const swap = (s: readonly Dim[], t: boolean): Dim[] => (t ? [...s.slice(0, -2), s[s.length - 1]!, s[s.length - 2]!] : [...s]);
    const a2 = swap(a, ctx.int("transA", 0) === 1);
    const b2 = swap(b, ctx.int("transB", 0) === 1);
    if (!compatible(a2[a2.length - 1]!, b2[b2.length - 2]!)) {
      ctx.shapeError(`inner dimensions differ: op(A) ${formatShape(a2)} × op(B) ${formatShape(b2)}`, "Check transA/transB.");
    }
    const batch = broadcastShapes([a2.slice(0, -2), b2.slice(0, -2)], ctx.location.nodeName);
    if ("conflictAxisFromEnd" in batch) ctx.shapeError("batch dimensions do not broadcast", "Leading dims must be equal or 1.");
    return [{ dtype, shape: [...batch.shape, a2[a2.length - 2]!, b2[b2.length - 1]!] }];
  },
});
