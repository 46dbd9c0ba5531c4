import { attr } from "../attributes.js";
import { type Shape, isSymbolName } from "../dim.js";
import type { GraphBuilder } from "../graph-builder.js";
import type { NodeInfo } from "../ir.js";
import type { Value } from "../value.js";
import { AutodiffError } from "./errors.js";
import type { VjpRule } from "./vjp-rule.js";

/**
 * Where a training graph's dropout randomness comes from. Forward graphs mark dropout with
 * g.dropout(x, p) (an inference-mode ONNX Dropout, removed by ONNX Runtime at inference).
 *
 * - "in-graph" (default): ONNX Runtime's Dropout kernel in training mode, one `seed` attribute
 *   per site derived from `seed`. Nothing to feed. Its generator lives in the session and
 *   advances with every run, so the masks of step k are a pure function of (seed, k − the step
 *   the session was created at): two runs from the same start agree exactly. To resume
 *   reproducibly, rebuild the graph with `seed: dropoutSeedForStep(seed, step)` and a new
 *   session — resumed runs then agree with each other, not with the uninterrupted run.
 * - "mask-inputs": every site gets a bool input `dropout_mask.<k>` (true = keep), filled per step
 *   by dropoutMaskFeeds() from (seed, step, site) with a counter-based generator: exactly
 *   reproducible at any step, at the cost of feeding one byte per dropped-out element (large
 *   for attention-probability dropout on long inputs).
 * - "off": dropout is the identity (evaluation-mode fine-tuning).
 */
export interface DropoutOptions {
  readonly mode: "in-graph" | "mask-inputs" | "off";
  readonly seed?: number;
}

export const DROPOUT_MASK_PREFIX = "dropout_mask.";

/** One dropout site of a training graph. */
export interface DropoutSite {
  readonly index: number;
  /** The forward Dropout node. */
  readonly nodeName: string;
  readonly ratio: number;
  /** The mask input ("mask-inputs" mode). */
  readonly maskInput?: string;
  /** Shape of the dropped-out value (and of its mask). */
  readonly shape: Shape;
}

/** 32-bit integer hash (the murmur3 finaliser), for deriving seeds and mask bits. */
export function mix32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The seed to rebuild an "in-graph" training graph with when resuming at `step`. */
export function dropoutSeedForStep(seed: number, step: number): number {
  return mix32(mix32(seed) ^ mix32(step + 0x632be5ab));
}

/** Seed attribute of site k. */
function siteSeed(seed: number, site: number): number {
  return mix32(mix32(seed) + Math.imul(site + 1, 0x9e3779b9)) & 0x7fffffff;
}

/**
 * Replaces inference Dropout nodes by their training form while a forward graph is replayed, and
 * provides the matching gradient rules: dx = dy·mask/(1 − p), with the mask the forward kept.
 */
export class DropoutRewriter {
  readonly sites: DropoutSite[] = [];
  readonly overrides = new Map<number, VjpRule>();
  private readonly mode: DropoutOptions["mode"];
  private readonly seed: number;

  constructor(
    private readonly g: GraphBuilder,
    options: DropoutOptions,
  ) {
    if (!["in-graph", "mask-inputs", "off"].includes(options.mode)) {
      throw new AutodiffError(`dropout mode must be "in-graph", "mask-inputs" or "off", got ${JSON.stringify(options.mode)}`);
    }
    this.mode = options.mode;
    this.seed = options.seed ?? 0;
    if (!Number.isInteger(this.seed)) throw new AutodiffError(`dropout seed must be an integer, got ${this.seed}`);
  }

  /** For replayForward's `substitute`. */
  substitute = (node: NodeInfo, inputs: readonly (Value | null)[]): readonly Value[] | undefined => {
    if (node.opType !== "Dropout" || node.domain !== "") return undefined;
    const { g } = this;
    const x = inputs[0]!;
    const ratioValue = inputs[1] ?? undefined;
    const known = ratioValue === undefined ? 0.5 : ratioValue.knownValue?.[0];
    if (typeof known !== "number") {
      throw new AutodiffError(`Dropout node "${node.name}" has a ratio computed at run time; training graphs need a constant ratio (g.dropout(x, p))`);
    }
    const wantsMask = node.outputs.length > 1;
    if (this.mode === "off" || known === 0) {
      return wantsMask ? [x, g.constantOfShape(g.shape(x), 1, "bool")] : [x];
    }
    const index = this.sites.length;
    const scale = 1 / (1 - known);
    let y: Value;
    let mask: Value;
    let maskInput: string | undefined;
    if (this.mode === "in-graph") {
      [y, mask] = g.scope(node.scope, () =>
        g.op("Dropout", [x, g.scalar(known, x.dtype), g.scalar(true, "bool")], { seed: attr.int(siteSeed(this.seed, index)) }, { outputs: 2 }),
      ) as [Value, Value];
    } else {
      maskInput = `${DROPOUT_MASK_PREFIX}${index}`;
      // Graph inputs take plain symbols: a dim given by an expression (the frames of a conv
      // stack) gets a symbol of its own, and the fed mask is viewed with x's shape.
      const plain = x.shape.every((d) => typeof d === "number" || isSymbolName(d));
      const declared = plain ? x.shape : x.shape.map((d, i) => (typeof d === "number" || isSymbolName(d) ? d : `dropout_mask_${index}_dim${i}`));
      mask = g.input(maskInput, "bool", declared);
      if (!plain) mask = g.reshape(mask, g.shape(x));
      y = g.scope(node.scope, () => g.where(mask, g.mul(x, scale), 0));
    }
    this.sites.push({ index, nodeName: node.name, ratio: known, maskInput, shape: x.shape });
    this.overrides.set(node.id, {
      differentiable: [0],
      vjp: (ctx, [dy]) => [ctx.g.where(mask, ctx.g.mul(dy!, scale), 0)],
    });
    return wantsMask ? [y, mask] : [y];
  };
}
