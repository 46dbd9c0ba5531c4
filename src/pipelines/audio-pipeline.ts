/**
 * What every audio pipeline shares: options given at construction are defaults a call may
 * override, checked the same way (unknown keys, Python spellings); one input or a list of inputs
 * normalised to mono float32 at the model's rate; the list processed `batchSize` clips at a
 * time; the callable form `p(input, options)`. A task supplies only what differs: how its call
 * options resolve, and how a batch of waveforms becomes outputs.
 */
import { MAX_SAMPLING_RATE, MIN_SAMPLING_RATE, StreamingResampler } from "../audio/index.js";
import { type AudioclassError, describeValue } from "../errors.js";
import { loadAudioInput, openAudioInputStream, type PipelineAudioInput } from "./audio-input.js";
import { type AudioWindow, slideWindows } from "./audio-windows.js";
import type { LabelScore } from "./classification-scores.js";
import { PipelineOptionError } from "./errors.js";
import { type PcmFormat, type PcmSource, pcmChunks } from "./pcm-stream.js";
import { type Decoder, checkBatchSize, checkDecoder, checkOptionKeys, checkOptionsObject, isInputList } from "./pipeline-options.js";
import { type Segment, type Timeline, type TimelineEvent, timelineEvents } from "./timeline.js";

/** Call options every audio pipeline takes. */
export interface AudioCallOptions {
  /** Clips per model run (default 1; 8 for windows); results do not depend on it. */
  batchSize?: number;
  /** "builtin" (default) or "ffmpeg" (Python's ffmpeg_read, for exact parity on files). */
  decoder?: Decoder;
  /**
   * Classify the whole input in windows of this many seconds (default: the model's own input
   * length) and return a Timeline instead of one list of scores. Long files are read as streams.
   */
  window?: number;
  /** Seconds between window starts (default: the window; smaller overlaps windows). */
  hop?: number;
  /** Events: a window says a label only when its score reaches this (default: 0.5 with sigmoid, any score otherwise). */
  threshold?: number;
}

/** A live stream's options besides the call's: the source's rate and sample format. */
export interface StreamOptions {
  /** Rate of the incoming samples (default: the model's). */
  samplingRate?: number;
  /** Byte sources: "s16le" (default) or "f32le". */
  format?: PcmFormat;
}

export type StreamSegment = Segment & { latencyMs: number };

function checkStreamRate(rate: unknown): number {
  if (typeof rate !== "number" || !Number.isInteger(rate) || rate < MIN_SAMPLING_RATE || rate > MAX_SAMPLING_RATE) {
    throw new PipelineOptionError(`samplingRate must be a whole number of Hz within ${MIN_SAMPLING_RATE} – ${MAX_SAMPLING_RATE}, got ${describeValue(rate)}`);
  }
  return rate;
}

/** Options that make a call return a Timeline. */
export type TimelineRequest = { window: number } | { hop: number };

export const TIMELINE_KEYS = ["window", "hop", "threshold"] as const;

export interface WindowSettings {
  windowSamples: number;
  hopSamples: number;
  threshold: number | undefined;
  batchSize: number;
}

export interface ResolvedAudioOptions {
  batchSize: number;
  decoder: Decoder | undefined;
  /** Set when the call classifies in windows. */
  windows?: WindowSettings;
}

function positiveSeconds(value: unknown, name: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new PipelineOptionError(`${name} must be a positive number of seconds, got ${describeValue(value)}`);
  }
  return value;
}

export abstract class AudioPipeline<C extends AudioCallOptions, R extends ResolvedAudioOptions> {
  abstract readonly task: string;
  protected readonly defaults: Partial<C>;

  protected constructor(
    /** Keys a call may pass. */
    private readonly callKeys: readonly string[],
    defaults: Partial<C>,
  ) {
    const kept: Partial<C> = {};
    for (const key of callKeys) {
      const value = (defaults as Record<string, unknown>)[key];
      if (value !== undefined) (kept as Record<string, unknown>)[key] = value;
    }
    this.defaults = kept;
  }

  /** The rate (Hz) audio is brought to before the model sees it. */
  abstract get samplingRate(): number;
  /** Most bytes read from one input (see maxMemoryMB). */
  abstract get maxInputBytes(): number;
  /** The Python class named in input errors, e.g. "AudioClassificationPipeline". */
  protected abstract readonly pythonName: string;
  /** An example of call options, for the message when they are not an object. */
  protected abstract readonly optionsExample: string;

