/**
 * Rewriting a built graph: replace nodes by other nodes, add initializers, and drop the nodes and
 * initializers no output depends on any more. Passes that change how a model computes (weight
 * precision, fusions) use this instead of rebuilding the model: names, scopes and every untouched
 * node stay as they were.
 *
 *     const r = new GraphRewrite(model);
 *     r.replace(node, (emit) => emit("DynamicQuantizeMatMul", [x, wq, scale], {}, { domain: MICROSOFT_DOMAIN }));
 *     const rewritten = r.build();
 */
import type { Attributes } from "./attributes.js";
import { canonicalDim } from "./dim.js";
import type { GraphTensor } from "./dtype.js";
import { GraphError } from "./errors.js";
import { DEFAULT_OPSET, type GraphModel, MICROSOFT_DOMAIN, MICROSOFT_OPSET, type NodeInfo, type ValueId, type ValueInfo, type ValueKind } from "./ir.js";
import { type InputDesc, InferenceContext, getOpSchema } from "./op-schema.js";
import { knownContents, validateTensor } from "./tensor-data.js";
import { validateModel } from "./traversal.js";
import "./ops/index.js";

type DraftValue = { -readonly [K in keyof ValueInfo]: ValueInfo[K] };

interface DraftNode {
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
  readonly inputs: readonly (ValueId | null)[];
  readonly outputs: readonly ValueId[];
  readonly attributes: Attributes;
  readonly scope: string;
}

/**
 * Adds one node in place of the node being replaced and returns its outputs. `into` lets the last
 * node write the replaced node's outputs, so every reader of them (and graph outputs) is unchanged.
 */
export type EmitNode = (
  opType: string,
  inputs: readonly (ValueId | null)[],
  attributes?: Attributes,
  options?: { domain?: string; into?: readonly ValueId[] },
) => ValueId[];

export class GraphRewrite {
  readonly #model: GraphModel;
  readonly #values: DraftValue[];
  readonly #initializers: Map<ValueId, GraphTensor>;
  readonly #replacements = new Map<number, DraftNode[]>();
  readonly #insertions = new Map<number, DraftNode[]>();
  readonly #redirects = new Map<ValueId, ValueId>();
  readonly #names: Set<string>;

  constructor(model: GraphModel) {
    this.#model = model;
    this.#values = model.values.map((v) => ({ ...v }));
    this.#initializers = new Map(model.initializers);
    this.#names = new Set([...model.values.map((v) => v.name), ...model.nodes.map((n) => n.name)]);
  }

  get model(): GraphModel {
    return this.#model;
  }

  value(id: ValueId): ValueInfo {
    const v = this.#values[id];
    if (v === undefined) throw new GraphError(`graph "${this.#model.name}" has no value #${id}`);
    return v;
  }

  /** A new named weight (kind "parameter"); the name must be free. */
  addParameter(name: string, tensor: GraphTensor): ValueId {
    if (this.#names.has(name)) throw new GraphError(`initializer "${name}": the name is already used in graph "${this.#model.name}"`);
    validateTensor(tensor, `initializer "${name}"`);
    this.#names.add(name);
    return this.#addInitializer(name, tensor, "parameter");
  }

  /** A new anonymous constant, named after `hint`. */
  addConstant(hint: string, tensor: GraphTensor): ValueId {
    validateTensor(tensor, `constant "${hint}"`);
    return this.#addInitializer(this.#unique(hint), tensor, "constant");
  }

  /** Adds the value; its name is already claimed. */
  #addInitializer(name: string, tensor: GraphTensor, kind: ValueKind): ValueId {
    const id = this.#values.length;
    this.#values.push({ id, name, dtype: tensor.type, shape: [...tensor.dims], kind, knownValue: knownContents(tensor) });
    this.#initializers.set(id, tensor);
    return id;
  }

