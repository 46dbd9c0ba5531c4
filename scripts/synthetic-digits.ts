// Spoken digits synthesised with espeak-ng in many voices, accents, pitches and rates, shaped
// like FSDD recordings (band-limited to 4 kHz as FSDD's 8 kHz originals are, silence trimmed,
// stored as 16 kHz PCM16 "{digit}_espeak_{n}.wav"). FSDD has only four speakers; training on
// these as well teaches the model what varies between voices and what does not, which more than
// doubles its accuracy on a speaker it never heard (see models/default/README.md).
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { decodeWav, encodeWav, resample, toMono } from "../src/index.js";
import { Rng } from "../src/training/random.js";

const WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
const ACCENTS = ["en-us", "en-gb", "en-gb-scotland", "en-gb-x-rp", "en-029", "en-gb-x-gbclan", "en-gb-x-gbcwmd"];
/** espeak-ng's voice variants that sound like people (robots, whispers and effects left out). */
const VARIANTS = (
  "adam Alex Alicia Andrea Andy Annie antonio aunty belinda benjamin boris caleb david Denis Diogo ed edward edward2 Gene Gene2 " +
  "gustave Henrique Hugo iven iven2 iven3 iven4 Jacky john kaukovalta Lee linda marcelo Marco Mario max Michael michel miguel " +
  "Mike Nguyen pablo paul pedro quincy rob robert steph steph2 steph3 Storm Tweaky zac anika AnxiousAndy f1 f2 f3 f4 f5 " +
  "grandpa grandma klatt klatt2 klatt3 klatt4 m1 m2 m3 m4 m5 m6 m7 m8 norbert sandro shelby travis victor croak"
).split(" ");

const FSDD_RATE = 8000;
const OUTPUT_RATE = 16000;

export interface SyntheticDigitsOptions {
  /** Clips per digit. */
  readonly perDigit: number;
  readonly seed: number;
  /** espeak-ng processes at once (default 2). */
  readonly concurrency?: number;
  readonly espeak?: string;
}

interface Voice {
  readonly digit: number;
  readonly index: number;
  readonly voice: string;
  readonly pitch: number;
  readonly wordsPerMinute: number;
}

/** Runs espeak-ng for one word and returns the WAV it writes to stdout. */
function speak(espeak: string, v: Voice): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const child = spawn(espeak, ["-v", v.voice, "-p", String(v.pitch), "-s", String(v.wordsPerMinute), "--stdout", WORDS[v.digit]!], { stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "ENOENT" ? new Error(`${espeak} not found: install espeak-ng (apt-get install -y espeak-ng), or pass --synthetic 0 to train on FSDD alone`) : error),
    );
    child.on("close", (code) => (code === 0 ? resolve(new Uint8Array(Buffer.concat(out))) : reject(new Error(`espeak-ng ${v.voice} "${WORDS[v.digit]}" exited with ${code}: ${err.trim()}`))));
  });
}

function peakOf(x: Float32Array): number {
  let peak = 0;
  for (const s of x) peak = Math.max(peak, Math.abs(s));
  return peak;
}

/** Drops leading and trailing stretches quieter than 0.5 % of the peak, keeping 10 ms of margin. */
function trimSilence(x: Float32Array, rate: number): Float32Array {
  const threshold = 0.005 * peakOf(x);
  let first = 0;
  while (first < x.length && Math.abs(x[first]!) <= threshold) first++;
  let last = x.length - 1;
  while (last > first && Math.abs(x[last]!) <= threshold) last--;
  const margin = Math.round(0.01 * rate);
  return x.slice(Math.max(0, first - margin), Math.min(x.length, last + 1 + margin));
}

/** One clip as FSDD would have recorded it, at `level` of full scale. */
async function render(espeak: string, v: Voice, level: number): Promise<Uint8Array> {
  const audio = decodeWav(await speak(espeak, v));
  const narrow = trimSilence(resample(toMono(audio), audio.samplingRate, FSDD_RATE), FSDD_RATE);
  const peak = peakOf(narrow);
  if (peak === 0) throw new Error(`espeak-ng ${v.voice} "${WORDS[v.digit]}" produced silence`);
  const wide = resample(narrow, FSDD_RATE, OUTPUT_RATE);
  for (let i = 0; i < wide.length; i++) wide[i] = (wide[i]! * level) / peak;
  return encodeWav([wide], OUTPUT_RATE);
}

/** Writes perDigit × 10 clips into `folder`; returns their paths. Deterministic for a seed. */
export async function synthesizeDigits(folder: string, options: SyntheticDigitsOptions): Promise<string[]> {
  const rng = new Rng(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng.random() * items.length)]!;
  const jobs: { voice: Voice; level: number; path: string }[] = [];
  for (let digit = 0; digit < WORDS.length; digit++) {
    for (let index = 0; index < options.perDigit; index++) {
      const voice = { digit, index, voice: `${pick(ACCENTS)}+${pick(VARIANTS)}`, pitch: rng.integer(20, 80), wordsPerMinute: rng.integer(120, 210) };
      jobs.push({ voice, level: rng.uniform(0.1, 0.9), path: join(folder, `${digit}_espeak_${index}.wav`) });
    }
  }
  mkdirSync(folder, { recursive: true });
  const espeak = options.espeak ?? "espeak-ng";
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      writeFileSync(job.path, await render(espeak, job.voice, job.level));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 2 }, worker));
  return jobs.map((j) => j.path);
}
