/**
 * Normalize (audiomentations): peak normalisation — one gain so that the largest |sample|
 * becomes 1.0 (0 dBFS). With applyTo "only_too_loud_sounds" audio already within [−1, 1) is
 * left as is. Silence is returned unchanged.
 */
import type { Rng } from "../random.js";
import { Augmentation, checkOptionKeys, choiceOption } from "./transform.js";
import { maxAbs } from "./signal-math.js";

export interface NormalizeOptions {
  /** "all" (default) or "only_too_loud_sounds" (only audio peaking at ≥ 1.0). */
  applyTo?: "all" | "only_too_loud_sounds";
  /** Probability of applying. Default 0.5. */
  p?: number;
}

type Parameters = { peak: number };

const NAME = "Normalize";

export class Normalize extends Augmentation<Parameters> {
  readonly name = NAME;
  readonly applyTo: "all" | "only_too_loud_sounds";

  constructor(options: NormalizeOptions = {}) {
    checkOptionKeys(NAME, options, ["applyTo", "p"]);
    super(NAME, options.p);
    this.applyTo = choiceOption(NAME, "applyTo", options.applyTo, ["all", "only_too_loud_sounds"], "all");
  }

  toJSON(): Record<string, unknown> {
    return { name: NAME, applyTo: this.applyTo, p: this.p };
  }

  protected draw(samples: Float32Array, _sampleRate: number, _rng: Rng): Parameters {
    return { peak: maxAbs(samples) };
  }

  protected render(samples: Float32Array, _sampleRate: number, { peak }: Parameters): Float32Array {
    if ((this.applyTo === "only_too_loud_sounds" && peak < 1) || !(peak > 0)) return samples.slice();
    const out = new Float32Array(samples.length);
    for (let i = 0; i < samples.length; i++) out[i] = samples[i]! / peak;
    return out;
  }
}
