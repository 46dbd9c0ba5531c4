/**
 * The family descriptors audioclass builds, looked up by config.json's `model_type`: the one
 * place that lists them (adding a family is a folder under models/ and a line here). Everything
 * that depends on the family — training heads and defaults, the default preprocessor, the
 * feature extractor for a config that names none, the CLI's help — asks here; an unknown
 * `model_type` is an UnsupportedModelError listing the supported ones.
 */
import type { AudioClassificationArchitecture } from "./architecture.js";
import { astArchitecture } from "./ast/index.js";
import { CLAP_FEATURES } from "./clap/clap-family.js";
import { wav2vec2Architecture, hubertArchitecture, wavlmArchitecture, data2vecAudioArchitecture } from "./wav2vec2/index.js";
import { whisperArchitecture } from "./whisper/index.js";
import { uniSpeechArchitecture, uniSpeechSatArchitecture } from "./unispeech/index.js";
import { sewArchitecture } from "./sew/index.js";
import { sewDArchitecture } from "./sew-d/index.js";
import { wav2vec2ConformerArchitecture } from "./wav2vec2-conformer/index.js";
import { wav2vec2BertArchitecture } from "./wav2vec2-bert/index.js";
import { UnsupportedModelError } from "./errors.js";
import type { ModelConfig } from "./model-config.js";

const ARCHITECTURES: readonly AudioClassificationArchitecture[] = [
  astArchitecture,
  wav2vec2Architecture,
  hubertArchitecture,
  wavlmArchitecture,
  data2vecAudioArchitecture,
  whisperArchitecture,
  uniSpeechArchitecture,
  uniSpeechSatArchitecture,
  sewArchitecture,
  sewDArchitecture,
  wav2vec2ConformerArchitecture,
  wav2vec2BertArchitecture,
];

/** Model types whose feature extractor we know but which are not audio classifiers here (CLAP: zero-shot). */
const OTHER_FEATURE_EXTRACTOR_OWNERS: readonly { modelTypes: readonly string[]; featureExtractorType: string }[] = [CLAP_FEATURES];

/** Every audio-classification family, in registry order. */
export function audioClassificationFamilies(): readonly AudioClassificationArchitecture[] {
  return ARCHITECTURES;
}

export function supportedModelTypes(): string[] {
  return ARCHITECTURES.flatMap((a) => a.modelTypes).sort();
}

function unsupported(source: string, type: string | undefined): UnsupportedModelError {
  const supported = supportedModelTypes();
  return new UnsupportedModelError(
    `${source}: ${type === undefined ? 'no "model_type"' : `model_type "${type}"`} is not an audio-classification ` +
      `architecture audioclass can build; supported: ${supported.join(", ")}`,
    type,
    supported,
  );
}

/** The family of a `model_type`; `source` names where the type came from in the error. */
export function familyForModelType(type: unknown, source = "config.json"): AudioClassificationArchitecture {
  const found = typeof type === "string" ? ARCHITECTURES.find((a) => a.modelTypes.includes(type)) : undefined;
  if (found) return found;
  throw unsupported(source, typeof type === "string" ? type : undefined);
}

export function architectureFor(config: ModelConfig): AudioClassificationArchitecture {
  return familyForModelType(config.has("model_type") ? config.string("model_type") : undefined, config.source);
}

/**
 * The feature_extractor_type transformers' AutoFeatureExtractor pairs with `modelType`, or
 * undefined for a type no family here claims. features/ cannot import models/ (it sits below it),
 * so the layers above hand this function down to it (see models/auto-feature-extractor.ts).
 */
export function featureExtractorTypeFor(modelType: string): string | undefined {
  return [...ARCHITECTURES, ...OTHER_FEATURE_EXTRACTOR_OWNERS].find((a) => a.modelTypes.includes(modelType))?.featureExtractorType;
}
