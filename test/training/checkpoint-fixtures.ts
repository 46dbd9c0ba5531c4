/** Helpers for the checkpoint tests: temp folders and the fixture models as plain tensors. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Tensor } from "../../src/tensor.js";
import { readSafetensorsSync } from "../../src/weights/index.js";

export const HF_MODELS_DIR = fileURLToPath(new URL("../fixtures/hf/models/", import.meta.url));
export const CLASSIFICATION_FIXTURES = ["ast", "wav2vec2", "hubert", "wavlm", "whisper"] as const;

export async function withTempDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "audioclass-checkpoint-"));
  try {
    return await run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The fixture's weights as float32 Tensors, in file order. */
export function fixtureWeights(model: string): Map<string, Tensor> {
  const file = readSafetensorsSync(join(HF_MODELS_DIR, model, "model.safetensors"));
  return new Map(file.namesInFileOrder().map((n) => [n, file.getTensor(n)]));
}