  /** Turns defaults + a call's options into checked settings (`given`: the call's own options). */
  protected abstract check(merged: Partial<C>, given: Partial<C>): R;

  /** Outputs for waveforms already at the model's rate, in order, `batchSize` at a time. */
  protected abstract process(waveforms: readonly Float32Array[], resolved: R): Promise<LabelScore[][]>;

  abstract dispose(): Promise<void>;

  /** Seconds of audio the model sees of one clip (undefined: any length). */
  abstract get inputSeconds(): number | undefined;
  /** Whether windows say every label above the threshold (sigmoid) or their top label. */
  protected abstract multiLabel(resolved: R): boolean;

  /** Checks a call's options (and, with `{}`, the construction defaults). */
  protected resolve(options: Partial<C> | undefined, windowed = false): R {
    checkOptionsObject(options, this.optionsExample);
    const given = options ?? {};
    checkOptionKeys(given, [...this.callKeys, ...TIMELINE_KEYS], `${this.task} call option`);
    const resolved = this.check({ ...this.defaults, ...given }, given);
    const windows = this.windowSettings(given, windowed);
    return windows === undefined ? resolved : { ...resolved, windows };
  }

  /** Window settings when the call asks for windows (window or hop given, or `windowed`). */
  private windowSettings(given: Partial<C>, windowed: boolean): WindowSettings | undefined {
    const { window, hop, threshold } = given;
    if (!windowed && window === undefined && hop === undefined) {
      if (threshold !== undefined) throw new PipelineOptionError("threshold applies to windows: give window (seconds) too");
      return undefined;
    }
    const windowSeconds = window === undefined ? this.inputSeconds : positiveSeconds(window, "window");
    if (windowSeconds === undefined) {
      throw new PipelineOptionError(`this model takes audio of any length, so there is no default window: give window (seconds), e.g. { window: 10, hop: 5 }`);
    }
    const hopSeconds = hop === undefined ? windowSeconds : positiveSeconds(hop, "hop");
    if (threshold !== undefined && (typeof threshold !== "number" || !Number.isFinite(threshold))) {
      throw new PipelineOptionError(`threshold must be a number (a score), got ${describeValue(threshold)}`);
    }
    const rate = this.samplingRate;
    return {
      windowSamples: Math.max(1, Math.round(windowSeconds * rate)),
      hopSamples: Math.max(1, Math.round(hopSeconds * rate)),
      threshold,
      batchSize: given.batchSize === undefined ? 8 : checkBatchSize(given.batchSize),
    };
  }

  /** One input → mono float32 at the model's rate (decoding, downmix and resampling as Python). */
  loadAudio(input: PipelineAudioInput, options: Pick<AudioCallOptions, "decoder"> = {}): Promise<Float32Array> {
    const decoder = checkDecoder(options.decoder ?? this.defaults.decoder);
    return loadAudioInput(input, this.samplingRate, { decoder, maxBytes: this.maxInputBytes, pipelineName: this.pythonName });
  }

  /**
   * One input → one output; a list of inputs → one output each (an empty list → []). With
   * `window` or `hop`, each input becomes a Timeline of its windows instead.
   */
  async run(input: PipelineAudioInput | readonly PipelineAudioInput[], options?: Partial<C>): Promise<LabelScore[] | LabelScore[][] | Timeline | Timeline[]> {
    const resolved = this.resolve(options);
    const many = isInputList(input);
    const inputs = many ? (input as readonly PipelineAudioInput[]) : [input as PipelineAudioInput];
    if (inputs.length === 0) return [];
    if (resolved.windows !== undefined) {
      const timelines: Timeline[] = [];
      for (const x of inputs) timelines.push(await this.timeline(x, resolved));
      return many ? timelines : timelines[0]!;
    }
    const waveforms = await Promise.all(inputs.map((x) => this.loadAudio(x, { decoder: resolved.decoder })));
    const outputs = await this.process(waveforms, resolved);
    return many ? outputs : outputs[0]!;
  }

  /**
   * The windows of one input, scored, as they are read (a long file is never held whole);
   * window and hop default to the model's input length.
   */
  async *segments(input: PipelineAudioInput, options: Partial<C> = {}): AsyncGenerator<Segment> {
    const resolved = this.resolve(options, true);
    const stream = await openAudioInputStream(input, this.samplingRate, { decoder: resolved.decoder, maxBytes: this.maxInputBytes, pipelineName: this.pythonName });
    yield* this.scoreWindows(stream, resolved);
  }

