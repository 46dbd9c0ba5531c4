/**
 * A labelled audio dataset from the Hugging Face hub, read the way `load_dataset(id, config,
 * split=…)` reads a parquet-backed repo: README.md's front matter says which parquet files hold
 * the config's split (hub-dataset-files.ts) and the ClassLabel names; the files come through the
 * hub client (its cache, token, HF_ENDPOINT mirror and offline rules); rows are read with
 * hyparquet (every codec pyarrow writes: snappy, zstd, gzip, brotli, lz4, via hyparquet-compressors). Audio cells are `datasets`' Audio struct {bytes, path}: the bytes are written once
 * into audioclass's cache (<cache>/datasets/<org>--<name>/<commit>/…) so that the rest of
 * training reads, decodes and resamples them like any audio file.
 */
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } from "hyparquet";
import { compressors } from "hyparquet-compressors";
import { audioclassCacheDir, downloadDatasetFiles, type HubOptions } from "../../hub/index.js";
import { TrainingDataError } from "../errors.js";
import type { AudioExample } from "./audio-example.js";
import { AudioDataset, type DatasetOptions } from "./audio-dataset.js";
import { parseDatasetCard, type DatasetCard } from "./hub-dataset-card.js";
import { selectDataFiles } from "./hub-dataset-files.js";

export interface HubDatasetOptions extends DatasetOptions {
  /** The dataset config (load_dataset's `name`), e.g. "en-US". Default: the card's default config. */
  readonly config?: string;
  /** Default "train". */
  readonly split?: string;
  /** Column with the Audio struct. Default "audio", else the column the features call Audio. */
  readonly audioColumn?: string;
  /** Column with the label. Default "label", else the only ClassLabel column. */
  readonly labelColumn?: string;
  /** Revision, cache folder, token, endpoint, localFilesOnly, … as for models. */
  readonly hub?: HubOptions;
}

interface ParquetFeatures {
  readonly audio: readonly string[];
  readonly classLabels: ReadonlyMap<string, readonly string[]>;
}

/** `datasets` writes the features into the parquet footer ("huggingface" key) too: a fallback for cards without dataset_info. */
function footerFeatures(kv: readonly { key: string; value?: string }[] | undefined): ParquetFeatures {
  const text = kv?.find((entry) => entry.key === "huggingface")?.value;
  const audio: string[] = [];
  const classLabels = new Map<string, readonly string[]>();
  if (text === undefined) return { audio, classLabels };
  try {
    const features = (JSON.parse(text) as { info?: { features?: Record<string, { _type?: string; names?: unknown }> } }).info?.features ?? {};
    for (const [name, feature] of Object.entries(features)) {
      if (feature?._type === "Audio") audio.push(name);
      if (feature?._type === "ClassLabel" && Array.isArray(feature.names)) classLabels.set(name, feature.names.map(String));
    }
  } catch {
    // not ours to judge: without it, labels are taken as they are stored
  }
  return { audio, classLabels };
}

function pickColumn(kind: "audio" | "label", given: string | undefined, fallback: string, candidates: readonly string[], columns: readonly string[], file: string): string {
  const flag = kind === "audio" ? "audioColumn (--audio-column)" : "labelColumn (--label-column)";
  if (given !== undefined) {
    if (!columns.includes(given)) throw new TrainingDataError(`${file} has no column ${JSON.stringify(given)}; its columns are ${columns.join(", ")} — pass one of them as ${flag}`);
    return given;
  }
  if (columns.includes(fallback)) return fallback;
  const present = candidates.filter((c) => columns.includes(c));
  if (present.length === 1) return present[0]!;
  throw new TrainingDataError(`${file} has no "${fallback}" column; its columns are ${columns.join(", ")} — say which holds the ${kind} with ${flag}`);
}

