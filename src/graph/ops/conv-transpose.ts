// ConvTranspose: the adjoint of Conv, used by the autodiff pass for Conv's input gradient.
// Explicit pads only (no auto_pad, no output_shape): output = stride·(in − 1) + output_padding +
// dilated kernel − pads.
import { type Dim, dimAdd, dimMul, formatShape } from "../dim.js";
import { type InferenceContext, type OutputDesc, registerOp } from "../op-schema.js";

registerOp({
  opType: "ConvTranspose",
  domain: "",
  inputs: [2, 3],
  attributes: {
    auto_pad: "string", dilations: "ints", group: "int", kernel_shape: "ints",
    output_padding: "ints", output_shape: "ints", pads: "ints", strides: "ints",
  },
  infer(ctx: InferenceContext): OutputDesc[] {
    ctx.requireDType(0, "float");
    const dtype = ctx.sameDType([0, 1, 2]);
    const x = ctx.input(0).shape;
    const w = ctx.input(1).shape;
    if (x.length < 3 || w.length !== x.length) {
      ctx.shapeError(`input ${formatShape(x)} and weight ${formatShape(w)} must be [N, C, D...] and [C, M/group, k...] of the same rank ≥ 3`, "Pass a Conv-layout weight.");
    }
    if (ctx.string("auto_pad", "NOTSET") !== "NOTSET" || ctx.ints("output_shape") !== undefined) {
      ctx.shapeError("auto_pad and output_shape are not supported", "Give explicit pads and output_padding.");
    }
    const r = x.length - 2;
    const kernel = w.slice(2);
    if (kernel.some((k) => typeof k !== "number")) ctx.shapeError("the kernel size must be static", "Use a weight with concrete dims.");
    const group = ctx.int("group", 1);
    const ones = new Array<number>(r).fill(1);
    const strides = ctx.ints("strides") ?? ones;
    const dilations = ctx.ints("dilations") ?? ones;
    const pads = ctx.ints("pads") ?? new Array<number>(2 * r).fill(0);
    const outputPadding = ctx.ints("output_padding") ?? new Array<number>(r).fill(0);
    if (strides.length !== r || dilations.length !== r || pads.length !== 2 * r || outputPadding.length !== r) {
      ctx.shapeError(`strides/dilations/output_padding need ${r} entries and pads ${2 * r}`, "Give one value per spatial axis (pads: begins, then ends).");
    }
    outputPadding.forEach((p, i) => {
      if (p < 0 || (p >= strides[i]! && p >= dilations[i]!)) {
        ctx.shapeError(`output_padding ${p} on axis ${i} must be smaller than the stride ${strides[i]} or the dilation ${dilations[i]}`, "Use 0 ≤ output_padding < stride.");
      }
    });
    const channels = x[1]!;
    if (typeof channels === "number" && typeof w[0] === "number" && channels !== w[0]) {
      ctx.shapeError(`input has ${channels} channels but the weight's first dim is ${w[0]}`, "ConvTranspose weights are [C_in, C_out/group, k...].");
    }
    const bias = ctx.optionalInput(2);
    const outChannels = dimMul(w[1]!, group);
    if (bias !== undefined && bias.shape.length !== 1) ctx.shapeError(`bias ${formatShape(bias.shape)} must be 1-D`, "Pass one bias per output channel.");
    const spatial: Dim[] = x.slice(2).map((d, i) => {
      const effective = ((kernel[i] as number) - 1) * dilations[i]! + 1;
      return dimAdd(dimMul(dimAdd(d, -1), strides[i]!), outputPadding[i]! + effective - pads[i]! - pads[i + r]!);
    });
    return [{ dtype, shape: [x[0]!, outChannels, ...spatial] }];
  },
});
