/**
 * Sampling rates: the range audioclass accepts for audio, and the checks that apply it.
 *
 * Audio rates in use run from 8 kHz telephony to 384 kHz studio masters; 1 kHz – 768 kHz leaves
 * room on both sides. Outside it a rate is a corrupt header or a mistake, and taking it would
 * cost without bound: a WAV claiming 1 Hz resamples 1 M samples into 16 G, one claiming
 * 4 294 967 295 Hz needs a resampling kernel of billions of taps. Inside it every pair of rates
 * resamples in bounded time and memory (see resample.ts).
 */
import { InvalidArgumentError, describeValue } from "../errors.js";
import { AudioFormatError } from "./errors.js";

export const MIN_SAMPLING_RATE = 1_000;
export const MAX_SAMPLING_RATE = 768_000;

const RANGE = `${MIN_SAMPLING_RATE} – ${MAX_SAMPLING_RATE} Hz`;

function inRange(value: number): boolean {
  return value >= MIN_SAMPLING_RATE && value <= MAX_SAMPLING_RATE;
}

/** Returns `value` if it is a whole number of Hz in the accepted range, else throws InvalidArgumentError. */
export function checkSamplingRate(value: unknown, label: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    throw new InvalidArgumentError(
      `${label} must be a positive whole number of samples per second (e.g. 16000), got ${describeValue(value)}`,
    );
  }
  if (!inRange(value)) {
    throw new InvalidArgumentError(`${label} must be within ${RANGE} (audio rates run from 8000 to 384000), got ${value} Hz`);
  }
  return value;
}

/** The rate a file declares: out of range means the file is corrupt or not what it says. */
export function checkDecodedSamplingRate(rate: number, name: string): number {
  if (!Number.isInteger(rate) || !inRange(rate)) {
    throw new AudioFormatError(
      name,
      `cannot use ${name}: its header declares a sampling rate of ${rate} Hz, outside the ${RANGE} audioclass accepts; ` +
        `the file is probably corrupt — re-encode it (e.g. ffmpeg -i in -ar 16000 out.wav) if the audio itself is good`,
    );
  }
  return rate;
}
