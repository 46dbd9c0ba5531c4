// Waveform augmentations with audiomentations semantics, seeded through the training Rng.
export {
  Augmentation,
  type AppliedAugmentation,
  type AugmentationOutcome,
  type ParameterValue,
  type Transform,
} from "./transform.js";
export { AddGaussianSNR, type AddGaussianSNROptions } from "./add-gaussian-snr.js";
export { Gain, type GainOptions } from "./gain.js";
export { GainTransition, type GainTransitionOptions, type DurationUnit } from "./gain-transition.js";
export { ClippingDistortion, type ClippingDistortionOptions } from "./clipping-distortion.js";
export { TimeStretch, type TimeStretchOptions } from "./time-stretch.js";
export { PitchShift, pitchShift, type PitchShiftOptions } from "./pitch-shift.js";
export { AddBackgroundNoise, type AddBackgroundNoiseOptions, type AddBackgroundNoiseFileOptions, type NoiseSound } from "./add-background-noise.js";
export { Shift, type ShiftOptions, type ShiftUnit } from "./shift.js";
export { PlaceInWindow, type PlaceInWindowOptions } from "./place-in-window.js";
export { SpeedPerturb, speedPerturb, type SpeedPerturbOptions } from "./speed-perturb.js";
export { Normalize, type NormalizeOptions } from "./normalize.js";
export { Compose, type ComposeOptions } from "./compose.js";
export { augmentationPreset, AUGMENTATION_PRESETS, type AugmentationPresetName } from "./presets.js";
export { timeStretch, stft, istft, phaseVocoder, type Stft } from "./phase-vocoder.js";
export { resampleByStep } from "./fractional-resample.js";
export { rms, maxAbs, dbToAmplitude, amplitudeToDb, noiseRmsForSnr, percentileOfSorted } from "./signal-math.js";
