/**
 * The range every size in a preprocessor_config.json must fall in, checked before anything is
 * allocated. Real configs sit far inside them (AST: 128 mel bins, 1024 frames; Whisper: n_fft
 * 400, 30 s chunks; CLAP: 1024-point FFT, 10 s); beyond them a value is corrupt or hostile, and
 * taking it would mean multi-GB mel banks or windows (n_fft 2^30) or inputs padded to days of
 * audio (max_length 1e8).
 */
import { MAX_SAMPLING_RATE, MIN_SAMPLING_RATE } from "../audio/sampling-rate.js";

export interface Bound {
  readonly min: number;
  readonly max: number;
}

export const PREPROCESSOR_BOUNDS = {
  /** Hz: audioclass's accepted audio rates. */
  sampling_rate: { min: MIN_SAMPLING_RATE, max: MAX_SAMPLING_RATE },
  /** Mel bins or channels per frame (Whisper 80/128, CLAP 64, AST 128). */
  feature_size: { min: 1, max: 1024 },
  num_mel_bins: { min: 4, max: 1024 },
  /** FFT and window sizes in samples. */
  n_fft: { min: 2, max: 65_536 },
  fft_window_size: { min: 2, max: 65_536 },
  hop_length: { min: 1, max: 65_536 },
  /** AST frames per input (1024 = 10.24 s); 65 536 frames = 11 minutes. */
  max_length: { min: 1, max: 65_536 },
  /** Seconds per input window (Whisper 30, CLAP 10); an hour at most. */
  chunk_length: { min: 1, max: 3600 },
  max_length_s: { min: 0.001, max: 3600 },
} as const satisfies Record<string, Bound>;

/** Samples in one padded input window (chunk_length · sampling_rate): an hour at 16 kHz. */
export const MAX_WINDOW_SAMPLES = 3600 * 16_000;

/** Frames of one padded window (n_samples / hop_length): an hour at a 10 ms hop. */
export const MAX_WINDOW_FRAMES = 360_000;

/**
 * FFT points computed for one padded window (frames × FFT length), about 16× what released
 * models need (Whisper 3001 × 400, CLAP 1001 × 1024): the frame and FFT bounds alone allow
 * 360 000 frames of 65 536 points, minutes of CPU for each input (CLAP with hop_length 2 took over
 * 5 s for a 0.2 s clip). At this bound a window takes about 0.5 s.
 */
export const MAX_WINDOW_FFT_POINTS = 2 ** 24;

/**
 * Feature values of one window (frames × mel bins), about 20× what released models produce
 * (Whisper large-v3 3000 × 128, AST 1024 × 128): 64 MiB as float64 while they are computed.
 */
export const MAX_WINDOW_FEATURE_VALUES = 2 ** 23;

/**
 * AST's normalisation: (x − mean) / (2·std) must stay finite in float32 for log-mel values
 * (about −30 … 30); real configs have mean ≈ −4 and std ≈ 4.6.
 */
export const NORMALIZATION_BOUNDS = { mean: { min: -1e6, max: 1e6 }, std: { min: 1e-6, max: 1e6 } } as const;

/**
 * Values the config writes into the waveform: padding_value (silence, 0.0 in every released
 * config) and Whisper's dither (noise std, 0.0 or about 1e-5). Samples are nominally within ±1;
 * ±10^6 leaves room for int16-scale audio and keeps every feature finite, where a padding value of
 * 10^20 overflowed Whisper's float32 power spectrum to Infinity and one past float32's 3.4·10^38
 * turned wav2vec2's padded input_values into NaN.
 */
export const WAVEFORM_VALUE_BOUNDS = { padding_value: { min: -1e6, max: 1e6 }, dither: { min: 0, max: 1e6 } } as const;
