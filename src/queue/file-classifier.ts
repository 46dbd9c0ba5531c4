/**
 * One file → the record `audioclass classify` gives it, for a queue's settings: the same
 * pipeline, built with the same options, called the same way (one clip per model run, or the
 * windows of a file eight per run), so a file's stored result equals classify's output for it.
 *
 * The pipeline is loaded once and warmed up with a second of silence, so the first job does not
 * pay for ONNX Runtime's first run. Model runs are taken one at a time (jobs running concurrently
 * overlap their reading and decoding with them, not each other's runs).
 */
import type { FromPretrainedOptions } from "../models/index.js";
import { bundledDefaultModel, createAudioClassificationPipeline, type AudioClassifier, type Segment } from "../pipelines/index.js";
import { PipelineOptionError } from "../pipelines/index.js";
import type { StoredRecord } from "./result-store.js";
import type { QueueSettings } from "./queue-settings.js";

/** How a worker loads models beyond what the queue's settings say (threads, memory, hub). */
export type ModelLoadOptions = Omit<FromPretrainedOptions, "dtype" | "revision">;

export interface ClassifyFileOptions {
  signal?: AbortSignal;
  bytes?: Uint8Array;
}

/** Windows per model run, as `classify --window` runs them. */
const WINDOWS_PER_RUN = 8;

export interface FileClassifier {
  readonly settings: QueueSettings;
  /**
   * The file's record; throws the error that stopped it (classify writes that as an error
   * record). With `bytes`, those are the audio and `file` only names it. An aborted `signal`
   * stops it before its next model run (between windows).
   */
  classify(file: string, options?: ClassifyFileOptions): Promise<StoredRecord>;
  dispose(): Promise<void>;
}

export async function loadFileClassifier(settings: QueueSettings, load: ModelLoadOptions = {}): Promise<FileClassifier> {
  const modelRef = settings.model ?? bundledDefaultModel();
  if (modelRef === undefined) {
    throw new PipelineOptionError("the queue asks for the bundled default model, and this installation has none (models/default): install audioclass with it, or use a queue made with --model");
  }
  const pipeline = await createAudioClassificationPipeline(modelRef, {
    ...load,
    ...(settings.revision !== null && { revision: settings.revision }),
    dtype: settings.dtype,
    ...(settings.topK !== null && { topK: settings.topK }),
    functionToApply: settings.functionToApply,
    decoder: settings.decoder,
  });
  await pipeline(new Float32Array(pipeline.samplingRate));
  return new PipelineFileClassifier(settings, pipeline);
}

class PipelineFileClassifier implements FileClassifier {
  private modelTurn: Promise<unknown> = Promise.resolve();

  constructor(
    readonly settings: QueueSettings,
    private readonly pipeline: AudioClassifier,
  ) {}

  /** Runs `work` after the model runs queued before it. */
  private withModel<T>(work: () => Promise<T>): Promise<T> {
    const turn = this.modelTurn.then(work, work);
    this.modelTurn = turn.catch(() => {});
    return turn;
  }

  async classify(file: string, { signal, bytes }: ClassifyFileOptions = {}): Promise<StoredRecord> {
    const input = bytes ?? file;
    return this.settings.mode === "clips" ? this.classifyClip(file, input, signal) : this.classifyWindows(file, input, signal);
  }

  private async classifyClip(file: string, input: string | Uint8Array, signal: AbortSignal | undefined): Promise<StoredRecord> {
    const clip = await this.pipeline.prepare(input);
    const [outcome] = await this.withModel(() => {
      signal?.throwIfAborted();
      return this.pipeline.classifyPrepared([clip], { batchSize: 1 });
    });
    if (outcome instanceof Error) throw outcome;
    return { file, predictions: outcome! };
  }

  private async classifyWindows(file: string, input: string | Uint8Array, signal: AbortSignal | undefined): Promise<StoredRecord> {
    const { window, hop, threshold, mode } = this.settings;
    const call = { batchSize: WINDOWS_PER_RUN, ...(window !== null && { window }), ...(hop !== null && { hop }), ...(threshold !== null && { threshold }) };
    const segments = await this.withModel(async () => {
      const all: Segment[] = [];
      for await (const segment of this.pipeline.segments(input, call)) {
        signal?.throwIfAborted();
        all.push(segment);
      }
      return all;
    });
    return mode === "events" ? { file, events: this.pipeline.eventsOf(segments, call) } : { file, segments };
  }

  dispose(): Promise<void> {
    return this.pipeline.dispose();
  }
}
