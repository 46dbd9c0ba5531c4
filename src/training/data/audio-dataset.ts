/**
 * AudioDataset: a list of labelled audio files with its label map — the equivalent of a
 * Hugging Face `datasets` audio dataset before decoding. Built from an audio folder (one
 * sub-folder per label, labels sorted alphabetically → ids, like the "audiofolder" builder), a
 * CSV or JSONL manifest, or a list of files with a labelling function.
 *
 * By default every file is decoded once at construction, so a bad file stops the run before
 * training starts with a list of what is wrong (onDecodeError "fail"), or is left out with a
 * warning ("skip"). A dataset is immutable; splits and filters return new datasets sharing the
 * label map.
 */
import { stat, readdir } from "node:fs/promises";
import { relative, resolve, sep } from "node:path";
import { describeValue } from "../../errors.js";
import { TrainingDataError } from "../errors.js";
import type { AudioExample } from "./audio-example.js";
import { DEFAULT_AUDIO_EXTENSIONS, listAudioFiles } from "./audio-files.js";
import { LabelMap, type LabelMapping } from "./label-map.js";
import { readCsvManifest, readJsonlManifest, type ManifestOptions } from "./manifest.js";
import { describeBadFiles, verifyAudioFiles, type BadAudioFile } from "./verify-audio.js";
import type { HubDatasetOptions } from "./hub-dataset.js";

export interface DatasetOptions {
  /**
   * The label ↔ id mapping to use (e.g. the training set's, or a model config's id2label), so
   * that ids agree across datasets; a label it does not know is an error. Default: the
   * dataset's labels sorted alphabetically.
   */
  labelMap?: LabelMapping;
  /** Examples may carry several labels (multi-hot targets). Default: inferred from the data. */
  multiLabel?: boolean;
  /** Decode every file at construction. Default true. */
  verify?: boolean;
  /** What to do with files that do not decode: "fail" (default) or "skip" with a warning. */
  onDecodeError?: "fail" | "skip";
  /** Progress bar on stderr while verifying. Default false. */
  progress?: boolean;
}

export interface FolderOptions extends DatasetOptions {
  /** Audio file extensions to take. Default .wav .flac .mp3 .ogg .oga .opus. */
  extensions?: readonly string[];
}

const DATASET_OPTION_KEYS = ["labelMap", "multiLabel", "verify", "onDecodeError", "progress"];

function checkKeys(options: object, extra: readonly string[], where: string): void {
  for (const key of Object.keys(options)) {
    if (!DATASET_OPTION_KEYS.includes(key) && !extra.includes(key)) {
      throw new TrainingDataError(`${where}: unknown option ${JSON.stringify(key)}; valid options are ${[...DATASET_OPTION_KEYS, ...extra].join(", ")}`);
    }
  }
}

export class AudioDataset {
  readonly examples: readonly AudioExample[];
  readonly labelMap: LabelMap;
  readonly multiLabel: boolean;
  /** Files left out because they did not decode (onDecodeError "skip"). */
  readonly skipped: readonly BadAudioFile[];
  /** Where the dataset came from, for messages (a folder or manifest path). */
  readonly source: string;
  private readonly ids: readonly (readonly number[])[];

  /** Builds a dataset from examples that are already checked (no decoding); see fromExamples. */
  constructor(examples: readonly AudioExample[], labelMap: LabelMap, options: { multiLabel?: boolean; skipped?: readonly BadAudioFile[]; source?: string } = {}) {
    this.source = options.source ?? "dataset";
    this.labelMap = labelMap;
    this.examples = Object.freeze([...examples]);
    this.multiLabel = options.multiLabel ?? examples.some((e) => e.labels.length !== 1);
    this.skipped = Object.freeze([...(options.skipped ?? [])]);
    this.ids = this.examples.map((example) => {
      if (!this.multiLabel && example.labels.length !== 1) {
        throw new TrainingDataError(`${example.path} has ${example.labels.length} labels (${example.labels.join(", ")}) in a single-label dataset; pass multiLabel: true for multi-label data`);
      }
      return example.labels.map((label) => labelMap.id(label, example.path));
    });
  }

