/**
 * Shapes shared by the audio layer: decoded audio and the speaker positions used to downmix it.
 */

/**
 * Speaker positions, named as ffmpeg names them (and in ffmpeg's bit order, which is also the
 * WAVE_FORMAT_EXTENSIBLE dwChannelMask bit order: FL = bit 0 … TBR = bit 17).
 */
export const CHANNEL_POSITIONS = [
  "FL", "FR", "FC", "LFE", "BL", "BR", "FLC", "FRC", "BC", "SL", "SR",
  "TC", "TFL", "TFC", "TFR", "TBL", "TBC", "TBR",
] as const;

export type ChannelPosition = (typeof CHANNEL_POSITIONS)[number];

/** Decoded audio: one Float32Array per channel, all the same length, samples nominally in [-1, 1]. */
export interface AudioData {
  /** Samples per second of each channel. */
  readonly samplingRate: number;
  /** Planar samples, one array per channel. */
  readonly channels: Float32Array[];
  /**
   * Speaker position of each channel when the file says (a WAV channel mask) or its codec defines
   * it (FLAC, Vorbis, Opus). Absent when unknown; `toMono` then assumes ffmpeg's default layout
   * for the channel count.
   */
  readonly channelPositions?: readonly ChannelPosition[];
}

/** Options every built-in decoder takes. */
export interface DecodeOptions {
  /** How to name the input in error messages (a path or URL); defaults to a description of the bytes. */
  name?: string;
  /**
   * The most bytes of float32 samples (all channels) one decode may produce (default 2 GiB − 1,
   * the same bound as the input's bytes): past it, AudioTooLargeError. Compressed formats can
   * hold thousands of times their size in samples.
   */
  maxDecodedBytes?: number;
}
