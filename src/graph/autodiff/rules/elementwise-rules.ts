// Vector-Jacobian rules of element-wise ops. Broadcast operands get their gradient summed back
// to their own shape (unbroadcast). Rules reuse forward outputs where the derivative is a
// function of them (Exp, Tanh, Sigmoid, Sqrt, Reciprocal) instead of recomputing.
import type { Value } from "../../value.js";
import { unbroadcast } from "../gradient-shapes.js";
import { type InputGradients, type VjpContext, registerVjp } from "../vjp-rule.js";

type Unary = (ctx: VjpContext, dy: Value) => Value;

function unary(opType: string, rule: Unary): void {
  registerVjp(opType, { differentiable: [0], vjp: (ctx: VjpContext, [dy]) => [rule(ctx, dy!)] });
}

unary("Identity", (_ctx, dy) => dy);
unary("Neg", (ctx, dy) => ctx.g.neg(dy));
unary("Exp", (ctx, dy) => ctx.g.mul(dy, ctx.output()));
unary("Log", (ctx, dy) => ctx.g.div(dy, ctx.input(0)));
// d√x = 1/(2√x)
unary("Sqrt", (ctx, dy) => ctx.g.div(ctx.g.mul(dy, 0.5), ctx.output()));
// d(1/x) = −1/x² = −y²
unary("Reciprocal", (ctx, dy) => ctx.g.neg(ctx.g.mul(dy, ctx.g.mul(ctx.output(), ctx.output()))));
unary("Tanh", (ctx, dy) => ctx.g.mul(dy, ctx.g.sub(1, ctx.g.mul(ctx.output(), ctx.output()))));
unary("Sigmoid", (ctx, dy) => {
  const y = ctx.output();
  return ctx.g.mul(dy, ctx.g.mul(y, ctx.g.sub(1, y)));
});
// derf/dx = 2/√π · exp(−x²)
unary("Erf", (ctx, dy) => {
  const { g } = ctx;
  const x = ctx.input(0);
  return g.mul(dy, g.mul(g.exp(g.neg(g.mul(x, x))), 2 / Math.sqrt(Math.PI)));
});
// PyTorch's threshold_backward: the gradient passes where the output is positive.
unary("Relu", (ctx, dy) => ctx.g.where(ctx.g.greater(ctx.output(), 0), dy, 0));
// sign(x)·dy, 0 at x = 0 (as torch.abs)
unary("Abs", (ctx, dy) => {
  const { g } = ctx;
  const x = ctx.input(0);
  return g.where(g.greater(x, 0), dy, g.where(g.less(x, 0), g.neg(dy), 0));
});
unary("Sin", (ctx, dy) => ctx.g.mul(dy, ctx.g.cos(ctx.input(0))));
unary("Cos", (ctx, dy) => ctx.g.neg(ctx.g.mul(dy, ctx.g.sin(ctx.input(0)))));
// Float-to-float casts only: integer results carry no gradient, so no other Cast is reached.
unary("Cast", (ctx, dy) => ctx.g.cast(dy, ctx.input(0).dtype));

registerVjp("Add", {
  differentiable: [0, 1],
  vjp: (ctx: VjpContext, [dy]) => [0, 1].map((i) => (ctx.needs(i) ? unbroadcast(ctx.g, dy!, ctx.input(i)) : undefined)),
});

registerVjp("Sub", {
  differentiable: [0, 1],
  vjp: (ctx: VjpContext, [dy]) => [
    ctx.needs(0) ? unbroadcast(ctx.g, dy!, ctx.input(0)) : undefined,
    ctx.needs(1) ? ctx.g.neg(unbroadcast(ctx.g, dy!, ctx.input(1))) : undefined,
  ],
});

registerVjp("Mul", {
  differentiable: [0, 1],
  vjp: (ctx: VjpContext, [dy]) => {
    const { g } = ctx;
    const [a, b] = [ctx.input(0), ctx.input(1)];
    return [
      ctx.needs(0) ? unbroadcast(g, g.mul(dy!, b), a) : undefined,
      ctx.needs(1) ? unbroadcast(g, g.mul(dy!, a), b) : undefined,
    ];
  },
});

// y = a/b: da = dy/b, db = −dy·a/b² = −(dy/b)·y
registerVjp("Div", {
  differentiable: [0, 1],
  vjp: (ctx: VjpContext, [dy]) => {
    const { g } = ctx;
    const [a, b] = [ctx.input(0), ctx.input(1)];
    const dyOverB = g.div(dy!, b);
    return [
      ctx.needs(0) ? unbroadcast(g, dyOverB, a) : undefined,
      ctx.needs(1) ? g.neg(unbroadcast(g, g.mul(dyOverB, ctx.output()), b)) : undefined,
    ];
  },
});

