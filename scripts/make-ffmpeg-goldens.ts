/**
 * Regenerates test/fixtures/audio/ffmpeg-goldens/: ffmpeg's decode of every input listed in
 * test/audio/ffmpeg-decode-specs.ts, as raw little-endian float32 (interleaved) plus a manifest
 * naming the ffmpeg version, the arguments and the input's SHA-256. The audio tests compare our
 * decoders and downmix with these files, so they run on machines without ffmpeg.
 *   node --import tsx scripts/make-ffmpeg-goldens.ts
 * Needs ffmpeg on PATH built with libopus (the fixtures were made with ffmpeg 5.1, Debian 12).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FFMPEG_DECODE_SPECS, ffmpegArgs, readsStdin, specInput } from "../test/audio/ffmpeg-decode-specs.js";
import { FFMPEG_GOLDEN_DIR, goldenArgs, sha256, type GoldenEntry, type GoldenManifest } from "../test/audio/ffmpeg-goldens.js";
import { codecFixture } from "../test/audio/reference.js";

function ffmpegVersion(): string {
  const run = spawnSync("ffmpeg", ["-version"], { encoding: "utf8" });
  if (run.error) throw new Error(`ffmpeg is needed to make the goldens: ${run.error.message}`);
  return run.stdout.split("\n")[0]!.replace(/ Copyright.*$/, "").trim(); // "ffmpeg version 5.1.9-0+deb12u1"
}

const names = new Set<string>();
for (const spec of FFMPEG_DECODE_SPECS) {
  if (names.has(spec.name)) throw new Error(`two specs are named ${spec.name}`);
  names.add(spec.name);
}

const version = ffmpegVersion();
mkdirSync(FFMPEG_GOLDEN_DIR, { recursive: true });
for (const old of readdirSync(FFMPEG_GOLDEN_DIR)) if (old.endsWith(".f32")) rmSync(join(FFMPEG_GOLDEN_DIR, old));

const goldens: GoldenEntry[] = [];
for (const spec of FFMPEG_DECODE_SPECS) {
  const input = specInput(spec);
  const args = ffmpegArgs(spec, "fixture" in spec.source ? codecFixture(spec.source.fixture) : "pipe:0");
  // Only stdin readers get the bytes: ffmpeg reading a file would take stdin as key presses.
  const run = spawnSync("ffmpeg", args, { input: readsStdin(spec) ? input : undefined, maxBuffer: 1 << 28 });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`ffmpeg ${args.join(" ")} failed: ${run.stderr.toString()}`);
  const bytes = run.stdout;
  if (bytes.byteLength % (4 * spec.channels) !== 0) throw new Error(`${spec.name}: ${bytes.byteLength} bytes is not whole ${spec.channels}-channel float32 frames`);
  writeFileSync(join(FFMPEG_GOLDEN_DIR, `${spec.name}.f32`), bytes);
  goldens.push({ name: spec.name, args: goldenArgs(spec), inputSha256: sha256(input), channels: spec.channels, frames: bytes.byteLength / (4 * spec.channels) });
}

const manifest: GoldenManifest = { ffmpeg: version, goldens };
// One golden per line, so a regenerated manifest diffs readably.
const lines = manifest.goldens.map((g) => `    ${JSON.stringify(g)}`);
writeFileSync(join(FFMPEG_GOLDEN_DIR, "manifest.json"), `{\n  "ffmpeg": ${JSON.stringify(manifest.ffmpeg)},\n  "goldens": [\n${lines.join(",\n")}\n  ]\n}\n`);
const total = readdirSync(FFMPEG_GOLDEN_DIR).reduce((sum, f) => sum + statSync(join(FFMPEG_GOLDEN_DIR, f)).size, 0);
console.log(`${goldens.length} goldens from ${version}: ${(total / 1024).toFixed(0)} KiB in ${FFMPEG_GOLDEN_DIR}`);
