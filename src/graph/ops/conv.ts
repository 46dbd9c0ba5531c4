import { type Dim, dimAdd, dimCeilDiv, dimFloorDiv, dimMul, dimSub, dimsEqual, formatShape } from "../dim.js";
import { type InferenceContext, type OutputDesc, registerOp } from "../op-schema.js";

interface Window {
  kernel: readonly number[];
  strides: readonly number[];
  pads: readonly number[];
  dilations: readonly number[];
}

function windowAttributes(ctx: InferenceContext, spatialRank: number, kernel: readonly number[]): Window {
  const ones = new Array<number>(spatialRank).fill(1);
  const strides = ctx.ints("strides") ?? ones;
  const dilations = ctx.ints("dilations") ?? ones;
  const pads = ctx.ints("pads") ?? new Array<number>(2 * spatialRank).fill(0);
  const check = (name: string, values: readonly number[], length: number, min: number): void => {
    if (values.length !== length || values.some((v) => !Number.isInteger(v) || v < min)) {
      ctx.shapeError(
        `${name} [${values.join(", ")}] must hold ${length} integers ≥ ${min}`,
        `The input has ${spatialRank} spatial axes${name === "pads" ? "; pads are [begin..., end...]" : ""}.`,
      );
    }
  };
  check("kernel_shape", kernel, spatialRank, 1);
  check("strides", strides, spatialRank, 1);
  check("dilations", dilations, spatialRank, 1);
  check("pads", pads, 2 * spatialRank, 0);
  return { kernel, strides, pads, dilations };
}

/** Output size of one spatial axis: floor or ceil((in + pads − dilated kernel) / stride) + 1. */
function outputSize(ctx: InferenceContext, input: Dim, axis: number, w: Window, ceilMode: boolean): Dim {
  const autoPad = ctx.string("auto_pad", "NOTSET");
  const stride = w.strides[axis]!;
  if (autoPad === "SAME_UPPER" || autoPad === "SAME_LOWER") return dimCeilDiv(input, stride);
  const effectiveKernel = (w.kernel[axis]! - 1) * w.dilations[axis]! + 1;
  const padding = autoPad === "VALID" ? 0 : w.pads[axis]! + w.pads[axis + w.kernel.length]!;
  const span = dimAdd(input, padding - effectiveKernel);
  if (typeof span === "number" && span < 0) {
    ctx.shapeError(
      `spatial axis ${axis} has size ${input}, smaller than the dilated kernel ${effectiveKernel} (padding ${padding})`,
      "Use a longer input or more padding.",
    );
  }
  return dimAdd(ceilMode ? dimCeilDiv(span, stride) : dimFloorDiv(span, stride), 1);
}

/**
 * Output sizes for a kernel whose size is only known at run time (ONNX Runtime reads it from the
 * weight). The autodiff pass needs this: a Conv weight gradient correlates the input with the
 * output gradient, whose length follows the input's.
 */
function runtimeKernelOutput(ctx: InferenceContext, input: readonly Dim[], kernel: readonly Dim[]): Dim[] {
  if (ctx.ints("kernel_shape") !== undefined || ctx.string("auto_pad", "NOTSET") !== "NOTSET") {
    ctx.shapeError("a weight with symbolic kernel dims needs explicit pads and no kernel_shape", "Drop auto_pad and kernel_shape.");
  }
  const r = input.length;
  const strides = ctx.ints("strides") ?? new Array<number>(r).fill(1);
  const dilations = ctx.ints("dilations") ?? new Array<number>(r).fill(1);
  const pads = ctx.ints("pads") ?? new Array<number>(2 * r).fill(0);
  return input.map((d, i) => {
    // floor((in + pads − ((k − 1)·dilation + 1)) / stride) + 1
    const span = dimSub(dimAdd(d, pads[i]! + pads[i + r]! + dilations[i]! - 1), dimMul(kernel[i]!, dilations[i]!));
    return dimAdd(dimFloorDiv(span, strides[i]!), 1);
  });
}