/** The bytes' container, for a file name the decoders recognise. */
function extensionOf(bytes: Uint8Array, path: unknown): string {
  const given = typeof path === "string" ? extname(path).toLowerCase() : "";
  if (given !== "") return given;
  const head = String.fromCharCode(...bytes.subarray(0, 4));
  if (head === "RIFF") return ".wav";
  if (head === "fLaC") return ".flac";
  if (head === "OggS") return ".ogg";
  return ".mp3";
}

async function writeOnce(path: string, bytes: Uint8Array): Promise<void> {
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isFile() && existing.size === bytes.byteLength) return;
  const temp = `${path}.tmp-${process.pid}`;
  await writeFile(temp, bytes);
  await rename(temp, path);
}

function labelText(value: unknown, names: readonly string[] | undefined, where: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "bigint" || typeof value === "number") {
    const index = Number(value);
    if (names === undefined) return String(index);
    const name = names[index];
    if (name === undefined) throw new TrainingDataError(`${where}: label ${index} is outside the ClassLabel names (${names.length} of them: ${names.slice(0, 5).join(", ")}${names.length > 5 ? ", …" : ""})`);
    return name;
  }
  throw new TrainingDataError(`${where}: the label is ${value === null ? "missing" : `a ${typeof value}`}; labels must be ClassLabel integers or strings`);
}

interface OpenedShard {
  readonly buffer: Awaited<ReturnType<typeof asyncBufferFromFile>>;
  readonly metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
  readonly audioColumn: string;
  readonly labelColumn: string;
  readonly classNames: readonly string[] | undefined;
}

/** The file's footer, and which columns hold the audio and the label. */
async function openShard(path: string, where: string, options: HubDatasetOptions, cardLabels: ReadonlyMap<string, readonly string[]> | undefined): Promise<OpenedShard> {
  let buffer: OpenedShard["buffer"];
  let metadata: OpenedShard["metadata"];
  try {
    buffer = await asyncBufferFromFile(path);
    metadata = await parquetMetadataAsync(buffer);
  } catch (cause) {
    throw new TrainingDataError(`cannot read ${where} as parquet: ${(cause as Error).message}`, { cause });
  }
  const columns = parquetSchema(metadata).children.map((c) => c.element.name);
  const features = footerFeatures(metadata.key_value_metadata);
  const labels = cardLabels ?? features.classLabels;
  const audioColumn = pickColumn("audio", options.audioColumn, "audio", features.audio, columns, where);
  const labelColumn = pickColumn("label", options.labelColumn, "label", [...labels.keys()], columns, where);
  return { buffer, metadata, audioColumn, labelColumn, classNames: labels.get(labelColumn) };
}

/** One row's audio written to the cache folder, and its labels. */
async function extractRow(
  record: Record<string, unknown>,
  at: { audioColumn: string; labelColumn: string; classNames: readonly string[] | undefined; folder: string; row: number; where: string },
): Promise<AudioExample> {
  const rowWhere = `${at.where} row ${at.row}`;
  const audio = record[at.audioColumn] as { bytes?: unknown; path?: unknown } | null;
  const bytes = audio?.bytes;
  if (!(bytes instanceof Uint8Array) || bytes.byteLength === 0) {
    throw new TrainingDataError(`${rowWhere}: the ${at.audioColumn} column holds no audio bytes (only a path, ${JSON.stringify(audio?.path ?? null)}); audioclass reads datasets whose parquet files embed the audio, as push_to_hub writes them`);
  }
  const value = record[at.labelColumn];
  const labels = Array.isArray(value) ? value.map((v) => labelText(v, at.classNames, rowWhere)) : [labelText(value, at.classNames, rowWhere)];
  const stem = typeof audio?.path === "string" && audio.path !== "" ? basename(audio.path, extname(audio.path)).replace(/[^\w.-]/g, "_").slice(0, 80) : "audio";
  const target = join(at.folder, `${String(at.row).padStart(6, "0")}-${stem}${extensionOf(bytes, audio?.path)}`);
  await writeOnce(target, bytes);
  return { path: target, labels };
}