  /**
   * Classifies a live stream: `source` yields raw PCM bytes (a Node readable: s16le by default,
   * or `format: "f32le"`) or Float32Array chunks, at `samplingRate` (default: the model's; other
   * rates are resampled as they come). Each window's result is emitted as soon as the window is
   * complete (one window per run unless batchSize says otherwise), with `latencyMs`: the time
   * from the arrival of the window's last sample to its result.
   */
  async *classifyStream(source: PcmSource, options: Partial<C> & StreamOptions = {} as Partial<C> & StreamOptions): AsyncGenerator<StreamSegment> {
    const { samplingRate = this.samplingRate, format, ...call } = options;
    const rate = checkStreamRate(samplingRate);
    const resolved = this.resolve({ batchSize: 1, ...call } as Partial<C>, true);
    const resampler = new StreamingResampler(rate, this.samplingRate);
    let completedAt = 0;
    async function* atModelRate(): AsyncGenerator<Float32Array> {
      for await (const chunk of pcmChunks(source, format)) {
        completedAt = performance.now();
        const out = resampler.push(chunk);
        if (out.length > 0) yield out;
      }
      completedAt = performance.now();
      const rest = resampler.end();
      if (rest.length > 0) yield rest;
    }
    for await (const segment of this.scoreWindows(atModelRate(), resolved)) {
      yield { ...segment, latencyMs: performance.now() - completedAt };
    }
  }

  /** Scores the windows of a stream of samples at the model's rate, `batchSize` windows per run. */
  protected async *scoreWindows(chunks: AsyncIterable<Float32Array>, resolved: R): AsyncGenerator<Segment> {
    const settings = resolved.windows!;
    const rate = this.samplingRate;
    const perRun = { ...resolved, batchSize: settings.batchSize };
    let batch: AudioWindow[] = [];
    const score = async (): Promise<Segment[]> => {
      const outputs = await this.process(batch.map((w) => w.samples), perRun);
      const segments = batch.map((w, i) => ({ start: w.startSample / rate, end: (w.startSample + w.samples.length) / rate, predictions: outputs[i]! }));
      batch = [];
      return segments;
    };
    for await (const window of slideWindows(chunks, settings.windowSamples, settings.hopSamples)) {
      batch.push(window);
      if (batch.length >= settings.batchSize) yield* await score();
    }
    if (batch.length > 0) yield* await score();
  }

  private async timeline(input: PipelineAudioInput, resolved: R): Promise<Timeline> {
    const stream = await openAudioInputStream(input, this.samplingRate, { decoder: resolved.decoder, maxBytes: this.maxInputBytes, pipelineName: this.pythonName });
    const segments: Segment[] = [];
    for await (const segment of this.scoreWindows(stream, resolved)) segments.push(segment);
    return { segments, events: this.events(segments, resolved) };
  }

  /** Events of scored windows, for the call options they were scored with. */
  eventsOf(segments: readonly Segment[], options: Partial<C> = {}): TimelineEvent[] {
    return this.events(segments, this.resolve(options, true));
  }

  /**
   * Scores waveforms at the model's rate; an entry is the error that clip alone caused where
   * the task can tell (audio classification: non-finite scores), so the others are kept.
   */
  async classifyEach(waveforms: readonly Float32Array[], options?: Partial<C>): Promise<Array<LabelScore[] | AudioclassError>> {
    return this.process(waveforms, this.resolve(options));
  }

  /** Events of scored windows (see timeline.ts). */
  protected events(segments: readonly Segment[], resolved: R): TimelineEvent[] {
    const multiLabel = this.multiLabel(resolved);
    return timelineEvents(segments, { multiLabel, threshold: resolved.windows?.threshold ?? (multiLabel ? 0.5 : -Infinity) });
  }
}

/** The pipeline as a function `p(input, options)` that also has the pipeline's members. */
export function callable<P extends { run: (input: never, options?: never) => Promise<unknown> }, F>(pipeline: P): P & F {
  const fn = ((input: never, options?: never) => pipeline.run(input, options)) as unknown as P & F;
  Object.setPrototypeOf(fn, pipeline);
  return fn;
}
