/**
 * The ffmpeg decodes our own decoders and downmix are compared with: which input, which ffmpeg
 * arguments. scripts/make-ffmpeg-goldens.ts runs ffmpeg on each once and stores the output in
 * test/fixtures/audio/ffmpeg-goldens/, so those comparisons need no ffmpeg at test time.
 */
import { codecFixtureBytes } from "./reference.js";
import { DEFAULT_LAYOUT_CHANNEL_COUNTS, DOWNMIX_CHANNEL_MASKS, channelsInMask, floatWav } from "./downmix-wavs.js";

export interface FfmpegDecodeSpec {
  /** Names the golden: `<name>.f32` in test/fixtures/audio/ffmpeg-goldens/. */
  name: string;
  /**
   * A file of test/fixtures/audio/ that ffmpeg opens by path, or bytes built by the tests that
   * it reads on stdin.
   */
  source: { fixture: string; stdin?: boolean } | { built: () => Uint8Array };
  /** Before -i (e.g. a decoder choice). */
  inputArgs?: string[];
  /** After -i (e.g. -ac 1). */
  outputArgs?: string[];
  /** Channels of the output, which ffmpeg interleaves. */
  channels: number;
}

/** The bytes ffmpeg decodes for `spec`. */
export function specInput(spec: FfmpegDecodeSpec): Uint8Array {
  return "fixture" in spec.source ? codecFixtureBytes(spec.source.fixture) : spec.source.built();
}

/** Whether ffmpeg reads the input on stdin (pipe:0) rather than opening a file. */
export function readsStdin(spec: FfmpegDecodeSpec): boolean {
  return "built" in spec.source || spec.source.stdin === true;
}

/** ffmpeg's arguments for `spec`: float32 samples on stdout, only errors on stderr. */
export function ffmpegArgs(spec: FfmpegDecodeSpec, inputPath: string): string[] {
  const input = readsStdin(spec) ? "pipe:0" : inputPath;
  return [...(spec.inputArgs ?? []), "-i", input, ...(spec.outputArgs ?? []), "-f", "f32le", "-v", "error", "pipe:1"];
}

/** The golden of a codec fixture: its name without the extension, plus `.variant` if given. */
export function fixtureGoldenName(fixture: string, variant?: string): string {
  const stem = fixture.replace(/\.[^.]+$/, "");
  return variant === undefined ? stem : `${stem}.${variant}`;
}

function fromFixture(fixture: string, channels: number, variant?: string, extra: Partial<FfmpegDecodeSpec> = {}): FfmpegDecodeSpec {
  return { name: fixtureGoldenName(fixture, variant), source: { fixture }, channels, ...extra };
}

const DOWNMIX = ["-ac", "1"];

export const FFMPEG_DECODE_SPECS: readonly FfmpegDecodeSpec[] = [
  // Compressed codecs (test/audio/codecs.test.ts).
  fromFixture("mp3-mono-22050.mp3", 1),
  fromFixture("mp3-stereo-44100.mp3", 2),
  // Through a pipe, as Python's ffmpeg_read feeds it: ffmpeg then keeps the encoder's end padding.
  fromFixture("mp3-stereo-44100.mp3", 2, "stdin", { source: { fixture: "mp3-stereo-44100.mp3", stdin: true } }),
  fromFixture("flac-mono-16bit-44100.flac", 1),
  fromFixture("flac-stereo-24bit-48000.flac", 2),
  fromFixture("flac-5.1-16bit-8000.flac", 6),
  fromFixture("ogg-flac-stereo-16000.oga", 2),
  fromFixture("flac-mono-24bit-8000-full-scale.flac", 1),
  fromFixture("ogg-vorbis-stereo-44100.ogg", 2),
  fromFixture("ogg-vorbis-mono-16000.ogg", 1),
  // libopus, not ffmpeg's default native Opus decoder (which is not bit-exact to libopus).
  fromFixture("ogg-opus-mono-48000.opus", 1, "libopus", { inputArgs: ["-c:a", "libopus"] }),
  fromFixture("ogg-opus-stereo-48000.opus", 2, "libopus", { inputArgs: ["-c:a", "libopus"] }),

  // WAV variants (test/audio/wav.test.ts).
  fromFixture("wav-u8-mono-8000.wav", 1),
  fromFixture("wav-s24-stereo-48000-extensible.wav", 2),
  fromFixture("wav-s24-stereo-8000-plain.wav", 2),
  fromFixture("wav-s32-mono-16000-extensible.wav", 1),
  fromFixture("wav-f64-stereo-8000-extensible.wav", 2),
  fromFixture("wav-s16-5.1-8000-extensible.wav", 6),
  fromFixture("wav-alaw-mono-8000.wav", 1),
  fromFixture("wav-mulaw-mono-8000.wav", 1),
  fromFixture("wav-alaw-all-codes.wav", 1),
  fromFixture("wav-mulaw-all-codes.wav", 1),
  fromFixture("wav-s16-stereo-8000-rf64.wav", 2),
  fromFixture("wav-s16-mono-8000-streamed.wav", 1),
  fromFixture("wav-s16-mono-8000-odd-chunks.wav", 1),

  // Downmix to mono, -ac 1 (test/audio/downmix.test.ts).
  fromFixture("wav-s16-5.1-8000-extensible.wav", 1, "mono", { outputArgs: DOWNMIX }),
  fromFixture("flac-5.1-16bit-8000.flac", 1, "mono", { outputArgs: DOWNMIX }),
  fromFixture("wav-f64-stereo-8000-extensible.wav", 1, "mono", { outputArgs: DOWNMIX }),
  ...DEFAULT_LAYOUT_CHANNEL_COUNTS.map((channels): FfmpegDecodeSpec => ({
    name: downmixGoldenName(channels),
    source: { built: () => floatWav(channels) },
    outputArgs: DOWNMIX,
    channels: 1,
  })),
  ...DOWNMIX_CHANNEL_MASKS.map((mask): FfmpegDecodeSpec => ({
    name: downmixGoldenName(channelsInMask(mask), mask),
    source: { built: () => floatWav(channelsInMask(mask), mask) },
    outputArgs: DOWNMIX,
    channels: 1,
  })),
];

/** The golden of ffmpeg -ac 1 on floatWav(channels, mask). */
export function downmixGoldenName(channels: number, mask?: number): string {
  return mask === undefined ? `float-wav-${channels}ch.mono` : `float-wav-mask-0x${mask.toString(16)}.mono`;
}