const OPTION_KEYS = ["config", "split", "audioColumn", "labelColumn", "hub", "labelMap", "multiLabel", "verify", "onDecodeError", "progress"];

/** `AudioDataset.fromHub(id, { config, split })`. */
export async function loadHubDataset(id: string, options: HubDatasetOptions = {}): Promise<AudioDataset> {
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.includes(key)) throw new TrainingDataError(`AudioDataset.fromHub: unknown option ${JSON.stringify(key)}; valid options are ${OPTION_KEYS.join(", ")} (the revision goes in hub.revision or as "${id}@<revision>")`);
  }
  const split = options.split ?? "train";
  // download bars follow the dataset's progress option unless the hub options say otherwise
  const hub: HubOptions = { ...(options.progress !== undefined && { progress: options.progress }), ...options.hub };
  let listing: readonly string[] = [];
  const cardFiles = await downloadDatasetFiles(id, {
    ...hub,
    files: (available) => {
      listing = available;
      return available.includes("README.md") ? ["README.md"] : [];
    },
  });
  const readme = cardFiles.files.find((f) => f.name === "README.md");
  const card: DatasetCard = readme === undefined ? parseDatasetCard("") : parseDatasetCard(await readFile(readme.path, "utf8"), `${id}/README.md`);
  const choice = selectDataFiles(listing, card, { id: cardFiles.id, config: options.config, split });
  const downloaded = await downloadDatasetFiles(id, { ...hub, files: choice.files });
  const byName = new Map(downloaded.files.map((f) => [f.name, f.path]));
  const source = `hf://datasets/${cardFiles.id}${choice.config === "default" ? "" : `/${choice.config}`}?split=${split}`;
  const [org, name] = cardFiles.id.split("/") as [string, string];
  const cacheRoot = join(audioclassCacheDir(hub.env), "datasets", `${org}--${name}`, downloaded.commit, choice.config, split);
  const cardLabels = card.classLabels.get(choice.config) ?? card.classLabels.get("default");
  const examples: AudioExample[] = [];
  let classNames: readonly string[] | undefined;
  for (const [shard, file] of choice.files.entries()) {
    const where = `${source} (${file})`;
    const opened = await openShard(byName.get(file)!, where, options, cardLabels);
    const { audioColumn, labelColumn } = opened;
    classNames = opened.classNames;
    const folder = join(cacheRoot, String(shard).padStart(5, "0"));
    await mkdir(folder, { recursive: true });
    // one row group at a time: a shard's audio need not fit in memory at once
    let row = 0;
    for (const group of opened.metadata.row_groups) {
      const rowEnd = row + Number(group.num_rows);
      let rows: Record<string, unknown>[];
      try {
        rows = (await parquetReadObjects({ file: opened.buffer, metadata: opened.metadata, columns: [audioColumn, labelColumn], rowStart: row, rowEnd, utf8: false, compressors })) as Record<string, unknown>[];
      } catch (cause) {
        throw new TrainingDataError(`cannot read rows ${row}–${rowEnd - 1} of ${where}: ${(cause as Error).message}`, { cause });
      }
      for (const record of rows) {
        examples.push(await extractRow(record, { audioColumn, labelColumn, classNames, folder, row, where }));
        row++;
      }
    }
  }
  // ClassLabel order gives the ids, as in `datasets`; otherwise labels sort alphabetically.
  const labelMap = options.labelMap ?? (classNames === undefined ? undefined : [...classNames]);
  return AudioDataset.fromExamples(examples, {
    ...(labelMap !== undefined && { labelMap }),
    ...(options.multiLabel !== undefined && { multiLabel: options.multiLabel }),
    ...(options.verify !== undefined && { verify: options.verify }),
    ...(options.onDecodeError !== undefined && { onDecodeError: options.onDecodeError }),
    ...(options.progress !== undefined && { progress: options.progress }),
    source,
  });
}
