/**
 * One model being trained: its training graph in an ONNX Runtime session, the trained
 * parameters as Float32Arrays (the very arrays the optimizer updates in place and every step
 * feeds — no copies), and an evaluation graph of the same model (inference form: no dropout,
 * no SpecAugment) that takes the trained parameters as inputs too, so evaluating never
 * rebuilds a session.
 *
 * Per-step randomness (dropout masks, SpecAugment masks, LayerDrop gates) is a function of
 * (seed, micro-batch number) only: a resumed run draws exactly what the uninterrupted run drew.
 */
import { type LossName, type TrainingGraph, buildTrainingGraph, dropoutMaskFeeds, replayForward } from "../graph/autodiff/index.js";
import { GraphBuilder, type GraphModel, type GraphTensor } from "../graph/index.js";
import type { AudioClassificationArchitecture, ModelConfig } from "../models/index.js";
import { Weights } from "../nn/index.js";
import { type Session, createSession } from "../runtime/index.js";
import type { Tensor } from "../tensor.js";
import { ResumeError } from "./errors.js";
import { batchFeeds, inputDimsFor, labelFeed } from "./model-feeds.js";
import { Rng } from "./random.js";

export interface TrainingSessionOptions {
  readonly architecture: AudioClassificationArchitecture;
  readonly config: ModelConfig;
  /** Every parameter and buffer by checkpoint name; trained arrays are used (and updated) in place. */
  readonly weights: ReadonlyMap<string, Tensor>;
  readonly trainable: (name: string) => boolean;
  readonly multiLabel: boolean;
  readonly labelSmoothing?: number;
  readonly dropout: "mask-inputs" | "off";
  readonly seed: number;
  readonly threads?: number;
  readonly fused?: boolean;
}

export interface StepResult {
  /** Mean loss over the batch. */
  readonly loss: number;
  readonly logits: Float32Array;
  /** Gradient of the mean loss for each trained parameter. */
  readonly gradients: Map<string, Float32Array>;
  /** The training-only inputs drawn for the step (SpecAugment masks, LayerDrop gates). */
  readonly drawn: Readonly<Record<string, Tensor>>;
}

/** Stream of Rng.derive for per-micro-batch draws (masks, gates). */
const STEP_STREAM = 0x57e9;

export class TrainingSession {
  /** Trained parameters (reached by the loss), in graph order: the optimizer's arrays. */
  readonly parameters: Map<string, Float32Array>;
  readonly frozen: readonly string[];
  /** Marked trainable, but no gradient reaches them (PyTorch leaves their .grad None). */
  readonly unreached: readonly string[];
  readonly numLabels: number;

  private constructor(
    private readonly options: TrainingSessionOptions,
    readonly graph: TrainingGraph,
    private readonly evalGraph: GraphModel,
    private readonly session: Session,
    private readonly evalSession: Session,
    private readonly weights: ReadonlyMap<string, Tensor>,
  ) {
    this.parameters = new Map(graph.training.parameters.map((name) => [name, weights.get(name)!.data as Float32Array]));
    this.frozen = graph.training.frozen;
    this.unreached = graph.training.unreached;
    this.numLabels = options.config.labels().length;
  }

  static async create(options: TrainingSessionOptions): Promise<TrainingSession> {
    const { architecture, config } = options;
    const weights = options.weights as ReadonlyMap<string, GraphTensor>;
    const forward = architecture.build(config, Weights.from(weights), { training: true, fused: options.fused });
    const loss: LossName = options.multiLabel ? "bce_with_logits" : "cross_entropy";
    const graph = buildTrainingGraph(forward, {
      trainable: options.trainable,
      loss,
      labelSmoothing: options.multiLabel ? undefined : options.labelSmoothing,
      dropout: { mode: options.dropout, seed: options.seed },
    });
    const evalGraph = evaluationGraph(architecture.build(config, Weights.from(weights), { fused: options.fused }), new Set(graph.training.parameters));
    const threads = options.threads;
    const session = await createSession(graph, { threads, name: `${config.modelType} training graph` });
    const evalSession = await createSession(evalGraph, { threads, name: `${config.modelType} evaluation graph` });
    return new TrainingSession(options, graph, evalGraph, session, evalSession, options.weights);
  }

