/**
 * computeNormalization: the model a run trains, with its feature extractor's `mean` / `std`
 * replaced by the training split's own (normalization-stats.ts), as the AST tutorial does before
 * training. Training, evaluation, every checkpoint and the final preprocessor_config.json then
 * use the new values, so the saved model normalises its inputs the way it was trained.
 */
import { featureExtractorFromConfig } from "../features/index.js";
import type { ProgressStream } from "../util/progress.js";
import type { AudioDataset } from "./data/audio-dataset.js";
import { type NormalizationStats, computeNormalizationStats, usesDatasetStatistics, withNormalizationStats } from "./data/normalization-stats.js";
import { TrainerOptionsError } from "./errors.js";
import type { TrainableModel } from "./trainable-model.js";

export async function withDatasetNormalization(
  model: TrainableModel,
  trainData: AudioDataset,
  options: { progress?: boolean | ProgressStream },
): Promise<{ model: TrainableModel; stats: NormalizationStats }> {
  const extractor = model.featureExtractor;
  if (!usesDatasetStatistics(extractor)) {
    // Wav2Vec2-style extractors normalise each clip by itself; there is no dataset mean to set.
    throw new TrainerOptionsError(
      `computeNormalization: ${model.modelConfig.modelType} models use ${extractor.featureExtractorType}, which has no dataset mean / std to compute; ` +
        `it applies to models with an ASTFeatureExtractor (e.g. model_type "audio-spectrogram-transformer"), leave it off for this one`,
      "computeNormalization",
    );
  }
  const stats = await computeNormalizationStats(trainData, extractor, { progress: options.progress });
  const featureExtractorConfig = model.featureExtractorConfig.with({ do_normalize: true, mean: stats.mean, std: stats.std }, ["mean", "std"]);
  const featureExtractor = featureExtractorFromConfig(withNormalizationStats(extractor.toJSON(), stats), { source: `${featureExtractorConfig.source} with the training set's mean and std` });
  return { model: { ...model, featureExtractor, featureExtractorConfig }, stats };
}
