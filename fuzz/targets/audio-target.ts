/**
 * The shape shared by the five audio targets: bytes → readAudio (format sniffing, the WAV parser
 * or a WASM codec) → toMono → resample to 16 kHz, the path `classify(bytes)` takes. The result
 * must be well-formed: at least one channel, all the same length, a rate in the accepted range.
 * Non-finite samples a codec returns are a result here: the feature extractors refuse them with a
 * typed error further down the pipeline.
 */
import { MAX_SAMPLING_RATE, MIN_SAMPLING_RATE, readAudio, resample, resampledLength, toMono, type AudioData } from "../../src/audio/index.js";
import type { FuzzRandom } from "../random.js";
import type { FuzzTarget, Seed } from "../target.js";
import { InvariantViolation } from "./invariant-violation.js";

export interface AudioTargetSpec {
  readonly name: string;
  readonly description: string;
  seeds(): Seed[];
  mutate?(input: Uint8Array, random: FuzzRandom): Uint8Array | undefined;
}

export async function decodeLikeThePipeline(input: Uint8Array): Promise<void> {
  const audio = await readAudio(input);
  checkWellFormed(audio);
  const mono = toMono(audio);
  if (mono.length !== audio.channels[0]!.length) throw new InvariantViolation(`toMono returned ${mono.length} samples for ${audio.channels[0]!.length} frames`);
  const resampled = resample(mono, audio.samplingRate, 16000);
  const expected = resampledLength(mono.length, audio.samplingRate, 16000);
  if (resampled.length !== expected) throw new InvariantViolation(`resampling ${mono.length} samples from ${audio.samplingRate} Hz gave ${resampled.length}, not ${expected}`);
}

function checkWellFormed(audio: AudioData): void {
  const { channels, samplingRate, channelPositions } = audio;
  // readAudio refuses rates outside the accepted range with AudioFormatError: one returned is a bug.
  if (!Number.isInteger(samplingRate) || samplingRate < MIN_SAMPLING_RATE || samplingRate > MAX_SAMPLING_RATE) throw new InvariantViolation(`samplingRate is ${samplingRate}`);
  if (channels.length === 0) throw new InvariantViolation("no channels");
  const frames = channels[0]!.length;
  if (frames === 0) throw new InvariantViolation("0 frames returned without an error");
  if (channels.some((c) => !(c instanceof Float32Array) || c.length !== frames)) throw new InvariantViolation("channels differ in length or type");
  if (channelPositions !== undefined && channelPositions.length !== channels.length) {
    throw new InvariantViolation(`${channelPositions.length} channel positions for ${channels.length} channels`);
  }
}

export function audioTarget(spec: AudioTargetSpec): FuzzTarget {
  return {
    name: spec.name,
    description: spec.description,
    seeds: spec.seeds,
    run: decodeLikeThePipeline,
    ...(spec.mutate !== undefined && { mutate: spec.mutate }),
  };
}
