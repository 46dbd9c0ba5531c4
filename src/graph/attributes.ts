import type { GraphTensor } from "./dtype.js";

/**
 * Node attributes, typed as ONNX types them. Ops need the type spelled out because a JavaScript
 * number does not say whether `alpha = 1` is an int or a float.
 */
export type Attribute =
  | { readonly type: "int"; readonly value: number }
  | { readonly type: "float"; readonly value: number }
  | { readonly type: "string"; readonly value: string }
  | { readonly type: "ints"; readonly value: readonly number[] }
  | { readonly type: "floats"; readonly value: readonly number[] }
  | { readonly type: "tensor"; readonly value: GraphTensor };

export type Attributes = Readonly<Record<string, Attribute>>;

export const attr = {
  int: (value: number): Attribute => ({ type: "int", value }),
  float: (value: number): Attribute => ({ type: "float", value }),
  string: (value: string): Attribute => ({ type: "string", value }),
  ints: (value: readonly number[]): Attribute => ({ type: "ints", value: [...value] }),
  floats: (value: readonly number[]): Attribute => ({ type: "floats", value: [...value] }),
  tensor: (value: GraphTensor): Attribute => ({ type: "tensor", value }),
};

export function describeAttribute(a: Attribute): string {
  switch (a.type) {
    case "ints":
    case "floats":
      return `[${a.value.join(", ")}]`;
    case "string":
      return JSON.stringify(a.value);
    case "tensor":
      return `tensor ${a.value.type}[${a.value.dims.join(", ")}]`;
    default:
      return String(a.value);
  }
}
