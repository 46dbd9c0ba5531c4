/**
 * Decoding benchmark: 60 s of 44.1 kHz stereo as WAV (16-bit), FLAC and MP3, decoded by the
 * built-in decoders and by ffmpeg in the same process, then downmixed and resampled to 16 kHz.
 *   node --import tsx bench/decode.ts [seconds=60] [runs=5]
 * Prints the median of `runs` timings (after one warm-up) and the built-in/ffmpeg ratios.
 * Needs ffmpeg (to make the test files in a temp dir, and as the comparison decoder).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeAudio, decodeWithFfmpeg, resample, toMono } from "../src/audio/index.js";

const seconds = Number(process.argv[2] ?? 60);
const runs = Number(process.argv[3] ?? 5);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function time(run: () => unknown): Promise<number> {
  await run(); // warm-up: WASM compilation, JIT
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return median(times);
}

const dir = mkdtempSync(join(tmpdir(), "audioclass-bench-decode-"));
try {
  // A chirp and a chord with some noise: content every codec has to work for.
  const source = `aevalsrc=exprs=0.4*sin(2*PI*(200+40*t)*t)+0.05*random(0)|0.3*sin(2*PI*330*t)+0.2*sin(2*PI*495*t)+0.05*random(1):s=44100:d=${seconds}`;
  const files = {
    WAV: join(dir, "clip.wav"),
    FLAC: join(dir, "clip.flac"),
    MP3: join(dir, "clip.mp3"),
  };
  const encode = { WAV: ["-c:a", "pcm_s16le"], FLAC: ["-c:a", "flac"], MP3: ["-c:a", "libmp3lame", "-b:a", "192k"] };
  for (const [format, path] of Object.entries(files)) {
    execFileSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", source, ...encode[format as keyof typeof encode], path]);
  }

  console.log(`${seconds} s of 44.1 kHz stereo; median of ${runs} runs after a warm-up (ms)\n`);
  console.log("format   size MB   decode  downmix  resample→16k  built-in total  ffmpeg→16k  ffmpeg native  built-in/ffmpeg");
  for (const [format, path] of Object.entries(files)) {
    const buffer = readFileSync(path);
    const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    const decoded = await decodeAudio(bytes);
    const mono = toMono(decoded);
    const decode = await time(() => decodeAudio(bytes));
    const downmix = await time(() => toMono(decoded));
    const resampling = await time(() => resample(mono, decoded.samplingRate, 16000));
    const ffmpeg16k = await time(() => decodeWithFfmpeg(bytes, { samplingRate: 16000 }));
    const ffmpegNative = await time(() => decodeWithFfmpeg(bytes));
    const total = decode + downmix + resampling;
    const row = [
      format.padEnd(6),
      (bytes.length / 1e6).toFixed(1).padStart(9),
      decode.toFixed(1).padStart(8),
      downmix.toFixed(1).padStart(8),
      resampling.toFixed(1).padStart(13),
      total.toFixed(1).padStart(15),
      ffmpeg16k.toFixed(1).padStart(11),
      ffmpegNative.toFixed(1).padStart(14),
      (total / ffmpeg16k).toFixed(2).padStart(16),
    ];
    console.log(row.join(" "));
    if (format === "WAV") console.log(`         WAV decode throughput: ${(bytes.length / 1e6 / (decode / 1000)).toFixed(0)} MB/s`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
