// Vector-Jacobian rules of Conv and pooling.
//
// Conv's input gradient is ConvTranspose of dy with the same weight, strides, pads, dilations
// and groups; output_padding restores the input positions past the last window. Its weight
// gradient dW[m, c, j] = Σ_{n,t} dy[n, m, t]·x_pad[n, g·Cg + c, t·stride + j·dilation] is itself a
// grouped Conv: batch and channel axes of x swap places (x → [Cg, G·N, S...]), dy becomes the
// kernel ([M, N, O...]), and stride and dilation swap roles. The result is [Cg, M, k'...] with
// k' ≥ k (the trailing positions past the last full window), cut to k.
import { attr } from "../../attributes.js";
import type { GraphBuilder } from "../../graph-builder.js";
import type { Value } from "../../value.js";
import { countOver, dimOf, shapeVector, staticDims } from "../gradient-shapes.js";
import { type VjpContext, registerVjp } from "../vjp-rule.js";

interface Window {
  kernel: number[];
  strides: number[];
  pads: number[];
  dilations: number[];
}

function windowOf(ctx: VjpContext, x: Value, kernel: readonly number[]): Window {
  const r = x.rank - 2;
  if (ctx.string("auto_pad", "NOTSET") !== "NOTSET") ctx.fail("auto_pad is not supported", "Build the forward op with explicit pads.");
  return {
    kernel: [...kernel],
    strides: [...(ctx.ints("strides") ?? new Array<number>(r).fill(1))],
    pads: [...(ctx.ints("pads") ?? new Array<number>(2 * r).fill(0))],
    dilations: [...(ctx.ints("dilations") ?? new Array<number>(r).fill(1))],
  };
}

/**
 * The adjoint of a strided window op: ConvTranspose of dy with `w`, sized back to x's spatial
 * dims. Where x's size is symbolic the leftover (in + pads − window) mod stride is unknown, so
 * the maximal output_padding is used and the result cut to x's size with a Gather.
 */
function transposedWindow(g: GraphBuilder, dy: Value, w: Value, x: Value, win: Window, group: number): Value {
  const r = x.rank - 2;
  const outputPadding: number[] = [];
  const cut: number[] = [];
  for (let i = 0; i < r; i++) {
    const size = x.shape[2 + i]!;
    const s = win.strides[i]!;
    if (typeof size === "number") {
      const effective = (win.kernel[i]! - 1) * win.dilations[i]! + 1;
      outputPadding.push((size + win.pads[i]! + win.pads[i + r]! - effective) % s);
    } else {
      outputPadding.push(s - 1);
      if (s > 1) cut.push(2 + i);
    }
  }
  let dx = g.op("ConvTranspose", [dy, w], {
    strides: attr.ints(win.strides),
    pads: attr.ints(win.pads),
    dilations: attr.ints(win.dilations),
    group: group === 1 ? undefined : attr.int(group),
    output_padding: outputPadding.some((p) => p !== 0) ? attr.ints(outputPadding) : undefined,
  })[0]!;
  for (const axis of cut) dx = g.gather(dx, g.range(0, g.squeeze(dimOf(g, x, axis), [0])), axis);
  return dx;
}

/** dW of a Conv, see the file comment. */
function convWeightGradient(g: GraphBuilder, x: Value, dy: Value, w: Value, win: Window, group: number): Value {
  const r = x.rank - 2;
  const spatial = Array.from({ length: r }, (_, i) => 2 + i);
  const [m, cg] = [w.shape[0] as number, w.shape[1] as number];
  const spatialDims = spatial.map((a) => dimOf(g, x, a));
  let xs: Value;
  if (group === 1) xs = g.transpose(x, [1, 0, ...spatial]);
  else {
    const grouped = g.reshape(x, shapeVector(g, [dimOf(g, x, 0), group, cg, ...spatialDims]));
    const swapped = g.transpose(grouped, [2, 1, 0, ...spatial.map((a) => a + 1)]);
    xs = g.reshape(swapped, shapeVector(g, [cg, -1, ...spatialDims]));
  }
  const kernel = g.transpose(dy, [1, 0, ...spatial]);
  const correlated = g.conv(xs, kernel, undefined, { strides: win.dilations, dilations: win.strides, pads: win.pads, group });
  let dw = g.transpose(correlated, [1, 0, ...spatial]);
  const exact = dw.shape.slice(2).every((d, i) => d === win.kernel[i]);
  if (!exact) {
    dw = g.slice(dw, win.kernel.map(() => 0), win.kernel, spatial);
    dw = g.reshape(dw, [m, cg, ...win.kernel]);
  }
  return dw;
}

