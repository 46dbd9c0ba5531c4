// The ESC-10 clips used as background noise by the default model's recipe, split in two so the
// evaluation mixes in recordings the model never heard: within each ESC-10 class (the target
// number ending the file name, "{fold}-{freesound id}-{take}-{target}.wav"), the clips in name
// order alternate between "train" (0th, 2nd, …) and "eval" (1st, 3rd, …).
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { readAudio, type NoiseSound } from "../src/index.js";

export type NoisePart = "train" | "eval";

/** The paths of one half of the ESC-10 clips in `folder`, every class in both halves. */
export function esc10NoiseFiles(folder: string, part: NoisePart): string[] {
  const byClass = new Map<string, string[]>();
  for (const name of readdirSync(folder).filter((f) => f.endsWith(".wav")).sort()) {
    const target = /-(\d+)\.wav$/.exec(name)?.[1];
    if (target === undefined) continue;
    byClass.set(target, [...(byClass.get(target) ?? []), name]);
  }
  if (byClass.size === 0) throw new Error(`no ESC-10 clips ("{fold}-{id}-{take}-{target}.wav") in ${folder}`);
  const wanted = part === "train" ? 0 : 1;
  return [...byClass.values()].flatMap((names) => names.filter((_, i) => i % 2 === wanted)).map((n) => join(folder, n));
}

/** Frames (of FRAME seconds) quieter than this RMS are dropped: ESC-50 pads short sounds with digital silence. */
const SILENT_RMS = 1e-4;
const FRAME = 0.05;

/** Keeps the FRAME-long stretches of `samples` that are not (near) digital silence, joined. */
export function withoutSilence(samples: Float32Array, sampleRate: number): Float32Array {
  const frame = Math.max(1, Math.round(FRAME * sampleRate));
  const kept: Float32Array[] = [];
  for (let start = 0; start < samples.length; start += frame) {
    const part = samples.subarray(start, Math.min(start + frame, samples.length));
    let sum = 0;
    for (const s of part) sum += s * s;
    if (Math.sqrt(sum / part.length) > SILENT_RMS) kept.push(part);
  }
  const out = new Float32Array(kept.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of kept) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** One half of the ESC-10 clips, decoded to 16 kHz mono with their digital silence removed (silent clips left out). */
export async function loadEsc10Noise(folder: string, part: NoisePart): Promise<NoiseSound[]> {
  const sounds: NoiseSound[] = [];
  for (const path of esc10NoiseFiles(folder, part)) {
    const audio = await readAudio(path, { samplingRate: 16000, mono: true });
    const samples = withoutSilence(audio.channels[0]!, audio.samplingRate);
    if (samples.length > 0) sounds.push({ name: path, samples, sampleRate: audio.samplingRate });
  }
  return sounds;
}
