/**
 * Writes a Hugging Face model folder that Python's `from_pretrained` and our loaders read
 * unchanged: config.json and preprocessor_config.json as transformers writes them, and
 * model.safetensors with metadata {"format": "pt"}.
 *
 * Atomicity: the whole folder is written under a temporary sibling name, fsynced and renamed into
 * place (see atomic-folder.ts), so readers see the old folder or the complete new one, never a mix
 * of new config and old weights. Other entries of an existing folder (a README, tokenizer files,
 * checkpoint-* folders) are carried into the new one as hard links; stale weight files
 * (model*.safetensors shards, pytorch_model*.bin and their indexes) are not, as transformers'
 * save_pretrained also cleans those up.
 */
import { stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { AudioclassError, describeValue } from "../../errors.js";
import type { Tensor } from "../../tensor.js";
import { type RawTensor, saveSafetensors } from "../../weights/index.js";
import { CheckpointContentError, CheckpointWriteError } from "../checkpoint-errors.js";
import { commitFolder, createTempFolder, discardFolder, isTransientFolderName, linkEntries, writeFileSynced } from "./atomic-folder.js";
import { classificationHeadFor } from "./classification-heads.js";
import { JsonDocument, type JsonDocumentInput } from "./json-document.js";
import { labelsOf, modelConfigDocument } from "./model-config-json.js";

/** Model weights by parameter name (float32 Tensors, or RawTensors to keep another stored dtype). */
export type ModelWeights = Readonly<Record<string, Tensor | RawTensor>> | ReadonlyMap<string, Tensor | RawTensor>;

export interface ModelFolderContents {
  /** The model's config (read with JsonDocument.read to keep its exact float spelling). */
  readonly config: JsonDocumentInput;
  readonly weights: ModelWeights;
  /** preprocessor_config.json: a JsonDocument, a feature extractor (its toJSON()) or a plain object. */
  readonly featureExtractorConfig?: JsonDocumentInput;
  /** The labels in class-id order; omitted: the config's own labels. */
  readonly labels?: readonly string[];
  /** Overrides `architectures` in config.json. */
  readonly architectures?: readonly string[];
}

export const CONFIG_FILE = "config.json";
export const PREPROCESSOR_CONFIG_FILE = "preprocessor_config.json";
export const WEIGHTS_FILE = "model.safetensors";

/** Weight files of an older save that must not survive next to the new model.safetensors. */
const STALE_WEIGHTS = /^(model(-\d+-of-\d+)?\.safetensors|model\.safetensors\.index\.json|pytorch_model(-\d+-of-\d+)?\.bin|pytorch_model\.bin\.index\.json)$/;

function entriesOf(weights: ModelWeights): [string, Tensor | RawTensor][] {
  if (weights instanceof Map) return [...weights.entries()];
  if (weights === null || typeof weights !== "object") throw new CheckpointContentError(`weights must be an object or a Map of name → tensor, got ${describeValue(weights)}`);
  return Object.entries(weights as Record<string, Tensor | RawTensor>);
}

function shapeOf(tensor: Tensor | RawTensor): readonly number[] | undefined {
  const t = tensor as Partial<Tensor> & Partial<RawTensor>;
  return t.dims ?? t.shape;
}

/**
 * Checks that the classification head agrees with the labels: every label-dependent parameter
 * must exist and have one row per label. Only for model types whose head we know.
 */
export function checkHeadMatchesLabels(config: JsonDocument, weights: ModelWeights): void {
  const head = classificationHeadFor(config.get("model_type"));
  if (!head) return;
  const labels = labelsOf(config);
  const byName = new Map(entriesOf(weights));
  for (const param of head.parameters(config, labels.length)) {
    if (!param.labelDependent) continue;
    const tensor = byName.get(param.name);
    if (tensor === undefined) {
      throw new CheckpointContentError(`the weights have no "${param.name}", the ${head.architecture} classifier; create the head with adaptModelToLabels() before saving`);
    }
    const shape = shapeOf(tensor);
    if (!shape || shape[0] !== labels.length) {
      throw new CheckpointContentError(
        `config.json has ${labels.length} labels but "${param.name}" has shape [${shape?.join(", ")}]; ` +
          `pass labels matching the classifier, or adapt the model to the new labels with adaptModelToLabels()`,
      );
    }
  }
}

/** Writes config.json, preprocessor_config.json (when given) and model.safetensors into an existing empty folder. */
export async function writeModelFiles(folder: string, contents: ModelFolderContents): Promise<{ files: string[]; config: JsonDocument }> {
  const config = modelConfigDocument(contents.config, { labels: contents.labels, architectures: contents.architectures });
  checkHeadMatchesLabels(config, contents.weights);
  const preprocessor = contents.featureExtractorConfig === undefined ? undefined : JsonDocument.from(contents.featureExtractorConfig, PREPROCESSOR_CONFIG_FILE);
  const files: string[] = [];
  await writeFileSynced(join(folder, CONFIG_FILE), config.toJsonString());
  files.push(CONFIG_FILE);
  if (preprocessor) {
    await writeFileSynced(join(folder, PREPROCESSOR_CONFIG_FILE), preprocessor.toJsonString());
    files.push(PREPROCESSOR_CONFIG_FILE);
  }
  const weights = contents.weights instanceof Map ? contents.weights : new Map(entriesOf(contents.weights));
  await saveSafetensors(join(folder, WEIGHTS_FILE), weights, { format: "pt" });
  files.push(WEIGHTS_FILE);
  return { files, config };
}

export interface SaveModelFolderOptions {
  /** Keep the other entries of an existing folder (default true); false replaces the folder wholesale. */
  readonly keepOtherFiles?: boolean;
}

export interface SavedModelFolder {
  readonly dir: string;
  /** The files this save wrote. */
  readonly files: string[];
  /** Entries of the previous folder carried over. */
  readonly kept: string[];
  /** The config.json written. */
  readonly config: JsonDocument;
}

/** Saves a model folder atomically at `dir` (created, or replaced once the new one is complete). */
export async function saveModelFolder(dir: string, contents: ModelFolderContents, options: SaveModelFolderOptions = {}): Promise<SavedModelFolder> {
  const dest = resolve(dir);
  const previous = await stat(dest).catch(() => undefined);
  if (previous && !previous.isDirectory()) throw new CheckpointWriteError(`${dest} exists and is not a folder; choose another path for the model folder`, dest);
  let temp: string | undefined;
  try {
    temp = await createTempFolder(dest);
    const { files, config } = await writeModelFiles(temp, contents);
    const written = new Set(files);
    const kept =
      previous && options.keepOtherFiles !== false
        ? await linkEntries(dest, temp, (name) => written.has(name) || STALE_WEIGHTS.test(name) || isTransientFolderName(name))
        : [];
    await commitFolder(temp, dest);
    return { dir: dest, files, kept, config };
  } catch (error) {
    if (temp) await discardFolder(temp);
    if (error instanceof AudioclassError) throw error;
    throw new CheckpointWriteError(`could not save the model folder ${dest}: ${(error as Error).message}; the previous folder (if any) is unchanged`, dest, { cause: error });
  }
}