registerVjp("Conv", {
  differentiable: [0, 1, 2],
  vjp: (ctx: VjpContext, [dy]) => {
    const { g } = ctx;
    const [x, w] = [ctx.input(0), ctx.input(1)];
    const kernel = staticDims(w.shape.slice(2));
    if (kernel === undefined || typeof w.shape[0] !== "number" || typeof w.shape[1] !== "number") {
      return ctx.fail(`the weight ${JSON.stringify(w.shape)} has symbolic dims`, "Differentiate convolutions with static weight shapes.");
    }
    const win = windowOf(ctx, x, kernel);
    const group = ctx.int("group", 1);
    const spatial = Array.from({ length: x.rank - 2 }, (_, i) => 2 + i);
    return [
      ctx.needs(0) ? transposedWindow(g, dy!, w, x, win, group) : undefined,
      ctx.needs(1) ? convWeightGradient(g, x, dy!, w, win, group) : undefined,
      ctx.needs(2) ? g.reduceSum(dy!, [0, ...spatial], { keepDims: false }) : undefined,
    ];
  },
});

// AveragePool: every input position receives dy/divisor of each window it lies in — a
// depthwise ConvTranspose with a kernel of ones.
registerVjp("AveragePool", {
  differentiable: [0],
  vjp: (ctx: VjpContext, [dy]) => {
    const { g } = ctx;
    const x = ctx.input(0);
    if (ctx.int("ceil_mode", 0) !== 0) ctx.fail("ceil_mode=1 is not supported", "Pad explicitly and use ceil_mode=0.");
    const kernel = ctx.ints("kernel_shape")!;
    const win = windowOf(ctx, x, kernel);
    const window = kernel.reduce((p, k) => p * k, 1);
    let divisor: Value;
    if (ctx.int("count_include_pad", 0) === 1 || win.pads.every((p) => p === 0)) divisor = g.scalar(window, x.dtype);
    else {
      // windows at the border average over fewer (unpadded) positions
      const ones = g.constantOfShape(g.shape(x), 1, x.dtype);
      const fraction = g.op("AveragePool", [ones], { ...ctx.node.attributes, count_include_pad: attr.int(1) })[0]!;
      divisor = g.mul(fraction, window);
    }
    const channels = x.shape[1]!;
    if (typeof channels !== "number") ctx.fail("the channel count is symbolic", "Give the pooled input a static channel dim.");
    const onesKernel = g.constant({ type: "float32", dims: [channels, 1, ...kernel], data: new Float32Array(channels * window).fill(1) });
    return [transposedWindow(g, g.div(dy!, divisor), g.cast(onesKernel, x.dtype), x, win, channels)];
  },
});

registerVjp("GlobalAveragePool", {
  differentiable: [0],
  vjp: (ctx: VjpContext, [dy]) => {
    const { g } = ctx;
    const x = ctx.input(0);
    const spatial = Array.from({ length: x.rank - 2 }, (_, i) => 2 + i);
    return [g.expand(g.div(dy!, countOver(g, x, spatial)), g.shape(x))];
  },
});

// The maximum of each (n, c) plane takes the gradient, split between ties.
registerVjp("GlobalMaxPool", {
  differentiable: [0],
  vjp: (ctx: VjpContext, [dy]) => {
    const { g } = ctx;
    const x = ctx.input(0);
    const spatial = Array.from({ length: x.rank - 2 }, (_, i) => 2 + i);
    const hit = g.cast(g.equal(x, ctx.output()), x.dtype);
    return [g.mul(hit, g.div(dy!, g.reduceSum(hit, spatial, { keepDims: true })))];
  },
});
