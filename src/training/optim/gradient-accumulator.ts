/**
 * Gradient accumulation over micro-batches with the Hugging Face Trainer's scaling: each
 * micro-batch's mean-loss gradient is divided by `gradient_accumulation_steps` and summed, which
 * equals the gradient of the mean loss over the N micro-batches. Like the Trainer (whose
 * training_step divides the loss by the configured N even for the shorter last window of an
 * epoch), a window closed early keeps the 1/N scale by default; `divisor: "actual"` divides by
 * the number of micro-batches actually added instead.
 *
 * Buffers are allocated on first use and reused: no allocation per micro-batch. With N = 1 the
 * gradients passed in are handed back as they are (no copy).
 */
import { GradientMismatchError, InvalidHyperparameterError } from "./errors.js";
import { integerAtLeast } from "./hyperparameters.js";
import { gradientFor, type GradientOptions, type GradientSource, type NamedArrays, parameterEntries } from "./named-arrays.js";

export interface GradientAccumulatorOptions extends Pick<GradientOptions, "prefix"> {
  /** Micro-batches per optimizer step (TrainingArguments.gradient_accumulation_steps). */
  readonly steps: number;
  /** "configured" (default, the Trainer's rule): always divide by `steps`; "actual": by the count added. */
  readonly divisor?: "configured" | "actual";
}

export class GradientAccumulator {
  readonly steps: number;
  private readonly names: string[];
  private readonly lengths: number[];
  private readonly prefix: string;
  private readonly divisor: "configured" | "actual";
  private buffers: Float32Array[] | undefined;
  /** With steps = 1: the arrays of the single micro-batch, used as they are. */
  private passThrough: Float32Array[] | undefined;
  private added = 0;
  /** Whether gradients() already rescaled a short window (divisor "actual"). */
  private rescaled = false;

  /** `params` gives the names and sizes of the gradients to expect (the arrays are not touched). */
  constructor(params: NamedArrays, options: GradientAccumulatorOptions) {
    const entries = parameterEntries(params);
    this.steps = integerAtLeast("gradient accumulation steps", options.steps, 1);
    this.divisor = options.divisor ?? "configured";
    if (this.divisor !== "configured" && this.divisor !== "actual") {
      throw new InvalidHyperparameterError(`divisor must be "configured" or "actual", got ${String(this.divisor)}`, "divisor");
    }
    this.names = entries.map(([name]) => name);
    this.lengths = entries.map(([, array]) => array.length);
    this.prefix = options.prefix ?? "";
  }

  /** Micro-batches added since the last reset. */
  get count(): number {
    return this.added;
  }

  /** True once `steps` micro-batches have been added: time for the optimizer step. */
  get ready(): boolean {
    return this.added >= this.steps;
  }

  /** Adds one micro-batch's gradients (the mean over its examples, as the training graph gives them). */
  add(grads: GradientSource): void {
    if (this.added >= this.steps || this.rescaled) {
      throw new GradientMismatchError(`this accumulation window is complete (${this.added} of ${this.steps} micro-batches); take the gradients and reset() before adding more`, undefined);
    }
    const arrays = this.names.map((name, i) => gradientFor(grads, name, this.lengths[i], { prefix: this.prefix }));
    if (this.steps === 1) {
      this.passThrough = arrays;
      this.added = 1;
      return;
    }
    const scale = 1 / this.steps;
    const first = this.added === 0;
    this.buffers ??= this.lengths.map((n) => new Float32Array(n));
    for (let t = 0; t < arrays.length; t++) {
      const source = arrays[t];
      const target = this.buffers[t];
      if (first) for (let i = 0; i < source.length; i++) target[i] = source[i] * scale;
      else for (let i = 0; i < source.length; i++) target[i] += source[i] * scale;
    }
    this.added++;
  }

  /**
   * The accumulated gradients by parameter name, ready for clipping and the optimizer step (both
   * may modify them in place). With divisor "actual" and a window closed early, rescales once.
   */
  gradients(): Map<string, Float32Array> {
    if (this.added === 0) throw new GradientMismatchError(`no micro-batch gradients were added since the last reset; call add() first`, undefined);
    const arrays = this.steps === 1 ? (this.passThrough as Float32Array[]) : (this.buffers as Float32Array[]);
    if (this.divisor === "actual" && this.added < this.steps && !this.rescaled) {
      const factor = this.steps / this.added;
      for (const array of arrays) for (let i = 0; i < array.length; i++) array[i] *= factor;
      this.rescaled = true;
    }
    return new Map(this.names.map((name, i) => [name, arrays[i]]));
  }

  /** Starts a new window (buffers are kept and overwritten by the next add). */
  reset(): void {
    this.added = 0;
    this.rescaled = false;
    this.passThrough = undefined;
  }
}
