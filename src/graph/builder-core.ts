import type { Attributes } from "./attributes.js";
import { type Dim, type Shape, canonicalDim, isSymbolName } from "./dim.js";
import { type DType, type GraphTensor, isDType } from "./dtype.js";
import { GraphError } from "./errors.js";
import { DEFAULT_OPSET, type GraphModel, MICROSOFT_DOMAIN, MICROSOFT_OPSET, type NodeInfo, type ValueId, type ValueInfo, type ValueKind } from "./ir.js";
import { type InputDesc, InferenceContext, getOpSchema, registeredOps } from "./op-schema.js";
import { closestNames } from "./close-names.js";
import { KNOWN_VALUE_LIMIT, describe, knownContents, tensorOf, validateTensor } from "./tensor-data.js";
import { Value } from "./value.js";
import { numel } from "../tensor.js";
import "./ops/index.js";

export interface GraphBuilderOptions {
  /** The graph's name (ONNX GraphProto.name); also used in error messages of the runtime. */
  readonly name: string;
  readonly docString?: string;
}

export interface BuildOptions {
  /** Drop nodes, constants and parameters no output depends on (default true). */
  readonly prune?: boolean;
  /** Free-form key/value metadata written to ModelProto.metadata_props. */
  readonly metadata?: Readonly<Record<string, string>>;
}

interface ValueRecord {
  dtype: DType;
  shape: Shape;
  kind: ValueKind;
  /** User-chosen name (inputs, parameters, graph outputs); auto names are made at build time. */
  name?: string;
  producer?: number;
  knownValue?: readonly Dim[];
}

interface NodeRecord {
  name: string;
  opType: string;
  domain: string;
  inputs: (ValueId | null)[];
  outputs: ValueId[];
  attributes: Attributes;
  scope: string;
}

let nextBuilderId = 1;

/**
 * State and bookkeeping of a graph under construction: values, nodes in creation (= topological)
 * order, initializer data, names and scopes. The op methods live in the subclasses.
 */
export class GraphBuilderCore {
  readonly name: string;
  protected readonly builderId = nextBuilderId++;
  protected readonly values: ValueRecord[] = [];
  protected readonly nodes: NodeRecord[] = [];
  protected readonly data = new Map<ValueId, GraphTensor>();
  protected readonly graphInputs: ValueId[] = [];
  protected readonly graphOutputs: ValueId[] = [];
  private readonly userNames = new Map<string, ValueId>();
  private readonly constantCache = new Map<string, ValueId>();
  private readonly scopes: string[] = [];
  private readonly opCounters = new Map<string, number>();
  private readonly docString: string | undefined;

  constructor(options: GraphBuilderOptions) {
    if (typeof options?.name !== "string" || options.name === "") {
      throw new GraphError("GraphBuilder needs a non-empty name, e.g. new GraphBuilder({ name: \"ast\" })");
    }
    this.name = options.name;
    this.docString = options.docString;
  }

  // ---- values ---------------------------------------------------------------------------------

  /** Declares a graph input. Symbolic dims are identifiers such as "batch" or "time". */
  input(name: string, dtype: DType, shape: readonly Dim[]): Value {
    if (!isDType(dtype)) throw new GraphError(`input "${name}": unknown dtype ${String(dtype)}; use one of float32, float16, float64, int64, int32, int8, uint8, bool`);
    for (const d of shape) {
      const ok = typeof d === "number" ? Number.isInteger(d) && d >= 0 : isSymbolName(d);
      if (!ok) {
        throw new GraphError(`input "${name}": dim ${JSON.stringify(d)} is neither a non-negative integer nor a symbol name like "batch" (letters, digits, _)`);
      }
    }
    this.claimName(name, "input");
    const id = this.addValue({ dtype, shape: [...shape], kind: "input", name });
    this.userNames.set(name, id);
    this.graphInputs.push(id);
    return this.handle(id);
  }

  /** A named weight (ONNX initializer). Registering the same name and tensor again returns the same value. */
  initializer(name: string, tensor: GraphTensor): Value {
    const existing = this.userNames.get(name);
    if (existing !== undefined && this.values[existing]!.kind === "parameter" && this.data.get(existing) === tensor) {
      return this.handle(existing);
    }
    validateTensor(tensor, `initializer "${name}"`);
    this.claimName(name, "initializer");
    const id = this.addValue({ dtype: tensor.type, shape: [...tensor.dims], kind: "parameter", name, knownValue: knownContents(tensor) });
    this.userNames.set(name, id);
    this.data.set(id, tensor);
    return this.handle(id);
  }