// y = a^b: da = dy·b·a^(b−1); db = dy·y·ln a (0 where a = 0, as PyTorch).
registerVjp("Pow", {
  differentiable: [0, 1],
  vjp: (ctx: VjpContext, [dy]) => {
    const { g } = ctx;
    const [a, b] = [ctx.input(0), ctx.input(1)];
    let da: Value | undefined;
    if (ctx.needs(0)) {
      const known = b.shape.length === 0 && typeof b.knownValue?.[0] === "number" ? b.knownValue[0] : undefined;
      let scaled: Value;
      if (known === 1) scaled = dy!;
      else if (known === 0) scaled = g.mul(dy!, 0);
      else if (known === 2) scaled = g.mul(dy!, g.mul(a, 2));
      else if (known !== undefined) scaled = g.mul(dy!, g.mul(g.pow(a, known - 1), known));
      else {
        const bf = g.cast(b, a.dtype);
        scaled = g.mul(dy!, g.mul(g.pow(a, g.sub(bf, 1)), bf));
      }
      da = unbroadcast(g, scaled, a);
    }
    let db: Value | undefined;
    if (ctx.needs(1)) {
      const logA = g.where(g.equal(a, 0), 0, g.log(a));
      db = unbroadcast(g, g.mul(dy!, g.mul(ctx.output(), logA)), b);
    }
    return [da, db];
  },
});

// fmod (float Mod): a − trunc(a/b)·b
registerVjp("Mod", {
  differentiable: [0, 1],
  vjp: (ctx: VjpContext, [dy]) => {
    const { g } = ctx;
    const [a, b] = [ctx.input(0), ctx.input(1)];
    let db: Value | undefined;
    if (ctx.needs(1)) {
      const q = g.div(a, b);
      const trunc = g.where(g.less(q, 0), g.ceil(q), g.floor(q));
      db = g.neg(unbroadcast(g, g.mul(dy!, trunc), b));
    }
    return [ctx.needs(0) ? unbroadcast(g, dy!, a) : undefined, db];
  },
});

registerVjp("Where", {
  differentiable: [1, 2],
  vjp: (ctx: VjpContext, [dy]) => {
    const { g } = ctx;
    const cond = ctx.input(0);
    return [
      undefined,
      ctx.needs(1) ? unbroadcast(g, g.where(cond, dy!, 0), ctx.input(1)) : undefined,
      ctx.needs(2) ? unbroadcast(g, g.where(cond, 0, dy!), ctx.input(2)) : undefined,
    ];
  },
});

// Clip passes the gradient where min ≤ x ≤ max (torch.clamp); a bound gets it where it clipped.
registerVjp("Clip", {
  differentiable: [0, 1, 2],
  vjp: (ctx: VjpContext, [dy]) => {
    const { g } = ctx;
    const x = ctx.input(0);
    const [min, max] = [ctx.optionalInput(1), ctx.optionalInput(2)];
    let dx: Value | undefined;
    if (ctx.needs(0)) {
      let pass: Value | undefined;
      if (min !== undefined) pass = g.greaterOrEqual(x, min);
      if (max !== undefined) pass = pass === undefined ? g.lessOrEqual(x, max) : g.and(pass, g.lessOrEqual(x, max));
      dx = pass === undefined ? dy : g.where(pass, dy!, 0);
    }
    const bound = (i: number, b: Value | undefined, clipped: () => Value): Value | undefined => {
      if (!ctx.needs(i) || b === undefined) return undefined;
      const total = g.reduceSum(g.where(clipped(), dy!, 0), undefined, { keepDims: false });
      return b.rank === 0 ? total : g.reshape(total, [1]);
    };
    return [
      dx,
      bound(1, min, () => g.less(x, min!)),
      bound(2, max, () => {
        const above = g.greater(x, max!);
        return min === undefined ? above : g.and(above, g.greaterOrEqual(x, min));
      }),
    ];
  },
});

// Element-wise Min/Max of n operands: the gradient goes to the operands equal to the result,
// split evenly between ties (torch.maximum gives each of two tied operands half).
for (const opType of ["Min", "Max"]) {
  registerVjp(opType, {
    differentiable: "all",
    vjp: (ctx: VjpContext, [dy]): InputGradients => {
      const { g } = ctx;
      const y = ctx.output();
      const n = ctx.inputCount;
      const hits = Array.from({ length: n }, (_, i) => g.equal(ctx.input(i), y));
      const counts = hits.map((h) => g.cast(h, y.dtype));
      const share = n === 1 ? dy! : g.div(dy!, n === 2 ? g.add(counts[0]!, counts[1]!) : g.op("Sum", counts)[0]!);
      return hits.map((hit, i) => (ctx.needs(i) ? unbroadcast(g, g.where(hit, share, 0), ctx.input(i)) : undefined));
    },
  });
}

registerVjp("Sum", {
  differentiable: "all",
  vjp: (ctx: VjpContext, [dy]) => Array.from({ length: ctx.inputCount }, (_, i) => (ctx.needs(i) ? unbroadcast(ctx.g, dy!, ctx.input(i)) : undefined)),
});

registerVjp("Mean", {
  differentiable: "all",
  vjp: (ctx: VjpContext, [dy]) => {
    const share = ctx.g.div(dy!, ctx.inputCount);
    return Array.from({ length: ctx.inputCount }, (_, i) => (ctx.needs(i) ? unbroadcast(ctx.g, share, ctx.input(i)) : undefined));
  },
});

// Derivative zero almost everywhere: no gradient flows (PyTorch returns zeros).
for (const opType of ["Floor", "Ceil"]) registerVjp(opType, { differentiable: [], kind: "zero" });

// Outputs that are not floats (or are pure functions of shapes) carry no gradient.
for (const opType of ["Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor", "Not"]) {
  registerVjp(opType, { differentiable: [], kind: "none" });
}
