/**
 * A small labelled audio set generated deterministically, for training tests that must run
 * anywhere: three classes a spectrogram separates easily — "tone" (a steady sine, 300–2500 Hz),
 * "noise" (white noise) and "chirp" (a sine sweeping up over the clip) — each example with its
 * own seeded frequency, amplitude and phase, written as 16 kHz WAV files in label folders.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AudioDataset } from "../../../src/training/index.js";
import { Rng } from "../../../src/training/random.js";
import { type TempDir, tempDir } from "./wav-file.js";

export const SYNTHETIC_CLASSES = ["chirp", "noise", "tone"] as const;
export type SyntheticClass = (typeof SYNTHETIC_CLASSES)[number];

export interface SyntheticOptions {
  /** Examples per class. */
  readonly perClass: number;
  readonly seconds?: number;
  readonly sampleRate?: number;
  readonly seed?: number;
  /** Only these classes (default all three). */
  readonly classes?: readonly SyntheticClass[];
  /** Vary clip lengths by up to this fraction (padded batches). Default 0. */
  readonly lengthJitter?: number;
}

export function syntheticClip(kind: SyntheticClass, rng: Rng, seconds: number, sampleRate: number): Float32Array {
  const n = Math.round(seconds * sampleRate);
  const amplitude = rng.uniform(0.2, 0.6);
  const out = new Float32Array(n);
  if (kind === "noise") {
    for (let i = 0; i < n; i++) out[i] = amplitude * (2 * rng.random() - 1);
    return out;
  }
  const phase = rng.uniform(0, 2 * Math.PI);
  if (kind === "tone") {
    const f = rng.uniform(300, 2500);
    for (let i = 0; i < n; i++) out[i] = amplitude * Math.sin(phase + (2 * Math.PI * f * i) / sampleRate);
    return out;
  }
  const f0 = rng.uniform(200, 800);
  const f1 = rng.uniform(3000, 6000);
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    out[i] = amplitude * Math.sin(phase + 2 * Math.PI * (f0 * t + ((f1 - f0) * t * t) / (2 * seconds)));
  }
  return out;
}

/** Writes `root/<class>/<class>_<k>.wav` files; returns the folder (remove() when done). */
export function writeSyntheticDataset(options: SyntheticOptions, dir: TempDir = tempDir("audioclass-synthetic-")): TempDir {
  const rate = options.sampleRate ?? 16000;
  const seconds = options.seconds ?? 1;
  const jitter = options.lengthJitter ?? 0;
  for (const kind of options.classes ?? SYNTHETIC_CLASSES) {
    for (let k = 0; k < options.perClass; k++) {
      const rng = Rng.derive(options.seed ?? 1, SYNTHETIC_CLASSES.indexOf(kind), k);
      const length = seconds * (1 - jitter * rng.random());
      dir.wav(`${kind}/${kind}_${k}.wav`, syntheticClip(kind, rng, length, rate), rate);
    }
  }
  return dir;
}

export interface SyntheticSplits {
  readonly train: AudioDataset;
  readonly eval: AudioDataset;
  readonly trainDir: string;
  readonly evalDir: string;
  readonly output: string;
  remove(): void;
}

/** A training and a held-out synthetic set (different seeds) plus an empty output folder. */
export async function syntheticSplits(options: Omit<SyntheticOptions, "seed" | "perClass"> & { trainPerClass: number; evalPerClass: number }): Promise<SyntheticSplits> {
  const { trainPerClass, evalPerClass, ...rest } = options;
  const train = writeSyntheticDataset({ ...rest, perClass: trainPerClass, seed: 1 });
  const held = writeSyntheticDataset({ ...rest, perClass: evalPerClass, seed: 2 });
  const output = mkdtempSync(join(tmpdir(), "audioclass-train-out-"));
  return {
    train: await AudioDataset.fromFolder(train.root),
    eval: await AudioDataset.fromFolder(held.root),
    trainDir: train.root,
    evalDir: held.root,
    output,
    remove: () => {
      train.remove();
      held.remove();
      rmSync(output, { recursive: true, force: true });
    },
  };
}
