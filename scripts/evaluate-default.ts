// The default model's figures (issue #15 item 5) for any model folder, measured the same way
// for every model:
//
//   npm run eval:default -- <model folder> [--fsdd DIR] [--noise ESC10_DIR] [--speaker NAME]
//        [--snr 10] [--threads N] [--seed N] [--json FILE]
//
// - FSDD standard split: takes 0–4 of every speaker and digit in --fsdd, as recorded.
// - --speaker NAME: every recording of that speaker (meaningful for a model trained with
//   npm run train:default -- … --speaker-holdout NAME, which never heard them).
// - noise: the standard-split clips with an ESC-10 clip from the "eval" half
//   (scripts/esc10-noise.ts, which training with --noise never uses) mixed in at --snr dB
//   (default 10) relative to the clip, a random excerpt (digital silence removed) per clip, seeded.
// - position: each standard-split clip placed in a window as long as the model's input
//   (chunk_length of its preprocessor_config.json), silence around it: at the start, 100 ms in,
//   centred, and ending at the window's end — as the windows of a long recording (bench/long-
//   audio.ts) show a word.
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { AddBackgroundNoise, PlaceInWindow, Rng, fsddSplit, loadFsdd, pipeline, readAudio, type AudioExample } from "../src/index.js";
import { loadEsc10Noise } from "./esc10-noise.js";
import { WINDOW_POSITIONS, windowOffset } from "./window-positions.js";

const RATE = 16000;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    fsdd: { type: "string", default: "/work/shared/data/fsdd" },
    noise: { type: "string", default: "/work/shared/data/esc10" },
    speaker: { type: "string" },
    snr: { type: "string", default: "10" },
    threads: { type: "string" },
    seed: { type: "string", default: "1" },
    json: { type: "string" },
  },
});
const modelDir = positionals[0];
if (modelDir === undefined) {
  console.error("usage: npm run eval:default -- <model folder> [--fsdd DIR] [--noise ESC10_DIR] [--speaker NAME] [--snr 10] [--threads N] [--json FILE]");
  process.exit(2);
}
const snrDb = Number(values.snr);
const seed = Number(values.seed);
const preprocessor = JSON.parse(readFileSync(join(resolve(modelDir), "preprocessor_config.json"), "utf8")) as { chunk_length?: number };
const windowSeconds = preprocessor.chunk_length ?? 1;

const classify = await pipeline("audio-classification", resolve(modelDir), values.threads === undefined ? {} : { threads: Number(values.threads) });

/** Share of the waveforms whose top label is the expected one. */
async function accuracy(waveforms: readonly Float32Array[], expected: readonly string[]): Promise<number> {
  const results = (await classify([...waveforms], { topK: 1, batchSize: 16 })) as unknown as { label: string }[][];
  let right = 0;
  results.forEach((r, i) => (right += r[0]?.label === expected[i] ? 1 : 0));
  return right / waveforms.length;
}

async function decode(examples: readonly AudioExample[]): Promise<Float32Array[]> {
  return Promise.all(examples.map(async (e) => (await readAudio(e.path, { samplingRate: RATE, mono: true })).channels[0]!));
}

const all = await loadFsdd(resolve(values.fsdd!));
const test = fsddSplit(all).test.examples;
const clips = await decode(test);
const labels = test.map((e) => e.labels[0]!);
const rows: [string, number, number][] = [];
const measure = async (what: string, waveforms: readonly Float32Array[], expected: readonly string[]): Promise<void> => {
  const started = performance.now();
  const value = await accuracy(waveforms, expected);
  rows.push([what, value, waveforms.length]);
  console.error(`${what}: ${(100 * value).toFixed(1)} % (${((performance.now() - started) / 1000).toFixed(1)} s)`);
};

await measure("FSDD standard split (takes 0–4)", clips, labels);
if (values.speaker !== undefined) {
  const own = all.examples.filter((e) => e.path.split("/").pop()!.split("_")[1] === values.speaker);
  if (own.length === 0) throw new Error(`no recordings of speaker ${values.speaker} in ${values.fsdd}`);
  await measure(`speaker "${values.speaker}" (all ${own.length} recordings)`, await decode(own), own.map((e) => e.labels[0]!));
}
const noise = new AddBackgroundNoise({ sounds: await loadEsc10Noise(resolve(values.noise!), "eval"), minSnrDb: snrDb, maxSnrDb: snrDb, p: 1 });
const noisy = clips.map((c, i) => noise.apply(c, RATE, Rng.derive(seed, i)));
await measure(`ESC-10 noise at ${snrDb} dB SNR (unseen noise clips)`, noisy, labels);
const window = Math.round(windowSeconds * RATE);
const place = new PlaceInWindow({ windowSeconds });
for (const position of WINDOW_POSITIONS) {
  const placed = clips.map((c) => place.applyWith(c, RATE, { offset: windowOffset(position, c.length, window, RATE) }, new Rng(seed)));
  await measure(`digit in a ${windowSeconds} s window: ${position}`, placed, labels);
}

console.log(`| ${modelDir} | accuracy | clips |\n|---|---:|---:|`);
for (const [what, value, n] of rows) console.log(`| ${what} | ${(100 * value).toFixed(1)} % | ${n} |`);
if (values.json !== undefined) writeFileSync(values.json, JSON.stringify({ model: modelDir, figures: Object.fromEntries(rows.map(([w, v, n]) => [w, { accuracy: v, clips: n }])) }, null, 2));
