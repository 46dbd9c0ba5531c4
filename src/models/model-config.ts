/**
 * A Hugging Face config.json with typed, validated accessors. Every error names the file and
 * the key, and says what value would work.
 */
import { describeValue } from "../errors.js";
import { ModelConfigError } from "./errors.js";
import { nodeBuiltin } from "../util/node-builtin.js";

type Json = Record<string, unknown>;

/**
 * Every integer in a config.json must lie within ±2^24 (16 777 216): far past any real size
 * (hidden sizes in the thousands, vocabularies in the hundreds of thousands, positions ~1 M),
 * and small enough that a corrupt value cannot ask for terabytes of weights in one dimension.
 */
export const MAX_CONFIG_INTEGER = 2 ** 24;

/** More labels than any classification head has (AudioSet: 527, ImageNet-21k: 21 841). */
export const MAX_NUM_LABELS = 100_000;

/**
 * Keys that count repetitions — each layer, head or depth is work for every part of the code
 * that walks the model — get a much tighter bound than sizes (real models: 2–48 layers, 1–64
 * heads). In a list (CLAP's "depths", "num_attention_heads") every entry is bounded.
 */
export const REPETITION_KEYS: Readonly<Record<string, number>> = {
  num_hidden_layers: 1024,
  encoder_layers: 1024,
  decoder_layers: 1024,
  num_feat_extract_layers: 1024,
  num_attention_heads: 4096,
  encoder_attention_heads: 4096,
  decoder_attention_heads: 4096,
  num_conv_pos_embedding_groups: 4096,
  depths: 1024,
};

function boundOf(key: string): number {
  return REPETITION_KEYS[key] ?? MAX_CONFIG_INTEGER;
}

export class ModelConfig {
  constructor(
    readonly raw: Readonly<Json>,
    /** Where the config came from, for error messages (a path, or "config.json → audio_config"). */
    readonly source: string = "config.json",
  ) {}

  /** Reads config.json (or any config file) from a path (Node). */
  static async fromFile(path: string): Promise<ModelConfig> {
    const { readFile } = await nodeBuiltin<typeof import("node:fs/promises")>("fs/promises", `reading ${path}`);
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new ModelConfigError(
        code === "ENOENT" ? `no config.json at ${path}: a Hugging Face model folder holds config.json next to its weights` : `cannot read ${path} (${code ?? String(error)})`,
        { cause: error },
      );
    }
    return ModelConfig.fromJsonText(text, path);
  }

  /** Parses the text of a config file; `path` names it in messages. */
  static fromJsonText(text: string, path: string): ModelConfig {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new ModelConfigError(`${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new ModelConfigError(`${path} must hold a JSON object, got ${describeValue(parsed)}`);
    }
    return new ModelConfig(parsed as Json, path);
  }

  has(key: string): boolean {
    return this.raw[key] !== undefined && this.raw[key] !== null;
  }

  private fail(key: string, want: string, value: unknown): never {
    throw new ModelConfigError(`${this.source}: "${key}" must be ${want}, got ${describeValue(value)}`);
  }

  private value(key: string, fallback: unknown, want: string): unknown {
    const v = this.raw[key];
    if (v === undefined || v === null) {
      if (fallback === undefined) throw new ModelConfigError(`${this.source}: "${key}" is missing; it must be ${want}`);
      return fallback;
    }
    return v;
  }

  get modelType(): string {
    return this.string("model_type");
  }

  get architectures(): string[] {
    const v = this.raw["architectures"];
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  }

  int(key: string, fallback?: number): number {
    const v = this.value(key, fallback, "an integer");
    if (typeof v !== "number" || !Number.isInteger(v)) this.fail(key, "an integer", v);
    const bound = boundOf(key);
    if (Math.abs(v) > bound) this.fail(key, `an integer within ±${bound}`, v);
    return v;
  }

  number(key: string, fallback?: number): number {
    const v = this.value(key, fallback, "a number");
    if (typeof v !== "number" || !Number.isFinite(v)) this.fail(key, "a finite number", v);
    return v;
  }

  string(key: string, fallback?: string): string {
    const v = this.value(key, fallback, "a string");
    if (typeof v !== "string") this.fail(key, "a string", v);
    return v;
  }

  /** A probability: in [0, 1), or [0, 1] with `inclusive` (dropout rates must stay below 1). */
  probability(key: string, fallback: number, options: { inclusive?: boolean } = {}): number {
    const v = this.number(key, fallback);
    const ok = v >= 0 && (options.inclusive ? v <= 1 : v < 1);
    if (!ok) this.fail(key, options.inclusive ? "a probability in [0, 1]" : "a probability in [0, 1)", v);
    return v;
  }

  bool(key: string, fallback?: boolean): boolean {
    const v = this.value(key, fallback, "true or false");
    if (typeof v !== "boolean") this.fail(key, "true or false", v);
    return v;
  }

  ints(key: string, fallback?: readonly number[]): number[] {
    const v = this.value(key, fallback, "a list of integers");
    const bound = boundOf(key);
    if (!Array.isArray(v) || v.length > MAX_CONFIG_INTEGER || !v.every((x) => typeof x === "number" && Number.isInteger(x) && Math.abs(x) <= bound)) {
      this.fail(key, `a list of integers within ±${bound}`, v);
    }
    return [...(v as number[])];
  }

  /** One of `choices`; the error lists them. */
  choice<T extends string>(key: string, choices: readonly T[], fallback?: T): T {
    const v = this.string(key, fallback);
    if (!(choices as readonly string[]).includes(v)) this.fail(key, `one of ${choices.map((c) => JSON.stringify(c)).join(", ")}`, v);
    return v as T;
  }

  /** A nested config (CLAP's audio_config / text_config). */
  sub(key: string): ModelConfig {
    const v = this.raw[key];
    if (typeof v !== "object" || v === null || Array.isArray(v)) this.fail(key, "an object", v);
    return new ModelConfig(v as Json, `${this.source} → ${key}`);
  }

  /**
   * Labels ordered by id, as transformers reads `id2label` (keys are stringified ints 0..n-1).
   * Without id2label, `num_labels` gives LABEL_0…LABEL_{n-1} (transformers' default names).
   */
  labels(): string[] {
    const map = this.raw["id2label"];
    if (map === undefined || map === null) {
      const n = this.int("num_labels", 2);
      if (n < 1 || n > MAX_NUM_LABELS) this.fail("num_labels", `an integer from 1 to ${MAX_NUM_LABELS}`, n);
      return Array.from({ length: n }, (_, i) => `LABEL_${i}`);
    }
    if (typeof map !== "object" || Array.isArray(map)) this.fail("id2label", 'an object like {"0": "dog", "1": "cat"}', map);
    const entries = Object.entries(map as Json);
    const labels: string[] = new Array(entries.length);
    for (const [key, label] of entries) {
      const id = Number(key);
      if (!Number.isInteger(id) || id < 0 || id >= entries.length || labels[id] !== undefined) {
        throw new ModelConfigError(`${this.source}: id2label keys must be the ids 0..${entries.length - 1}, found ${JSON.stringify(key)}`);
      }
      if (typeof label !== "string") this.fail(`id2label.${key}`, "a string", label);
      labels[id] = label;
    }
    return labels;
  }
}
