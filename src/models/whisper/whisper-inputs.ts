/**
 * Checks features handed to a Whisper classifier before they reach ONNX Runtime: the encoder
 * takes exactly 2 × max_source_positions frames of num_mel_bins bins, as transformers demands.
 */
import type { Tensor } from "../../tensor.js";
import { ModelInputError } from "../errors.js";
import type { ModelConfig } from "../model-config.js";
import { WHISPER_FRAMES_PER_POSITION, readWhisperSettings } from "./whisper-config.js";

export function checkWhisperInputs(config: ModelConfig, features: Readonly<Record<string, Tensor>>): void {
  const s = readWhisperSettings(config);
  const frames = s.maxSourcePositions * WHISPER_FRAMES_PER_POSITION;
  const want = `[batch, ${s.numMelBins}, ${frames}] (num_mel_bins × 2·max_source_positions frames)`;
  const extractor =
    `compute them with the model's WhisperFeatureExtractor (AutoFeatureExtractor.fromPretrained on the model folder), ` +
    `which pads or truncates the audio to chunk_length seconds (${frames} frames of ${s.numMelBins} bins for this model)`;
  const x = features["input_features"];
  if (x === undefined) {
    throw new ModelInputError(`Whisper needs "input_features" ${want}, got features {${Object.keys(features).join(", ")}}; ${extractor}`);
  }
  if (x.type !== "float32") throw new ModelInputError(`"input_features" must be float32, got ${x.type}; ${extractor}`);
  const [batch, bins, length] = x.dims;
  if (x.dims.length !== 3 || batch === undefined || batch < 1 || length === undefined) {
    throw new ModelInputError(`"input_features" must have shape ${want}, got [${x.dims.join(", ")}]; ${extractor}`);
  }
  if (bins !== s.numMelBins) {
    throw new ModelInputError(
      `"input_features" has ${bins} mel bins but the model's config.json says num_mel_bins=${s.numMelBins} (shape ${want}, got [${x.dims.join(", ")}]); ` +
        `the feature extractor's feature_size (preprocessor_config.json) must match; ${extractor}`,
    );
  }
  if (length !== frames) {
    // transformers' WhisperEncoder wording, then what to do about it
    throw new ModelInputError(
      `Whisper expects the mel input features to be of length ${frames}, but found ${length}. Make sure to pad the input mel features to ${frames}. ` +
        `(shape ${want}, got [${x.dims.join(", ")}]); ${extractor}`,
    );
  }
}
