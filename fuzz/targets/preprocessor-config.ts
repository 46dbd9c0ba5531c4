/**
 * preprocessor_config.json: AutoFeatureExtractor.fromPretrained on a folder (the extractor class
 * from feature_extractor_type, or from config.json's model_type when absent), then features of
 * one clip and of a padded batch of two. Outputs must be well-formed (dims match data) and, as
 * the clips are quiet tones, finite: config-bounds.ts bounds every value the config puts into the
 * waveform or the normalisation so that no accepted config turns them into NaN or Infinity.
 */
import type { FeatureExtractorOutput } from "../../src/features/index.js";
import { AutoFeatureExtractor } from "../../src/models/index.js";
import { filesUnder, SHARED_FIXTURES, seedsFromFiles, TEST_FIXTURES } from "../seed-files.js";
import type { FuzzTarget, Seed } from "../target.js";
import { InvariantViolation } from "./invariant-violation.js";
import { mutateJsonBytes } from "./mutate-json-bytes.js";
import { inputHash, scratchFolder } from "./scratch-files.js";
import { join } from "node:path";

/** config.json model types that imply an extractor, cycled through by input. */
const MODEL_TYPES = ["audio-spectrogram-transformer", "wav2vec2", "whisper", "clap", "hubert", "bert"];

/** A deterministic test clip: a tone plus a little noise-like ripple, `seconds` long. */
function clip(rate: number, seconds: number): Float32Array {
  const out = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = 0.3 * Math.sin((2 * Math.PI * 440 * i) / rate) + 0.05 * Math.sin(i * i * 0.001);
  return out;
}

function checkOutput(output: FeatureExtractorOutput): void {
  for (const [name, tensor] of Object.entries(output)) {
    const numel = tensor.dims.reduce((a, b) => a * b, 1);
    if (tensor.data.length !== numel) throw new InvariantViolation(`${name} has ${tensor.data.length} values for dims [${tensor.dims.join(", ")}]`);
    if (tensor.type === "float32") {
      const bad = (tensor.data as Float32Array).findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) throw new InvariantViolation(`${name}[${bad}] is ${tensor.data[bad]} for a quiet tone`);
    }
  }
}

function seeds(): Seed[] {
  return seedsFromFiles([
    ...filesUnder(join(TEST_FIXTURES, "hf", "models"), (n) => n === "preprocessor_config.json"),
    ...filesUnder(join(SHARED_FIXTURES, "models"), (n) => n === "preprocessor_config.json"),
  ]);
}

export const preprocessorConfigTarget: FuzzTarget = {
  name: "preprocessor-config",
  description: "preprocessor_config.json → AutoFeatureExtractor.fromPretrained(folder) → features of a clip and a padded batch",
  seeds,
  mutate: mutateJsonBytes,
  structuredShare: 0.8,
  async run(input, context) {
    const modelType = MODEL_TYPES[inputHash(input) % MODEL_TYPES.length]!;
    const dir = scratchFolder(context.scratchDir, "preprocessor", {
      "preprocessor_config.json": input,
      "config.json": JSON.stringify({ model_type: modelType }),
    });
    const extractor = await AutoFeatureExtractor.fromPretrained(dir);
    const rate = extractor.samplingRate;
    checkOutput(extractor(clip(rate, 0.2), { samplingRate: rate }));
    checkOutput(extractor([clip(rate, 0.05), clip(rate, 0.3)], { samplingRate: rate, padding: extractor.featureExtractorType === "ClapFeatureExtractor" ? "repeatpad" : true }));
    extractor.toJSON();
  },
};
