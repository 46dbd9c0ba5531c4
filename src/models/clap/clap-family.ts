/**
 * What the rest of audioclass needs to know about CLAP without building it: its model_type and
 * the feature extractor transformers pairs with it (CLAP is loaded by the zero-shot pipeline
 * through ClapModel, not by the audio-classification registry).
 */
export const CLAP_FEATURES = Object.freeze({ modelTypes: Object.freeze(["clap"]), featureExtractorType: "ClapFeatureExtractor" });
