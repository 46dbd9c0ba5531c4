import { AudioclassError } from "../errors.js";

/** A parameter the model code asked for is not in the weights; the message lists close names. */
export class MissingWeightError extends AudioclassError {
  readonly weightName: string;
  readonly closeNames: readonly string[];

  constructor(weightName: string, closeNames: readonly string[], available: number) {
    const hint =
      closeNames.length > 0
        ? `close names: ${closeNames.map((n) => `"${n}"`).join(", ")}`
        : `none of the ${available} weights looks similar; check the checkpoint's architecture and parameter prefix`;
    super("MISSING_WEIGHT", `weight "${weightName}" is not in the checkpoint; ${hint}`);
    this.weightName = weightName;
    this.closeNames = closeNames;
  }
}

/** A parameter exists but has the wrong shape or element type for the layer using it. */
export class WeightShapeError extends AudioclassError {
  readonly weightName: string;

  constructor(weightName: string, message: string) {
    super("WEIGHT_SHAPE", `weight "${weightName}": ${message}`);
    this.weightName = weightName;
  }
}

/** An activation name from a model config that audioclass does not implement. */
export class UnknownActivationError extends AudioclassError {
  constructor(name: string, supported: readonly string[]) {
    super("UNKNOWN_ACTIVATION", `activation "${name}" is not supported; use one of ${supported.join(", ")}`);
  }
}

/** Layer settings that cannot work (e.g. a hidden size not divisible by the head count). */
export class LayerConfigError extends AudioclassError {
  constructor(message: string) {
    super("LAYER_CONFIG", message);
  }
}
