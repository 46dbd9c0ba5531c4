/**
 * Checks features handed to an AST model before they reach ONNX Runtime, so a wrong spectrogram
 * size fails with a ModelInputError that says what the feature extractor should produce.
 */
import type { Tensor } from "../../tensor.js";
import { ModelInputError } from "../errors.js";
import type { ModelConfig } from "../model-config.js";
import { readAstSettings } from "./ast-config.js";

export function checkAstInputs(config: ModelConfig, features: Readonly<Record<string, Tensor>>): void {
  const s = readAstSettings(config);
  const want = `[batch, ${s.maxLength}, ${s.numMelBins}] (max_length frames × num_mel_bins Kaldi fbank bins)`;
  const extractor =
    `compute them with the model's ASTFeatureExtractor (AutoFeatureExtractor.fromPretrained on the model folder), ` +
    `which pads or truncates to max_length=${s.maxLength} frames of num_mel_bins=${s.numMelBins} bins`;
  const x = features["input_values"];
  if (x === undefined) {
    throw new ModelInputError(`Audio Spectrogram Transformer needs "input_values" ${want}, got features {${Object.keys(features).join(", ")}}; ${extractor}`);
  }
  if (x.type !== "float32") throw new ModelInputError(`"input_values" must be float32, got ${x.type}; ${extractor}`);
  const [batch, frames, bins] = x.dims;
  if (x.dims.length !== 3 || batch === undefined || batch < 1) {
    throw new ModelInputError(`"input_values" must have shape ${want}, got [${x.dims.join(", ")}]; ${extractor}`);
  }
  if (bins !== s.numMelBins) {
    throw new ModelInputError(
      `"input_values" has ${bins} mel bins per frame but the model's config.json says num_mel_bins=${s.numMelBins} (shape ${want}, got [${x.dims.join(", ")}]); ` +
        `the feature extractor's num_mel_bins (preprocessor_config.json) must match; ${extractor}`,
    );
  }
  if (frames !== s.maxLength) {
    throw new ModelInputError(
      `"input_values" has ${frames} frames but the model's position embeddings fit exactly max_length=${s.maxLength} (shape ${want}, got [${x.dims.join(", ")}]); ` +
        `the feature extractor's max_length (preprocessor_config.json) must match; ${extractor}`,
    );
  }
}
