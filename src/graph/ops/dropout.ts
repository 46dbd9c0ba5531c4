// Dropout (opset 13): identity at inference; with training_mode=true ONNX Runtime's kernel draws a
// Bernoulli keep-mask from its own generator (seeded by the `seed` attribute) and returns it as the
// optional second output, which the autodiff pass reuses for the backward pass.
import { formatShape } from "../dim.js";
import { type InferenceContext, type OutputDesc, registerOp } from "../op-schema.js";

registerOp({
  opType: "Dropout",
  domain: "",
  inputs: [1, 3],
  outputs: "any",
  attributes: { seed: "int" },
  infer(ctx: InferenceContext): OutputDesc[] {
    const x = ctx.input(0);
    ctx.requireDType(0, "float");
    const ratio = ctx.optionalInput(1);
    if (ratio !== undefined) {
      ctx.requireDType(1, "float");
      if (ratio.shape.length !== 0) ctx.shapeError(`ratio ${formatShape(ratio.shape)} must be a scalar`, "Pass the drop probability as a number.");
      const p = ratio.knownValue?.[0];
      if (typeof p === "number" && !(p >= 0 && p < 1)) ctx.shapeError(`ratio ${p} is outside [0, 1)`, "Use a drop probability in [0, 1).");
    }
    const mode = ctx.optionalInput(2);
    if (mode !== undefined) {
      ctx.requireDType(2, "bool");
      if (mode.shape.length !== 0) ctx.shapeError(`training_mode ${formatShape(mode.shape)} must be a scalar`, "Pass a bool scalar.");
    }
    if (ctx.numOutputs > 2) ctx.shapeError("Dropout has at most 2 outputs", "Ask for output and mask at most.");
    const outputs: OutputDesc[] = [{ dtype: x.dtype, shape: x.shape }, { dtype: "bool", shape: x.shape }];
    return outputs.slice(0, ctx.numOutputs);
  },
});
