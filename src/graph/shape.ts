import { type Dim, type Shape, dimsEqual, isUnknownDim } from "./dim.js";

/** Result of combining two dims under numpy broadcasting; `conflict` when they cannot broadcast. */
export type BroadcastDim = { dim: Dim } | { conflict: true };

let unknownCounter = 0;

/** A fresh unknown dimension; the label says where it came from, for error messages. */
export function unknownDim(origin: string): Dim {
  unknownCounter++;
  return `?${origin.replace(/[^A-Za-z0-9_.:]/g, "_")}:${unknownCounter}`;
}

/**
 * One axis of numpy broadcasting with symbols: equal dims stay; 1 yields to the other; a number
 * > 1 against a symbol wins (the symbol must be that number or 1 at run time); two different
 * symbols give an unknown dim, since either could be 1.
 */
export function broadcastDim(a: Dim, b: Dim, origin: string): BroadcastDim {
  if (dimsEqual(a, b)) return { dim: a };
  if (a === 1) return { dim: b };
  if (b === 1) return { dim: a };
  if (typeof a === "number" && typeof b === "number") return { conflict: true };
  if (typeof a === "number") return { dim: a };
  if (typeof b === "number") return { dim: b };
  if (isUnknownDim(a) && !isUnknownDim(b)) return { dim: b };
  if (isUnknownDim(b) && !isUnknownDim(a)) return { dim: a };
  return { dim: unknownDim(`${origin}.broadcast`) };
}

/**
 * Multidirectional (numpy) broadcast of several shapes. Returns the shape, or the first axis
 * (counted from the right, as numpy does) where two concrete sizes clash.
 */
export function broadcastShapes(shapes: readonly Shape[], origin: string): { shape: Dim[] } | { conflictAxisFromEnd: number } {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out: Dim[] = new Array<Dim>(rank).fill(1);
  for (const shape of shapes) {
    const offset = rank - shape.length;
    for (let i = 0; i < shape.length; i++) {
      const merged = broadcastDim(out[offset + i]!, shape[i]!, origin);
      if ("conflict" in merged) return { conflictAxisFromEnd: rank - (offset + i) };
      out[offset + i] = merged.dim;
    }
  }
  return { shape: out };
}

/** Whether `from` can be broadcast to exactly `to` (unidirectional, as Gemm's C or Expand). */
export function broadcastsTo(from: Shape, to: Shape): boolean {
  if (from.length > to.length) return false;
  const offset = to.length - from.length;
  return from.every((d, i) => {
    const t = to[offset + i]!;
    return d === 1 || dimsEqual(d, t) || typeof d === "string" || typeof t === "string";
  });
}

/** Normalises a possibly negative axis into [0, rank); undefined when out of range. */
export function normalizeAxis(axis: number, rank: number): number | undefined {
  if (!Number.isInteger(axis)) return undefined;
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : undefined;
}

export function isStaticShape(shape: Shape): shape is readonly number[] {
  return shape.every((d) => typeof d === "number");
}

/** Element count when every dim is concrete. */
export function staticSize(shape: Shape): number | undefined {
  let n = 1;
  for (const d of shape) {
    if (typeof d !== "number") return undefined;
    n *= d;
  }
  return n;
}
