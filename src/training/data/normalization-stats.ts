/**
 * A training set's feature mean and std for extractors that normalise with dataset statistics
 * (ASTFeatureExtractor's `mean` / `std`: (x − mean) / (2·std)), computed the way the AST
 * fine-tuning tutorial does: the extractor with do_normalize=False over every training clip
 * (whole clips, no augmentation, padded with zeros or cut to max_length frames, as the model
 * sees them), then
 *
 *   mean = the average of the clips' means,  std = the average of the clips' standard
 *   deviations (torch.std: n − 1 in the denominator).
 *
 * Every clip has max_length × num_mel_bins values, so `mean` is also the mean of all values;
 * the std of all values together (allValuesStd) is reported beside it — it also counts the
 * spread between clips, so it is a little larger.
 */
import { featureExtractorFromConfig } from "../../features/index.js";
import type { FeatureExtractor } from "../../features/feature-extractor.js";
import { createProgressBar, type ProgressStream } from "../../util/progress.js";
import { TrainingDataError } from "../errors.js";
import type { AudioDataset } from "./audio-dataset.js";
import { loadWaveform } from "./load-waveform.js";

export interface NormalizationStats {
  /** Average of the clips' means (= the mean of all values). */
  readonly mean: number;
  /** Average of the clips' standard deviations (the tutorial's std). */
  readonly std: number;
  /** Standard deviation of all values together, for comparison. */
  readonly allValuesStd: number;
  readonly clips: number;
  /** Values per clip (frames × mel bins). */
  readonly valuesPerClip: number;
}

export interface NormalizationStatsOptions {
  /** Progress bar on stderr (default false); a stream to send it elsewhere. */
  readonly progress?: boolean | ProgressStream;
  /** Clips decoded at once. Default 4. */
  readonly concurrency?: number;
}

/** Whether the extractor normalises with dataset statistics (numeric `mean` and `std` beside `do_normalize` in its config). */
export function usesDatasetStatistics(extractor: FeatureExtractor): boolean {
  const config = extractor.toJSON();
  return typeof config["mean"] === "number" && typeof config["std"] === "number" && "do_normalize" in config;
}

/** The extractor's config with `mean` and `std` replaced by the stats (and normalisation on). */
export function withNormalizationStats(config: Record<string, unknown>, stats: Pick<NormalizationStats, "mean" | "std">): Record<string, unknown> {
  return { ...config, do_normalize: true, mean: stats.mean, std: stats.std };
}

export async function computeNormalizationStats(dataset: AudioDataset, extractor: FeatureExtractor, options: NormalizationStatsOptions = {}): Promise<NormalizationStats> {
  if (!usesDatasetStatistics(extractor)) {
    throw new TrainingDataError(
      `${extractor.featureExtractorType} does not normalise with dataset statistics (no mean / std in its config), so there is nothing to compute; ` +
        `normalization statistics apply to models with an ASTFeatureExtractor`,
    );
  }
  if (dataset.size === 0) throw new TrainingDataError(`${dataset.source} holds no examples; normalization statistics need at least one training clip`);
  const raw = featureExtractorFromConfig({ ...extractor.toJSON(), do_normalize: false }, { source: `${extractor.featureExtractorType} with do_normalize=False` });
  // per clip: [sum, mean, squared deviations from its mean], kept in dataset order so the totals do not depend on timing
  const perClip: [number, number, number][] = new Array(dataset.size);
  let valuesPerClip = 0;
  const stream = typeof options.progress === "object" ? options.progress : undefined;
  const bar = createProgressBar({ label: "normalization stats", total: dataset.size, quiet: options.progress === undefined || options.progress === false, stream });
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < dataset.size) {
      const index = next++;
      const samples = await loadWaveform(dataset.examples[index]!.path, { samplingRate: raw.samplingRate });
      const values = Object.values(raw(samples, { samplingRate: raw.samplingRate }))[0]!.data as Float32Array;
      // float64 sums, two passes (no cancellation)
      let sum = 0;
      for (let i = 0; i < values.length; i++) sum += values[i]!;
      const mean = sum / values.length;
      let squares = 0;
      for (let i = 0; i < values.length; i++) squares += (values[i]! - mean) ** 2;
      perClip[index] = [sum, mean, squares];
      valuesPerClip = values.length;
      bar.increment(1);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, dataset.size)) }, worker));
  } catch (error) {
    bar.fail();
    throw error;
  }
  bar.finish();
  const clips = perClip.length;
  const n = valuesPerClip;
  let sumOfMeans = 0;
  let sumOfStds = 0;
  let total = 0;
  for (const [sum, mean, squares] of perClip) {
    sumOfMeans += mean;
    sumOfStds += Math.sqrt(squares / Math.max(1, n - 1)); // torch.std: unbiased
    total += sum;
  }
  const count = clips * n;
  const globalMean = total / count;
  // all values around the global mean: each clip's deviations plus its offset from the global mean
  let allSquares = 0;
  for (const [, mean, squares] of perClip) allSquares += squares + n * (mean - globalMean) ** 2;
  const allValuesStd = Math.sqrt(allSquares / Math.max(1, count - 1));
  const stats = { mean: sumOfMeans / clips, std: sumOfStds / clips, allValuesStd, clips, valuesPerClip };
  if (!Number.isFinite(stats.mean) || !(stats.std > 0)) {
    throw new TrainingDataError(
      `the features of ${dataset.source} have mean ${stats.mean} and std ${stats.std}: every clip is constant (silence), so the statistics cannot normalise anything; train on clips with sound in them`,
    );
  }
  return stats;
}
