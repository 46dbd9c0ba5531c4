/**
 * Reads the golden ffmpeg decodes made by scripts/make-ffmpeg-goldens.ts (raw little-endian
 * float32, interleaved, plus manifest.json). Each read checks that the golden was made from
 * the input bytes and ffmpeg arguments its spec names today, so a changed fixture or spec fails
 * with "regenerate the goldens" rather than as a puzzling decoder mismatch.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { FFMPEG_DECODE_SPECS, ffmpegArgs, specInput, type FfmpegDecodeSpec } from "./ffmpeg-decode-specs.js";
import { deinterleave } from "./reference.js";

export const FFMPEG_GOLDEN_DIR = fileURLToPath(new URL("../fixtures/audio/ffmpeg-goldens/", import.meta.url));

export const REGENERATE_COMMAND = "node --import tsx scripts/make-ffmpeg-goldens.ts";

export interface GoldenEntry {
  name: string;
  /** ffmpeg's arguments, the input named by its fixture file name (or pipe:0). */
  args: string[];
  inputSha256: string;
  channels: number;
  frames: number;
}

export interface GoldenManifest {
  /** `ffmpeg -version`'s first line on the machine that made the goldens. */
  ffmpeg: string;
  goldens: GoldenEntry[];
}

/** The arguments as the manifest records them: fixture inputs by file name, not machine path. */
export function goldenArgs(spec: FfmpegDecodeSpec): string[] {
  return ffmpegArgs(spec, "fixture" in spec.source ? spec.source.fixture : "pipe:0");
}

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

let manifestCache: GoldenManifest | undefined;
function goldenManifest(): GoldenManifest {
  manifestCache ??= JSON.parse(readFileSync(join(FFMPEG_GOLDEN_DIR, "manifest.json"), "utf8")) as GoldenManifest;
  return manifestCache;
}

/** ffmpeg's float32 output for the spec called `name`, interleaved. */
export function ffmpegGolden(name: string): Float32Array {
  const spec = FFMPEG_DECODE_SPECS.find((s) => s.name === name);
  if (spec === undefined) throw new Error(`no ffmpeg decode spec named ${name} (test/audio/ffmpeg-decode-specs.ts)`);
  const entry = goldenManifest().goldens.find((r) => r.name === name);
  const stale = (why: string) => new Error(`golden ffmpeg decode ${name} ${why}; regenerate the goldens: ${REGENERATE_COMMAND}`);
  if (entry === undefined) throw stale("is missing");
  if (JSON.stringify(entry.args) !== JSON.stringify(goldenArgs(spec))) throw stale(`was made with other arguments (${entry.args.join(" ")})`);
  if (entry.inputSha256 !== sha256(specInput(spec))) throw stale("was made from other input bytes");
  if (entry.channels !== spec.channels) throw stale(`has ${entry.channels} channels, the spec ${spec.channels}`);
  const bytes = readFileSync(join(FFMPEG_GOLDEN_DIR, `${name}.f32`));
  if (bytes.byteLength !== entry.frames * entry.channels * 4) throw stale(`holds ${bytes.byteLength} bytes, not ${entry.frames} frames × ${entry.channels} channels`);
  const copy = new Uint8Array(bytes.byteLength); // aligned for Float32Array
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}

/** The same, split into channels. */
export function ffmpegGoldenChannels(name: string): Float32Array[] {
  const spec = FFMPEG_DECODE_SPECS.find((s) => s.name === name);
  return deinterleave(ffmpegGolden(name), spec?.channels ?? 1);
}
