// Long audio end to end: an hour of 16 kHz audio assembled from FSDD digits at known offsets,
// classified by the CLI with the bundled default model in 1 s windows every 0.5 s — records,
// peak RSS of the CLI process, wall time, and how often the window that starts where a digit
// starts, or is centred on it, names the digit.
// --format mp3|flac|opus encodes the hour with ffmpeg first, to measure the codecs' piecewise
// decoding (memory must not grow with duration there either).
//   node --import tsx bench/long-audio.ts [--minutes 60] [--fsdd DIR] [--threads 1] [--format wav|mp3|flac|opus]
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { encodeWav, readAudio } from "../src/audio/index.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const minutes = Number(arg("minutes", "60"));
const threads = arg("threads", "1");
const fsddDir = arg("fsdd", existsSync("/work/shared/data/fsdd") ? "/work/shared/data/fsdd" : join(ROOT, "test/fixtures/fsdd"));
const format = arg("format", "wav");
/** ffmpeg encoder arguments for each compressed format the bench can measure. */
const ENCODERS: Record<string, string[]> = { mp3: ["-c:a", "libmp3lame", "-b:a", "64k"], flac: ["-c:a", "flac"], opus: ["-c:a", "libopus", "-b:a", "32k"] };
const RATE = 16000;
const SLOT = 2; // seconds of audio per placed digit; windows every 0.5 s

interface Placement {
  digit: string;
  /** Seconds where the clip starts, and its length. */
  start: number;
  length: number;
}

async function main(): Promise<void> {
  const names = readdirSync(fsddDir).filter((f) => /^\d_.*\.wav$/.test(f)).sort();
  if (names.length === 0) throw new Error(`no FSDD clips in ${fsddDir}`);
  const dir = mkdtempSync(join(tmpdir(), "audioclass-long-"));
  try {
    const wav = join(dir, "hour.wav");
    const placements = await writeLongWav(wav, names);
    let path = wav;
    if (format !== "wav") {
      const encoder = ENCODERS[format];
      if (encoder === undefined) throw new Error(`--format must be wav, ${Object.keys(ENCODERS).join(", ")}; got ${format}`);
      path = join(dir, `hour.${format}`);
      const encoded = spawnSync("ffmpeg", ["-v", "error", "-i", wav, ...encoder, path], { encoding: "utf8" });
      if (encoded.status !== 0) throw new Error(`ffmpeg could not encode ${format} (is it installed?): ${encoded.stderr ?? encoded.error}`);
      rmSync(wav);
    }
    console.log(`built ${minutes} min of 16 kHz audio as ${format} (${(statSync(path).size / 2 ** 20).toFixed(0)} MB) with ${placements.length} digits from ${fsddDir}`);
    const out = join(dir, "windows.jsonl");
    const rssProbe = join(ROOT, "bench/support/report-max-rss.mjs");
    const t0 = performance.now();
    const run = spawnSync(process.execPath, ["--import", rssProbe, join(ROOT, "dist/cli/main.js"), "classify", "--window", "1", "--hop", "0.5", "-k", "1", "--threads", threads, "--format", "jsonl", "--quiet", "--output", out, path], { encoding: "utf8" });
    const seconds = (performance.now() - t0) / 1000;
    if (run.status !== 0) throw new Error(`classify failed (${run.status}): ${run.stderr}`);
    const maxRss = Number(/max-rss-kb (\d+)/.exec(run.stderr)?.[1]) / 1024;
    const windows = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { start: number; end: number; predictions: Array<{ label: string }> });
    const expected = Math.ceil((minutes * 60 - 1) / 0.5) + 1;
    console.log(`windows: ${windows.length} records (expected ${expected}); ${seconds.toFixed(1)} s wall (${((minutes * 60) / seconds).toFixed(0)}× real time); peak RSS of the CLI process ${maxRss.toFixed(0)} MB (target < 300 MB)`);
    const byStart = new Map(windows.map((w) => [Math.round(w.start * 2), w]));
    let atStart = 0;
    let centred = 0;
    for (const p of placements) {
      if (byStart.get(Math.round(p.start * 2))?.predictions[0]?.label === p.digit) atStart++;
      // the window whose centre is nearest the clip's centre
      const centreStart = Math.round((p.start + p.length / 2 - 0.5) * 2);
      if (byStart.get(centreStart)?.predictions[0]?.label === p.digit) centred++;
    }
    console.log(`window starting where a digit starts names it: ${((100 * atStart) / placements.length).toFixed(1)} % (${atStart}/${placements.length})`);
    console.log(`window centred on a digit (±0.25 s) names it:   ${((100 * centred) / placements.length).toFixed(1)} % (${centred}/${placements.length})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes the long file in pieces (the audio is never whole in memory either) and returns where each digit went. */
async function writeLongWav(path: string, names: readonly string[]): Promise<Placement[]> {
  const totalSamples = minutes * 60 * RATE;
  const file = await open(path, "w");
  const placements: Placement[] = [];
  const header = encodeWav([new Float32Array(0)], RATE).subarray(0, 44);
  const view = new DataView(header.buffer, header.byteOffset, 44);
  view.setUint32(4, 36 + totalSamples * 2, true);
  view.setUint32(40, totalSamples * 2, true);
  await file.write(header, 0, 44, 0);
  let position = 44;
  let k = 0;
  for (let slot = 0; slot * SLOT * RATE < totalSamples; slot++) {
    const samples = new Float32Array(Math.min(SLOT * RATE, totalSamples - slot * SLOT * RATE));
    const name = names[(k++ * 7919) % names.length]!; // a spread of digits and speakers
    const clip = (await readAudio(join(fsddDir, name), { samplingRate: RATE, mono: true })).channels[0]!;
    // digits start on the 0.5 s grid (0.5 s into the slot), so a window starts exactly with them
    const offset = RATE / 2;
    if (offset + clip.length <= samples.length) {
      samples.set(clip, offset);
      placements.push({ digit: name[0]!, start: slot * SLOT + 0.5, length: clip.length / RATE });
    }
    const pcm = encodeWav([samples], RATE).subarray(44);
    await file.write(pcm, 0, pcm.length, position);
    position += pcm.length;
  }
  await file.close();
  return placements;
}

await main();
