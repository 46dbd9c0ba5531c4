/** FLAC (native and Ogg FLAC): STREAMINFO checks and libFLAC (WASM) through readAudio. */
import { withFixedOggCrcs } from "./ogg-crc.js";
import { audioSeeds } from "./audio-seeds.js";
import { audioTarget } from "./audio-target.js";
import { mutateBytes } from "../mutate.js";

export const flacTarget = audioTarget({
  name: "flac",
  description: "FLAC / Ogg FLAC bytes → readAudio (STREAMINFO bit depth, libFLAC WASM, rescaling) → toMono → resample",
  seeds: () => audioSeeds((name) => name.endsWith(".flac") || name.endsWith(".oga")),
  // Ogg FLAC pages carry CRCs: keep them valid so the mutation reaches libFLAC.
  mutate: (input, random) => (input[0] === 0x4f ? withFixedOggCrcs(mutateBytes(input, random, { donors: [] })) : undefined),
});