  /** An anonymous constant; small constants with equal contents are shared. */
  constant(tensor: GraphTensor): Value {
    validateTensor(tensor, "constant");
    const count = numel(tensor.dims);
    const cacheKey = count <= KNOWN_VALUE_LIMIT ? `${tensor.type}|${tensor.dims.join(",")}|${Array.from(tensor.data as ArrayLike<number | bigint>).join(",")}` : undefined;
    const cached = cacheKey === undefined ? undefined : this.constantCache.get(cacheKey);
    if (cached !== undefined) return this.handle(cached);
    const id = this.addValue({ dtype: tensor.type, shape: [...tensor.dims], kind: "constant", knownValue: knownContents(tensor) });
    this.data.set(id, tensor);
    if (cacheKey !== undefined) this.constantCache.set(cacheKey, id);
    return this.handle(id);
  }

  /** A rank-0 constant. */
  scalar(value: number | bigint | boolean, dtype: DType = "float32"): Value {
    return this.constant(tensorOf(dtype, [], [value]));
  }

  /** A 1-D constant (int64 by default: the type of shapes, axes and indices). */
  vector(values: readonly (number | bigint | boolean)[], dtype: DType = "int64"): Value {
    return this.constant(tensorOf(dtype, [values.length], values));
  }

  /** The graph output `name`, computed by `value`. */
  output(name: string, value: Value): void {
    this.check(value);
    const record = this.values[value.id]!;
    if (record.kind === "node" && record.name === name && !this.graphOutputs.includes(value.id)) {
      // a former output of a loaded model, declared again
      this.graphOutputs.push(value.id);
      return;
    }
    if (record.kind === "node" && record.name === undefined) {
      this.claimName(name, "output");
      record.name = name;
      this.userNames.set(name, value.id);
      this.graphOutputs.push(value.id);
      return;
    }
    // Inputs, weights and already-named values get an Identity so the output has its own name.
    const [copy] = this.op("Identity", [value]);
    this.output(name, copy!);
  }

  /** The value with this user-visible name (input, parameter or output), e.g. after GraphBuilder.from(model). */
  valueByName(name: string): Value {
    const id = this.userNames.get(name);
    if (id === undefined) {
      const near = closestNames(name, [...this.userNames.keys()]);
      throw new GraphError(`graph "${this.name}" has no value named "${name}"${near.length ? `; did you mean ${near.map((n) => `"${n}"`).join(", ")}?` : ""}`);
    }
    return this.handle(id);
  }

  /** Runs `fn` with `name` appended to the scope path used in node names and error messages. */
  scope<T>(name: string, fn: () => T): T {
    this.scopes.push(name);
    try {
      return fn();
    } finally {
      this.scopes.pop();
    }
  }

  get currentScope(): string {
    return this.scopes.join("/");
  }

  // ---- nodes ----------------------------------------------------------------------------------

  /**
   * Adds a node of a registered op and infers its outputs. `null`/`undefined` inputs are omitted
   * optional inputs. Throws ShapeError/DTypeError naming the op when the inputs do not fit.
   */
  op(
    opType: string,
    inputs: readonly (Value | null | undefined)[],
    attributes: Readonly<Record<string, Attributes[string] | undefined>> = {},
    options: { domain?: string; outputs?: number } = {},
  ): Value[] {
    const domain = options.domain ?? "";
    const schema = getOpSchema(opType, domain);
    const qualified = domain ? `${domain}.${opType}` : opType;
    if (schema === undefined) {
      const near = closestNames(qualified, registeredOps());
      throw new GraphError(`op ${qualified} is not in the builder's op set${near.length ? `; did you mean ${near.join(", ")}?` : ""}. Supported: ${registeredOps().join(", ")}`);
    }
    const ids = inputs.map((v) => (v === null || v === undefined ? null : this.check(v).id));
    while (ids.length > 0 && ids[ids.length - 1] === null) ids.pop();
    const [min, max] = schema.inputs;
    const count = this.nextCount(opType);
    const scope = this.currentScope;
    const nodeName = `${scope ? `${scope}/` : ""}${opType}_${count}`;
    if (ids.length < min || ids.length > max) {
      throw new GraphError(`${qualified} (node "${nodeName}") takes ${min === max ? min : `${min} to ${max}`} inputs, got ${ids.length}`);
    }
    const attrs: Record<string, Attributes[string]> = {};
    for (const [key, a] of Object.entries(attributes)) {
      if (a === undefined) continue;
      if (schema.attributes !== undefined && !(key in schema.attributes)) {
        throw new GraphError(`${qualified} (node "${nodeName}") has no attribute "${key}"; it accepts ${Object.keys(schema.attributes).join(", ") || "none"}`);
      }
      attrs[key] = a;
    }
    const numOutputs = schema.outputs === "any" ? (options.outputs ?? 1) : (schema.outputs ?? 1);
    const descs = ids.map((id): InputDesc | undefined => (id === null ? undefined : this.values[id]));
    const ctx = new InferenceContext({ opType: qualified, nodeName, scope }, descs, attrs, numOutputs);
    const outputs = schema.infer(ctx);
    const nodeId = this.nodes.length;
    const outputIds = outputs.map((o) =>
      this.addValue({ dtype: o.dtype, shape: o.shape.map(canonicalDim), kind: "node", producer: nodeId, knownValue: o.knownValue }),
    );
    this.nodes.push({ name: nodeName, opType, domain, inputs: ids, outputs: outputIds, attributes: attrs, scope });
    return outputIds.map((id) => this.handle(id));
  }

