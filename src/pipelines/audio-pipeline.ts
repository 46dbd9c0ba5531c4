/**
 * What every audio pipeline shares: options given at construction are defaults a call may
 * override, checked the same way (unknown keys, Python spellings); one input or a list of inputs
 * normalised to mono float32 at the model's rate; the list processed `batchSize` clips at a
 * time; the callable form `p(input, options)`. A task supplies only what differs: how its call
 * options resolve, and how a batch of waveforms becomes outputs.
 */
import { loadAudioInput, type PipelineAudioInput } from "./audio-input.js";
import { type Decoder, checkDecoder, checkOptionKeys, checkOptionsObject, isInputList } from "./pipeline-options.js";

/** Call options every audio pipeline takes. */
export interface AudioCallOptions {
  /** Clips per model run (default 1); results do not depend on it. */
  batchSize?: number;
  /** "builtin" (default) or "ffmpeg" (Python's ffmpeg_read, for exact parity on files). */
  decoder?: Decoder;
}

export interface ResolvedAudioOptions {
  batchSize: number;
  decoder: Decoder | undefined;
}

export abstract class AudioPipeline<C extends AudioCallOptions, R extends ResolvedAudioOptions, O> {
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
  protected abstract process(waveforms: readonly Float32Array[], resolved: R): Promise<O[]>;

  abstract dispose(): Promise<void>;

  /** Checks a call's options (and, with `{}`, the construction defaults). */
  protected resolve(options: Partial<C> | undefined): R {
    checkOptionsObject(options, this.optionsExample);
    const given = options ?? {};
    checkOptionKeys(given, this.callKeys, `${this.task} call option`);
    return this.check({ ...this.defaults, ...given }, given);
  }

  /** One input → mono float32 at the model's rate (decoding, downmix and resampling as Python). */
  loadAudio(input: PipelineAudioInput, options: Pick<AudioCallOptions, "decoder"> = {}): Promise<Float32Array> {
    const decoder = checkDecoder(options.decoder ?? this.defaults.decoder);
    return loadAudioInput(input, this.samplingRate, { decoder, maxBytes: this.maxInputBytes, pipelineName: this.pythonName });
  }

  /** One input → one output; a list of inputs → one output each (an empty list → []). */
  async run(input: PipelineAudioInput | readonly PipelineAudioInput[], options?: Partial<C>): Promise<O | O[]> {
    const resolved = this.resolve(options);
    const many = isInputList(input);
    const inputs = many ? (input as readonly PipelineAudioInput[]) : [input as PipelineAudioInput];
    if (inputs.length === 0) return [];
    const waveforms = await Promise.all(inputs.map((x) => this.loadAudio(x, { decoder: resolved.decoder })));
    const outputs = await this.process(waveforms, resolved);
    return many ? outputs : outputs[0]!;
  }
}

/** The pipeline as a function `p(input, options)` that also has the pipeline's members. */
export function callable<P extends { run: (input: never, options?: never) => Promise<unknown> }, F>(pipeline: P): P & F {
  const fn = ((input: never, options?: never) => pipeline.run(input, options)) as unknown as P & F;
  Object.setPrototypeOf(fn, pipeline);
  return fn;
}
