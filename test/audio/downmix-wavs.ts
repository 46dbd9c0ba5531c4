/**
 * Float32 WAVs with a distinct, non-trivial signal per channel (so any wrong downmix weight or
 * channel order shows), for the downmix tests and for the ffmpeg decodes recorded from them.
 */
import { buildWav, chunk, extensibleFmtBody, fmtBody } from "./wav-builder.js";

/** Channel counts whose default ffmpeg layouts (mono … 7.1) are checked. */
export const DEFAULT_LAYOUT_CHANNEL_COUNTS = [1, 2, 3, 4, 5, 6, 7, 8];

/** WAVE_FORMAT_EXTENSIBLE channel masks: quad, 5.1 (side), 7.1, 2.1, FC+LFE, lone FL, 4.0 (FL FR FC BC). */
export const DOWNMIX_CHANNEL_MASKS = [0x33, 0x60f, 0x63f, 0x0b, 0x0c, 0x01, 0x107];

export function channelsInMask(mask: number): number {
  return mask.toString(2).split("1").length - 1;
}

function floatSignals(channels: number, frames: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels; c++) out.push(Math.fround(0.9 * Math.sin(0.01 * (i + 1) * (c + 1.37) + c) * Math.cos(0.003 * i * (c + 2))));
  }
  return out;
}

/** 500 frames at 8 kHz; a plain fmt chunk (ffmpeg's default layout) unless a channel mask is given. */
export function floatWav(channels: number, mask?: number): Uint8Array {
  const frames = 500;
  const values = floatSignals(channels, frames);
  const data = new Uint8Array(values.length * 4);
  const view = new DataView(data.buffer);
  values.forEach((v, i) => view.setFloat32(4 * i, v, true));
  const fmt = mask === undefined
    ? fmtBody({ tag: 3, channels, rate: 8000, bits: 32 })
    : extensibleFmtBody({ subTag: 3, channels, rate: 8000, bits: 32, mask });
  return buildWav([chunk("fmt ", fmt), chunk("data", data)]);
}
