/**
 * Every fuzz target by name, in the order `--target all` runs them. Targets are imported only
 * when used, so the child process of a WAV run does not load the model builders (a restart after
 * a hang then costs a fraction of a second rather than seconds).
 */
import type { FuzzTarget } from "../target.js";

const LOADERS: Readonly<Record<string, () => Promise<FuzzTarget>>> = {
  wav: async () => (await import("./wav.js")).wavTarget,
  mp3: async () => (await import("./mp3.js")).mp3Target,
  flac: async () => (await import("./flac.js")).flacTarget,
  "ogg-vorbis": async () => (await import("./ogg-vorbis.js")).oggVorbisTarget,
  "ogg-opus": async () => (await import("./ogg-opus.js")).oggOpusTarget,
  safetensors: async () => (await import("./safetensors.js")).safetensorsTarget,
  "pytorch-bin": async () => (await import("./pytorch-bin.js")).pytorchBinTarget,
  "config-json": async () => (await import("./config-json.js")).configJsonTarget,
  "preprocessor-config": async () => (await import("./preprocessor-config.js")).preprocessorConfigTarget,
  "tokenizer-json": async () => tokenizerTarget("tokenizer-json"),
  "tokenizer-vocab": async () => tokenizerTarget("tokenizer-vocab"),
  "tokenizer-merges": async () => tokenizerTarget("tokenizer-merges"),
  "tokenizer-config": async () => tokenizerTarget("tokenizer-config"),
  "manifest-csv": async () => manifestTarget("manifest-csv"),
  "manifest-jsonl": async () => manifestTarget("manifest-jsonl"),
};

async function tokenizerTarget(name: string): Promise<FuzzTarget> {
  return (await import("./tokenizer.js")).tokenizerTargets.find((t) => t.name === name)!;
}

async function manifestTarget(name: string): Promise<FuzzTarget> {
  return (await import("./manifests.js")).manifestTargets.find((t) => t.name === name)!;
}

export const TARGET_NAMES: readonly string[] = Object.keys(LOADERS);

/** The target called `name`, or undefined when there is none. */
export async function loadTarget(name: string): Promise<FuzzTarget | undefined> {
  return LOADERS[name]?.();
}
