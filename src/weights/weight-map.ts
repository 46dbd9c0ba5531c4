import type { Tensor } from "../tensor.js";
import { WeightsFormatError } from "./errors.js";
import { foldWeightNorm, normalizeCheckpointKey, planPrefix } from "./hf-naming.js";
import { tensorNotFound, type TensorInfo, type TensorSource } from "./tensor-source.js";

export interface WeightMapOptions {
  /** The architecture's `base_model_prefix` (e.g. "wav2vec2", "audio_spectrogram_transformer"). */
  basePrefix?: string;
  /**
   * Whether the model being built holds the base model under `basePrefix` (true for every
   * `…For…` head model, the default; false for the bare base model). With `basePrefix`, the
   * prefix is added to or stripped from checkpoint names exactly when transformers would.
   */
  modelHasBasePrefix?: boolean;
  /**
   * "fold" (default): `X.weight_g` + `X.weight_v` (or `X.parametrizations.weight.original0/1`)
   * appear as one `X.weight`, computed like torch's weight norm. "keep": they stay separate under
   * the `weight_g`/`weight_v` names (for fine-tuning the parametrization and saving it back).
   */
  weightNorm?: "fold" | "keep";
  /**
   * Checkpoint tensors the model does not use on purpose (buffers it recomputes, such as
   * `position_ids` or `num_batches_tracked`): never listed as unused. Like transformers'
   * `_keys_to_ignore_on_load_unexpected`.
   */
  ignoreUnused?: readonly (string | RegExp)[];
}

/** What loading left over, for messages like transformers' "Some weights … were not used / newly initialized". */
export interface WeightLoadReport {
  /** Names the model asked for (take / takeOptional) that the checkpoint does not have. */
  missing: string[];
  /** Checkpoint tensors the model never took (minus `ignoreUnused`). */
  unused: string[];
  /** Checkpoint tensors dropped because they sit outside the base model being built. */
  outsideBaseModel: string[];
  /** [checkpoint name, model name] pairs for legacy names that were renamed (LayerNorm gamma/beta). */
  renamed: [string, string][];
}

type Entry = { kind: "tensor"; key: string } | { kind: "weightNorm"; g: string; v: string };

/**
 * The weights a model builder consumes: checkpoint tensors under the names the model uses, as
 * float32, with bookkeeping so the builder can report missing and unused parameters afterwards.
 */
export class WeightMap {
  private readonly entries = new Map<string, Entry>();
  private readonly ties = new Map<string, string>();
  private readonly used = new Set<string>();
  private readonly missingNames = new Set<string>();
  private readonly renames: [string, string][] = [];
  private readonly dropped: string[] = [];
  private readonly ignore: readonly (string | RegExp)[];

  constructor(
    readonly source: TensorSource,
    options: WeightMapOptions = {},
  ) {
    this.ignore = options.ignoreUnused ?? [];
    const keys = source.names();
    const plan = options.basePrefix ? planPrefix(keys, options.basePrefix, options.modelHasBasePrefix ?? true) : { add: false, strip: false };
    const prefix = `${options.basePrefix ?? ""}.`;
    const byName = new Map<string, string>();
    for (const key of keys) {
      const fixed = normalizeCheckpointKey(key);
      let name = fixed.key;
      if (plan.add) name = prefix + name;
      if (plan.strip) {
        if (!name.startsWith(prefix)) {
          this.dropped.push(key);
          continue;
        }
        name = name.slice(prefix.length);
      }
      const clash = byName.get(name);
      if (clash !== undefined) {
        throw new WeightsFormatError(`${source.label}: "${clash}" and "${key}" both map to the parameter "${name}"; the checkpoint mixes naming conventions`, { file: source.label, tensor: key });
      }
      byName.set(name, key);
      if (fixed.renamed && !/weight_[gv]$/.test(fixed.key)) this.renames.push([key, name]);
    }
    const fold = (options.weightNorm ?? "fold") === "fold";
    const add = (name: string, entry: Entry) => {
      if (this.entries.has(name)) {
        throw new WeightsFormatError(`${source.label}: the checkpoint has both "${name}" and a weight-norm pair that folds into it`, { file: source.label, tensor: name });
      }
      this.entries.set(name, entry);
    };
    for (const [name, key] of byName) {
      if (fold && name.endsWith(".weight_g") && byName.has(`${name.slice(0, -2)}_v`)) {
        const base = name.slice(0, -".weight_g".length);
        add(`${base}.weight`, { kind: "weightNorm", g: key, v: byName.get(`${base}.weight_v`) as string });
      } else if (!(fold && name.endsWith(".weight_v") && byName.has(`${name.slice(0, -2)}_g`))) {
        add(name, { kind: "tensor", key });
      }
    }
  }

