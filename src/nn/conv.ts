import type { GraphBuilder } from "../graph/graph-builder.js";
import type { Value } from "../graph/value.js";
import { LayerConfigError, WeightShapeError } from "./errors.js";
import { type WeightMap, Weights } from "./weights.js";

export interface ConvLayerOptions {
  /** Stride per spatial axis (a number applies to all). */
  readonly stride?: number | readonly number[];
  /** PyTorch-style symmetric padding per spatial axis. */
  readonly padding?: number | readonly number[];
  readonly dilation?: number | readonly number[];
  readonly groups?: number;
  /** Whether `${name}.bias` exists (default true; wav2vec2's feature convs have conv_bias false). */
  readonly bias?: boolean;
  /** Use this weight instead of `${name}.weight` (e.g. one computed by weightNorm). */
  readonly weight?: Value;
}

function perAxis(value: number | readonly number[] | undefined, rank: number, fallback: number, what: string): number[] {
  if (value === undefined) return new Array<number>(rank).fill(fallback);
  if (typeof value === "number") return new Array<number>(rank).fill(value);
  if (value.length !== rank) throw new LayerConfigError(`${what} has ${value.length} entries for ${rank} spatial axes`);
  return [...value];
}

function convNd(g: GraphBuilder, weights: WeightMap | Weights, name: string, x: Value, spatial: number, options: ConvLayerOptions): Value {
  const w = Weights.from(weights).scope(name);
  let weight: Value;
  if (options.weight !== undefined) weight = options.weight;
  else {
    const t = w.tensor("weight");
    if (t.dims.length !== spatial + 2) {
      throw new WeightShapeError(w.fullName("weight"), `a Conv${spatial}d weight must be ${spatial + 2}-D [out, in/groups, kernel...], got [${t.dims.join(", ")}]`);
    }
    weight = w.param(g, "weight");
  }
  const outChannels = weight.shape[0];
  const bias = options.bias === false ? undefined : w.param(g, "bias", [typeof outChannels === "number" ? outChannels : null]);
  const padding = perAxis(options.padding, spatial, 0, "padding");
  return g.scope(name, () =>
    g.conv(x, weight, bias, {
      strides: perAxis(options.stride, spatial, 1, "stride"),
      pads: [...padding, ...padding],
      dilations: perAxis(options.dilation, spatial, 1, "dilation"),
      group: options.groups ?? 1,
    }),
  );
}

/** PyTorch nn.Conv1d on [batch, channels, time]. */
export function conv1d(g: GraphBuilder, weights: WeightMap | Weights, name: string, x: Value, options: ConvLayerOptions = {}): Value {
  return convNd(g, weights, name, x, 1, options);
}

/** PyTorch nn.Conv2d on [batch, channels, height, width]. */
export function conv2d(g: GraphBuilder, weights: WeightMap | Weights, name: string, x: Value, options: ConvLayerOptions = {}): Value {
  return convNd(g, weights, name, x, 2, options);
}
