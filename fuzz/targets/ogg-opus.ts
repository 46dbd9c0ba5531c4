/** Ogg Opus: OpusHead parsing, granule trimming and libopus (WASM) through readAudio. */
import { mutateBytes } from "../mutate.js";
import { withFixedOggCrcs } from "./ogg-crc.js";
import { audioSeeds } from "./audio-seeds.js";
import { audioTarget } from "./audio-target.js";

export const oggOpusTarget = audioTarget({
  name: "ogg-opus",
  description: "Ogg Opus bytes → readAudio (OpusHead pre-skip, granule trimming, libopus WASM) → toMono → resample",
  seeds: () => audioSeeds((name) => name.startsWith("ogg-opus")),
  mutate: (input, random) => withFixedOggCrcs(mutateBytes(input, random, { donors: [] })),
});