  /** Model-facing parameter names, sorted. */
  names(): string[] {
    return [...this.entries.keys()].sort();
  }

  has(name: string): boolean {
    return this.entries.has(this.resolve(name));
  }

  info(name: string): TensorInfo {
    const entry = this.entry(name);
    if (entry.kind === "tensor") return { ...this.source.info(entry.key), name };
    return { name, dtype: "F32", shape: this.source.info(entry.v).shape };
  }

  /** The parameter as float32 (folded if it is a weight-norm pair). Does not mark it used. */
  get(name: string): Tensor<"float32"> {
    const entry = this.entry(name);
    if (entry.kind === "tensor") {
      const info = this.source.info(entry.key);
      return { type: "float32", dims: [...info.shape], data: this.source.getFloat32(entry.key) };
    }
    const g = this.source.info(entry.g);
    const v = this.source.info(entry.v);
    const data = foldWeightNorm(this.source.getFloat32(entry.g), g.shape, this.source.getFloat32(entry.v), v.shape);
    return { type: "float32", dims: [...v.shape], data };
  }

  /** The tensor in the shared type nearest its stored dtype (int64 buffers stay int64). Not for weight-norm pairs. */
  getTensor(name: string): Tensor {
    const entry = this.entry(name);
    return entry.kind === "tensor" ? this.source.getTensor(entry.key) : this.get(name);
  }

  /** `get` + marks the parameter used. Throws TensorNotFoundError (with close names) when absent. */
  take(name: string): Tensor<"float32"> {
    const tensor = this.get(name);
    this.markUsed(name);
    return tensor;
  }

  /** `getTensor` + marks the parameter used. */
  takeTensor(name: string): Tensor {
    const tensor = this.getTensor(name);
    this.markUsed(name);
    return tensor;
  }

  /** Like `take`, but an absent parameter is recorded as missing (to be initialised by the model) instead of thrown. */
  takeOptional(name: string): Tensor<"float32"> | undefined {
    if (!this.has(name)) {
      this.missingNames.add(name);
      return undefined;
    }
    return this.take(name);
  }

  /** Declares tied weights: `name` reads `target` when the checkpoint has no `name` (saved once, used twice). */
  tie(name: string, target: string): void {
    this.ties.set(name, target);
  }

  markUsed(name: string): void {
    this.used.add(this.resolve(name));
  }

  missing(): string[] {
    return [...this.missingNames].sort();
  }

  unused(): string[] {
    return this.names().filter((name) => !this.used.has(name) && !this.isIgnored(name));
  }

  report(): WeightLoadReport {
    return { missing: this.missing(), unused: this.unused(), outsideBaseModel: [...this.dropped].sort(), renamed: this.renames.map(([a, b]) => [a, b]) };
  }

  private resolve(name: string): string {
    if (this.entries.has(name)) return name;
    return this.ties.get(name) ?? name;
  }

  private entry(name: string): Entry {
    const entry = this.entries.get(this.resolve(name));
    if (!entry) throw tensorNotFound(this.source.label, name, this.entries.keys());
    return entry;
  }

  private isIgnored(name: string): boolean {
    return this.ignore.some((pattern) => (typeof pattern === "string" ? name === pattern || name.endsWith(`.${pattern}`) : pattern.test(name)));
  }
}
