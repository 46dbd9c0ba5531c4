// Training data: datasets, manifests, label maps, splits, waveform loading, feature cache, batches.
export type { AudioExample } from "./audio-example.js";
export { AudioDataset, type DatasetOptions, type FolderOptions } from "./audio-dataset.js";
export { LabelMap, type LabelMapping } from "./label-map.js";
export { listAudioFiles, hasAudioExtension, DEFAULT_AUDIO_EXTENSIONS } from "./audio-files.js";
export { parseCsv, type CsvRow } from "./csv.js";
export { parseCsvManifest, parseJsonlManifest, readCsvManifest, readJsonlManifest, type ManifestOptions } from "./manifest.js";
export { verifyAudioFiles, type BadAudioFile, type VerifyOptions, type VerifyResult } from "./verify-audio.js";
export { foldSplit, groupSplit, predicateSplit, stratifiedSplit, type DatasetSplit, type StratifiedSplitOptions } from "./splits.js";
export { splitSizes, approximateMode, stratifiedIndices, type TrainTestSizes } from "./stratified-split.js";
export { fsddSplit, fsddSpeakerSplit, loadFsdd, parseFsddName, type FsddName } from "./fsdd.js";
export { loadWaveform, cropWindow, type CropMode, type WaveformOptions } from "./load-waveform.js";
export { FeatureCache, type CachedExample, type FeatureCacheOptions, type FeatureCacheStats } from "./feature-cache.js";
export { featureModeOf, stackFeatures, labelTargets, type FeatureMode } from "./batch-features.js";
export { BatchLoader, type Batch, type BatchLoaderOptions, type BatchLoaderState } from "./batch-loader.js";
export { datasetFromPath } from "./dataset-from-path.js";
export { computeNormalizationStats, usesDatasetStatistics, withNormalizationStats, type NormalizationStats, type NormalizationStatsOptions } from "./normalization-stats.js";
