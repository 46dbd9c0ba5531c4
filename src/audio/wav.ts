/**
 * The native WAV decoder: PCM 8/16/24/32-bit (and narrower samples in those containers), IEEE
 * float 32/64, A-law, µ-law; RIFF, RIFX, RF64/BW64; WAVE_FORMAT_EXTENSIBLE; streamed files.
 */
import { AudioDecodeError } from "./errors.js";
import { positionsFromChannelMask } from "./channel-layout.js";
import type { AudioData, DecodeOptions } from "./types.js";
import { parseWavHeader, type WavLayout } from "./wav-header.js";
import { wavSamplesToFloat } from "./wav-samples.js";
import { describeBytes, toUint8Array } from "./bytes.js";

/**
 * Decodes a WAV file held in memory.
 *
 * - Sizes: a data chunk whose size is 0 or 0xFFFFFFFF (written to a pipe) runs to the end of the
 *   file; RF64/BW64 take the size from `ds64`. A data chunk that claims more bytes than the file
 *   holds (a cut-short download) gives the whole frames that are there, like soundfile and ffmpeg;
 *   not even one whole frame is an error. A trailing partial frame is dropped.
 * - Float files must hold finite samples: NaN or ±Infinity is an AudioDecodeError naming the
 *   first bad frame and channel (no model can use them, and ffmpeg would pass them on silently).
 * - `channelPositions` comes from the WAVE_FORMAT_EXTENSIBLE channel mask when there is one.
 */
export function decodeWav(input: Uint8Array | ArrayBuffer, options: DecodeOptions = {}): AudioData {
  const bytes = toUint8Array(input);
  const name = options.name ?? describeBytes(bytes);
  if (bytes.length === 0) throw new AudioDecodeError(name, `cannot decode ${name}: it is empty (0 bytes)`);
  const layout = parseWavHeader(bytes, name);
  const frames = Math.floor(layout.dataBytes / layout.blockAlign);
  if (frames === 0) throw new AudioDecodeError(name, noFramesMessage(name, layout));

  const channels = wavSamplesToFloat(bytes, layout, frames);
  if (layout.encoding === "float") rejectNonFinite(channels, name);
  const positions = layout.channelMask === undefined ? undefined : positionsFromChannelMask(layout.channelMask, layout.channels);
  return positions === undefined
    ? { samplingRate: layout.sampleRate, channels }
    : { samplingRate: layout.sampleRate, channels, channelPositions: positions };
}

function noFramesMessage(name: string, layout: WavLayout): string {
  if (layout.truncated) {
    return (
      `cannot decode ${name}: the file is truncated — its data chunk declares ${layout.declaredDataBytes} bytes but only ` +
      `${layout.dataBytes} are present, not even one whole ${layout.blockAlign}-byte frame`
    );
  }
  if (layout.dataBytes > 0) {
    return `cannot decode ${name}: its data chunk holds ${layout.dataBytes} bytes, less than one ${layout.blockAlign}-byte frame`;
  }
  return `cannot decode ${name}: the WAV holds no audio (0 frames)`;
}

/** Float WAVs must hold finite samples; `frameOffset` places a streamed chunk in the file. */
export function rejectNonFinite(channels: Float32Array[], name: string, frameOffset = 0): void {
  const frames = channels[0]!.length;
  let firstFrame = -1;
  let firstChannel = -1;
  for (let c = 0; c < channels.length; c++) {
    const samples = channels[c]!;
    const limit = firstFrame < 0 ? frames : firstFrame;
    for (let i = 0; i < limit; i++) {
      const v = samples[i]!;
      if (v - v !== 0) {
        // NaN and ±Infinity are the only values for which v − v is not 0
        firstFrame = i;
        firstChannel = c;
        break;
      }
    }
  }
  if (firstFrame >= 0) {
    const value = channels[firstChannel]![firstFrame];
    throw new AudioDecodeError(
      name,
      `cannot decode ${name}: sample ${value} at frame ${firstFrame + frameOffset} (channel ${firstChannel}, ${
        channels.length
      } channel(s)) is not finite; the float WAV is corrupt — re-export it or replace non-finite values`,
    );
  }
}
