/**
 * The Free Spoken Digit Dataset (FSDD), on which audioclass's bundled default model is trained:
 * a flat folder of "{digit}_{speaker}_{take}.wav" files (takes 0–49 per speaker and digit).
 *
 * - loadFsdd: the folder as a dataset labelled by digit ("0" … "9");
 * - fsddSplit: the dataset's own standard split — takes 0–4 of every speaker/digit are the test
 *   set, takes 5–49 the training set;
 * - fsddSpeakerSplit: hold out whole speakers, to measure generalisation to unseen voices.
 */
import { basename } from "node:path";
import { TrainingDataError } from "../errors.js";
import type { AudioExample } from "./audio-example.js";
import { AudioDataset, type DatasetOptions } from "./audio-dataset.js";
import { groupSplit, predicateSplit, type DatasetSplit } from "./splits.js";

export interface FsddName {
  readonly digit: string;
  readonly speaker: string;
  readonly take: number;
}

const FSDD_NAME = /^(\d)_([A-Za-z0-9-]+)_(\d+)\.wav$/i;

/** Digit, speaker and take from an FSDD file name (or path). */
export function parseFsddName(path: string): FsddName {
  const name = basename(path);
  const match = FSDD_NAME.exec(name);
  if (match === null) {
    throw new TrainingDataError(`${name} is not an FSDD file name; FSDD files are named {digit}_{speaker}_{take}.wav, e.g. 7_jackson_32.wav`);
  }
  return { digit: match[1]!, speaker: match[2]!, take: Number(match[3]) };
}

/** The FSDD recordings folder as a dataset labelled by spoken digit. */
export async function loadFsdd(folder: string, options: DatasetOptions = {}): Promise<AudioDataset> {
  return AudioDataset.fromFiles([folder], (path) => parseFsddName(path).digit, { ...options, extensions: [".wav"] });
}

function nameOf(example: AudioExample): FsddName {
  return parseFsddName(example.path);
}

/** FSDD's standard split: takes below `testTakes` (default 5, i.e. 0–4) are the test set. */
export function fsddSplit(dataset: AudioDataset, options: { testTakes?: number } = {}): DatasetSplit {
  const testTakes = options.testTakes ?? 5;
  if (!Number.isInteger(testTakes) || testTakes < 1) throw new TrainingDataError(`testTakes must be a whole number ≥ 1, got ${testTakes}`);
  return predicateSplit(dataset, (e) => nameOf(e).take < testTakes, `FSDD's standard split (takes 0–${testTakes - 1} as test)`);
}

/** Holds out whole speakers: their recordings are the test set. */
export function fsddSpeakerSplit(dataset: AudioDataset, testSpeakers: readonly string[]): DatasetSplit {
  if (testSpeakers.length === 0) throw new TrainingDataError("fsddSpeakerSplit needs at least one speaker to hold out (e.g. [\"jackson\"])");
  return groupSplit(dataset, (e) => nameOf(e).speaker, testSpeakers);
}