registerOp({
  opType: "Conv",
  domain: "",
  inputs: [2, 3],
  attributes: { auto_pad: "string", dilations: "ints", group: "int", kernel_shape: "ints", pads: "ints", strides: "ints" },
  infer(ctx: InferenceContext): OutputDesc[] {
    ctx.requireDType(0, "float");
    const dtype = ctx.sameDType([0, 1, 2]);
    const x = ctx.input(0).shape;
    const w = ctx.input(1).shape;
    if (x.length < 3 || w.length !== x.length) {
      ctx.shapeError(
        `input ${formatShape(x)} and weight ${formatShape(w)} must be [N, C, D...] and [M, C/group, k...] of the same rank ≥ 3`,
        "Conv1d needs [batch, channels, time] input and [out, in/groups, kernel] weight; unsqueeze or transpose first.",
      );
    }
    const group = ctx.int("group", 1);
    const channels = x[1]!;
    const [outChannels, inPerGroup] = [w[0]!, w[1]!];
    if (typeof inPerGroup === "number" && typeof channels === "number" && inPerGroup * group !== channels) {
      ctx.shapeError(
        `input has ${channels} channels but the weight expects ${inPerGroup} per group × ${group} groups`,
        "The weight's second dim times group must equal the input's channel dim (axis 1).",
      );
    }
    if (typeof outChannels === "number" && outChannels % group !== 0) {
      ctx.shapeError(`${outChannels} output channels do not divide into ${group} groups`, "Use a group count that divides the output channels.");
    }
    const bias = ctx.optionalInput(2);
    if (bias !== undefined && (bias.shape.length !== 1 || !dimsEqual(bias.shape[0]!, outChannels))) {
      ctx.shapeError(`bias ${formatShape(bias.shape)} must be [${outChannels}]`, "Pass one bias per output channel.");
    }
    const kernelFromWeight = w.slice(2);
    if (kernelFromWeight.some((k) => typeof k !== "number")) {
      return [{ dtype, shape: [x[0]!, outChannels, ...runtimeKernelOutput(ctx, x.slice(2), kernelFromWeight)] }];
    }
    const kernel = ctx.ints("kernel_shape") ?? (kernelFromWeight as number[]);
    const win = windowAttributes(ctx, x.length - 2, kernel);
    const spatial = x.slice(2).map((d, i) => outputSize(ctx, d, i, win, false));
    return [{ dtype, shape: [x[0]!, outChannels, ...spatial] }];
  },
});

for (const opType of ["AveragePool", "MaxPool"]) {
  registerOp({
    opType,
    domain: "",
    inputs: [1, 1],
    attributes: {
      auto_pad: "string", ceil_mode: "int", count_include_pad: "int", kernel_shape: "ints",
      pads: "ints", strides: "ints", dilations: "ints", storage_order: "int",
    },
    infer(ctx: InferenceContext): OutputDesc[] {
      ctx.requireDType(0, "numeric");
      const x = ctx.input(0);
      if (x.shape.length < 3) ctx.shapeError(`input must be [N, C, D...], got rank ${x.shape.length}`, "Unsqueeze a spatial axis first.");
      const kernel = ctx.ints("kernel_shape");
      if (kernel === undefined) ctx.shapeError("kernel_shape is required", "Pass the pooling window size.");
      const win = windowAttributes(ctx, x.shape.length - 2, kernel);
      const ceil = ctx.int("ceil_mode", 0) === 1;
      const spatial = x.shape.slice(2).map((d, i) => outputSize(ctx, d, i, win, ceil));
      return [{ dtype: x.dtype, shape: [x.shape[0]!, x.shape[1]!, ...spatial] }];
    },
  });
}

for (const opType of ["GlobalAveragePool", "GlobalMaxPool"]) {
  registerOp({
    opType,
    domain: "",
    inputs: [1, 1],
    infer(ctx: InferenceContext): OutputDesc[] {
      ctx.requireDType(0, "float");
      const x = ctx.input(0);
      if (x.shape.length < 3) ctx.shapeError(`input must be [N, C, D...], got rank ${x.shape.length}`, "Unsqueeze a spatial axis first.");
      return [{ dtype: x.dtype, shape: [x.shape[0]!, x.shape[1]!, ...x.shape.slice(2).map(() => 1)] }];
    },
  });
}

// Inference-mode BatchNormalization (opset 15): per-channel affine from running statistics.
registerOp({
  opType: "BatchNormalization",
  domain: "",
  inputs: [5, 5],
  attributes: { epsilon: "float", momentum: "float", training_mode: "int" },
  infer(ctx: InferenceContext): OutputDesc[] {
    ctx.requireDType(0, "float");
    const x = ctx.input(0);
    if (ctx.int("training_mode", 0) !== 0) ctx.shapeError("training_mode=1 is not supported", "Use inference mode; training graphs are built by the autodiff pass.");
    if (x.shape.length < 2) ctx.shapeError(`input must be [N, C, ...], got rank ${x.shape.length}`, "Pass at least a 2-D input.");
    for (let i = 1; i < 5; i++) {
      const p = ctx.input(i).shape;
      if (p.length !== 1 || !(dimsEqual(p[0]!, x.shape[1]!) || typeof p[0] === "string" || typeof x.shape[1] === "string")) {
        ctx.shapeError(`parameter #${i} ${formatShape(p)} must be [C] = [${x.shape[1]}]`, "Pass one value per channel.");
      }
    }
    return [{ dtype: x.dtype, shape: x.shape }];
  },
});
