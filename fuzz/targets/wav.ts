/** WAV: the native RIFF/RIFX/RF64 parser (wav-header.ts, wav-samples.ts) through readAudio. */
import type { FuzzRandom } from "../random.js";
import { audioSeeds } from "./audio-seeds.js";
import { audioTarget } from "./audio-target.js";

const RATES = [0, 1, 999, 1000, 8000, 768000, 768001, 0x7fffffff, 0xffffffff];
const SMALL_FIELDS = [0, 1, 2, 3, 7, 8, 12, 16, 24, 32, 33, 64, 255, 0xfffe, 0xffff];
const SIZES = [0, 1, 2, 3, 0xffffffff, 0x7fffffff, 0xfffffffe];

/** Sets one numeric field of the fmt chunk, or the size of some chunk, to a boundary value. */
function mutateWavFields(input: Uint8Array, random: FuzzRandom): Uint8Array | undefined {
  if (input.length < 44) return undefined;
  const out = input.slice();
  const view = new DataView(out.buffer);
  const littleEndian = out[3] !== 0x58; // RIFX is big-endian
  const chunks: { id: string; at: number }[] = [];
  for (let at = 12; at + 8 <= out.length; ) {
    const id = String.fromCharCode(...out.subarray(at, at + 4));
    chunks.push({ id, at });
    const size = view.getUint32(at + 4, littleEndian);
    if (size > out.length) break;
    at += 8 + size + (size & 1);
  }
  const fmt = chunks.find((c) => c.id === "fmt ");
  if (fmt === undefined || random.chance(0.3)) {
    const chunk = chunks.length > 0 && random.chance(0.8) ? random.pick(chunks).at + 4 : 4;
    view.setUint32(chunk, random.pick(SIZES), littleEndian);
    return out;
  }
  const body = fmt.at + 8;
  const field = random.pick(["tag", "channels", "rate", "byteRate", "blockAlign", "bits", "extTag"] as const);
  if (field === "rate" || field === "byteRate") {
    if (body + 12 <= out.length) view.setUint32(body + (field === "rate" ? 4 : 8), random.pick(RATES), littleEndian);
  } else {
    const offset = { tag: 0, channels: 2, blockAlign: 12, bits: 14, extTag: 24 }[field];
    if (body + offset + 2 <= out.length) view.setUint16(body + offset, random.pick(field === "tag" || field === "extTag" ? [1, 3, 6, 7, 2, 0xfffe, 0] : SMALL_FIELDS), littleEndian);
  }
  return out;
}

export const wavTarget = audioTarget({
  name: "wav",
  description: "WAV bytes → readAudio (RIFF/RIFX/RF64 chunk parser, PCM/float/G.711 samples) → toMono → resample",
  seeds: () => audioSeeds((name) => name.endsWith(".wav")),
  mutate: mutateWavFields,
});