  /**
   * A dataset from examples (paths + labels), decoding each file first unless verify is false.
   */
  static async fromExamples(examples: readonly AudioExample[], options: DatasetOptions & { source?: string } = {}): Promise<AudioDataset> {
    checkKeys(options, ["source"], "AudioDataset options");
    const source = options.source ?? "dataset";
    if (examples.length === 0) throw new TrainingDataError(`${source} has no examples; point it at audio files`);
    let kept = [...examples];
    let skipped: BadAudioFile[] = [];
    if (options.verify ?? true) {
      const onError = options.onDecodeError ?? "fail";
      if (onError !== "fail" && onError !== "skip") throw new TrainingDataError(`onDecodeError must be "fail" or "skip", got ${describeValue(onError)}`);
      const { good, bad } = await verifyAudioFiles(examples, { progress: options.progress ?? false });
      if (bad.length > 0 && onError === "fail") {
        throw new TrainingDataError(
          `${bad.length} of ${examples.length} audio files in ${source} cannot be decoded:\n${describeBadFiles(bad)}\n` +
            `Fix or remove them, or pass onDecodeError: "skip" to leave them out with a warning.`,
        );
      }
      if (bad.length > 0) {
        process.emitWarning(`skipping ${bad.length} of ${examples.length} audio files in ${source} that cannot be decoded:\n${describeBadFiles(bad)}`, {
          code: "AUDIOCLASS_SKIPPED_AUDIO",
        });
      }
      kept = good;
      skipped = bad;
      if (kept.length === 0) throw new TrainingDataError(`none of the ${examples.length} audio files in ${source} can be decoded:\n${describeBadFiles(bad)}`);
    }
    const labelMap = options.labelMap === undefined ? LabelMap.fromLabels(kept.flatMap((e) => e.labels)) : LabelMap.from(options.labelMap);
    return new AudioDataset(kept, labelMap, { ...(options.multiLabel !== undefined && { multiLabel: options.multiLabel }), skipped, source });
  }

  /**
   * A parquet dataset from the Hugging Face hub, as `load_dataset(id, config, split=…)` reads it:
   * `AudioDataset.fromHub("PolyAI/minds14", { config: "en-US", split: "train" })`. See hub-dataset.ts.
   */
  static async fromHub(id: string, options: HubDatasetOptions = {}): Promise<AudioDataset> {
    // loaded on use: hub-dataset.ts builds AudioDatasets itself
    const { loadHubDataset } = await import("./hub-dataset.js");
    return loadHubDataset(id, options);
  }

  /**
   * An audio folder: root/<label>/…/file.wav. The label is the first-level sub-folder's name;
   * files deeper inside it belong to it too. Files directly in root have no label and are an
   * error.
   */
  static async fromFolder(root: string, options: FolderOptions = {}): Promise<AudioDataset> {
    checkKeys(options, ["extensions"], "AudioDataset.fromFolder options");
    const full = resolve(root);
    const info = await stat(full).catch(() => null);
    if (info === null || !info.isDirectory()) throw new TrainingDataError(`${root} is not a folder; pass a folder with one sub-folder per label (e.g. data/dog/*.wav, data/rooster/*.wav)`);
    const files = await listAudioFiles([full], options.extensions ?? DEFAULT_AUDIO_EXTENSIONS);
    const unlabelled = files.filter((f) => !relative(full, f).includes(sep));
    if (unlabelled.length > 0) {
      throw new TrainingDataError(
        `${root} has audio files outside label sub-folders (${unlabelled.slice(0, 3).map((f) => relative(full, f)).join(", ")}${unlabelled.length > 3 ? ", …" : ""}); ` +
          `put each file in a folder named after its label, or use a CSV/JSONL manifest`,
      );
    }
    if (files.length === 0) {
      const entries = (await readdir(full)).slice(0, 5).join(", ");
      throw new TrainingDataError(`${root} holds no audio files (${(options.extensions ?? DEFAULT_AUDIO_EXTENSIONS).join(" ")}) in label sub-folders${entries ? `; it has ${entries}` : ""}`);
    }
    const examples = files.map((path) => ({ path, labels: [relative(full, path).split(sep)[0]!] }));
    return AudioDataset.fromExamples(examples, { ...datasetOptionsOf(options), source: root });
  }

  /** A CSV manifest (header required; path,label[,fold] by default). */
  static async fromCsv(path: string, options: DatasetOptions & ManifestOptions = {}): Promise<AudioDataset> {
    const { datasetOptions, manifestOptions } = splitOptions(options, "AudioDataset.fromCsv options");
    return AudioDataset.fromExamples(await readCsvManifest(path, manifestOptions), { ...datasetOptions, source: path });
  }

