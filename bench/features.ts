/**
 * Feature-extraction speed: milliseconds per 10 s clip for each extractor with the configs of
 * the published checkpoints (median of several runs after warm-up). Run with
 * `npm run bench:features`; options: `--runs N` (default 15).
 *
 * Targets (DESIGN/issue): AST fbank ≤ 10 ms per 10 s clip (transformers' Python extractor takes
 * ~46 ms on the reference machine), Whisper 30 s window ≤ 40 ms.
 */
import { loadavg } from "node:os";
import {
  ASTFeatureExtractor,
  ClapFeatureExtractor,
  NumpyRandomState,
  Wav2Vec2FeatureExtractor,
  WhisperFeatureExtractor,
  type FeatureExtractor,
} from "../src/features/index.js";

function argValue(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? Number(process.argv[i + 1]) : fallback;
}

/** A deterministic clip with speech-like content: partials, a sweep and a little noise. */
function clip(seconds: number, sr: number): Float32Array {
  let s = 12345;
  return Float32Array.from({ length: Math.round(seconds * sr) }, (_, i) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const t = i / sr;
    return 0.2 * Math.sin(2 * Math.PI * 220 * t) + 0.1 * Math.sin(2 * Math.PI * (500 + 300 * t) * t) + 0.02 * (s / 2 ** 32 - 0.5);
  });
}

interface Case {
  name: string;
  note: string;
  run: () => unknown;
}

function extractorCase(name: string, note: string, fe: FeatureExtractor, audio: Float32Array, seeded = false): Case {
  return {
    name,
    note,
    run: () => fe(audio, { samplingRate: fe.samplingRate, ...(seeded ? { rng: new NumpyRandomState(0) } : {}) }),
  };
}

const runs = argValue("--runs", 15);
const clip16 = clip(10, 16000);
const clip48 = clip(10, 48000);
const clip48Long = clip(20, 48000);

const cases: Case[] = [
  extractorCase(
    "AST fbank",
    "128 bins, 1024 frames (MIT/ast-finetuned-audioset-10-10-0.4593)",
    new ASTFeatureExtractor({ num_mel_bins: 128, max_length: 1024, mean: -4.2677393, std: 4.5689974 }),
    clip16,
  ),
  extractorCase("Wav2Vec2", "normalised waveform (facebook/wav2vec2-base)", new Wav2Vec2FeatureExtractor({ do_normalize: true }), clip16),
  extractorCase("Whisper 80 bins", "30 s window, 3000 frames (openai/whisper-base)", new WhisperFeatureExtractor({ feature_size: 80 }), clip16),
  extractorCase("Whisper 128 bins", "30 s window, 3000 frames (openai/whisper-large-v3)", new WhisperFeatureExtractor({ feature_size: 128 }), clip16),
  extractorCase("CLAP unfused", "rand_trunc, Slaney mel (laion/clap-htsat-unfused)", new ClapFeatureExtractor({ truncation: "rand_trunc" }), clip48),
  extractorCase("CLAP fused, 10 s", "fusion, HTK mel, 4 identical channels (laion/clap-htsat-fused)", new ClapFeatureExtractor({ truncation: "fusion" }), clip48),
  extractorCase("CLAP fused, 20 s", "fusion of a long clip: whole mel + shrink + 3 crops (per 20 s clip)", new ClapFeatureExtractor({ truncation: "fusion" }), clip48Long, true),
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

console.log(`feature extraction, ms per 10 s clip (median of ${runs} runs after warm-up; load average ${loadavg()[0]!.toFixed(2)})`);
console.log(`node ${process.version}`);
const rows: string[][] = [];
for (const c of cases) {
  for (let i = 0; i < 10; i++) c.run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    c.run();
    times.push(performance.now() - start);
  }
  rows.push([c.name, median(times).toFixed(2), Math.min(...times).toFixed(2), c.note]);
}
const widths = [0, 1, 2].map((k) => Math.max(...rows.map((r) => r[k]!.length), ["extractor", "median", "min"][k]!.length));
console.log(["extractor".padEnd(widths[0]!), "median".padStart(widths[1]!), "min".padStart(widths[2]!), "config"].join("  "));
for (const r of rows) console.log([r[0]!.padEnd(widths[0]!), r[1]!.padStart(widths[1]!), r[2]!.padStart(widths[2]!), r[3]].join("  "));
