/**
 * Downmixing to one channel exactly as ffmpeg's `-ac 1` does (libswresample's automatic rematrix
 * matrix, ffmpeg 5.1 defaults), which is what the Python pipeline hears for every file it reads.
 */
import { InvalidArgumentError } from "../errors.js";
import { defaultChannelPositions } from "./channel-layout.js";
import { CHANNEL_POSITIONS, type AudioData, type ChannelPosition } from "./types.js";

const SQRT1_2 = Math.fround(Math.SQRT1_2);

/**
 * Mono coefficient of each position, from swresample's `auto_matrix` with output = front centre
 * and the default levels (centre and surround −3 dB, LFE muted). Levels are stored as float32 there.
 */
const MONO_COEFFICIENT: Record<ChannelPosition, number> = {
  FC: 1, // identity, or clev·√2 = 1 when FL/FR are mixed in too
  FL: SQRT1_2,
  FR: SQRT1_2,
  FLC: SQRT1_2,
  FRC: SQRT1_2,
  BC: 0.5, // slev·√½
  BL: 0.5,
  BR: 0.5,
  SL: 0.5,
  SR: 0.5,
  LFE: 0, // lfe_mix_level defaults to 0
  TC: 0, // height channels have no rule in auto_matrix: dropped
  TFL: 0,
  TFC: 0,
  TFR: 0,
  TBL: 0,
  TBC: 0,
  TBR: 0,
};

/** The pairs swresample insists on (`sane_layout`): both or neither. */
const SYMMETRIC_PAIRS: readonly [ChannelPosition, ChannelPosition][] = [
  ["FL", "FR"],
  ["SL", "SR"],
  ["BL", "BR"],
  ["FLC", "FRC"],
];

/**
 * The per-channel weights ffmpeg uses to mix `positions` to mono, or undefined when ffmpeg
 * refuses the layout (no front speaker, a lone half of a pair, repeated positions).
 */
export function monoDownmixCoefficients(positions: readonly ChannelPosition[]): number[] | undefined {
  if (positions.length === 1) return [1]; // swresample treats any single speaker as mono
  const present = new Set(positions);
  if (present.size !== positions.length) return undefined;
  if (!present.has("FL") && !present.has("FR") && !present.has("FC")) return undefined;
  for (const [a, b] of SYMMETRIC_PAIRS) if (present.has(a) !== present.has(b)) return undefined;
  return positions.map((p) => MONO_COEFFICIENT[p]);
}

/**
 * One channel from many, as `ffmpeg -ac 1` computes it:
 *
 * - mono: returned as is (the same Float32Array, not a copy);
 * - stereo: (L + R)/√2 — not the mean — in float32: `fl(fl(L·c) + fl(R·c))`, c = fl(√½);
 * - 3–8 channels: the positions from `audio.channelPositions`, or ffmpeg's default layout for the
 *   count (3 = 2.1, 4 = 4.0, 5 = 5.0, 6 = 5.1, 7 = 6.1, 8 = 7.1), mixed with swresample's weights:
 *   FL/FR/FLC/FRC √½, FC 1, BL/BR/SL/SR/BC ½, LFE and height channels 0, summed in float32 in
 *   ffmpeg's channel order. 5.1 → √½(FL+FR) + FC + ½(BL+BR); the LFE is dropped.
 * - layouts ffmpeg refuses to downmix (9+ channels without positions, no front speaker, a lone
 *   half of a left/right pair): the plain mean of all channels, computed in float64.
 *
 * Bit-exact with ffmpeg 5.1 for 8–32-bit PCM and float32 sources (ffmpeg mixes in float32 in the
 * same order), tested for its default layouts of 1–8 channels and for channel masks. Float64
 * sources differ by the float32 rounding of the channels (ffmpeg mixes those in float64).
 */
export function toMono(audio: AudioData): Float32Array {
  const { channels } = audio;
  if (!Array.isArray(channels) || channels.length === 0) {
    throw new InvalidArgumentError("toMono needs audio with at least one channel (audio.channels is empty)");
  }
  const length = channels[0]!.length;
  for (let c = 0; c < channels.length; c++) {
    if (!(channels[c] instanceof Float32Array)) {
      throw new InvalidArgumentError(`toMono: audio.channels[${c}] must be a Float32Array`);
    }
    if (channels[c]!.length !== length) {
      throw new InvalidArgumentError(
        `toMono: all channels must have the same length; channel 0 has ${length} samples, channel ${c} has ${channels[c]!.length}`,
      );
    }
  }
  if (channels.length === 1) return channels[0]!;

  const positions = audio.channelPositions ?? defaultChannelPositions(channels.length);
  if (positions !== undefined && positions.length !== channels.length) {
    throw new InvalidArgumentError(
      `toMono: audio.channelPositions lists ${positions.length} positions for ${channels.length} channels`,
    );
  }
  const coefficients = positions === undefined ? undefined : monoDownmixCoefficients(positions);
  if (positions === undefined || coefficients === undefined) return meanOfChannels(channels);

  // ffmpeg sums the contributing channels in its own channel order (ascending mask bit).
  const order = positions
    .map((position, channel) => ({ channel, rank: CHANNEL_POSITIONS.indexOf(position), weight: coefficients[channel]! }))
    .filter((term) => term.weight !== 0)
    .sort((a, b) => a.rank - b.rank);
  if (order.length === 2) return mixTwo(channels[order[0]!.channel]!, order[0]!.weight, channels[order[1]!.channel]!, order[1]!.weight);
  return mixMany(
    order.map((term) => channels[term.channel]!),
    order.map((term) => term.weight),
    length,
  );
}

function mixTwo(a: Float32Array, wa: number, b: Float32Array, wb: number): Float32Array {
  const out = new Float32Array(a.length);
  const fround = Math.fround;
  for (let i = 0; i < out.length; i++) out[i] = fround(a[i]! * wa) + fround(b[i]! * wb);
  return out;
}

function mixMany(inputs: Float32Array[], weights: number[], length: number): Float32Array {
  const out = new Float32Array(length); // no contributing channel (e.g. LFE only): silence, as ffmpeg
  if (inputs.length === 0) return out;
  const fround = Math.fround;
  const first = inputs[0]!;
  const firstWeight = weights[0]!;
  for (let i = 0; i < length; i++) out[i] = first[i]! * firstWeight; // no 0 + x, which would turn −0 into +0
  for (let k = 1; k < inputs.length; k++) {
    const input = inputs[k]!;
    const weight = weights[k]!;
    // Storing into the Float32Array rounds each partial sum to float32, as ffmpeg's float loop does.
    for (let i = 0; i < length; i++) out[i] = out[i]! + fround(input[i]! * weight);
  }
  return out;
}

function meanOfChannels(channels: Float32Array[]): Float32Array {
  const length = channels[0]!.length;
  const sum = new Float64Array(length);
  for (const channel of channels) for (let i = 0; i < length; i++) sum[i] += channel[i]!;
  const out = new Float32Array(length);
  const scale = 1 / channels.length;
  for (let i = 0; i < length; i++) out[i] = sum[i]! * scale;
  return out;
}