  /** op() for single-output ops. */
  protected op1(opType: string, inputs: readonly (Value | null | undefined)[], attributes: Readonly<Record<string, Attributes[string] | undefined>> = {}, domain = ""): Value {
    return this.op(opType, inputs, attributes, { domain })[0]!;
  }

  // ---- build ----------------------------------------------------------------------------------

  /** Freezes the graph into the IR. The builder stays usable; build() takes a snapshot. */
  build(options: BuildOptions = {}): GraphModel {
    if (this.graphOutputs.length === 0) throw new GraphError(`graph "${this.name}" has no outputs; call g.output(name, value) first`);
    const keepValue = new Set<ValueId>(this.graphInputs);
    const keepNode = new Set<number>();
    if (options.prune === false) {
      this.values.forEach((_, id) => keepValue.add(id));
      this.nodes.forEach((_, id) => keepNode.add(id));
    } else {
      const stack = [...this.graphOutputs];
      while (stack.length > 0) {
        const id = stack.pop()!;
        if (keepValue.has(id) && this.values[id]!.kind !== "input") continue;
        keepValue.add(id);
        const producer = this.values[id]!.producer;
        if (producer === undefined || keepNode.has(producer)) continue;
        keepNode.add(producer);
        const node = this.nodes[producer]!;
        for (const v of [...node.inputs, ...node.outputs]) if (v !== null && !keepValue.has(v)) stack.push(v);
      }
    }
    const newId = new Map<ValueId, ValueId>();
    const values: ValueInfo[] = [];
    const nodeIds = new Map<number, number>();
    [...keepNode].sort((a, b) => a - b).forEach((n, i) => nodeIds.set(n, i));
    const taken = new Set(this.userNames.keys());
    this.values.forEach((v, oldId) => {
      if (!keepValue.has(oldId)) return;
      const id = values.length;
      newId.set(oldId, id);
      const name = v.name ?? uniqueName(this.autoName(v, oldId), taken);
      const producer = v.producer === undefined ? undefined : nodeIds.get(v.producer);
      values.push(Object.freeze({ id, name, dtype: v.dtype, shape: Object.freeze([...v.shape]), kind: v.kind, producer, knownValue: v.knownValue }));
    });
    const nodes: NodeInfo[] = [];
    const domains = new Set<string>([""]);
    this.nodes.forEach((n, oldId) => {
      if (!keepNode.has(oldId)) return;
      domains.add(n.domain);
      nodes.push(Object.freeze({
        id: nodes.length, name: n.name, opType: n.opType, domain: n.domain, scope: n.scope,
        inputs: Object.freeze(n.inputs.map((i) => (i === null ? null : newId.get(i)!))),
        outputs: Object.freeze(n.outputs.map((o) => newId.get(o)!)),
        attributes: Object.freeze({ ...n.attributes }),
      }));
    });
    const initializers = new Map<ValueId, GraphTensor>();
    for (const [oldId, tensor] of this.data) if (newId.has(oldId)) initializers.set(newId.get(oldId)!, tensor);
    return Object.freeze({
      name: this.name,
      values: Object.freeze(values),
      nodes: Object.freeze(nodes),
      inputs: Object.freeze(this.graphInputs.map((i) => newId.get(i)!)),
      outputs: Object.freeze(this.graphOutputs.map((i) => newId.get(i)!)),
      initializers,
      opsetImports: Object.freeze([...domains].map((domain) => ({ domain, version: domain === MICROSOFT_DOMAIN ? MICROSOFT_OPSET : DEFAULT_OPSET }))),
      docString: this.docString,
      metadata: Object.freeze({ ...(options.metadata ?? {}) }),
    });
  }

