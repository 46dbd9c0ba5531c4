/** Ogg Vorbis: Ogg page sniffing and libvorbis (WASM) through readAudio. */
import { mutateBytes } from "../mutate.js";
import { withFixedOggCrcs } from "./ogg-crc.js";
import { audioSeeds } from "./audio-seeds.js";
import { audioTarget } from "./audio-target.js";

export const oggVorbisTarget = audioTarget({
  name: "ogg-vorbis",
  description: "Ogg Vorbis bytes → readAudio (Ogg pages, libvorbis WASM) → toMono → resample",
  seeds: () => audioSeeds((name) => name.startsWith("ogg-vorbis")),
  mutate: (input, random) => withFixedOggCrcs(mutateBytes(input, random, { donors: [] })),
});
