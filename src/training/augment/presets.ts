/**
 * Named augmentation chains.
 *
 * - "ast-recipe": the AST-on-ESC-50 recipe (REFERENCE.md, "Training recipes in the wild"):
 *   Gaussian noise at 10–20 dB SNR, gain ±6 dB, a gain transition (±6 dB over 1–30 % of the
 *   clip), clipping distortion of 0–30 % of the samples (p 0.5), time stretch 0.8–1.2 and pitch
 *   shift ±4 semitones, each with p 0.5, in a shuffled order; the whole chain runs with p 0.8.
 * - "light": level and position only, safe for speech and short keywords: gain ±6 dB, noise at
 *   15–40 dB SNR, a shift of up to ±20 % of the clip with rollover; each with p 0.5.
 */
import { AugmentationError } from "../errors.js";
import { AddGaussianSNR } from "./add-gaussian-snr.js";
import { ClippingDistortion } from "./clipping-distortion.js";
import { Compose } from "./compose.js";
import { Gain } from "./gain.js";
import { GainTransition } from "./gain-transition.js";
import { PitchShift } from "./pitch-shift.js";
import { Shift } from "./shift.js";
import { TimeStretch } from "./time-stretch.js";

export type AugmentationPresetName = "ast-recipe" | "light";

const PRESETS: Readonly<Record<AugmentationPresetName, () => Compose>> = {
  "ast-recipe": () =>
    new Compose(
      [
        new AddGaussianSNR({ minSnrDb: 10, maxSnrDb: 20 }),
        new Gain({ minGainDb: -6, maxGainDb: 6 }),
        new GainTransition({ minGainDb: -6, maxGainDb: 6, minDuration: 0.01, maxDuration: 0.3, durationUnit: "fraction" }),
        new ClippingDistortion({ minPercentileThreshold: 0, maxPercentileThreshold: 30, p: 0.5 }),
        new TimeStretch({ minRate: 0.8, maxRate: 1.2 }),
        new PitchShift({ minSemitones: -4, maxSemitones: 4 }),
      ],
      { p: 0.8, shuffle: true },
    ),
  light: () =>
    new Compose([
      new Gain({ minGainDb: -6, maxGainDb: 6 }),
      new AddGaussianSNR({ minSnrDb: 15, maxSnrDb: 40 }),
      new Shift({ minShift: -0.2, maxShift: 0.2, rollover: true }),
    ]),
};

/** The preset names augmentationPreset accepts. */
export const AUGMENTATION_PRESETS: readonly AugmentationPresetName[] = Object.freeze(Object.keys(PRESETS) as AugmentationPresetName[]);

/** A fresh instance of a named augmentation chain. */
export function augmentationPreset(name: string): Compose {
  const make = (PRESETS as Record<string, (() => Compose) | undefined>)[name];
  if (make === undefined || !Object.hasOwn(PRESETS, name)) {
    throw new AugmentationError(`unknown augmentation preset ${JSON.stringify(name)}; available presets: ${AUGMENTATION_PRESETS.join(", ")}`);
  }
  return make();
}
