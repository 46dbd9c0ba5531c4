// A graph of several ops under test, each with inputs of its own.
import { type Dim, GraphBuilder, type Value } from "../../../../src/graph/index.js";
import type { Tensor } from "../../../../src/tensor.js";
import { randomFloats } from "../../support/random.js";
import { f32 } from "../../support/run-graph.js";
import { type VjpCheckOptions, type VjpCheckResult, checkVjp } from "./check-vjp.js";

/** Uniform in ±[low, low + 1): away from 0, where Relu/Abs have kinks. */
export function awayFromZero(n: number, seed: number, low = 0.1): Float32Array {
  return randomFloats(n, seed).map((v) => Math.sign(v || 1) * (low + Math.abs(v)));
}

export function positive(n: number, seed: number, low = 0.2): Float32Array {
  return randomFloats(n, seed).map((v) => low + Math.abs(v) * 1.5);
}

export type Fill = (n: number, seed: number) => Float32Array;

/**
 * One graph holding several ops, each with inputs of its own (`<op>.<operand>`), so every
 * gradient checked belongs to exactly one rule and an error in it is not diluted by others.
 */
export class OpBench {
  readonly g: GraphBuilder;
  readonly feeds: Record<string, Tensor> = {};
  private seed = 1;

  constructor(name: string) {
    this.g = new GraphBuilder({ name });
  }

  /** An input fed with `dims`; `shape` may name symbolic dims ("batch") in their place. */
  input(op: string, operand: string, dims: number[], data: Fill = randomFloats, shape: readonly Dim[] = dims): Value {
    const name = `${op}.${operand}`;
    this.feeds[name] = f32(dims, data(dims.reduce((p, d) => p * d, 1), this.seed++));
    return this.g.input(name, "float32", shape);
  }

  /** An input with explicit values. */
  values(op: string, operand: string, dims: number[], data: readonly number[]): Value {
    return this.input(op, operand, dims, () => Float32Array.from(data));
  }

  async check(options: VjpCheckOptions = {}): Promise<VjpCheckResult> {
    const result = await checkVjp(this.g.build(), this.feeds, options);
    if (process.env.AUTODIFF_REPORT) console.log(`  ${this.g.name}: ${result.checked} coordinates, max |error|/scale ${result.maxRelativeError.toExponential(1)} (${(100 * result.toleranceUsed).toFixed(2)}% of the tolerance)`);
    return result;
  }
}

