import type { Attributes } from "./attributes.js";
import type { Dim, Shape } from "./dim.js";
import type { DType, GraphTensor } from "./dtype.js";

/**
 * The frozen graph IR that GraphBuilder.build() returns and the ONNX writer, the runtime and the
 * (later) autodiff pass read. Values and nodes are numbered densely: `values[id].id === id`,
 * `nodes[i].id === i`, and nodes are in topological order (every input is a graph input, an
 * initializer, or the output of an earlier node).
 */
export type ValueId = number;

/**
 * - input: a graph input fed at run time;
 * - parameter: a named weight (an initializer; training promotes these to inputs);
 * - constant: an anonymous constant (also an initializer, never trainable);
 * - node: produced by a node.
 */
export type ValueKind = "input" | "parameter" | "constant" | "node";

export interface ValueInfo {
  readonly id: ValueId;
  /** Unique within the graph; the ONNX value name. */
  readonly name: string;
  readonly dtype: DType;
  readonly shape: Shape;
  readonly kind: ValueKind;
  /** The producing node's id, for kind "node". */
  readonly producer?: number;
  /** Contents known at build time: small integer vectors (shape arithmetic) and numeric scalars. */
  readonly knownValue?: readonly Dim[];
}

export interface NodeInfo {
  readonly id: number;
  /** Unique within the graph; includes the builder scope, e.g. "encoder.layer.0/MatMul_12". */
  readonly name: string;
  readonly opType: string;
  /** "" for the standard ONNX domain, "com.microsoft" for ONNX Runtime contrib ops. */
  readonly domain: string;
  /** null marks an omitted optional input. */
  readonly inputs: readonly (ValueId | null)[];
  readonly outputs: readonly ValueId[];
  readonly attributes: Attributes;
  /** The builder scope the node was created in ("" at top level). */
  readonly scope: string;
}

export interface OpsetImport {
  readonly domain: string;
  readonly version: number;
}

export interface GraphModel {
  readonly name: string;
  readonly values: readonly ValueInfo[];
  readonly nodes: readonly NodeInfo[];
  readonly inputs: readonly ValueId[];
  readonly outputs: readonly ValueId[];
  /** Data of every parameter and constant value. */
  readonly initializers: ReadonlyMap<ValueId, GraphTensor>;
  readonly opsetImports: readonly OpsetImport[];
  readonly docString?: string;
  readonly metadata: Readonly<Record<string, string>>;
}

/** The standard-domain opset every graph imports; IR version 8 is the one that goes with it. */
export const DEFAULT_OPSET = 17;
export const MICROSOFT_DOMAIN = "com.microsoft";
export const MICROSOFT_OPSET = 1;
