/** The architecture families audioclass builds, looked up by config.json's `model_type`. */
import type { AudioClassificationArchitecture } from "./architecture.js";
import { astArchitecture } from "./ast/index.js";
import { wav2vec2Architecture, hubertArchitecture, wavlmArchitecture, data2vecAudioArchitecture } from "./wav2vec2/index.js";
import { whisperArchitecture } from "./whisper/index.js";
import { UnsupportedModelError } from "./errors.js";
import type { ModelConfig } from "./model-config.js";

const ARCHITECTURES: AudioClassificationArchitecture[] = [
  astArchitecture,
  wav2vec2Architecture,
  hubertArchitecture,
  wavlmArchitecture,
  data2vecAudioArchitecture,
  whisperArchitecture,
];

export function supportedModelTypes(): string[] {
  return ARCHITECTURES.flatMap((a) => a.modelTypes).sort();
}

export function architectureFor(config: ModelConfig): AudioClassificationArchitecture {
  const type = config.has("model_type") ? config.string("model_type") : undefined;
  const found = ARCHITECTURES.find((a) => type !== undefined && a.modelTypes.includes(type));
  if (found) return found;
  const supported = supportedModelTypes();
  throw new UnsupportedModelError(
    `${config.source}: ${type === undefined ? 'no "model_type"' : `model_type "${type}"`} is not an audio-classification ` +
      `architecture audioclass can build; supported: ${supported.join(", ")}`,
    type,
    supported,
  );
}