  /** Forward and backward on one micro-batch; `micro` numbers it (0, 1, … over the whole run) for its random draws. */
  async step(inputs: Readonly<Record<string, Tensor>>, labels: Int32Array | Float32Array, micro: number): Promise<StepResult> {
    const graph = this.graph;
    const feeds: Record<string, Tensor> = batchFeeds(graph, inputs);
    const random = Rng.derive(this.options.seed, STEP_STREAM, micro);
    const drawn = this.options.architecture.trainingInputs(this.options.config, { feeds, inputDims: inputDimsFor(graph, feeds), random });
    Object.assign(feeds, drawn);
    if (graph.training.dropout.mode === "mask-inputs") Object.assign(feeds, dropoutMaskFeeds(graph, feeds, { seed: this.options.seed, step: micro }));
    feeds[graph.training.labels.name] = labelFeed(labels, this.options.multiLabel, this.numLabels);
    for (const [name, data] of this.parameters) feeds[name] = { type: "float32", dims: this.weights.get(name)!.dims, data };
    const out = await this.session.run(feeds);
    const gradients = new Map<string, Float32Array>();
    for (const name of this.parameters.keys()) gradients.set(name, out[graph.training.gradients[name]!]!.data as Float32Array);
    return { loss: (out["loss"]!.data as Float32Array)[0]!, logits: out["logits"]!.data as Float32Array, gradients, drawn };
  }

  /** Logits [batch, labels] of the evaluation graph with the current parameters. */
  async logits(inputs: Readonly<Record<string, Tensor>>): Promise<Float32Array> {
    const feeds = batchFeeds(this.evalGraph, inputs);
    for (const id of this.evalGraph.inputs) {
      const name = this.evalGraph.values[id]!.name;
      const data = this.parameters.get(name);
      if (data !== undefined) feeds[name] = { type: "float32", dims: this.weights.get(name)!.dims, data };
    }
    const out = await this.evalSession.run(feeds, { outputs: ["logits"] });
    return out["logits"]!.data as Float32Array;
  }

  /** Every parameter and buffer with its current value (the trained arrays themselves). */
  currentWeights(): Map<string, Tensor> {
    return new Map(this.weights);
  }

  /** Overwrites the trained parameters in place (resuming, loading the best checkpoint). Frozen ones must be unchanged. */
  loadWeights(source: ReadonlyMap<string, Tensor>, from: string): void {
    for (const [name, target] of this.weights) {
      const given = source.get(name);
      if (given === undefined) throw new ResumeError(`${from} has no "${name}"; it was saved by a run of another model`);
      if (given.type !== target.type || given.data.length !== target.data.length) {
        throw new ResumeError(`${from}: "${name}" is ${given.type} [${given.dims.join(", ")}], the model's is ${target.type} [${target.dims.join(", ")}]; it was saved by a run of another model`);
      }
      const trained = this.parameters.get(name);
      if (trained !== undefined) trained.set(given.data as Float32Array);
      else if (!equalData(given.data, target.data)) {
        throw new ResumeError(`${from}: the frozen parameter "${name}" differs from this run's; resume with the same model and freezing options`);
      }
    }
  }

  async dispose(): Promise<void> {
    await this.session.dispose();
    await this.evalSession.dispose();
  }
}

/** The inference graph with the trained parameters turned into inputs. */
function evaluationGraph(forward: GraphModel, trained: ReadonlySet<string>): GraphModel {
  const g = new GraphBuilder({ name: `${forward.name}.eval` });
  const promote = new Set(forward.values.filter((v) => v.kind === "parameter" && trained.has(v.name)).map((v) => v.id));
  const map = replayForward(forward, g, { promote });
  const logits = forward.values.find((v) => v.name === "logits" && forward.outputs.includes(v.id));
  g.output("logits", map.get(logits!.id)!);
  return g.build({ metadata: forward.metadata });
}

function equalData(a: Tensor["data"], b: Tensor["data"]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
