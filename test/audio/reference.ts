/**
 * Test-side references for the audio layer: our generated codec fixtures and ways to compare
 * decodes. (ffmpeg's decodes of them are stored goldens: ffmpeg-goldens.ts.)
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

export const CODEC_FIXTURES = fileURLToPath(new URL("../fixtures/audio/", import.meta.url));

export function codecFixture(name: string): string {
  return join(CODEC_FIXTURES, name);
}

export function codecFixtureBytes(name: string): Uint8Array {
  const buffer = readFileSync(codecFixture(name));
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** Splits interleaved samples into channels. */
export function deinterleave(interleaved: Float32Array, channels: number): Float32Array[] {
  const frames = interleaved.length / channels;
  return Array.from({ length: channels }, (_, c) => {
    const out = new Float32Array(frames);
    for (let i = 0; i < frames; i++) out[i] = interleaved[i * channels + c]!;
    return out;
  });
}

/** Index of the first element whose bits differ (NaN-safe, −0 ≠ +0), or −1. */
export function firstBitDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return i;
  return -1;
}

/** Signal-to-noise ratio of `actual` against `reference`, in dB. */
export function snrDb(actual: Float32Array, reference: Float32Array): number {
  let signal = 0;
  let noise = 0;
  for (let i = 0; i < reference.length; i++) {
    signal += reference[i]! ** 2;
    noise += (actual[i]! - reference[i]!) ** 2;
  }
  return 10 * Math.log10(signal / noise);
}
