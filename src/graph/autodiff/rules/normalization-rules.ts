// Vector-Jacobian rules of Softmax and the normalisations. Layer and instance norm use their
// closed-form backward rather than a decomposition into means and variances: with x̂ the
// normalised input and r = 1/√(var + ε) over the normalised axes,
//   dx = r·(g − mean(g) − x̂·mean(g·x̂)),  g = dy·scale,
//   dscale = Σ dy·x̂,  dbias = Σ dy  (sums over the other axes).
// x̂ and r come from one LayerNormalization with unit scale (its optional Mean/InvStdDev
// outputs), so only x is kept from the forward pass.
import { attr } from "../../attributes.js";
import type { GraphBuilder } from "../../graph-builder.js";
import type { Value } from "../../value.js";
import { staticDims, unbroadcast } from "../gradient-shapes.js";
import { type VjpContext, registerVjp } from "../vjp-rule.js";

/** x̂ and 1/√(var + ε) over the axes from `axis` on (r keeps those axes as size 1). */
function normalizedWithStats(g: GraphBuilder, x: Value, axis: number, epsilon: number): { xhat: Value; invStd: Value } {
  const normShape = x.shape.slice(axis);
  const dims = staticDims(normShape);
  const ones = dims !== undefined
    ? g.constant({ type: "float32", dims, data: new Float32Array(dims.reduce((p, d) => p * d, 1)).fill(1) })
    : g.constantOfShape(g.shape(x, axis), 1, x.dtype);
  const [xhat, , invStd] = g.op("LayerNormalization", [x, x.dtype === "float32" ? ones : g.cast(ones, x.dtype)], {
    axis: attr.int(axis),
    epsilon: attr.float(epsilon),
  }, { outputs: 3 });
  return { xhat: xhat!, invStd: g.cast(invStd!, x.dtype) };
}

/** r·(g − mean(g) − x̂·mean(g·x̂)) over `axes`. */
function normalizedBackward(g: GraphBuilder, grad: Value, xhat: Value, invStd: Value, axes: readonly number[]): Value {
  const meanG = g.reduceMean(grad, axes);
  const meanGX = g.reduceMean(g.mul(grad, xhat), axes);
  return g.mul(g.sub(g.sub(grad, meanG), g.mul(xhat, meanGX)), invStd);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

/** Σ over `axes` (none: the value itself). */
function sumOver(g: GraphBuilder, x: Value, axes: readonly number[]): Value {
  return axes.length === 0 ? x : g.reduceSum(x, axes, { keepDims: false });
}

// y = softmax(x): dx = y·(dy − Σ dy·y) along the axis.
registerVjp("Softmax", {
  differentiable: [0],
  vjp: (ctx: VjpContext, [dy]) => {
    const { g } = ctx;
    const y = ctx.output();
    const axis = ctx.int("axis", -1);
    const dot = g.reduceSum(g.mul(dy!, y), [axis], { keepDims: true });
    return [g.mul(y, g.sub(dy!, dot))];
  },
});

registerVjp("LayerNormalization", {
  differentiable: [0, 1, 2],
  vjp: (ctx: VjpContext, dOutputs) => {
    const { g } = ctx;
    if (dOutputs.slice(1).some((d) => d !== undefined)) {
      ctx.fail("gradients through the Mean/InvStdDev outputs are not supported", "Use only the normalised output on the gradient path.");
    }
    const dy = dOutputs[0]!;
    const [x, scale, bias] = [ctx.input(0), ctx.input(1), ctx.optionalInput(2)];
    const rank = x.rank;
    const axisAttr = ctx.int("axis", -1);
    const axis = axisAttr < 0 ? axisAttr + rank : axisAttr;
    const leading = range(0, axis);
    const { xhat, invStd } = normalizedWithStats(g, x, axis, ctx.float("epsilon", 1e-5));
    const dbias = ctx.needs(2) && bias !== undefined ? unbroadcast(g, sumOver(g, dy, leading), bias) : undefined;
    const dscale = ctx.needs(1) ? unbroadcast(g, sumOver(g, g.mul(dy, xhat), leading), scale) : undefined;
    const dx = ctx.needs(0) ? normalizedBackward(g, g.mul(dy, scale), xhat, invStd, range(axis, rank)) : undefined;
    return [dx, dscale, dbias];
  },
});

// InstanceNormalization of [N, C, D...]: layer norm of each (n, c) row over the flattened D...,
// with a per-channel scale and bias.
registerVjp("InstanceNormalization", {
  differentiable: [0, 1, 2],
  vjp: (ctx: VjpContext, [dyIn]) => {
    const { g } = ctx;
    const [xIn, scale] = [ctx.input(0), ctx.input(1)];
    const flat = (t: Value): Value => (t.rank === 3 ? t : g.reshape(t, [0, 0, -1]));
    const x = flat(xIn);
    const dy = flat(dyIn!);
    const { xhat, invStd } = normalizedWithStats(g, x, 2, ctx.float("epsilon", 1e-5));
    const dbias = ctx.needs(2) ? g.reduceSum(dy, [0, 2], { keepDims: false }) : undefined;
    const dscale = ctx.needs(1) ? g.reduceSum(g.mul(dy, xhat), [0, 2], { keepDims: false }) : undefined;
    let dx: Value | undefined;
    if (ctx.needs(0)) {
      dx = normalizedBackward(g, g.mul(dy, g.unsqueeze(scale, [1])), xhat, invStd, [2]);
      if (xIn.rank !== 3) dx = g.reshape(dx, g.shape(xIn));
    }
    return [dx, dscale, dbias];
  },
});

// Inference-mode BatchNormalization: y = (x − mean)·r·scale + bias with r = 1/√(var + ε) from the
// running statistics, so the op is a per-channel affine map of x.
registerVjp("BatchNormalization", {
  differentiable: [0, 1, 2, 3, 4],
  vjp: (ctx: VjpContext, [dy]) => {
    const { g } = ctx;
    const [x, scale, , mean, variance] = [0, 1, 2, 3, 4].map((i) => ctx.input(i)) as [Value, Value, Value, Value, Value];
    const perChannel = (v: Value): Value => (x.rank === 2 ? v : g.unsqueeze(v, range(1, x.rank - 1)));
    const others = [0, ...range(2, x.rank)];
    const r = g.reciprocal(g.sqrt(g.add(variance, ctx.float("epsilon", 1e-5))));
    const needCentered = ctx.needs(1) || ctx.needs(4);
    const sumDyCentered = needCentered ? g.reduceSum(g.mul(dy!, g.sub(x, perChannel(mean))), others, { keepDims: false }) : undefined;
    const dbias = ctx.needs(2) || ctx.needs(3) ? g.reduceSum(dy!, others, { keepDims: false }) : undefined;
    return [
      ctx.needs(0) ? g.mul(dy!, perChannel(g.mul(scale, r))) : undefined,
      ctx.needs(1) ? g.mul(sumDyCentered!, r) : undefined,
      ctx.needs(2) ? dbias : undefined,
      // ∂y/∂mean = −scale·r
      ctx.needs(3) ? g.neg(g.mul(dbias!, g.mul(scale, r))) : undefined,
      // ∂y/∂var = −½·(x − mean)·scale·r³
      ctx.needs(4) ? g.mul(sumDyCentered!, g.mul(scale, g.mul(g.mul(r, g.mul(r, r)), -0.5))) : undefined,
    ];
  },
});
