/**
 * config.json as transformers' save_pretrained writes it for a classification model: every key
 * of the original kept (and its int/float spelling), `architectures` naming the class being saved,
 * the label maps from the label list — `id2label` with string keys "0".."n-1" (sorted as numbers),
 * `label2id` — and no `num_labels` key once labels are set, because transformers derives
 * num_labels from id2label and never serialises it.
 */
import { describeValue } from "../../errors.js";
import { CheckpointContentError } from "../checkpoint-errors.js";
import { classificationHeadFor } from "./classification-heads.js";
import { JsonDocument, type JsonDocumentInput } from "./json-document.js";

/** The transformers version written when the original config has none (the version our fixtures come from). */
export const DEFAULT_TRANSFORMERS_VERSION = "4.49.0";

/** Checks a label list: at least one label, each a non-empty string, no duplicates (label2id needs them unique). */
export function checkLabels(labels: unknown): string[] {
  if (!Array.isArray(labels) || labels.length === 0) {
    throw new CheckpointContentError(`labels must be a non-empty array of strings in class-id order, got ${describeValue(labels)}`);
  }
  const seen = new Map<string, number>();
  labels.forEach((label, id) => {
    if (typeof label !== "string" || label.length === 0) throw new CheckpointContentError(`label ${id} must be a non-empty string, got ${describeValue(label)}`);
    const before = seen.get(label);
    if (before !== undefined) throw new CheckpointContentError(`label ${JSON.stringify(label)} appears twice (ids ${before} and ${id}); every class needs its own name`);
    seen.set(label, id);
  });
  return [...labels] as string[];
}

/** The labels in id order, as transformers reads them: from id2label, else LABEL_0… for num_labels (default 2). */
export function labelsOf(config: JsonDocument): string[] {
  const map = config.get("id2label");
  if (map === undefined || map === null) {
    const n = config.get("num_labels") ?? 2;
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 1) throw new CheckpointContentError(`${config.source}: "num_labels" must be a positive integer, got ${describeValue(n)}`);
    return Array.from({ length: n }, (_, i) => `LABEL_${i}`);
  }
  if (typeof map !== "object" || Array.isArray(map)) throw new CheckpointContentError(`${config.source}: "id2label" must be an object like {"0": "dog"}, got ${describeValue(map)}`);
  const entries = Object.entries(map as Record<string, unknown>);
  const labels: string[] = new Array(entries.length);
  for (const [key, label] of entries) {
    const id = Number(key);
    if (!/^\d+$/.test(key) || id >= entries.length || labels[id] !== undefined) {
      throw new CheckpointContentError(`${config.source}: id2label keys must be the ids "0".."${entries.length - 1}", found ${JSON.stringify(key)}`);
    }
    if (typeof label !== "string") throw new CheckpointContentError(`${config.source}: id2label["${key}"] must be a string, got ${describeValue(label)}`);
    labels[id] = label;
  }
  return labels;
}

export interface ModelConfigOptions {
  /** New labels in class-id order; omitted: the config's labels are kept as they are. */
  readonly labels?: readonly string[];
  /** Overrides `architectures` (default: the classification class of the model_type, when known). */
  readonly architectures?: readonly string[];
}

/** The config.json document to write for a classification model. */
export function modelConfigDocument(input: JsonDocumentInput, options: ModelConfigOptions = {}): JsonDocument {
  const config = JsonDocument.from(input, "config.json");
  const changes: Record<string, unknown> = {};
  if (options.labels !== undefined) {
    const labels = checkLabels(options.labels);
    changes.id2label = Object.fromEntries(labels.map((label, id) => [String(id), label]));
    changes.label2id = Object.fromEntries(labels.map((label, id) => [label, id]));
    changes.num_labels = undefined;
  }
  if (options.architectures !== undefined) {
    if (!Array.isArray(options.architectures) || !options.architectures.every((a) => typeof a === "string" && a.length > 0)) {
      throw new CheckpointContentError(`architectures must be a list of class names such as ["ASTForAudioClassification"], got ${describeValue(options.architectures)}`);
    }
    changes.architectures = [...options.architectures];
  } else {
    const head = classificationHeadFor(config.get("model_type"));
    if (head) changes.architectures = [head.architecture];
  }
  if (typeof config.get("transformers_version") !== "string") changes.transformers_version = DEFAULT_TRANSFORMERS_VERSION;
  return config.with(changes);
}
