// Public surface of the dsp layer: FFTs, windows, mel filter banks, spectrograms, Kaldi fbank.
export { DspArgumentError } from "./errors.js";
export { ComplexFft, getComplexFft, fft, ifft, type ComplexArray } from "./fft.js";
export { RealFft, getRealFft, rfft, type RealInput } from "./real-fft.js";
export { TorchFloat32RealFft, getTorchFloat32RealFft } from "./torch-float32-rfft.js";
export {
  windowFunction,
  hannWindow,
  hammingWindow,
  poveyWindow,
  blackmanWindow,
  boxcarWindow,
  padWindow,
  torchHannWindow,
  torchCosineWindow,
  WINDOW_NAMES,
  type WindowName,
  type WindowOptions,
} from "./windows.js";
export { hertzToMel, melToHertz, linspace, MEL_SCALES, type MelScale } from "./mel-scale.js";
export { MelFilterBank, melFilterBank, type MelFilterBankOptions } from "./mel-filter-bank.js";
export { kaldiMelBanks, type KaldiMelBankOptions } from "./kaldi-mel-banks.js";
export {
  spectrogram,
  powerSpectrogram,
  magnitudeSpectrogram,
  toDecibels,
  numFrames,
  type Spectrogram,
  type SpectrogramOptions,
  type PadMode,
  type LogMel,
} from "./spectrogram.js";
export {
  kaldiFbank,
  KaldiFbankComputer,
  kaldiFrameGeometry,
  kaldiWindow,
  KALDI_EPSILON,
  KALDI_WINDOW_TYPES,
  type KaldiFbank,
  type KaldiFbankOptions,
  type KaldiFrameGeometry,
  type KaldiWindowType,
} from "./kaldi-fbank.js";
