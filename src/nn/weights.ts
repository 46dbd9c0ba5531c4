import type { Dim } from "../graph/dim.js";
import type { GraphTensor } from "../graph/dtype.js";
import { closestNames } from "../graph/close-names.js";
import type { GraphBuilder } from "../graph/graph-builder.js";
import type { Value } from "../graph/value.js";
import { MissingWeightError, WeightShapeError } from "./errors.js";

/** Parameters by Hugging Face name, e.g. "encoder.layer.0.attention.attention.query.weight". */
export type WeightMap = ReadonlyMap<string, GraphTensor> | Readonly<Record<string, GraphTensor>>;

/** Expected dims of a weight; null accepts any size on that axis. */
export type ExpectedShape = readonly (number | null)[];

interface Store {
  get(name: string): GraphTensor | undefined;
  names(): string[];
  used: Set<string>;
  /** Present but deliberately unused (see Weights.skip). */
  skipped: Set<string>;
}

function storeOf(map: WeightMap): Store {
  if (map instanceof Map) {
    return { get: (n) => map.get(n), names: () => [...map.keys()], used: new Set(), skipped: new Set() };
  }
  const record = map as Readonly<Record<string, GraphTensor>>;
  return { get: (n) => (Object.hasOwn(record, n) ? record[n] : undefined), names: () => Object.keys(record), used: new Set(), skipped: new Set() };
}

/**
 * A read-only view on a checkpoint's parameters under a name prefix. Layers ask for names
 * relative to their prefix ("weight", "bias"); every access is recorded so a model can report
 * the checkpoint's unused parameters. Scopes share one record of use.
 */
export class Weights {
  private constructor(
    private readonly store: Store,
    readonly prefix: string,
  ) {}

  static from(source: WeightMap | Weights): Weights {
    return source instanceof Weights ? source : new Weights(storeOf(source), "");
  }

  /** A view on the names under `prefix` ("encoder.layer.0" → "encoder.layer.0.…"). */
  scope(prefix: string): Weights {
    return new Weights(this.store, this.fullName(prefix));
  }

  fullName(name: string): string {
    if (name === "") return this.prefix;
    return this.prefix === "" ? name : `${this.prefix}.${name}`;
  }

  has(name: string): boolean {
    return this.store.get(this.fullName(name)) !== undefined;
  }

  /** The tensor for `name`, checked against an expected shape; MissingWeightError lists close names. */
  tensor(name: string, expected?: ExpectedShape): GraphTensor {
    const full = this.fullName(name);
    const t = this.store.get(full);
    if (t === undefined) {
      const all = this.store.names();
      throw new MissingWeightError(full, closestNames(full, all), all.length);
    }
    if (expected !== undefined) {
      const fits = expected.length === t.dims.length && expected.every((d, i) => d === null || d === t.dims[i]);
      if (!fits) {
        const want = `[${expected.map((d) => (d === null ? "any" : d)).join(", ")}]`;
        throw new WeightShapeError(full, `has shape [${t.dims.join(", ")}], expected ${want}`);
      }
    }
    this.store.used.add(full);
    return t;
  }

  /**
   * The weight as a graph parameter (initializer named with its full Hugging Face name). Model
   * parameters are float32: a checkpoint that stores one as float64 or as integers is cast, as
   * torch's load_state_dict copies it into the float32 parameter.
   */
  param(g: GraphBuilder, name: string, expected?: ExpectedShape): Value {
    return g.initializer(this.fullName(name), asFloatParameter(this.tensor(name, expected)));
  }

  /** param() when the weight exists, otherwise undefined (e.g. an optional bias). */
  optionalParam(g: GraphBuilder, name: string, expected?: ExpectedShape): Value | undefined {
    return this.has(name) ? this.param(g, name, expected) : undefined;
  }

  /** Every parameter name in the checkpoint. */
  allNames(): string[] {
    return this.store.names();
  }

  /** Names read so far (through any scope of the same source). */
  usedNames(): string[] {
    return [...this.store.used].sort();
  }

  /**
   * Marks a checkpoint parameter as deliberately unused — a training-only parameter (wav2vec2's
   * `masked_spec_embed`, a pre-training quantizer) or a buffer the graph does not need — so
   * unusedNames() leaves it out. Returns whether the checkpoint has it.
   */
  skip(name: string): boolean {
    const full = this.fullName(name);
    if (this.store.get(full) === undefined) return false;
    this.store.skipped.add(full);
    return true;
  }

  /** Checkpoint names under this view's prefix that no layer has read (or skipped on purpose). */
  unusedNames(): string[] {
    const under = this.prefix === "" ? "" : `${this.prefix}.`;
    return this.store.names().filter((n) => n.startsWith(under) && !this.store.used.has(n) && !this.store.skipped.has(n)).sort();
  }
}

/** The feature (last) dim of a value when static, for checks against weight shapes. */
export function featureDim(x: Value): Dim {
  return x.shape[x.shape.length - 1]!;
}

/** float32 (and float16, which the graph widens itself) as they are; any other type cast to float32. */
function asFloatParameter(t: GraphTensor): GraphTensor {
  if (t.type === "float32" || t.type === "float16") return t;
  const source = t.data as ArrayLike<number | bigint | boolean>;
  const data = new Float32Array(source.length);
  for (let i = 0; i < data.length; i++) data[i] = Number(source[i]);
  return { type: "float32", dims: t.dims, data };
}
