/** MP3: frame sniffing (mpeg-frame-header.ts, ID3 skipping) and mpg123-decoder through readAudio. */
import { audioSeeds } from "./audio-seeds.js";
import { audioTarget } from "./audio-target.js";

export const mp3Target = audioTarget({
  name: "mp3",
  description: "MP3/MP2 bytes → readAudio (ID3v2 skip, MPEG frame sniffing, mpg123 WASM) → toMono → resample",
  seeds: () => audioSeeds((name) => name.endsWith(".mp3") || name.endsWith(".mp2")),
});
