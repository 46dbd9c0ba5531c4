/**
 * Tiny random checkpoints for model tests: parameter specs (src/models: Hugging Face name, shape, role) →
 * seeded random float32 tensors → a model folder (config.json + model.safetensors) that
 * loadAudioClassificationModel and transformers both read.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Tensor } from "../../../src/tensor.js";
import { saveSafetensors } from "../../../src/weights/index.js";
import { type ParameterInit, type ParameterSpec as SrcParameterSpec, layerNormSpecs, linearSpecs as srcLinearSpecs } from "../../../src/models/index.js";
import { rng } from "../../graph/support/random.js";

export type { ParameterRole } from "../../../src/models/index.js";

/** src/models' spec; hand-written specs in tests may leave out the fresh initialisation. */
export type ParameterSpec = Omit<SrcParameterSpec, "init"> & { readonly init?: ParameterInit };

export type Checkpoint = Map<string, Tensor<"float32">>;

/** Specs for a PyTorch Linear `${name}.weight` [out, in] (+ `${name}.bias` [out]). */
export function linearSpecs(name: string, out: number, inFeatures: number, bias = true): ParameterSpec[] {
  return srcLinearSpecs(name, out, inFeatures, { bias });
}

export { layerNormSpecs };

/**
 * Uniform random values whose size keeps activations O(1) through a deep stack, with a weight
 * gain large enough that attention is far from uniform and logits are well separated.
 */
export function randomCheckpoint(specs: readonly ParameterSpec[], seed: number, options: { gain?: number } = {}): Checkpoint {
  const gain = options.gain ?? 1.5;
  const next = rng(seed);
  const uniform = (scale: number, centre = 0): number => centre + (next() * 2 - 1) * scale;
  const out: Checkpoint = new Map();
  for (const spec of specs) {
    // Integer buffers (BatchNorm's step counter) are not weights: leave them to the caller.
    if (spec.dtype === "int64") continue;
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const fanIn = spec.shape.slice(1).reduce((a, b) => a * b, 1);
    const data = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      switch (spec.role) {
        case "linear":
        case "conv":
          data[i] = uniform((gain * Math.sqrt(3)) / Math.sqrt(fanIn));
          break;
        case "bias":
        case "norm-bias":
          data[i] = uniform(0.1);
          break;
        case "norm-weight":
          data[i] = uniform(0.2, 1);
          break;
        case "embedding":
          data[i] = uniform(0.5);
          break;
        case "layer-weights":
          data[i] = uniform(1);
          break;
        case "buffer":
          data[i] = uniform(0.1);
          break;
      }
    }
    out.set(spec.name, { type: "float32", dims: [...spec.shape], data });
  }
  return out;
}

/** Writes config.json and model.safetensors into a fresh folder under the OS temp dir. */
export async function writeModelFolder(config: Readonly<Record<string, unknown>>, checkpoint: Checkpoint, prefix = "audioclass-model-"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await writeFile(join(dir, "config.json"), JSON.stringify(config, null, 2));
  await saveSafetensors(join(dir, "model.safetensors"), checkpoint);
  return dir;
}

/** Seeded float32 features of the given dims, uniform in [-scale, scale). */
export function randomFeatures(dims: readonly number[], seed: number, scale = 1): Tensor<"float32"> {
  const next = rng(seed);
  const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) data[i] = (next() * 2 - 1) * scale;
  return { type: "float32", dims: [...dims], data };
}
