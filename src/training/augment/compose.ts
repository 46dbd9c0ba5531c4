/**
 * Compose (audiomentations): a chain of transforms. With probability p (default 1) the chain
 * runs — in the given order, or in a fresh random order per call when shuffle is on — and each
 * transform then applies with its own probability. Compositions nest.
 */
import { describeValue } from "../../errors.js";
import { AugmentationError } from "../errors.js";
import type { Rng } from "../random.js";
import { booleanOption, checkAudio, checkOptionKeys, type AppliedAugmentation, type AugmentationOutcome, type Transform } from "./transform.js";

export interface ComposeOptions {
  /** Probability of running the chain at all. Default 1. */
  p?: number;
  /** Apply the transforms in a random order on each call. Default false. */
  shuffle?: boolean;
}

const NAME = "Compose";

export class Compose implements Transform {
  readonly name = NAME;
  readonly transforms: readonly Transform[];
  readonly p: number;
  readonly shuffle: boolean;

  constructor(transforms: readonly Transform[], options: ComposeOptions = {}) {
    checkOptionKeys(NAME, options, ["p", "shuffle"]);
    if (!Array.isArray(transforms)) throw new AugmentationError(`${NAME}: expected an array of transforms, got ${describeValue(transforms)}`);
    for (const [i, t] of transforms.entries()) {
      if (t === null || typeof t !== "object" || typeof (t as Transform).run !== "function") {
        throw new AugmentationError(`${NAME}: transforms[${i}] is ${describeValue(t)}, not a transform (e.g. new Gain({ … }))`);
      }
    }
    this.transforms = [...transforms];
    this.p = options.p ?? 1;
    if (typeof this.p !== "number" || !(this.p >= 0 && this.p <= 1)) {
      throw new AugmentationError(`${NAME}: p must be a probability in [0, 1], got ${describeValue(options.p)}`);
    }
    this.shuffle = booleanOption(NAME, "shuffle", options.shuffle, false);
  }

  apply(samples: Float32Array, sampleRate: number, rng: Rng): Float32Array {
    return this.run(samples, sampleRate, rng).samples;
  }

  run(samples: Float32Array, sampleRate: number, rng: Rng): AugmentationOutcome {
    checkAudio(NAME, samples, sampleRate);
    if (!(rng.random() < this.p)) return { samples: samples.slice(), applied: [] };
    const order = this.shuffle ? rng.shuffle([...this.transforms]) : this.transforms;
    let current = samples;
    const applied: AppliedAugmentation[] = [];
    for (const transform of order) {
      const outcome = transform.run(current, sampleRate, rng);
      current = outcome.samples;
      applied.push(...outcome.applied);
    }
    return { samples: current === samples ? samples.slice() : current, applied };
  }

  toJSON(): Record<string, unknown> {
    return { name: NAME, p: this.p, shuffle: this.shuffle, transforms: this.transforms.map((t) => t.toJSON()) };
  }
}
