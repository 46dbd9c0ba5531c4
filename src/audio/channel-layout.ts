/**
 * Where each channel of a decoded file sits, from a WAV channel mask, a codec's defined order, or
 * ffmpeg's guess for the channel count. `toMono` needs this to downmix as ffmpeg's `-ac 1` does.
 */
import { CHANNEL_POSITIONS, type ChannelPosition } from "./types.js";

/**
 * ffmpeg's guess for files that do not say (`av_channel_layout_default`, ffmpeg 5.1): checked by
 * running `ffmpeg -ac 1` on plain WAVs of 1–9 channels. Nine or more channels have no default
 * (ffmpeg then refuses to downmix).
 */
const FFMPEG_DEFAULT_LAYOUTS: Record<number, readonly ChannelPosition[]> = {
  1: ["FC"],
  2: ["FL", "FR"],
  3: ["FL", "FR", "LFE"], // "2.1"
  4: ["FL", "FR", "FC", "BC"], // "4.0"
  5: ["FL", "FR", "FC", "BL", "BR"], // "5.0"
  6: ["FL", "FR", "FC", "LFE", "BL", "BR"], // "5.1"
  7: ["FL", "FR", "FC", "LFE", "BC", "SL", "SR"], // "6.1"
  8: ["FL", "FR", "FC", "LFE", "BL", "BR", "SL", "SR"], // "7.1"
};

/** FLAC's fixed channel order for 1–8 channels (FLAC format specification, "Channel assignment"). */
const FLAC_LAYOUTS: Record<number, readonly ChannelPosition[]> = {
  1: ["FC"],
  2: ["FL", "FR"],
  3: ["FL", "FR", "FC"],
  4: ["FL", "FR", "BL", "BR"],
  5: ["FL", "FR", "FC", "BL", "BR"],
  6: ["FL", "FR", "FC", "LFE", "BL", "BR"],
  7: ["FL", "FR", "FC", "LFE", "BC", "SL", "SR"],
  8: ["FL", "FR", "FC", "LFE", "BL", "BR", "SL", "SR"],
};

/** Vorbis I channel order for 1–8 channels (also Opus channel mapping family 1, RFC 7845 §5.1.1.2). */
const VORBIS_LAYOUTS: Record<number, readonly ChannelPosition[]> = {
  1: ["FC"],
  2: ["FL", "FR"],
  3: ["FL", "FC", "FR"],
  4: ["FL", "FR", "BL", "BR"],
  5: ["FL", "FC", "FR", "BL", "BR"],
  6: ["FL", "FC", "FR", "BL", "BR", "LFE"],
  7: ["FL", "FC", "FR", "SL", "SR", "BC", "LFE"],
  8: ["FL", "FC", "FR", "SL", "SR", "BL", "BR", "LFE"],
};

/** The layout ffmpeg assumes for `channelCount` channels when nothing says otherwise. */
export function defaultChannelPositions(channelCount: number): readonly ChannelPosition[] | undefined {
  return FFMPEG_DEFAULT_LAYOUTS[channelCount];
}

export function flacChannelPositions(channelCount: number): readonly ChannelPosition[] | undefined {
  return FLAC_LAYOUTS[channelCount];
}

export function vorbisChannelPositions(channelCount: number): readonly ChannelPosition[] | undefined {
  return VORBIS_LAYOUTS[channelCount];
}

/**
 * Positions from a WAVE_FORMAT_EXTENSIBLE dwChannelMask: channels take the set bits in ascending
 * order. Like ffmpeg, a mask is ignored (undefined) when its bit count differs from the channel
 * count; bits above TBR (17) have no named position here, so such masks are ignored too.
 */
export function positionsFromChannelMask(mask: number, channelCount: number): readonly ChannelPosition[] | undefined {
  const positions: ChannelPosition[] = [];
  for (let bit = 0; bit < 32; bit++) {
    if ((mask >>> bit) & 1) {
      const position = CHANNEL_POSITIONS[bit];
      if (position === undefined) return undefined;
      positions.push(position);
    }
  }
  return positions.length === channelCount ? positions : undefined;
}
