/**
 * The mapping between class names and the integer ids a model's classifier uses — the
 * `id2label` / `label2id` of a Hugging Face config. Built from a dataset's labels sorted
 * alphabetically (as datasets' ClassLabel does for an audiofolder), or given explicitly so that
 * an evaluation set uses the ids the model was trained with.
 */
import { describeValue } from "../../errors.js";
import { TrainingDataError } from "../errors.js";

/** What can stand for a label mapping: a LabelMap, the names in id order, or a config's maps. */
export type LabelMapping =
  | LabelMap
  | readonly string[]
  | { readonly id2label: Readonly<Record<string, string>> }
  | { readonly label2id: Readonly<Record<string, number>> };

function listLabels(labels: readonly string[], limit = 20): string {
  const shown = labels.slice(0, limit).map((l) => JSON.stringify(l));
  return labels.length > limit ? `${shown.join(", ")}, … (${labels.length} in all)` : shown.join(", ");
}

export class LabelMap {
  /** Label names, indexed by id. */
  readonly labels: readonly string[];
  private readonly ids: ReadonlyMap<string, number>;

  private constructor(labels: readonly string[]) {
    const ids = new Map<string, number>();
    for (const [id, label] of labels.entries()) {
      if (typeof label !== "string" || label === "") {
        throw new TrainingDataError(`label ${id} is ${describeValue(label)}; labels must be non-empty strings`);
      }
      if (ids.has(label)) throw new TrainingDataError(`label ${JSON.stringify(label)} appears twice (ids ${ids.get(label)} and ${id}); each label needs one id`);
      ids.set(label, id);
    }
    if (labels.length === 0) throw new TrainingDataError("a label map needs at least one label");
    this.labels = Object.freeze([...labels]);
    this.ids = ids;
  }

  /** Ids in the given order (index = id). */
  static fromList(labels: readonly string[]): LabelMap {
    return new LabelMap(labels);
  }

  /** The distinct labels, sorted by code point (Python's sorted()), numbered from 0. */
  static fromLabels(labels: Iterable<string>): LabelMap {
    return new LabelMap([...new Set(labels)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  /** From a config's id2label ({"0": "dog", "1": "rooster"}); ids must be 0 … n−1. */
  static fromId2Label(id2label: Readonly<Record<string, string>>): LabelMap {
    const entries = Object.entries(id2label);
    const labels: string[] = new Array<string>(entries.length);
    for (const [key, label] of entries) {
      const id = Number(key);
      if (!Number.isInteger(id) || id < 0 || id >= entries.length || String(id) !== key.trim()) {
        throw new TrainingDataError(`id2label has key ${JSON.stringify(key)}; ids must be the integers 0 … ${entries.length - 1}`);
      }
      labels[id] = label;
    }
    return new LabelMap(labels);
  }

  /** From a config's label2id ({"dog": 0, "rooster": 1}); ids must be 0 … n−1. */
  static fromLabel2Id(label2id: Readonly<Record<string, number>>): LabelMap {
    const entries = Object.entries(label2id);
    const labels: string[] = new Array<string>(entries.length);
    for (const [label, id] of entries) {
      if (!Number.isInteger(id) || id < 0 || id >= entries.length || labels[id] !== undefined) {
        throw new TrainingDataError(`label2id maps ${JSON.stringify(label)} to ${describeValue(id)}; ids must be the distinct integers 0 … ${entries.length - 1}`);
      }
      labels[id] = label;
    }
    return new LabelMap(labels);
  }

  /** Any LabelMapping as a LabelMap. */
  static from(mapping: LabelMapping): LabelMap {
    if (mapping instanceof LabelMap) return mapping;
    if (Array.isArray(mapping)) return LabelMap.fromList(mapping as readonly string[]);
    if (mapping !== null && typeof mapping === "object") {
      if ("id2label" in mapping) return LabelMap.fromId2Label(mapping.id2label);
      if ("label2id" in mapping) return LabelMap.fromLabel2Id(mapping.label2id);
    }
    throw new TrainingDataError(`a label mapping must be a LabelMap, an array of label names, { id2label } or { label2id }; got ${describeValue(mapping)}`);
  }

  get size(): number {
    return this.labels.length;
  }

  has(label: string): boolean {
    return this.ids.has(label);
  }

  /** The id of `label`; `where` names the input in the error for an unknown label. */
  id(label: string, where?: string): number {
    const id = this.ids.get(label);
    if (id === undefined) {
      const context = where === undefined ? "" : ` (${where})`;
      throw new TrainingDataError(
        `unknown label ${JSON.stringify(label)}${context}; the label map has ${listLabels(this.labels)}. ` +
          `Evaluation data must use the training labels — fix the label, or drop those examples`,
      );
    }
    return id;
  }

  /** The name of class `id`. */
  label(id: number): string {
    const label = Number.isInteger(id) ? this.labels[id] : undefined;
    if (label === undefined) throw new TrainingDataError(`class id ${describeValue(id)} is outside 0 … ${this.size - 1}`);
    return label;
  }

  /** {"0": "dog", …} as in a Hugging Face config.json. */
  get id2label(): Record<string, string> {
    return Object.fromEntries(this.labels.map((label, id) => [String(id), label]));
  }

  /** {"dog": 0, …} as in a Hugging Face config.json. */
  get label2id(): Record<string, number> {
    return Object.fromEntries(this.labels.map((label, id) => [label, id]));
  }

  toJSON(): { id2label: Record<string, string>; label2id: Record<string, number> } {
    return { id2label: this.id2label, label2id: this.label2id };
  }
}
