import { AudioclassError } from "../errors.js";

/** Misuse of the graph builder: unknown or foreign values, duplicate names, missing outputs. */
export class GraphError extends AudioclassError {
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ?? "GRAPH", message, options);
  }
}

/** Where an op sits in the model code: its node name and the builder scope it was created in. */
export interface OpLocation {
  readonly opType: string;
  readonly nodeName: string;
  readonly scope: string;
}

function describeLocation(location: OpLocation): string {
  const where = location.scope ? ` in scope "${location.scope}"` : "";
  return `${location.opType} (node "${location.nodeName}"${where})`;
}

/**
 * An op's inputs have incompatible shapes or attributes. The message names the op, its node and
 * scope, the input shapes, and what would work; the fields carry the same facts for callers.
 */
export class ShapeError extends GraphError {
  readonly opType: string;
  readonly nodeName: string;
  readonly scope: string;
  readonly inputShapes: readonly string[];

  constructor(location: OpLocation, inputShapes: readonly string[], problem: string, hint: string) {
    const shapes = inputShapes.length > 0 ? ` Inputs: ${inputShapes.join(", ")}.` : "";
    super(`${describeLocation(location)}: ${problem}.${shapes} ${hint}`.trimEnd(), { code: "GRAPH_SHAPE" });
    this.opType = location.opType;
    this.nodeName = location.nodeName;
    this.scope = location.scope;
    this.inputShapes = inputShapes;
  }
}

/** An op received an element type it does not accept (e.g. Add of float32 and int64). */
export class DTypeError extends GraphError {
  readonly opType: string;
  readonly nodeName: string;
  readonly scope: string;

  constructor(location: OpLocation, problem: string, hint: string) {
    super(`${describeLocation(location)}: ${problem}. ${hint}`.trimEnd(), { code: "GRAPH_DTYPE" });
    this.opType = location.opType;
    this.nodeName = location.nodeName;
    this.scope = location.scope;
  }
}

/** The ONNX writer cannot represent something in the graph (unsupported type, oversize model). */
export class OnnxEncodeError extends GraphError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { ...options, code: "ONNX_ENCODE" });
  }
}
