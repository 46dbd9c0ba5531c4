import { dimSymbols, evaluateDim } from "../dim.js";
import type { GraphModel } from "../ir.js";
import type { Tensor } from "../../tensor.js";
import { AutodiffError } from "./errors.js";
import { type DropoutSite, mix32 } from "./training-dropout.js";

/** What dropoutMaskFeeds needs of a training graph. */
export interface MaskedTrainingGraph extends GraphModel {
  readonly training: { readonly dropout: { readonly sites: readonly DropoutSite[] } };
}

/** Symbols of the graph's input shapes bound to the fed dims ("batch" → 8). */
function bindSymbols(model: GraphModel, feeds: Readonly<Record<string, Tensor>>): Record<string, number> {
  const bindings: Record<string, number> = {};
  for (const id of model.inputs) {
    const v = model.values[id]!;
    const fed = feeds[v.name];
    if (fed === undefined) continue;
    v.shape.forEach((d, i) => {
      if (typeof d === "string" && dimSymbols(d).length === 1 && dimSymbols(d)[0] === d) bindings[d] = fed.dims[i]!;
    });
  }
  return bindings;
}

/**
 * The dropout masks of one training step for a graph built with dropout mode "mask-inputs":
 * element i of site k is kept unless hash(seed, step, k, i) < ratio·2³². Counter-based, so any
 * step's masks can be regenerated without replaying earlier steps (exact resume). Shapes are
 * evaluated from the other feeds' dims.
 */
export function dropoutMaskFeeds(
  model: MaskedTrainingGraph,
  feeds: Readonly<Record<string, Tensor>>,
  options: { seed: number; step: number },
): Record<string, Tensor<"bool">> {
  const bindings = bindSymbols(model, feeds);
  const out: Record<string, Tensor<"bool">> = {};
  const stepKey = mix32(mix32(options.seed) ^ mix32(options.step + 0x3c6ef372));
  for (const site of model.training.dropout.sites) {
    if (site.maskInput === undefined) continue;
    const dims = site.shape.map((d) => evaluateDim(d, bindings));
    if (dims.some((d) => d === undefined)) {
      throw new AutodiffError(
        `cannot size dropout mask "${site.maskInput}" of shape [${site.shape.join(", ")}] from the feeds (${JSON.stringify(bindings)}); ` +
          `feed the graph inputs first, or build the graph with dropout mode "in-graph"`,
      );
    }
    const count = (dims as number[]).reduce((p, d) => p * d, 1);
    const data = new Uint8Array(count);
    const threshold = Math.floor(site.ratio * 2 ** 32);
    const base = mix32(stepKey + Math.imul(site.index + 1, 0x9e3779b9));
    for (let i = 0; i < count; i++) data[i] = mix32(base + Math.imul(i, 0x9e3779b9)) >= threshold ? 1 : 0;
    out[site.maskInput] = { type: "bool", dims: dims as number[], data };
  }
  return out;
}
