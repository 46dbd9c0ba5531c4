import { attr } from "../attributes.js";
import type { GraphBuilder } from "../graph-builder.js";
import type { Value } from "../value.js";
import { inversePermutation } from "./gradient-shapes.js";

/**
 * The gradient of y = Gather(data, indices, axis) with respect to data: dy's slices are added
 * into zeros of data's shape at their indices. ScatterND with reduction "add" accumulates
 * repeated indices (an embedding row used twice gets both gradients). The gathered axis is moved
 * to the front so the indices address the leading axis; for axis 0 (embeddings) nothing moves.
 * Negative indices count from the end, as in Gather.
 */
export function gatherGradient(g: GraphBuilder, dy: Value, indices: Value, axis: number, dataShape: Value): Value {
  const rank = dataShape.shape[0];
  if (typeof rank !== "number") throw new TypeError("gatherGradient needs a data shape of static rank");
  const q = indices.rank;
  const dataPerm = [axis, ...Array.from({ length: rank }, (_, i) => i).filter((i) => i !== axis)];
  const zerosShape = axis === 0 ? dataShape : g.gather(dataShape, dataPerm);
  const zeros = g.constantOfShape(zerosShape, 0, dy.dtype);
  // dy is data[:axis] + indices.shape + data[axis+1:]; ScatterND wants indices.shape first.
  const dyPerm = [
    ...Array.from({ length: q }, (_, i) => axis + i),
    ...Array.from({ length: axis }, (_, i) => i),
    ...Array.from({ length: rank - axis - 1 }, (_, i) => axis + q + i),
  ];
  const updates = dyPerm.every((p, i) => p === i) ? dy : g.transpose(dy, dyPerm);
  const index = g.unsqueeze(g.cast(indices, "int64"), [q]);
  const scattered = g.op("ScatterND", [zeros, index, updates], { reduction: attr.string("add") })[0]!;
  return axis === 0 ? scattered : g.transpose(scattered, inversePermutation(dataPerm));
}