  // ---- rewriting (for passes such as autodiff) -------------------------------------------------

  /**
   * Copies a built model into this (empty) builder, keeping names, so passes can append to it.
   * Without keepOutputs the model's outputs become ordinary (still named) values.
   */
  protected load(model: GraphModel, keepOutputs: boolean): void {
    for (const v of model.values) {
      // Outputs keep their names (findable by valueByName) even when dropped as outputs.
      const name = v.kind !== "node" || model.outputs.includes(v.id) ? v.name : undefined;
      this.values.push({ dtype: v.dtype, shape: v.shape, kind: v.kind, name, producer: v.producer, knownValue: v.knownValue });
      if (name !== undefined) this.userNames.set(name, v.id);
    }
    for (const n of model.nodes) {
      this.nodes.push({ name: n.name, opType: n.opType, domain: n.domain, inputs: [...n.inputs], outputs: [...n.outputs], attributes: n.attributes, scope: n.scope });
      this.bumpCounter(n.opType, n.name);
    }
    for (const [id, t] of model.initializers) this.data.set(id, t);
    this.graphInputs.push(...model.inputs);
    if (keepOutputs) this.graphOutputs.push(...model.outputs);
  }

  /** Turns a parameter into a graph input (its data stays available via initializerData). */
  promoteToInput(value: Value): Value {
    const record = this.values[this.check(value).id]!;
    if (record.kind !== "parameter") throw new GraphError(`only parameters can become inputs; "${record.name ?? `#${value.id}`}" is a ${record.kind}`);
    record.kind = "input";
    this.data.delete(value.id);
    this.graphInputs.push(value.id);
    return this.handle(value.id);
  }

  /** The data of a parameter or constant. */
  initializerData(value: Value): GraphTensor | undefined {
    return this.data.get(this.check(value).id);
  }

  // ---- internals ------------------------------------------------------------------------------

  protected check(value: Value): Value {
    if (!(value instanceof Value)) throw new GraphError(`expected a graph Value, got ${describe(value)}`);
    if (value.builderId !== this.builderId || this.values[value.id] === undefined) {
      throw new GraphError(`value #${value.id} belongs to another GraphBuilder; values cannot be shared between graphs`);
    }
    return value;
  }

  protected handle(id: ValueId): Value {
    const v = this.values[id]!;
    return new Value(this.builderId, id, v.dtype, v.shape, v.knownValue);
  }

  private addValue(record: ValueRecord): ValueId {
    this.values.push(record);
    return this.values.length - 1;
  }

  /** Checks that a user-chosen name is usable; the caller registers it once the value exists. */
  private claimName(name: string, what: string): void {
    if (typeof name !== "string" || name === "") throw new GraphError(`${what} needs a non-empty name`);
    if (this.userNames.has(name)) throw new GraphError(`${what} "${name}": the name is already used in graph "${this.name}"`);
  }

  private nextCount(opType: string): number {
    const n = this.opCounters.get(opType) ?? 0;
    this.opCounters.set(opType, n + 1);
    return n;
  }

  private bumpCounter(opType: string, nodeName: string): void {
    const m = new RegExp(`${opType}_(\\d+)$`).exec(nodeName);
    if (m) this.opCounters.set(opType, Math.max(this.opCounters.get(opType) ?? 0, Number(m[1]) + 1));
  }

  private autoName(v: ValueRecord, id: ValueId): string {
    if (v.producer !== undefined) {
      const node = this.nodes[v.producer]!;
      const index = node.outputs.indexOf(id);
      return node.outputs.length === 1 ? `${node.name}:out` : `${node.name}:out${index}`;
    }
    return `const_${id}`;
  }
}

function uniqueName(base: string, taken: Set<string>): string {
  let name = base;
  for (let i = 1; taken.has(name); i++) name = `${base}_${i}`;
  taken.add(name);
  return name;
}