  /** A JSON Lines manifest ({"path": …, "label": … [, "fold": …]} per line). */
  static async fromJsonl(path: string, options: DatasetOptions & ManifestOptions = {}): Promise<AudioDataset> {
    const { datasetOptions, manifestOptions } = splitOptions(options, "AudioDataset.fromJsonl options");
    return AudioDataset.fromExamples(await readJsonlManifest(path, manifestOptions), { ...datasetOptions, source: path });
  }

  /** Files labelled by a function of their path (e.g. FSDD's "{digit}_{speaker}_{take}.wav"). */
  static async fromFiles(paths: readonly string[], labelOf: (path: string) => string | readonly string[], options: FolderOptions = {}): Promise<AudioDataset> {
    checkKeys(options, ["extensions"], "AudioDataset.fromFiles options");
    const files = await listAudioFiles(paths, options.extensions ?? DEFAULT_AUDIO_EXTENSIONS);
    const examples = files.map((path) => {
      const label = labelOf(path);
      return { path, labels: typeof label === "string" ? [label] : [...label] };
    });
    return AudioDataset.fromExamples(examples, { ...datasetOptionsOf(options), source: paths.length === 1 ? paths[0]! : `${paths.length} paths` });
  }

  get size(): number {
    return this.examples.length;
  }

  get numLabels(): number {
    return this.labelMap.size;
  }

  /** The label ids of example `index`. */
  labelIds(index: number): readonly number[] {
    const ids = this.ids[index];
    if (ids === undefined) throw new TrainingDataError(`example index ${index} is outside 0 … ${this.size - 1}`);
    return ids;
  }

  /** The label id of example `index` in a single-label dataset. */
  labelId(index: number): number {
    if (this.multiLabel) throw new TrainingDataError(`${this.source} is multi-label; use labelIds(index)`);
    return this.labelIds(index)[0]!;
  }

  /** Examples per label id (an example with several labels counts for each). */
  labelCounts(): number[] {
    const counts = new Array<number>(this.numLabels).fill(0);
    for (const ids of this.ids) for (const id of ids) counts[id]!++;
    return counts;
  }

  /** The distinct folds, sorted (numerically when they are all numbers). */
  folds(): string[] {
    const folds = [...new Set(this.examples.map((e) => e.fold).filter((f): f is string => f !== undefined))];
    const numeric = folds.every((f) => f !== "" && Number.isFinite(Number(f)));
    return folds.sort(numeric ? (a, b) => Number(a) - Number(b) : undefined);
  }

  /** The examples at `indices`, in that order, with the same label map. */
  subset(indices: readonly number[], source = `${this.source} (subset)`): AudioDataset {
    const examples = indices.map((i) => {
      const e = this.examples[i];
      if (e === undefined) throw new TrainingDataError(`subset index ${describeValue(i)} is outside 0 … ${this.size - 1}`);
      return e;
    });
    return new AudioDataset(examples, this.labelMap, { multiLabel: this.multiLabel, source });
  }

  /** The examples for which `keep` is true, with the same label map. */
  filter(keep: (example: AudioExample, index: number) => boolean): AudioDataset {
    const indices: number[] = [];
    this.examples.forEach((e, i) => {
      if (keep(e, i)) indices.push(i);
    });
    return this.subset(indices, `${this.source} (filtered)`);
  }

  /** Total duration in seconds of the verified examples (undefined when not verified). */
  totalDuration(): number | undefined {
    let total = 0;
    for (const e of this.examples) {
      if (e.duration === undefined) return undefined;
      total += e.duration;
    }
    return total;
  }
}

function datasetOptionsOf(options: FolderOptions): DatasetOptions {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) if (key !== "extensions") out[key] = value;
  return out as DatasetOptions;
}

function splitOptions(options: DatasetOptions & ManifestOptions, where: string): { datasetOptions: DatasetOptions; manifestOptions: ManifestOptions } {
  const manifestKeys = ["pathColumn", "labelColumn", "foldColumn", "audioRoot", "labelSeparator", "delimiter"];
  checkKeys(options, manifestKeys, where);
  const datasetOptions: Record<string, unknown> = {};
  const manifestOptions: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) (manifestKeys.includes(key) ? manifestOptions : datasetOptions)[key] = value;
  return { datasetOptions: datasetOptions as DatasetOptions, manifestOptions: manifestOptions as ManifestOptions };
}
