// Spoken digits synthesised with espeak-ng in many voices, accents, pitches and rates, shaped
// like FSDD recordings (band-limited to 4 kHz as FSDD's 8 kHz originals are, silence trimmed,
// stored as 16 kHz PCM16 "{digit}_espeak_{n}.wav"). FSDD has only four speakers; training on
// these as well teaches the model what varies between voices and what does not, which more than
// doubles its accuracy on a speaker it never heard (see models/default/README.md).
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
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
  /**
   * Clips per digit from each of the other synthesisers Debian ships — flite (voices kal, awb,
   * rms, slt) and festival (kal, ked, and the HTS voice slt when installed) — with random pitch
   * (flite) and duration stretch. Each one that is not installed is skipped with a warning.
   * Default 0.
   */
  readonly otherPerDigit?: number;
}

/** flite's voices that speak (awb_time only tells the time; kal16 is kal at 16 kHz). */
const FLITE_VOICES = ["kal16", "awb", "rms", "slt"];
/** festival voice functions (Debian: festvox-kallpc16k, festvox-kdlpc16k, festvox-us-slt-hts). */
const FESTIVAL_VOICES = ["voice_kal_diphone", "voice_ked_diphone", "voice_cmu_us_slt_arctic_hts"];

/** A synthesiser other than espeak-ng: writes one word as a WAV file. */
interface Engine {
  readonly name: "flite" | "festival";
  readonly voices: readonly string[];
  args(word: string, voice: string, stretch: number, pitch: number, out: string): { command: string; args: string[]; input?: string };
}

const FLITE: Engine = {
  name: "flite",
  voices: FLITE_VOICES,
  args: (word, voice, stretch, pitch, out) => ({
    command: "flite",
    args: ["-voice", voice, "--setf", `duration_stretch=${stretch.toFixed(3)}`, "--setf", `int_f0_target_mean=${pitch}`, "-t", word, "-o", out],
  }),
};

const FESTIVAL: Engine = {
  name: "festival",
  voices: FESTIVAL_VOICES,
  args: (word, voice, stretch, _pitch, out) => ({
    command: "text2wave",
    args: ["-eval", `(${voice})`, "-eval", `(Parameter.set 'Duration_Stretch ${stretch.toFixed(3)})`, "-o", out],
    input: word,
  }),
};

/** The voices of `engine` that are installed here (empty when the program itself is missing). */
function installedVoices(engine: Engine): string[] {
  if (engine.name === "flite") {
    const r = spawnSync("flite", ["-lv"], { encoding: "utf8" });
    if (r.error !== undefined || r.status !== 0) return [];
    const listed = new Set(r.stdout.replace(/^Voices available:/, "").trim().split(/\s+/));
    return engine.voices.filter((v) => listed.has(v));
  }
  return engine.voices.filter((v) => {
    const r = spawnSync("festival", ["--batch", `(begin (${v}) (print "ok"))`], { encoding: "utf8" });
    return r.error === undefined && r.status === 0 && r.stdout.includes("ok");
  });
}

/** Runs one engine for one word and returns the WAV it wrote. */
function speakWith(engine: Engine, word: string, voice: string, stretch: number, pitch: number, scratch: string, n: number): Promise<Uint8Array> {
  const out = join(scratch, `${engine.name}-${n}.wav`);
  const { command, args, input } = engine.args(word, voice, stretch, pitch, out);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: [input === undefined ? "ignore" : "pipe", "ignore", "pipe"] });
    let err = "";
    child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("error", reject);
    if (input !== undefined) child.stdin!.end(input);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`${command} ${voice} "${word}" exited with ${code}: ${err.trim()}`));
      const bytes = new Uint8Array(readFileSync(out));
      rmSync(out, { force: true });
      resolve(bytes);
    });
  });
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
  return shape(await speak(espeak, v), level, `espeak-ng ${v.voice} "${WORDS[v.digit]}"`);
}

/** A synthesiser's WAV as FSDD would have recorded it: 4 kHz band, silence trimmed, at `level` of full scale. */
function shape(wav: Uint8Array, level: number, what: string): Uint8Array {
  const audio = decodeWav(wav);
  const narrow = trimSilence(resample(toMono(audio), audio.samplingRate, FSDD_RATE), FSDD_RATE);
  const peak = peakOf(narrow);
  if (peak === 0) throw new Error(`${what} produced silence`);
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
  const paths = jobs.map((j) => j.path);
  const otherPerDigit = options.otherPerDigit ?? 0;
  if (otherPerDigit > 0) paths.push(...(await synthesizeOthers(folder, otherPerDigit, rng, options.concurrency ?? 2)));
  return paths;
}

/** otherPerDigit clips per digit from each installed engine other than espeak-ng, as "{digit}_{engine}_{n}.wav". */
async function synthesizeOthers(folder: string, perDigit: number, rng: Rng, concurrency: number): Promise<string[]> {
  const jobs: { engine: Engine; digit: number; voice: string; stretch: number; pitch: number; level: number; path: string }[] = [];
  for (const engine of [FLITE, FESTIVAL]) {
    const voices = installedVoices(engine);
    if (voices.length === 0) {
      console.error(`synthetic digits: ${engine.name} not installed (apt-get install -y ${engine.name === "flite" ? "flite" : "festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts"}); skipping it`);
      continue;
    }
    for (let digit = 0; digit < WORDS.length; digit++) {
      for (let index = 0; index < perDigit; index++) {
        const voice = voices[index % voices.length]!;
        jobs.push({ engine, digit, voice, stretch: rng.uniform(0.8, 1.4), pitch: rng.integer(80, 240), level: rng.uniform(0.1, 0.9), path: join(folder, `${digit}_${engine.name}_${index}.wav`) });
      }
    }
  }
  const scratch = mkdtempSync(join(tmpdir(), "audioclass-synth-"));
  try {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < jobs.length) {
        const n = next++;
        const job = jobs[n]!;
        const wav = await speakWith(job.engine, WORDS[job.digit]!, job.voice, job.stretch, job.pitch, scratch, n);
        writeFileSync(job.path, shape(wav, job.level, `${job.engine.name} ${job.voice} "${WORDS[job.digit]}"`));
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return jobs.map((j) => j.path);
}