  /** Replaces `node` by the nodes `build` emits, in order, where the node stood. */
  replace(node: NodeInfo, build: (emit: EmitNode) => void): void {
    if (this.#model.nodes[node.id] !== node) throw new GraphError(`node "${node.name}" is not a node of graph "${this.#model.name}"`);
    if (this.#replacements.has(node.id)) throw new GraphError(`node "${node.name}" is replaced twice`);
    const emitted: DraftNode[] = [];
    const emit: EmitNode = (opType, inputs, attributes = {}, options = {}) => {
      const out = this.#emit(node, opType, inputs, attributes, options.domain ?? "", options.into);
      emitted.push(out);
      return [...out.outputs];
    };
    build(emit);
    const produced = new Set(emitted.flatMap((n) => n.outputs));
    for (const id of node.outputs) {
      if (!produced.has(id)) throw new GraphError(`replacing node "${node.name}": its output "${this.value(id).name}" is no longer produced; emit the last node with { into: node.outputs }`);
    }
    this.#replacements.set(node.id, emitted);
  }

  /** Adds the nodes `build` emits just before `node` (e.g. a Cast that `readFrom` points readers at). */
  insertBefore(node: NodeInfo, build: (emit: EmitNode) => void): void {
    if (this.#model.nodes[node.id] !== node) throw new GraphError(`node "${node.name}" is not a node of graph "${this.#model.name}"`);
    const list = this.#insertions.get(node.id) ?? [];
    build((opType, inputs, attributes = {}, options = {}) => {
      if (options.into !== undefined) throw new GraphError(`nodes inserted before "${node.name}" cannot write existing values`);
      const out = this.#emit(node, opType, inputs, attributes, options.domain ?? "", undefined);
      list.push(out);
      return [...out.outputs];
    });
    this.#insertions.set(node.id, list);
  }

  /** Every node that reads `from` (original or emitted, except the ones producing `to`) reads `to` instead. */
  readFrom(from: ValueId, to: ValueId): void {
    const [a, b] = [this.value(from), this.value(to)];
    if (a.dtype !== b.dtype) throw new GraphError(`cannot read "${b.name}" (${b.dtype}) in place of "${a.name}" (${a.dtype})`);
    if (this.#model.outputs.includes(from)) throw new GraphError(`"${a.name}" is a graph output; it cannot be replaced by "${b.name}"`);
    this.#redirects.set(from, to);
  }

  #emit(replaced: NodeInfo, opType: string, inputs: readonly (ValueId | null)[], attributes: Attributes, domain: string, into: readonly ValueId[] | undefined): DraftNode {
    const qualified = domain ? `${domain}.${opType}` : opType;
    const schema = getOpSchema(opType, domain);
    if (schema === undefined) throw new GraphError(`op ${qualified} is not in the builder's op set`);
    const name = this.#unique(`${replaced.name}/${opType}`);
    const descs = inputs.map((id): InputDesc | undefined => (id === null ? undefined : this.value(id)));
    const numOutputs = schema.outputs === "any" ? (into?.length ?? 1) : (schema.outputs ?? 1);
    const ctx = new InferenceContext({ opType: qualified, nodeName: name, scope: replaced.scope }, descs, attributes, numOutputs);
    const inferred = schema.infer(ctx);
    const outputs = inferred.map((o, i) => {
      const target = into?.[i];
      if (target === undefined) {
        const id = this.#values.length;
        this.#values.push({ id, name: this.#unique(`${name}:out${inferred.length > 1 ? i : ""}`), dtype: o.dtype, shape: o.shape.map(canonicalDim), kind: "node", knownValue: o.knownValue });
        return id;
      }
      const old = this.value(target);
      if (old.dtype !== o.dtype) throw new GraphError(`${qualified} in place of node "${replaced.name}" makes ${o.dtype}, but "${old.name}" is ${old.dtype}`);
      return target;
    });
    return { name, opType, domain, inputs, outputs, attributes, scope: replaced.scope };
  }

  #unique(base: string): string {
    let name = base;
    for (let i = 1; this.#names.has(name); i++) name = `${base}_${i}`;
    this.#names.add(name);
    return name;
  }

  /** The rewritten model: dense ids, nodes in order, initializers no node reads dropped. */
  build(): GraphModel {
    const all: DraftNode[] = [];
    this.#model.nodes.forEach((n) => all.push(...(this.#insertions.get(n.id) ?? []), ...(this.#replacements.get(n.id) ?? [n])));
    const redirected = (n: DraftNode): DraftNode => {
      if (!n.inputs.some((id) => id !== null && this.#redirects.has(id))) return n;
      const produced = new Set(n.outputs);
      const inputs = n.inputs.map((id) => {
        const to = id === null ? undefined : this.#redirects.get(id);
        return to === undefined || produced.has(to) ? id : to;
      });
      return { ...n, inputs };
    };
    all.splice(0, all.length, ...all.map(redirected));
    // Nodes no output depends on any more (a Transpose of a weight now quantized) go, and their inputs with them.
    const live = new Set<ValueId>(this.#model.outputs);
    const kept: DraftNode[] = [];
    for (let i = all.length - 1; i >= 0; i--) {
      const n = all[i]!;
      if (!n.outputs.some((id) => live.has(id))) continue;
      kept.push(n);
      for (const id of n.inputs) if (id !== null) live.add(id);
    }
    const nodes = kept.reverse();
    const used = new Set<ValueId>([...this.#model.inputs, ...this.#model.outputs]);
    for (const n of nodes) {
      for (const id of n.inputs) if (id !== null) used.add(id);
      for (const id of n.outputs) used.add(id);
    }
    const newId = new Map<ValueId, ValueId>();
    const values: ValueInfo[] = [];
    const initializers = new Map<ValueId, GraphTensor>();
    // Old values first, in their order, then the new ones: untouched graphs keep their ids.
    for (const v of this.#values) {
      if (!used.has(v.id)) continue;
      const id = values.length;
      newId.set(v.id, id);
      const tensor = this.#initializers.get(v.id);
      if (tensor !== undefined) initializers.set(id, tensor);
      values.push({ ...v, id, producer: undefined });
    }
    const map = (id: ValueId): ValueId => newId.get(id)!;
    const built: NodeInfo[] = nodes.map((n, index) => {
      for (const out of n.outputs) values[map(out)] = Object.freeze({ ...values[map(out)]!, producer: index });
      return Object.freeze({
        id: index, name: n.name, opType: n.opType, domain: n.domain, scope: n.scope, attributes: n.attributes,
        inputs: Object.freeze(n.inputs.map((i) => (i === null ? null : map(i)))),
        outputs: Object.freeze(n.outputs.map(map)),
      });
    });
    const domains = new Set([...this.#model.opsetImports.map((o) => o.domain), ...built.map((n) => n.domain)]);
    const model: GraphModel = Object.freeze({
      ...this.#model,
      values: Object.freeze(values.map((v) => Object.freeze(v))),
      nodes: Object.freeze(built),
      inputs: Object.freeze(this.#model.inputs.map(map)),
      outputs: Object.freeze(this.#model.outputs.map(map)),
      initializers,
      opsetImports: Object.freeze([...domains].map((domain) =>
        this.#model.opsetImports.find((o) => o.domain === domain) ?? { domain, version: domain === MICROSOFT_DOMAIN ? MICROSOFT_OPSET : DEFAULT_OPSET })),
    });
    validateModel(model);
    return model;
  }
}
